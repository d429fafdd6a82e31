#!/usr/bin/env bash
# Test of the wheel (pyproject.toml, maturin `bindings = "bin"`): builds it
# (scripts/build-wheel.sh, profile QBANK_WHEEL_PROFILE, default dev: see there), installs it
# into a fresh virtual environment with no index (the wheel needs nothing else), and checks
#   - `qbank` is on the environment's PATH and is the wheel's binary;
#   - `qbank check corpus/` from it exits 0 with "No problems";
#   - the wheel's metadata: name qbank, the workspace version, the repository URL of Cargo.toml;
#   - the binary carries no DWARF debug info (stripped, as the release profile ships it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fail() { echo "test-wheel: FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is required"
command -v readelf >/dev/null || fail "readelf is required (Debian package binutils)"

export QBANK_WHEEL_PROFILE="${QBANK_WHEEL_PROFILE:-dev}"
started=$SECONDS
wheel="$(bash scripts/build-wheel.sh)"
echo "test-wheel: built $(basename "$wheel") ($(du -h "$wheel" | cut -f1), profile $QBANK_WHEEL_PROFILE) in $((SECONDS - started)) s" >&2

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 -m venv "$scratch/venv"
PIP_NO_INDEX=1 "$scratch/venv/bin/pip" install --quiet --disable-pip-version-check "$wheel"

# `qbank` on the environment's PATH, as `pip install` users get it.
found="$(PATH="$scratch/venv/bin:/usr/bin:/bin" command -v qbank)" || fail "qbank is not on the venv's PATH"
[[ "$found" == "$scratch/venv/bin/qbank" ]] || fail "qbank resolved to $found"
version="$(cargo metadata --format-version 1 --no-deps --offline |
    python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "qbank"))')"
[[ "$("$found" --version)" == "qbank $version" ]] || fail "qbank --version says $("$found" --version), want qbank $version"

set +e
output="$(PATH="$scratch/venv/bin:/usr/bin:/bin" qbank check corpus/ 2>&1)"
code=$?
set -e
[[ $code -eq 0 ]] || fail "qbank check corpus/ exited $code: $output"
[[ "$output" == *"No problems"* ]] || fail "qbank check corpus/ said: $output"
echo "test-wheel: qbank check corpus/ from the wheel: $output" >&2

repository="$(cargo metadata --format-version 1 --no-deps --offline |
    python3 -c 'import json, sys; print(next(p["repository"] for p in json.load(sys.stdin)["packages"] if p["name"] == "qbank"))')"
python3 - "$wheel" "$version" "$repository" <<'PY'
import sys, zipfile, email
wheel, version, repository = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    metadata = email.message_from_bytes(z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))))
assert any(n.endswith(".data/scripts/qbank") for n in names), names
assert metadata["Name"] == "qbank", metadata["Name"]
assert metadata["Version"] == version, (metadata["Version"], version)
urls = metadata.get_all("Project-URL") or []
assert f"Repository, {repository}" in urls, f"Project-URL {urls} lacks the repository {repository}"
print(f"test-wheel: metadata {metadata['Name']} {metadata['Version']}, {urls}", file=sys.stderr)
PY

if readelf -S --wide "$found" | grep -qE '\.debug_(info|line|str|abbrev)'; then
    fail "the wheel's binary carries debug info: $(readelf -S --wide "$found" | grep -E '\.debug_(info|line|str|abbrev)')"
fi
echo "test-wheel: ok ($(du -h "$found" | cut -f1) binary)"
