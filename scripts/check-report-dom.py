#!/usr/bin/env python3
"""Checks a `qbank report` page against `qbank check --format json` of the same run.

Usage: check-report-dom.py PAGE.html DUMPED_DOM.html CHECK.json [--baseline]

PAGE.html is the file qbank wrote (checked for anything that would load from elsewhere);
DUMPED_DOM.html is what headless Chromium rendered from it (`--dump-dom`): every number is read
from there. Exits non-zero, naming the difference, when they disagree.
"""
import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser


class Page(HTMLParser):
    """Collects bank rows (`tr.bank` cells with `data-metric`), totals (`data-total`) and
    finding rows (`tr.finding`)."""

    def __init__(self):
        super().__init__()
        self.banks = {}
        self.totals = {}
        self.findings = Counter()
        self.tags = Counter()
        self._row = None
        self._capture = None  # (dict, key, depth)
        self._text = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        self._depth += 1
        if tag == "tr" and attrs.get("class") == "bank":
            self._row = self.banks.setdefault(attrs["data-path"], {})
        if tag == "tr" and attrs.get("class") == "finding":
            self.findings[attrs["data-status"]] += 1
        if self._capture is None:
            if "data-metric" in attrs and self._row is not None:
                self._capture = (self._row, attrs["data-metric"], self._depth)
                self._text = []
                if "data-count" in attrs:
                    self._row[attrs["data-metric"] + "-count"] = attrs["data-count"]
            elif "data-total" in attrs:
                self._capture = (self.totals, attrs["data-total"], self._depth)
                self._text = []

    def handle_endtag(self, tag):
        if self._capture is not None and self._capture[2] == self._depth:
            target, key, _ = self._capture
            target[key] = "".join(self._text).strip()
            self._capture = None
        if tag == "tr":
            self._row = None
        self._depth -= 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        if self._capture is not None:
            self._text.append(data)


def fail(message):
    print(f"check-report-dom: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    page_path, dom_path, check_path = sys.argv[1:4]
    baseline = "--baseline" in sys.argv[4:]
    raw = open(page_path, encoding="utf-8").read()
    # Self-contained: no script, no stylesheet link, no external source of any kind.
    for pattern in [r"<script", r"<link", r"<img", r"<iframe", r"@import", r"url\(", r"(src|href)\s*=\s*[\"']?(https?:)?//"]:
        if re.search(pattern, raw, re.IGNORECASE):
            fail(f"{page_path} is not self-contained: it matches {pattern!r}")
    dom = Page()
    dom.feed(open(dom_path, encoding="utf-8").read())
    if not dom.banks:
        fail(f"{dom_path}: Chromium rendered no bank rows (is the DOM dump empty?)")
    if dom.tags["svg"] == 0:
        fail(f"{dom_path}: no SVG chart was rendered")
    check = json.load(open(check_path, encoding="utf-8"))

    files = {f["path"]: f for f in check["files"] if f["bank_id"] is not None}
    if set(dom.banks) != set(files):
        fail(f"banks differ: page {sorted(dom.banks)} vs check {sorted(files)}")
    keys = {"error": "errors", "warning": "warnings", "info": "infos", "hint": "hints"}
    for path, file in files.items():
        counts = Counter(keys[d["severity"]] for d in file["diagnostics"])
        for key in keys.values():
            shown = int(dom.banks[path][key])
            if shown != counts[key]:
                fail(f"{path}: page shows {shown} {key}, check reports {counts[key]}")
        if baseline and int(dom.banks[path]["new"]) != len(file["diagnostics"]):
            fail(f"{path}: page shows {dom.banks[path]['new']} new findings, check reports {len(file['diagnostics'])}")
    summary = check["summary"]
    for key in keys.values():
        if int(dom.totals[key]) != summary[key]:
            fail(f"total {key}: page {dom.totals[key]}, check {summary[key]}")
    if int(dom.totals["banks"]) != len(files):
        fail(f"total banks: page {dom.totals['banks']}, check {len(files)}")
    new = sum(len(f["diagnostics"]) for f in files.values())
    if dom.findings["new"] != new:
        fail(f"finding rows marked new: {dom.findings['new']}, check reports {new}")
    if baseline:
        for key in ["baselined", "stale"]:
            if int(dom.totals[key]) != summary[key]:
                fail(f"total {key}: page {dom.totals[key]}, check {summary[key]}")
        if int(dom.totals["new"]) != new:
            fail(f"total new: page {dom.totals['new']}, check {new}")
        if dom.findings["baselined"] != summary["baselined"]:
            fail(f"finding rows marked baselined: {dom.findings['baselined']}, check {summary['baselined']}")
        if summary["baselined"] == 0:
            fail("the baseline run should have baselined findings")
    elif new == 0:
        fail("the run should have findings to compare")
    # Coverage counts are consistent with question counts.
    for path, row in dom.banks.items():
        questions = int(row["questions"])
        for key in ["tldr", "code"]:
            count = int(row[f"{key}-count"])
            if not 0 <= count <= questions or f"{count}/{questions}" not in row[key]:
                fail(f"{path}: {key} coverage {row[key]!r} vs {count}/{questions}")
    print(f"check-report-dom: {dom_path}: {len(files)} banks, {new} new findings match {check_path}")


if __name__ == "__main__":
    main()
