#!/usr/bin/env bash
# Test: the scripts find cargo's target directory wherever CARGO_TARGET_DIR puts it (issue 15:
# scripts/test.sh used to assume `target/` and failed after every Rust test had passed).
# Checks scripts/target-dir.sh with CARGO_TARGET_DIR unset, absolute and relative, and that no
# script runs a binary from a hard-coded `target/debug` or `target/release` path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fail() { echo "test-target-dir: FAIL: $*" >&2; exit 1; }

expect() { # expect WANT [ENV…]: scripts/target-dir.sh, run from / under ENV, prints WANT
    local want="$1"; shift
    local got
    got="$(cd / && env "$@" bash "$root/scripts/target-dir.sh")" || fail "target-dir.sh failed under: $*"
    [[ "$got" == "$want" ]] || fail "under ${*:-no CARGO_TARGET_DIR}: got '$got', want '$want'"
    echo "ok: ${*:-CARGO_TARGET_DIR unset} -> $got"
}
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
expect "$root/target" -u CARGO_TARGET_DIR
expect "$scratch/elsewhere" CARGO_TARGET_DIR="$scratch/elsewhere"
# A relative CARGO_TARGET_DIR is relative to the repository root, where scripts/test.sh runs cargo.
expect "$root/build-out" CARGO_TARGET_DIR=build-out

# Every script and bench helper asks scripts/target-dir.sh (or CARGO_TARGET_DIR) instead.
hard_coded="$(grep -nE '(^|[^A-Za-z_.-])target/(debug|release)/' \
    scripts/*.sh scripts/bench/*.py editors/*/scripts/*.sh .ci/run || true)"
[[ -z "$hard_coded" ]] || fail "hard-coded target paths (use scripts/target-dir.sh):
$hard_coded"
echo "test-target-dir: ok"
