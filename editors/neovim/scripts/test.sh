#!/usr/bin/env bash
# End-to-end test of the Neovim plugin against the real `qbank lsp`: installs Neovim (>= 0.11)
# into .tools/nvim if needed, locates (or builds) the qbank binary, then runs
# editors/neovim/tests/e2e.lua in a headless Neovim on a copy of a raw seed bank.
#   QBANK_BIN=/path/to/qbank bash editors/neovim/scripts/test.sh
set -euo pipefail
plugin="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$plugin/../.." && pwd)"

nvim="$(bash "$root/scripts/setup-nvim.sh")"

if [ -n "${QBANK_BIN:-}" ]; then
  [ -x "$QBANK_BIN" ] || { echo "nvim-e2e: QBANK_BIN=$QBANK_BIN is not executable" >&2; exit 1; }
  qbank="$(cd "$(dirname "$QBANK_BIN")" && pwd)/$(basename "$QBANK_BIN")"
else
  qbank="$(bash "$root/scripts/target-dir.sh")/debug/qbank"
  if [ ! -x "$qbank" ]; then
    echo "nvim-e2e: building qbank (cargo build -p qbank)" >&2
    (cd "$root" && cargo build -p qbank >&2)
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/tests/fixtures/seeds/004_1adafc59de9fa9f4.txt" "$work/bank.md"
chmod u+w "$work/bank.md"
cat >"$work/qbank.toml" <<'TOML'
include = ["**/*.md"]
TOML
# A second bank repeating the seed's first question, for qbank.duplicates.
cat >"$work/other.md" <<'MD'
# Other bank

## Troubleshooting

### 1. Your production system is experiencing intermittent high latency. How do you approach debugging and resolving the issue?
<!-- id: other-latency -->

**Answer:** Check the dashboards, find the slow component, fix it.

**TL;DR:** Measure first, then fix the bottleneck.
MD

# A third bank linking to the others, for links (definition), rename, code lenses and inlay
# hints (its numbering skips 2).
cat >"$work/links.md" <<'MD'
# Links

### 1. Where is the latency runbook?
<!-- id: runbook -->

**Answer:** See [the latency question](other.md#other-latency) and [below](#escalation).

**TL;DR:** Follow the link.

### 3. When do you escalate?
<!-- id: escalation -->

**Answer:** After [the runbook](#runbook) fails.

**TL;DR:** When the runbook fails.
MD

# The test's results go to stdout; Neovim's own messages (stderr) are shown only on failure.
# `timeout` ends a hung run (exit 124).
cd "$work"
status=0
QBANK_BIN="$qbank" QBANK_E2E_DIR="$work" \
  timeout --kill-after=10 120 \
  "$nvim" --headless --clean -u NONE -i NONE -n \
  --cmd "set runtimepath^=$plugin" \
  -c "luafile $plugin/tests/e2e.lua" </dev/null 2>"$work/nvim.stderr" || status=$?
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 124 ] && echo "nvim-e2e: timed out after 120 s" >&2
  echo "nvim-e2e: failed (exit $status); Neovim messages:" >&2
  cat "$work/nvim.stderr" >&2
fi
exit "$status"
