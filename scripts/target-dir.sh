#!/usr/bin/env bash
# Prints cargo's target directory for this workspace, as an absolute path: `target/` by
# default, or wherever `CARGO_TARGET_DIR` (or a cargo config's `build.target-dir`) puts it.
# Scripts that run a built binary ask here instead of assuming `target/`.
#
# Usage: scripts/target-dir.sh             # e.g. /home/me/qbank/target
#        "$(scripts/target-dir.sh)/debug/qbank"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v cargo >/dev/null || { echo "target-dir: cargo is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "target-dir: python3 is required" >&2; exit 1; }
cargo metadata --format-version 1 --no-deps --offline |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
