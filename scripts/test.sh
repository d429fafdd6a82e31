#!/usr/bin/env bash
# Every test qbank has, in one command: formatting, lints, the Rust test suites, and the
# editor extension's own tests, then the packaging scripts. Installs what the tests need first
# (scripts/setup.sh). Honours CARGO_TARGET_DIR (a relative one is relative to the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check
cargo fmt --manifest-path fuzz/Cargo.toml --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The fuzz targets are their own workspace (cargo-fuzz layout), outside `--workspace`: check
# they still build, so they do not rot between campaigns (running them: scripts/fuzz.sh).
echo "== fuzz targets (cargo check)"
cargo check --manifest-path fuzz/Cargo.toml --bins --locked
echo "== cargo test"
cargo test --workspace --locked --no-fail-fast
# The binary the integration tests just built (a plain `cargo build` would recompile the
# dependencies with other features), in cargo's target directory: `target/` unless
# `CARGO_TARGET_DIR` (or a cargo config) says otherwise.
target_dir="$(bash scripts/target-dir.sh)"
qbank="$target_dir/debug/qbank"
test -x "$qbank" || { echo "error: $qbank was not built by cargo test" >&2; exit 1; }
echo "== scripts/test-target-dir.sh (the scripts honour CARGO_TARGET_DIR)"
bash scripts/test-target-dir.sh
echo "== qbank check corpus/ (the CI gate)"
"$qbank" check corpus/
echo "== editors/neovim (headless end-to-end test against the real server)"
QBANK_BIN="$qbank" bash editors/neovim/scripts/test.sh
echo "== editors/vscode"
bash editors/vscode/scripts/test.sh
echo "== editors/vscode end-to-end (the packaged .vsix in code-server, driven by Chromium)"
QBANK_BIN="$qbank" bash editors/vscode/scripts/e2e.sh
echo "== qbank report (headless Chromium: renders, numbers match check, screenshot)"
QBANK_BIN="$qbank" bash scripts/test-report.sh
# Packaging and CI integration (issue 15). One wheel build serves all four: the dev profile
# reuses what cargo test compiled (QBANK_WHEEL_PROFILE=release tests the shipped profile, at the
# cost of a release build of every crate); test-readme's `cargo install` is a release build.
export QBANK_WHEEL_PROFILE="${QBANK_WHEEL_PROFILE:-dev}"
echo "== scripts/test-wheel.sh (pip install of the wheel puts qbank on PATH)"
bash scripts/test-wheel.sh
echo "== scripts/test-action.sh (action.yml's steps, as GitHub runs them)"
bash scripts/test-action.sh
echo "== scripts/test-precommit.sh (the pre-commit hooks, with pre-commit try-repo)"
bash scripts/test-precommit.sh
echo "== scripts/test-readme.sh (README's Install and CI sections, word for word)"
bash scripts/test-readme.sh
