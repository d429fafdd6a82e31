"""Peer for `scripts/bench-dedup.sh`: datasketch MinHashLSH over the same generated questions.

Reads the canonical banks qbank-gen wrote, finds candidate duplicate pairs with MinHashLSH at
the given Jaccard threshold (word unigrams + bigrams of the lower-cased question), and prints
one JSON line: {"seconds": …, "pairs": [[id_a, id_b], …]}.
"""
import json
import re
import sys
import time
from pathlib import Path

from datasketch import MinHash, MinHashLSH

HEADING = re.compile(r"^### \d+\. (.*)$")
ID = re.compile(r"^<!-- id: ([^;]+?)(?:;.*)? -->$")


def questions(folder):
    for path in sorted(Path(folder).glob("*.md")):
        text = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = HEADING.match(line)
            if m:
                text = m.group(1)
                continue
            m = ID.match(line)
            if m and text is not None:
                yield m.group(1), text
                text = None


def shingles(text):
    words = re.findall(r"[a-z0-9]+", text.lower())
    return set(words) | {a + " " + b for a, b in zip(words, words[1:])}


def main():
    folder, threshold = sys.argv[1], float(sys.argv[2])
    items = list(questions(folder))
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = {}
    for key, text in items:
        m = MinHash(num_perm=128)
        m.update_batch([s.encode() for s in shingles(text)])
        hashes[key] = m
        lsh.insert(key, m)
    pairs = set()
    for key, m in hashes.items():
        for other in lsh.query(m):
            if other != key:
                pairs.add(tuple(sorted((key, other))))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "questions": len(items), "pairs": sorted(pairs)}))


if __name__ == "__main__":
    main()
