#!/usr/bin/env bash
# action.yml, step 1: put `qbank` on PATH for the next steps (through $GITHUB_PATH), from
# INPUT_QBANK_BINARY (a binary), INPUT_WHEEL (a wheel file), INPUT_VERSION (PyPI) or, when all
# are empty, this action's own checkout (pip builds the wheel; needs Rust). Wheels go into a
# virtual environment under $RUNNER_TEMP, so the runner's Python is left alone.
set -euo pipefail
: "${GITHUB_PATH:?not set: run inside GitHub Actions (or scripts/test-action.sh)}"
: "${RUNNER_TEMP:?not set}"
: "${GITHUB_ACTION_PATH:?not set}"

if [[ -n "${INPUT_QBANK_BINARY:-}" ]]; then
    [[ -x "$INPUT_QBANK_BINARY" ]] || { echo "::error::qbank-binary: $INPUT_QBANK_BINARY is not an executable file"; exit 1; }
    bin_dir="$(cd "$(dirname "$INPUT_QBANK_BINARY")" && pwd)"
    [[ "$(basename "$INPUT_QBANK_BINARY")" == qbank ]] || { echo "::error::qbank-binary must be named qbank"; exit 1; }
else
    python="$(command -v python3 || command -v python || true)"
    [[ -n "$python" ]] || { echo "::error::qbank: Python 3 is needed to install the wheel (actions/setup-python)"; exit 1; }
    venv="$RUNNER_TEMP/qbank-venv"
    "$python" -m venv "$venv"
    if [[ -n "${INPUT_WHEEL:-}" ]]; then
        [[ -f "$INPUT_WHEEL" ]] || { echo "::error::wheel: $INPUT_WHEEL does not exist"; exit 1; }
        package="$INPUT_WHEEL"
    elif [[ -n "${INPUT_VERSION:-}" ]]; then
        package="qbank==$INPUT_VERSION"
    else
        package="$GITHUB_ACTION_PATH"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package"
    bin_dir="$venv/bin"
fi
echo "$bin_dir" >> "$GITHUB_PATH"
"$bin_dir/qbank" --version
