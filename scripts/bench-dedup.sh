#!/usr/bin/env bash
# Dedup benchmark: qbank vs datasketch MinHashLSH, in one run, on the same generated corpus
# with planted duplicates. Prints wall times, the speed ratio and recall on the planted pairs.
#
# Usage: scripts/bench-dedup.sh [QUESTIONS] [THRESHOLD]    (defaults: 100000, 0.5)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
threshold="${2:-0.5}"
work="target/bench/dedup-$n"

# The same virtualenv as scripts/bench.sh (the peer benchmark).
[[ -x .tools/bench/venv/bin/python ]] || python3 -m venv .tools/bench/venv
.tools/bench/venv/bin/pip install --quiet --disable-pip-version-check "datasketch==${DATASKETCH_VERSION:-1.6.5}" >&2
cargo build --release --quiet -p qbank -p qbank-gen
release="$(bash scripts/target-dir.sh)/release"
rm -rf "$work"
# Defaults above the corpus, so the repository's qbank.toml (corpus/** only) does not apply.
mkdir -p target/bench && echo "# Defaults for the generated benchmark corpora." > target/bench/qbank.toml
"$release/qbank-gen" --questions "$n" --files $(( (n + 999) / 1000 )) --out "$work" --dup-rate 0.05

start=$EPOCHREALTIME
"$release/qbank" dedup --format json "$work" > "$work.qbank.json" || true   # exit 1: exact duplicates found
qbank_s=$(python3 -c "print($EPOCHREALTIME - $start)")

start=$EPOCHREALTIME
.tools/bench/venv/bin/python scripts/bench/datasketch_dedup.py "$work" "$threshold" > "$work.datasketch.json"
ds_s=$(python3 -c "print($EPOCHREALTIME - $start)")

python3 - "$work" "$qbank_s" "$ds_s" "$threshold" <<'PY'
import json, sys
work, qbank_s, ds_s, threshold = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
truth = [l.split("\t") for l in open(f"{work}/truth.tsv").read().splitlines()[1:]]
planted = {tuple(sorted((a, b))) for _, a, b in truth}
q = json.load(open(f"{work}.qbank.json"))
found = set()
for c in q["clusters"]:
    members = [c["representative"]["id"]] + [m["id"] for m in c["duplicates"]]
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            found.add(tuple(sorted((a, b))))
d = json.load(open(f"{work}.datasketch.json"))
ds = {tuple(p) for p in d["pairs"]}
def recall(pairs): return len(planted & pairs) / max(1, len(planted))
def precision(pairs): return len(planted & pairs) / max(1, len(pairs))
print(f"questions: {q['summary']['questions']}, planted duplicate pairs: {len(planted)}")
print(f"| tool | wall time (s) | recall | pairs reported | precision vs planted |")
print(f"| --- | --- | --- | --- | --- |")
print(f"| qbank dedup (lexical) | {qbank_s:.2f} | {recall(found):.3f} | {len(found)} | {precision(found):.3f} |")
print(f"| datasketch MinHashLSH (threshold {threshold}) | {ds_s:.2f} | {recall(ds):.3f} | {len(ds)} | {precision(ds):.3f} |")
print(f"speed-up: {ds_s / qbank_s:.1f}x")
PY
