#!/usr/bin/env bash
# Installs everything the test suite needs that cargo does not fetch itself. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "error: cargo is required (https://rustup.rs)" >&2; exit 1; }
