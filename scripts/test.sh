#!/usr/bin/env bash
# Every test qbank has, in one command: formatting, lints, the Rust test suites, and the
# editor extension's own tests. Installs what the tests need first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked --no-fail-fast
echo "== qbank check corpus/ (the CI gate)"
cargo run --quiet --locked -p qbank -- check corpus/
echo "== editors/neovim (headless end-to-end test against the real server)"
cargo build --quiet --locked -p qbank
QBANK_BIN="$PWD/target/debug/qbank" bash editors/neovim/scripts/test.sh
echo "== editors/vscode"
bash editors/vscode/scripts/test.sh
