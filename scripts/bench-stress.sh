#!/usr/bin/env bash
# Stress suite (issue 13): adversarial banks of about 20 MB, each checked by `qbank check` (wall
# time and peak RSS under GNU time) and opened in `qbank lsp` (didOpen → first diagnostics, with
# `qbank-bench first-diagnostics`). Goals: every bank checked in ≤ 2 s with peak RSS ≤ 10× its
# size; the server's first diagnostics in ≤ 3 s.
#
# Banks (written by `qbank-gen --stress KIND --bytes N`):
#   identical     20,000 copies of one ~1 KB question
#   ones          ~20,000 varied questions, every one numbered `### 1.`
#   giant-answer  one question whose answer is the whole file
#   tiny          ~100,000 questions of ~200 bytes
#   varied        ~20,000 varied questions with answers, TL;DRs and code (21 MB)
#
# Usage: scripts/bench-stress.sh [--no-lsp] [KIND...]      (default: all five)
# Set BENCH_NO_BUILD=1 to measure the release binaries already in target/release, or
# BENCH_BIN_DIR=DIR to take qbank, qbank-gen and qbank-bench from DIR. STRESS_BYTES sets the
# size (default 20000000; varied gets 5 % more). The report also goes to
# target/bench/stress-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
lsp=1
kinds=()
for arg in "$@"; do
  case $arg in
    --no-lsp) lsp=0 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) kinds+=("$arg") ;;
  esac
done
[[ ${#kinds[@]} -gt 0 ]] || kinds=(identical ones giant-answer tiny varied)
if [[ ! -x /usr/bin/time ]]; then
  apt-get install -y -qq time >&2 || { apt-get update -qq && apt-get install -y -qq time >&2; }
fi
bin=${BENCH_BIN_DIR:-target/release}
if [[ -z ${BENCH_NO_BUILD:-}${BENCH_BIN_DIR:-} ]]; then
  cargo build --release --quiet -p qbank -p qbank-gen -p qbank-bench
fi
work=target/bench/stress
mkdir -p "$work"
bytes=${STRESS_BYTES:-20000000}
report=target/bench/stress-report.md
{
  echo "| bank | MB | questions | findings | qbank check | peak RSS | RSS ÷ size | server first diagnostics | server peak RSS |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "$report"
cat "$report"
for kind in "${kinds[@]}"; do
  size=$bytes
  [[ $kind == varied ]] && size=$((bytes * 21 / 20))
  "$bin/qbank-gen" --stress "$kind" --bytes "$size" --out "$work" >&2
  file=$work/stress-$kind.md
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
  questions=$(grep -c '^### ' "$file" || true)
  set +e
  /usr/bin/time -f '%e %M' -o "$work/$kind.time" "$bin/qbank" check --no-progress --format json "$file" \
    > "$work/$kind.json" 2> "$work/$kind.err"
  code=$?
  set -e
  if [[ $code -gt 1 ]]; then
    echo "qbank check $file: exit $code" >&2; tail -3 "$work/$kind.err" >&2; exit 1
  fi
  read -r wall rss_kb < <(tail -1 "$work/$kind.time")
  findings=$(python3 -c 'import json,sys; print(sum(len(f["diagnostics"]) for f in json.load(open(sys.argv[1]))["files"]))' "$work/$kind.json")
  ratio=$(awk -v r="$rss_kb" -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f×", r * 1024 / b }')
  rss=$(awk -v r="$rss_kb" 'BEGIN { printf "%.0f MB", r / 1024 }')
  first="not run"; server_rss="-"
  if [[ $lsp == 1 ]]; then
    line=$("$bin/qbank-bench" first-diagnostics --server "$bin/qbank lsp" --json "$file" | tail -1)
    first=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(f"{r[\"open_ms\"]/1000:.2f} s")' "$line")
    server_rss=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(f"{r[\"peak_rss_mb\"]:.0f} MB")' "$line")
  fi
  row="| $kind | $mb | $questions | $findings | ${wall} s | $rss | $ratio | $first | $server_rss |"
  echo "$row" | tee -a "$report"
done
