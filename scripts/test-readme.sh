#!/usr/bin/env bash
# Test that README.md's Install and CI sections work word for word: extracts the fenced `sh`
# blocks marked `<!-- readme-test: install -->` and `<!-- readme-test: ci -->` and runs them,
# line by line under `set -e`, in a scratch copy of this checkout (the committed files and the
# working tree's changes, no target/ or .tools/), as a new user would after `git clone`.
# Also checks that the README's workflow uses only inputs action.yml declares.
#
# Isolation: `cargo install` installs into the scratch place (CARGO_INSTALL_ROOT, on PATH), pip
# into the README's own virtual environment. Build cost: cargo shares this checkout's target
# directory (CARGO_TARGET_DIR), and `pip install .` builds the wheel with QBANK_WHEEL_PROFILE
# (default dev here; MATURIN_PEP517_ARGS), as the other packaging tests do. `cargo install` is
# a release build: the one compile of the release profile in the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fail() { echo "test-readme: FAIL: $*" >&2; exit 1; }
for tool in git cargo python3 readelf tar; do command -v "$tool" >/dev/null || fail "$tool is required"; done

# The marked blocks: the fenced block right under each marker.
extract() {
    python3 - "$1" <<'PY'
import re, sys
text = open("README.md", encoding="utf-8").read()
marker = f"<!-- readme-test: {sys.argv[1]} -->"
blocks = re.findall(re.escape(marker) + r"\n```sh\n(.*?)```", text, re.S)
if len(blocks) != 1:
    sys.exit(f"README.md: want one ```sh block right under {marker}, found {len(blocks)}")
print(blocks[0], end="")
PY
}
install_block="$(extract install)"
ci_block="$(extract ci)"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
checkout="$scratch/qbank"
mkdir -p "$checkout"
git ls-files -z --cached --others --exclude-standard | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$checkout"
[[ -f "$checkout/Cargo.lock" && ! -e "$checkout/target" ]] || fail "the scratch checkout is not a clean copy"

export CARGO_TARGET_DIR
CARGO_TARGET_DIR="$(bash scripts/target-dir.sh)"
export CARGO_INSTALL_ROOT="$scratch/cargo"
export MATURIN_PEP517_ARGS="--profile ${QBANK_WHEEL_PROFILE:-dev} --strip"
export PATH="$CARGO_INSTALL_ROOT/bin:$PATH"
if command -v qbank >/dev/null; then
    fail "qbank is already on PATH ($(command -v qbank)): the README's commands must be what puts it there"
fi

# run_block NAME TEXT: each command line echoed, then run in one shell (so `. activate` holds).
run_block() {
    local started=$SECONDS
    echo "test-readme: == $1" >&2
    (cd "$checkout" && bash -euo pipefail -xc "$2") || fail "README $1 block failed (above)"
    echo "test-readme: $1 block: $((SECONDS - started)) s" >&2
}
run_block install "$install_block"
[[ -x "$checkout/.venv/bin/qbank" ]] || fail "pip install . did not put qbank in the virtual environment"
[[ -x "$CARGO_INSTALL_ROOT/bin/qbank" ]] || fail "cargo install did not install qbank"
# `cargo install` builds the release profile: the shipped binary carries no debug info.
if readelf -S --wide "$CARGO_INSTALL_ROOT/bin/qbank" | grep -qE '\.debug_(info|line|str|abbrev)'; then
    fail "the release binary carries debug info (Cargo.toml [profile.release])"
fi
echo "test-readme: release binary $(du -h "$CARGO_INSTALL_ROOT/bin/qbank" | cut -f1), no debug info" >&2
# The CI block runs with qbank from the install block's virtual environment on PATH.
run_block ci ". .venv/bin/activate
$ci_block"
python3 -c 'import json, sys; log = json.load(open(sys.argv[1])); assert log["version"] == "2.1.0" and not log["runs"][0]["results"], log' \
    "$checkout/qbank.sarif" || fail "the CI block's SARIF file is not a clean SARIF 2.1.0 log"

# The README's workflow passes only inputs the action declares (PyYAML as test-action.sh has it).
if ! "$root/.tools/action/bin/python" -c 'import yaml' 2>/dev/null; then
    python3 -m venv "$root/.tools/action"
    "$root/.tools/action/bin/pip" install --quiet --disable-pip-version-check "pyyaml==6.0.3"
fi
"$root/.tools/action/bin/python" - <<'PY' || fail "the README's workflow does not match action.yml"
import re, yaml
text = open("README.md", encoding="utf-8").read()
workflow = yaml.safe_load(re.search(r"```yaml\n(# \.github/workflows/qbank\.yml\n.*?)```", text, re.S).group(1))
declared = yaml.safe_load(open("action.yml", encoding="utf-8"))["inputs"]
steps = [s for s in workflow["jobs"]["check"]["steps"] if s.get("uses", "").startswith("qbank-dev/qbank@")]
assert len(steps) == 1, steps
unknown = set(steps[0].get("with", {})) - set(declared)
assert not unknown, f"inputs not in action.yml: {unknown}"
print(f"test-readme: the workflow's inputs {sorted(steps[0]['with'])} are declared in action.yml")
PY
echo "test-readme: ok"
