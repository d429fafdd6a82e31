#!/usr/bin/env bash
# action.yml, step 2: `qbank check --format github` in $GITHUB_WORKSPACE (annotations on the
# pull request), then, with INPUT_SARIF_FILE, the same check as SARIF into that file. Writes
# the outputs `exit-code` and `sarif-file` and a line to the job summary; exits with
# check's own code (1: findings at or above fail-on; warnings alone exit 0 unless fail-on says).
set -uo pipefail
: "${GITHUB_WORKSPACE:?not set: run inside GitHub Actions (or scripts/test-action.sh)}"
: "${GITHUB_OUTPUT:?not set}"
cd "$GITHUB_WORKSPACE" || exit 2
command -v qbank >/dev/null || { echo "::error::qbank is not on PATH (the install step failed?)"; exit 2; }

args=(check --no-progress)
[[ -n "${INPUT_FAIL_ON:-}" ]] && args+=(--fail-on "$INPUT_FAIL_ON")
read -r -d '' -a paths <<< "${INPUT_PATHS:-}"
args+=("${paths[@]}")

annotations="$(mktemp)"
trap 'rm -f "$annotations"' EXIT
qbank "${args[@]}" --format github > "$annotations"
code=$?
cat "$annotations"
echo "exit-code=$code" >> "$GITHUB_OUTPUT"

if [[ -n "${INPUT_SARIF_FILE:-}" ]]; then
    mkdir -p "$(dirname "$INPUT_SARIF_FILE")"
    qbank "${args[@]}" --format sarif > "$INPUT_SARIF_FILE"
    sarif_code=$?
    if [[ $sarif_code -ne $code ]]; then
        echo "::error::qbank check --format sarif exited $sarif_code, the annotations run $code"
        exit 2
    fi
    echo "sarif-file=$INPUT_SARIF_FILE" >> "$GITHUB_OUTPUT"
fi

errors="$(grep -c '^::error ' "$annotations")"
warnings="$(grep -c '^::warning ' "$annotations")"
notices="$(grep -c '^::notice ' "$annotations")"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    {
        echo "### qbank check"
        echo "$errors error(s), $warnings warning(s), $notices notice(s); exit code $code."
    } >> "$GITHUB_STEP_SUMMARY"
fi
exit "$code"
