#!/usr/bin/env bash
# The `qbank report` page in a real browser: headless Chromium renders it (DOM dump and
# screenshot), the numbers in the rendered page must equal `qbank check --format json`, and the
# page must load nothing from anywhere. Artifacts: $ARTIFACTS/report.{html,png,dom.html}.
# Usage: scripts/test-report.sh [QBANK_BIN]   (default: $QBANK_BIN, else the debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="$(bash scripts/target-dir.sh)"
qbank="${1:-${QBANK_BIN:-$target_dir/debug/qbank}}"
test -x "$qbank" || { echo "error: $qbank is not built (cargo build -p qbank)" >&2; exit 1; }
command -v chromium >/dev/null || { echo "error: chromium is required (scripts/setup.sh installs it)" >&2; exit 1; }
artifacts="${ARTIFACTS:-$target_dir/test-artifacts}"
mkdir -p "$artifacts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

chrome() {
    # A fresh profile each run; no network, no background services.
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile-$RANDOM" "$@" 2>"$work/chromium.log"
}

# 1. The shipped corpus plus a bank with findings and a duplicate, so every section has content.
mkdir -p "$work/banks"
cp corpus/*.md "$work/banks/"
cp tests/fixtures/seeds/000_*.txt "$work/banks/seed-000.md"
cat > "$work/banks/findings.md" <<'BANK'
---
id: report-findings
---

# Findings <&> "quotes"

### 1. How do you roll back a release?
<!-- id: report-roll-back -->

**Answer:**

Redeploy the previous version.

```python
for i in range(5)
    print(i)
```

### 3. What is a canary release?

**Answer:**

A small slice of traffic first.

**TL;DR:** Small slice first.
BANK

(cd "$work" && "$qbank" check --format json banks > check.json) || true
(cd "$work" && "$qbank" report banks -o report.html)
# A baseline of half the run, so new and baselined findings both show.
(cd "$work" && "$qbank" check --write-baseline baseline.json banks/findings.md)
(cd "$work" && "$qbank" check --format json --baseline baseline.json banks > check-baseline.json) || true
(cd "$work" && "$qbank" report banks --baseline baseline.json -o report-baseline.html)

# 2. Render in Chromium: the DOM after parsing, and a screenshot.
chrome --dump-dom "file://$work/report.html" > "$work/report.dom.html"
chrome --dump-dom "file://$work/report-baseline.html" > "$work/report-baseline.dom.html"
chrome --screenshot="$artifacts/report.png" --window-size=1280,2000 --hide-scrollbars "file://$work/report.html" >/dev/null
cp "$work/report.html" "$work/report.dom.html" "$artifacts/"

# 3. The numbers in the rendered page equal the check's, and nothing is fetched.
python3 scripts/check-report-dom.py "$work/report.html" "$work/report.dom.html" "$work/check.json"
python3 scripts/check-report-dom.py "$work/report-baseline.html" "$work/report-baseline.dom.html" "$work/check-baseline.json" --baseline
python3 - "$artifacts/report.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (1280, 2000), (width, height)
assert len(data) > 20_000, f"the screenshot is suspiciously small ({len(data)} bytes): blank page?"
print(f"screenshot: {sys.argv[1]} ({width}x{height}, {len(data)} bytes)")
PY
echo "report page: rendered, numbers match qbank check, screenshot in $artifacts/report.png"
