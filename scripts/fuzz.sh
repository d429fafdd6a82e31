#!/usr/bin/env bash
# Fuzz qbank with cargo-fuzz (libFuzzer): scripts/fuzz.sh [TARGET|all] [SECONDS]
#
#   scripts/fuzz.sh                      every target for 60 s each, one after the other
#   scripts/fuzz.sh fix_engine 600       one target for ten minutes
#
# Targets (fuzz/fuzz_targets/, properties in docs/fuzzing.md): parse, fmt_roundtrip,
# fix_engine, lsp_document_store. The working corpus is fuzz/corpus/TARGET (kept between runs,
# git-ignored), seeded from tests/fixtures/seeds/, tests/fixtures/shapes/ and corpus/ (read
# only); crashes land in fuzz/artifacts/TARGET/. Replay one with `RUSTC_BOOTSTRAP=1 cargo fuzz
# run --fuzz-dir fuzz --sanitizer none TARGET fuzz/artifacts/TARGET/crash-…`; shrink it with
# `cargo fuzz tmin`.
#
# Hours-long runs: raise SECONDS and, on a machine with cores to spare, the parallelism:
#
#   QBANK_FUZZ_JOBS=4 scripts/fuzz.sh fmt_roundtrip 14400    # 4 processes for 4 hours each
#
# QBANK_FUZZ_JOBS becomes libFuzzer's `-jobs=N -workers=N` (default 1: the shared developer
# machines have two cores, so never more than one fuzzer at a time there); each job writes
# fuzz/fuzz-N.log and `-max_total_time=SECONDS` bounds every job. Extra libFuzzer flags go in
# QBANK_FUZZ_FLAGS (e.g. "-rss_limit_mb=4096"). Inputs are at most QBANK_FUZZ_MAX_LEN bytes
# (default 8192: the seed banks are up to 72 KB, and a whole-bank check → fix loop on those runs
# at a few executions per second; their first 8 KB hold plenty of questions).
#
# fmt_roundtrip and fix_engine let the inputs of open findings (fuzz/findings/) through;
# QBANK_FUZZ_STRICT=1 checks those too.
#
# No nightly toolchain is needed: RUSTC_BOOTSTRAP=1 lets the stable compiler take the -Z flags
# cargo-fuzz passes. The sanitizer defaults to none (qbank forbids unsafe code, so AddressSanitizer
# finds nothing a panic does not, at half the speed); QBANK_FUZZ_SANITIZER=address turns it on.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(parse fmt_roundtrip fix_engine lsp_document_store)
target="${1:-all}"
seconds="${2:-60}"
jobs="${QBANK_FUZZ_JOBS:-1}"
sanitizer="${QBANK_FUZZ_SANITIZER:-none}"
max_len="${QBANK_FUZZ_MAX_LEN:-8192}"
read -r -a extra_flags <<< "${QBANK_FUZZ_FLAGS:-}"
export RUSTC_BOOTSTRAP=1

if [[ "$target" != all ]] && [[ ! " ${targets[*]} " =~ " $target " ]]; then
  echo "error: unknown target \`$target\`; expected one of: all ${targets[*]}" >&2
  exit 2
fi
[[ "$target" == all ]] || targets=("$target")

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

echo "== cargo fuzz build (sanitizer: $sanitizer)"
cargo fuzz build --fuzz-dir fuzz --sanitizer "$sanitizer"

root="$PWD"
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  echo "== $t for ${seconds}s (jobs: $jobs)"
  # The first directory is the working corpus libFuzzer adds to; the others are read-only seeds.
  # In -jobs mode libFuzzer logs to fuzz-N.log in the working directory: fuzz/.
  (
    cd fuzz
    cargo fuzz run --fuzz-dir "$root/fuzz" --sanitizer "$sanitizer" "$t" "$root/fuzz/corpus/$t" \
      "$root/tests/fixtures/seeds" "$root/tests/fixtures/shapes" "$root/corpus" -- \
      "-max_total_time=$seconds" "-max_len=$max_len" "-jobs=$jobs" "-workers=$jobs" -print_final_stats=1 "${extra_flags[@]}"
  ) || status=$?
  for log in fuzz/fuzz-*.log; do
    [[ -e "$log" ]] || continue
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+== ERROR|SUMMARY)' \
      "$log" || true
    mv "$log" "fuzz/artifacts/$t/$(basename "$log")"
  done
  echo "corpus: $(find "fuzz/corpus/$t" -type f | wc -l) inputs; findings: $(find "fuzz/artifacts/$t" -type f \
    -name 'crash-*' -o -type f -name 'oom-*' -o -type f -name 'timeout-*' | wc -l) in fuzz/artifacts/$t"
done
exit "$status"
