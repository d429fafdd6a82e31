#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code: installs qbank-<version>.vsix
# (built by scripts/test.sh) into code-server, opens workspaces with two banks and drives the
# UI with Debian's Chromium through playwright-core (editors/vscode/e2e/run.mjs). Tools come
# from scripts/setup-vscode.sh (idempotent). The screenshot lands in
# target/test-artifacts/vscode.png.
#   QBANK_BIN=/path/to/qbank bash editors/vscode/scripts/e2e.sh
set -euo pipefail
ext="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$ext/../.." && pwd)"

die() { echo "vscode-e2e: $*" >&2; exit 1; }

[ -n "${QBANK_BIN:-}" ] || die "QBANK_BIN is not set (the qbank binary under test)"
[ -x "$QBANK_BIN" ] || die "QBANK_BIN=$QBANK_BIN is not executable"
qbank="$(cd "$(dirname "$QBANK_BIN")" && pwd)/$(basename "$QBANK_BIN")"

# The tools (installed when missing; a missing piece is an error there).
tools="$(bash "$root/scripts/setup-vscode.sh")"
tool() { sed -n "s/^$1=//p" <<<"$tools"; }
node="$(tool node)"
code_server="$(tool code-server)"
playwright="$(tool playwright-core)"
for f in "$node" "$code_server" "$playwright"; do
  [ -e "$f" ] || die "setup-vscode.sh did not provide $f"
done

version="$("$node" -p "require('$ext/package.json').version")"
vsix="$ext/qbank-$version.vsix"
[ -f "$vsix" ] || die "$vsix is missing: package the extension first (bash editors/vscode/scripts/test.sh)"

work="$(mktemp -d "${TMPDIR:-/tmp}/qbank-vscode-e2e.XXXXXX")"
keep=0
cleanup() { if [ "$keep" -eq 0 ]; then rm -rf "$work"; fi; }
trap cleanup EXIT
artifacts="$root/target/test-artifacts"
mkdir -p "$artifacts" "$work/xdg/config" "$work/xdg/data" "$work/xdg/cache" "$work/tmp"

# code-server keeps its own state in the XDG folders and TMPDIR: all inside the scratch folder.
export XDG_CONFIG_HOME="$work/xdg/config" XDG_DATA_HOME="$work/xdg/data" XDG_CACHE_HOME="$work/xdg/cache"
export TMPDIR="$work/tmp"
export PATH="$(dirname "$node"):$PATH"

# The second session relies on discovery finding qbank in a scratch ~/.cargo/bin: that proves
# nothing if a login shell (what the extension host's environment is built from) has qbank on PATH.
if env -i HOME="$work/home-probe" bash -lc 'command -v qbank' >/dev/null 2>&1; then
  die "a login shell already finds qbank on PATH; the discovery check would prove nothing"
fi

echo "vscode-e2e: installing $(basename "$vsix") into code-server"
"$code_server" --install-extension "$vsix" --extensions-dir "$work/extensions" --force >"$work/install.log" 2>&1 \
  || { cat "$work/install.log" >&2; die "code-server --install-extension failed"; }
ls "$work/extensions" | grep -q "^qbank\.qbank-$version" || { cat "$work/install.log" >&2; die "the extension is not in $work/extensions"; }

status=0
CODE_SERVER="$code_server" PLAYWRIGHT_CORE="$playwright" QBANK_BIN="$qbank" E2E_DIR="$work" \
  EXTENSIONS_DIR="$work/extensions" ARTIFACTS="$artifacts" CORPUS="$root/corpus" \
  timeout --kill-after=10 300 "$node" "$ext/e2e/run.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 124 ] && echo "vscode-e2e: timed out after 300 s" >&2
  keep=1
  echo "vscode-e2e: failed (exit $status); logs kept in $work" >&2
  exit "$status"
fi
echo "vscode-e2e: screenshot: $artifacts/vscode.png"
