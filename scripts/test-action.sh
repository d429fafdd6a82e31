#!/usr/bin/env bash
# Test of the GitHub Action (action.yml): runs its steps as a script, with the environment
# GitHub's runner sets (GITHUB_ACTIONS, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
# GITHUB_PATH, GITHUB_ACTION_PATH, RUNNER_TEMP, the inputs through each step's env), through
# scripts/action/run-local.py, on a scratch workspace holding a bad bank, and checks:
#   - one `::error|::warning file=…,line=…,col=…::` annotation per finding, at the positions
#     `qbank check --format json` reports (columns in characters: the bank has non-ASCII text);
#   - the SARIF file (sarif-file input): SARIF 2.1.0, the same findings, the step outputs;
#   - the exit-code rule: warnings alone exit 0, unless `fail-on: warning`; a clean run exits 0.
# qbank is installed from the wheel (scripts/build-wheel.sh, QBANK_WHEEL_PROFILE, default dev
# here) into $RUNNER_TEMP, as the action's install step does; PyYAML (to read action.yml)
# comes from PyPI into .tools/action.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fail() { echo "test-action: FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is required"

tools="$root/.tools/action"
if ! "$tools/bin/python" -c 'import yaml' 2>/dev/null; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check "pyyaml==6.0.3"
fi
export QBANK_WHEEL_PROFILE="${QBANK_WHEEL_PROFILE:-dev}"
wheel="$(bash scripts/build-wheel.sh)"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
workspace="$scratch/workspace"
mkdir -p "$workspace/banks"
# Warnings (heading levels, no ids, a missing TL;DR, mojibake after non-ASCII text) and one
# error (question 3 repeats question 1).
cat > "$workspace/banks/bad.md" <<'BANK'
# Café questions

## 1. What does “idempotent” mean?

An operation you can repeat with the same result.

**TL;DR:** Repeating it changes nothing.

## 2. Why isnâ€™t this clean?

Because of mojibake.

## 3. What does “idempotent” mean?

The same question again.

**TL;DR:** A duplicate.
BANK
# Warnings only: the first two questions.
head -n 11 "$workspace/banks/bad.md" > "$workspace/banks/warnings.md"
cp corpus/devops-fundamentals.md "$workspace/banks/good.md"

# One run of the action: run_action NAME INPUT=VALUE…; leaves $run/{stdout,output,summary}
# and the exit code in $code.
run_action() {
    run="$scratch/$1"; shift
    mkdir -p "$run/temp"
    : > "$run/output"; : > "$run/summary"; : > "$run/path"; : > "$run/env"
    set +e
    env -i HOME="$HOME" PATH="/usr/local/bin:/usr/bin:/bin:$(dirname "$(command -v python3)")" LANG=C.UTF-8 \
        CI=true GITHUB_ACTIONS=true RUNNER_OS=Linux RUNNER_TEMP="$run/temp" \
        GITHUB_WORKSPACE="$workspace" GITHUB_ACTION_PATH="$root" GITHUB_OUTPUT="$run/output" \
        GITHUB_STEP_SUMMARY="$run/summary" GITHUB_PATH="$run/path" GITHUB_ENV="$run/env" \
        PIP_NO_INDEX=1 \
        "$tools/bin/python" scripts/action/run-local.py action.yml "$@" > "$run/stdout"
    code=$?
    set -e
    echo "test-action: $(basename "$run"): exit $code" >&2
}

# 1. The bad bank, from the wheel, with SARIF: exit 1 (the duplicate is an error).
run_action bad wheel="$wheel" paths="banks/bad.md" sarif-file="reports/qbank.sarif"
[[ $code -eq 1 ]] || { cat "$run/stdout"; fail "bad bank: exit $code, want 1"; }
grep -qx "exit-code=1" "$run/output" || fail "no exit-code=1 in GITHUB_OUTPUT: $(cat "$run/output")"
grep -qx "sarif-file=reports/qbank.sarif" "$run/output" || fail "no sarif-file output: $(cat "$run/output")"
summary_is() { # the job summary counts what the annotations hold
    local errors warnings
    errors="$(grep -c '^::error ' "$run/stdout" || true)"
    warnings="$(grep -c '^::warning ' "$run/stdout" || true)"
    grep -q "^$errors error(s), $warnings warning(s), 0 notice(s); exit code $1.$" "$run/summary" ||
        fail "summary $(cat "$run/summary") does not count $errors errors and $warnings warnings, exit $1"
}
summary_is 1
qbank="$(head -n 1 "$scratch/bad/path")/qbank"
[[ "$qbank" == "$scratch/bad/temp/qbank-venv/bin/qbank" ]] || fail "the install step put $qbank on PATH"
(cd "$workspace" && "$qbank" check --format json banks/bad.md > "$scratch/bad.json") || true
python3 - "$run/stdout" "$scratch/bad.json" "$workspace/reports/qbank.sarif" <<'PY'
import json, re, sys
stdout, truth, sarif_path = sys.argv[1:]
lines = [l for l in open(stdout, encoding="utf-8").read().splitlines() if l.startswith("::")]
pattern = re.compile(r"::(error|warning|notice) file=([^,]+),line=(\d+),endLine=\d+,col=(\d+),endColumn=\d+,title=(QB\d+) [a-z-]+::.+")
got = []
for line in lines:
    m = pattern.fullmatch(line)
    assert m, f"not an annotation: {line}"
    got.append((m[1], m[2], int(m[3]), int(m[4]), m[5]))
level = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}
want = [(level[d["severity"]], f["path"], d["range"]["start"]["line"], d["range"]["start"]["column"], d["code"])
        for f in json.load(open(truth))["files"] for d in f["diagnostics"]]
assert sorted(got) == sorted(want), f"annotations {got}\n!= check --format json {want}"
# Known findings, by hand: the mojibake at line 9 after 13 characters (`## 2. Why isn`), the
# duplicate at question 3's text (column 7, in characters).
assert ("warning", "banks/bad.md", 9, 14, "QB101") in got, got
assert ("error", "banks/bad.md", 13, 7, "QB301") in got, got
log = json.load(open(sarif_path))
assert log["version"] == "2.1.0", log["version"]
results = log["runs"][0]["results"]
from_sarif = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                     r["locations"][0]["physicalLocation"]["region"]["startLine"],
                     r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results)
assert from_sarif == sorted((c, p, l, col) for _, p, l, col, c in got), f"SARIF {from_sarif} != annotations"
print(f"test-action: {len(got)} annotations match check --format json and the SARIF file")
PY

# 2. Warnings only: exit 0 by default, 1 with fail-on: warning.
run_action warnings wheel="$wheel" paths="banks/warnings.md"
[[ $code -eq 0 ]] || fail "warnings only: exit $code, want 0"
grep -q '^::warning file=banks/warnings.md,line=9,' "$run/stdout" || fail "no warning annotation: $(cat "$run/stdout")"
grep -q '^::error ' "$run/stdout" && fail "errors in warnings.md: $(cat "$run/stdout")"
summary_is 0
run_action fail-on-warning wheel="$wheel" paths="banks/warnings.md" fail-on="warning"
[[ $code -eq 1 ]] || fail "warnings with fail-on warning: exit $code, want 1"

# 3. A given binary, a clean bank, paths on separate lines: exit 0, no annotations.
run_action clean qbank-binary="$qbank" paths=$'banks/good.md\n'
[[ $code -eq 0 ]] || { cat "$run/stdout"; fail "clean bank: exit $code, want 0"; }
if grep -q '^::' "$run/stdout"; then fail "annotations on a clean bank: $(cat "$run/stdout")"; fi

# 4. A missing binary fails the install step with an annotation.
run_action missing qbank-binary="$scratch/nowhere/qbank"
[[ $code -ne 0 ]] && grep -q '^::error::qbank-binary' "$run/stdout" || fail "a missing binary: exit $code, $(cat "$run/stdout")"
echo "test-action: ok"
