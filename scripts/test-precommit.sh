#!/usr/bin/env bash
# Test of the pre-commit hooks (.pre-commit-hooks.yaml): pre-commit from PyPI (into
# .tools/pre-commit) runs `pre-commit try-repo THIS-CHECKOUT qbank-check|qbank-fmt --all-files`
# in a scratch git repository, so the hooks are installed the way users get them (pre-commit
# pip-installs this repository, which maturin builds into the qbank wheel), and checks:
#   - qbank-check fails on a repository with a bad bank, naming the finding, and passes on one
#     with good banks only;
#   - qbank-fmt rewrites a bank that is not canonical (pre-commit fails: files were modified),
#     then passes on the rewritten bank.
# The build is kept cheap: MATURIN_PEP517_ARGS selects QBANK_WHEEL_PROFILE (default dev here)
# and CARGO_TARGET_DIR is this checkout's target directory, so only the workspace crates of
# pre-commit's clone are compiled, against the dependencies cargo test already built.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fail() { echo "test-precommit: FAIL: $*" >&2; exit 1; }
command -v git >/dev/null || fail "git is required"
command -v python3 >/dev/null || fail "python3 is required"
command -v cargo >/dev/null || fail "cargo is required (pre-commit builds the wheel from this checkout)"

version="4.7.0"
tools="$root/.tools/pre-commit"
if [[ "$("$tools/bin/pre-commit" --version 2>/dev/null)" != "pre-commit $version" ]]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$version"
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/cache"   # a fresh hook environment: the real install
export CARGO_TARGET_DIR
CARGO_TARGET_DIR="$(bash scripts/target-dir.sh)"
export MATURIN_PEP517_ARGS="--profile ${QBANK_WHEEL_PROFILE:-dev} --strip"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com

# try_hook REPO HOOK: runs the hook on every file of REPO; sets $code and $log.
try_hook() {
    log="$scratch/$(basename "$1")-$2-$((++runs)).log"
    set +e
    (cd "$1" && "$tools/bin/pre-commit" try-repo "$root" "$2" --all-files --color never) > "$log" 2>&1
    code=$?
    set -e
    echo "test-precommit: $2 in $(basename "$1"): exit $code" >&2
}
runs=0
new_repo() {
    mkdir -p "$1/banks"
    git -C "$1" init --quiet
}

bad="$scratch/bad"
new_repo "$bad"
cp corpus/devops-fundamentals.md "$bad/banks/good.md"
# Question 2 repeats question 1 word for word: an error (duplicate-question).
cat > "$bad/banks/bad.md" <<'BANK'
# Ops questions

### 1. What is a rollback?

**Answer:** Returning to the last good release.

**TL;DR:** Undo a bad deploy.

### 2. What is a rollback?

**Answer:** The same question again.

**TL;DR:** A duplicate.
BANK
git -C "$bad" add -A && git -C "$bad" commit --quiet -m banks

started=$SECONDS
try_hook "$bad" qbank-check
echo "test-precommit: first run (hook install and build): $((SECONDS - started)) s" >&2
[[ $code -eq 1 ]] || { cat "$log"; fail "qbank-check on a bad bank: exit $code, want 1"; }
grep -q "qbank check.*Failed" "$log" || { cat "$log"; fail "pre-commit did not report the hook failed"; }
grep -q "error\[QB301\] duplicate-question" "$log" || { cat "$log"; fail "the duplicate is not reported"; }
grep -q "banks/bad.md:9:8" "$log" || { cat "$log"; fail "no file:line:column for the duplicate"; }
# The findings came from the qbank pre-commit installed (try-repo keeps its hook environment
# in a temporary store): no other qbank is on PATH.
if command -v qbank >/dev/null; then fail "qbank is on PATH ($(command -v qbank)): the hook may not be the one that ran"; fi

good="$scratch/good"
new_repo "$good"
# One corpus bank, default config (two of them alone score one near-duplicate warning).
cp corpus/devops-fundamentals.md "$good/banks/"
git -C "$good" add -A && git -C "$good" commit --quiet -m banks
try_hook "$good" qbank-check
[[ $code -eq 0 ]] || { cat "$log"; fail "qbank-check on good banks: exit $code, want 0"; }
grep -q "qbank check.*Passed" "$log" || { cat "$log"; fail "pre-commit did not report the hook passed"; }

# qbank-fmt: the not-canonical bank (level-2 headings) is rewritten, then left alone.
sed 's/^### /## /' "$bad/banks/bad.md" > "$good/banks/loose.md"
git -C "$good" add -A && git -C "$good" commit --quiet -m loose
try_hook "$good" qbank-fmt
[[ $code -eq 1 ]] || { cat "$log"; fail "qbank-fmt on a loose bank: exit $code, want 1 (files modified)"; }
grep -q "files were modified by this hook" "$log" || { cat "$log"; fail "pre-commit saw no rewrite"; }
grep -q '^### 1\. What is a rollback?' "$good/banks/loose.md" || fail "loose.md was not rewritten: $(head "$good/banks/loose.md")"
git -C "$good" diff --quiet -- banks/devops-fundamentals.md || fail "qbank-fmt changed a canonical bank"
git -C "$good" add -A && git -C "$good" commit --quiet -m fmt
try_hook "$good" qbank-fmt
[[ $code -eq 0 ]] || { cat "$log"; fail "qbank-fmt on formatted banks: exit $code, want 0"; }
echo "test-precommit: ok"
