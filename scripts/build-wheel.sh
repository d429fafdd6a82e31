#!/usr/bin/env bash
# Builds the `qbank` wheel (pyproject.toml: maturin, `bindings = "bin"`) and prints its path.
# maturin comes from PyPI into .tools/maturin (a virtual environment; idempotent: a second run
# installs nothing). The wheel lands in "$(scripts/target-dir.sh)/wheels"; cargo rebuilds
# nothing when the sources did not change, so the test scripts can all call this.
#
# Usage: scripts/build-wheel.sh                          # the wheel users get (release profile)
#        QBANK_WHEEL_PROFILE=dev scripts/build-wheel.sh  # cheaper, for tests (see below)
#
# QBANK_WHEEL_PROFILE picks the cargo profile. `dev` reuses what `cargo test` compiled (the
# dependencies are optimised in dev too, Cargo.toml) instead of a release build of every crate;
# the wheel is the same package (name, tags, layout, entry on PATH), only less optimised, and
# maturin strips its binary as the release profile does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
maturin_version="1.16.0"
profile="${QBANK_WHEEL_PROFILE:-release}"
tools="$root/.tools/maturin"

command -v cargo >/dev/null || { echo "build-wheel: cargo is required (install Rust with rustup)" >&2; exit 1; }
python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "build-wheel: $python is required (Python 3 with venv and pip)" >&2; exit 1; }
if [[ "$("$tools/bin/maturin" --version 2>/dev/null)" != "maturin $maturin_version" ]]; then
    echo "build-wheel: installing maturin==$maturin_version into .tools/maturin" >&2
    "$python" -m venv "$tools" >&2
    "$tools/bin/pip" install --quiet --disable-pip-version-check "maturin==$maturin_version" >&2
fi

target_dir="$(bash scripts/target-dir.sh)"
out="$target_dir/wheels/$profile"
rm -rf "$out"
# --compatibility linux: a wheel for this machine only (no manylinux audit, which needs the
# oldest glibc the binary links against; publishing builds in a manylinux container instead).
CARGO_TARGET_DIR="$target_dir" "$tools/bin/maturin" build --quiet --profile "$profile" --strip \
    --compatibility linux --out "$out" >&2
shopt -s nullglob
wheels=("$out"/qbank-*.whl)
[[ ${#wheels[@]} -eq 1 ]] || { echo "build-wheel: expected one wheel in $out, found ${#wheels[@]}" >&2; exit 1; }
echo "${wheels[0]}"
