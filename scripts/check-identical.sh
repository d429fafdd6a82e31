#!/usr/bin/env bash
# Output stays byte-identical across an optimisation: generates the bench corpora (canonical,
# mixed and raw, 10,000 questions each by default) and the stress banks (small, so the
# reference finishes), runs a reference qbank and the new one on each with `check --format json`
# and diffs the outputs. Exit 1 on any difference.
#
# Usage: scripts/check-identical.sh [--ref QBANK] [--new QBANK] [--questions N]
#   --ref     the reference binary (default: <target>/ref-bin/qbank, built from `main` when missing:
#             a worktree of main at <target>/ref-src, built in release into this target folder)
#   --new     the binary under test (default: <target>/release/qbank, built)
#   --questions N   questions per corpus (default 10000)
#   --gen     the qbank-gen that writes the corpora (default: <target>/release/qbank-gen)
# STRESS_BYTES sets the stress banks' size (default 2000000).
set -euo pipefail
cd "$(dirname "$0")/.."
tdir="$(bash scripts/target-dir.sh)"
ref=$tdir/ref-bin/qbank
new=$tdir/release/qbank
questions=10000
gen=$tdir/release/qbank-gen
while [[ $# -gt 0 ]]; do
  case $1 in
    --ref) ref=$2; shift 2 ;;
    --new) new=$2; shift 2 ;;
    --questions) questions=$2; shift 2 ;;
    --gen) gen=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [[ ! -x $ref ]]; then
  echo "building the reference qbank from main in $tdir/ref-src" >&2
  [[ -d $tdir/ref-src ]] || git worktree add --detach $tdir/ref-src main >&2
  # The same target folder, so the dependencies are not built twice. Cargo fingerprints the
  # workspace crates of both trees alike (paths relative to the workspace root) and checks the
  # sources listed by the last build's dep-info: touch the tree built last before building the
  # other, or the other build takes its artifacts for fresh.
  find crates -name '*.rs' -exec touch {} +
  (cd "$tdir/ref-src" && CARGO_TARGET_DIR="$tdir" cargo build --release --quiet -p qbank)
  mkdir -p "$(dirname "$ref")"
  cp $tdir/release/qbank "$ref"
  find $tdir/ref-src/crates -name '*.rs' -exec touch {} +
fi
if [[ $new == $tdir/release/qbank ]]; then
  cargo build --release --quiet -p qbank -p qbank-gen
fi
[[ -x $gen ]] || cargo build --release --quiet -p qbank-gen
work=$tdir/bench/identical
rm -rf "$work"
mkdir -p "$work"
failed=0
compare() { # name, paths...
  local name=$1; shift
  set +e
  "$ref" check --format json --no-progress "$@" > "$work/$name.ref.json" 2> "$work/$name.ref.err"
  local ref_code=$?
  "$new" check --format json --no-progress "$@" > "$work/$name.new.json" 2> "$work/$name.new.err"
  local new_code=$?
  set -e
  if [[ $ref_code != "$new_code" ]]; then
    echo "DIFFERENT $name: exit $ref_code (reference) vs $new_code (new)"; failed=1
  elif cmp -s "$work/$name.ref.json" "$work/$name.new.json"; then
    echo "identical $name ($(stat -c %s "$work/$name.new.json") bytes of JSON, exit $new_code)"
  else
    echo "DIFFERENT $name:"; diff "$work/$name.ref.json" "$work/$name.new.json" | head -20; failed=1
  fi
}
for shape in canonical mixed raw; do
  "$gen" --questions "$questions" --files $(( (questions + 999) / 1000 )) --shape "$shape" --dup-rate 0.05 \
    --seed 42 --out "$work/$shape"
  compare "$shape-$questions" "$work/$shape"
done
for kind in identical giant-answer tiny varied; do
  "$gen" --stress "$kind" --bytes "${STRESS_BYTES:-2000000}" --out "$work/stress"
  compare "stress-$kind" "$work/stress/stress-$kind.md"
done
exit $failed
