#!/usr/bin/env bash
# Peer benchmark: qbank and its peers in one run on the same generated files, with a table of
# ratios per size — lint (`qbank check` vs `rumdl check`, `markdownlint-cli2`; and `qbank check` vs
# `rumdl check` on the canonical, mixed and raw corpus shapes, with peak RSS and the growth
# exponent), dedup
# (`qbank dedup` vs datasketch MinHashLSH), and the language server (`qbank lsp` vs
# `rumdl server`: edit → diagnostics latency on a 2,000-question bank, workspace-index
# readiness and memory at 100k questions). The report also goes to target/bench/peers-report.md.
#
# Usage: scripts/bench.sh [OPTIONS] [SIZES...]     (sizes in questions; default 1000 10000 100000 1000000)
#   --markdownlint-max N   largest size markdownlint-cli2 runs at (default 100000)
#   --datasketch-max N     largest size datasketch runs at (default 100000: it takes minutes there)
#   --rumdl-max N          largest size rumdl check runs at (default: all)
#   --repeat N             runs per tool, best kept; a run over 20 s runs once (default 3)
#   --no-lsp               skip the language-server measures
#   --lsp-only             only the language-server measures
#   --edits N / --warmup N edit-latency edits (default 200 / 20)
#   --lsp-questions N      questions in the generated edit-latency bank (default 2000)
#   --lsp-file FILE        measure edit latency on this bank instead of a generated one
#   --index-size N         questions in the workspace-index corpus (default 100000; 0 skips)
#   --shapes LIST          corpus shapes for qbank check vs rumdl (default canonical,mixed,raw)
#
# The stress suite (20 MB adversarial banks) is scripts/bench-stress.sh.
#
# Set BENCH_NO_BUILD=1 to measure the release binaries already in target/release, or
# BENCH_BIN_DIR=DIR to take qbank, qbank-gen and qbank-bench from DIR (implies no build).
#
# Peers are installed from their registries into .tools/bench (pinned; override with
# RUMDL_VERSION, DATASKETCH_VERSION, MARKDOWNLINT_CLI2_VERSION).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.tools/bench

# GNU time reports each command's own peak RSS (Debian package `time`).
if [[ ! -x /usr/bin/time ]]; then
  apt-get install -y -qq time >&2 || { apt-get update -qq && apt-get install -y -qq time >&2; }
fi
if [[ ! -x $tools/venv/bin/python ]]; then
  python3 -m venv "$tools/venv"
fi
"$tools/venv/bin/pip" install --quiet --disable-pip-version-check \
  "rumdl==${RUMDL_VERSION:-0.3.0}" "datasketch==${DATASKETCH_VERSION:-1.6.5}" >&2
npm install --silent --no-audit --no-fund --prefix "$tools/npm" \
  "markdownlint-cli2@${MARKDOWNLINT_CLI2_VERSION:-0.22.1}" >&2
if [[ -z ${BENCH_NO_BUILD:-}${BENCH_BIN_DIR:-} ]]; then
  cargo build --release --quiet -p qbank -p qbank-gen -p qbank-bench
fi

exec python3 scripts/bench/peers.py "$@"
