#!/usr/bin/env bash
# CI entry point for the VS Code extension: install (only when needed), type-check, lint,
# test, package. Exits non-zero on the first failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# node_modules/.package-lock.json is npm's record of what is installed; when it is older
# than package-lock.json (or absent), the install is missing or stale.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
fi

echo "==> compile"
npm run --silent compile

echo "==> lint"
npm run --silent lint

echo "==> test"
test_log="$(mktemp)"
trap 'rm -f "$test_log"' EXIT
npm run --silent test 2>&1 | tee "$test_log"

echo "==> package"
npm run --silent package

passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$test_log")"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$test_log")"
ls -l ./*.vsix
# Repeat the test count last, so the run ends on a result line even though packaging ran after the tests.
echo "vscode-extension: ${passed:-0} passed, ${failed:-0} failed"
