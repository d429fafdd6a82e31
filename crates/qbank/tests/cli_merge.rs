//! End-to-end tests of `qbank merge`: no duplicates, no lost text, and all-or-nothing writes
//! even when the process is killed at injected points.

mod common;

use common::{check_codes, qbank, qbank_env, text};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds").canonicalize().unwrap();
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    all.sort();
    all.into_iter().filter(|p| !p.to_string_lossy().contains("002_")).map(|p| p.display().to_string()).collect()
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries {
            let p = e.unwrap().path();
            files.insert(p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap());
        }
    }
    files
}

fn merge_args<'a>(files: &'a [String], extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(extra);
    args
}

#[test]
fn near_duplicates_fail_by_default_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let files = seeds();
    let out = qbank(&merge_args(&files, &["--into", "corpus"]), tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("near duplicate(s); nothing was written"), "{err}");
    assert!(err.contains("How do you handle rollbacks in [-production?-]{+a production environment?+}"), "{err}");
    assert!(tree(&tmp.path().join("corpus")).is_empty());
}

#[test]
fn every_input_question_is_merged_or_listed_as_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let files = seeds();
    let dry = qbank(&merge_args(&files, &["--into", "corpus", "--on-duplicate", "skip", "--dry-run"]), tmp.path());
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    assert!(!tmp.path().join("corpus").exists(), "--dry-run writes nothing");

    let out = qbank(&merge_args(&files, &["--into", "corpus", "--on-duplicate", "skip"]), tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    let skipped: Vec<&str> = plan.lines().filter(|l| l.contains("— skipped;")).collect();
    // 16 + 15 + 30 + 50 questions in; each either merged or listed.
    let export = qbank(&["export", "corpus"], tmp.path());
    let banks: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let merged: Vec<String> = banks
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["sections"].as_array().unwrap().iter())
        .flat_map(|s| s["questions"].as_array().unwrap().iter())
        .map(|q| q["question"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(merged.len() + skipped.len(), 111, "{plan}");
    assert!(skipped.iter().any(|l| l.contains("How do you handle rollbacks in a production environment?")));
    // Every input question's text is somewhere: merged, or named in the plan.
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for q in qbank_core::parse(&source).bank.questions() {
            let question = q.question.as_str();
            assert!(merged.iter().any(|m| m == question) || plan.contains(question), "lost: {question}");
        }
    }
    // The merged corpus has no duplicates left, and merging the same banks again adds nothing.
    let dedup = qbank(&["dedup", "corpus"], tmp.path());
    assert!(text(&dedup.stdout).contains("0 exact and 0 near duplicate pair(s)"), "{}", text(&dedup.stdout));
    let before = tree(&tmp.path().join("corpus"));
    let again = qbank(&merge_args(&files, &["--into", "corpus", "--on-duplicate", "skip"]), tmp.path());
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again.stdout).contains("0 question(s) added"));
    assert_eq!(tree(&tmp.path().join("corpus")), before);
}

#[test]
fn a_merge_killed_at_any_point_leaves_the_corpus_as_it_was_or_as_it_should_be() {
    let files = seeds();
    // The expected result, from an undisturbed run.
    let clean = tempfile::tempdir().unwrap();
    assert!(
        qbank(&merge_args(&files[..2], &["--into", "corpus", "--on-duplicate", "skip"]), clean.path()).status.success()
    );
    let base = tree(&clean.path().join("corpus"));
    assert!(
        qbank(&merge_args(&files[2..], &["--into", "corpus", "--on-duplicate", "skip"]), clean.path()).status.success()
    );
    let should_be = tree(&clean.path().join("corpus"));
    assert_ne!(base, should_be);

    for (point, finished) in [
        ("transaction:staged-tree", false),
        ("transaction:staged-file", false),
        ("transaction:before-swap", false),
        ("transaction:after-swap", true),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        assert!(
            qbank(&merge_args(&files[..2], &["--into", "corpus", "--on-duplicate", "skip"]), tmp.path())
                .status
                .success()
        );
        assert_eq!(tree(&tmp.path().join("corpus")), base);
        let killed = qbank_env(
            &merge_args(&files[2..], &["--into", "corpus", "--on-duplicate", "skip"]),
            tmp.path(),
            Some(point),
        );
        assert!(
            !killed.status.success() && killed.status.code().is_none(),
            "{point}: the process must die at the failpoint"
        );
        let now = tree(&tmp.path().join("corpus"));
        if finished {
            assert_eq!(now, should_be, "{point}");
        } else {
            assert_eq!(now, base, "{point}: the corpus must be as it was");
        }
        // The next run cleans up what the killed one left beside the corpus.
        let next = qbank(&["merge", &files[0], "--into", "corpus", "--on-duplicate", "skip"], tmp.path());
        assert!(next.status.success(), "{}", text(&next.stderr));
        let siblings: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(siblings, ["corpus"], "{point}");
    }
}

#[test]
fn the_shipped_corpus_already_holds_every_seed_question() {
    // Rebuilding corpus/ from the seeds: every seed question is either in the corpus already
    // (exact duplicate, or near duplicate differing only by the mojibake the corpus fixed and
    // the one rollback question merged into its twin), so the merge adds nothing.
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(common::root().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    let before = tree(&corpus);
    let files = seeds();
    let out = qbank(&merge_args(&files, &["--into", "corpus", "--on-duplicate", "skip"]), tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan = text(&out.stdout);
    assert_eq!(plan.lines().filter(|l| l.contains(" 0 question(s) added")).count(), 4, "{plan}");
    assert_eq!(plan.lines().filter(|l| l.contains("— skipped;")).count(), 111, "{plan}");
    let near: Vec<&str> = plan.lines().filter(|l| l.contains("skipped; near duplicate")).collect();
    assert_eq!(near.len(), 6, "{near:#?}");
    assert_eq!(tree(&corpus), before);
}

const CORPUS_OPS: &str = "---\nid: ops\n---\n\n# Operations\n\n### 1. How do you roll back a release?\n<!-- id: roll-back -->\n\n**Answer:**\n\nRedeploy the previous version and check the health endpoints.\n\n**TL;DR:** Redeploy the previous version.\n";

/// A new `ops` bank: question 1 repeats the corpus, question 2 says nothing new either, and
/// question 3 is new but has a Python example missing its `:`.
const NEW_OPS: &str = "---\nid: ops\n---\n\n# Operations\n\n### 1. How do you roll back a release?\n<!-- id: roll-back-again -->\n\n**Answer:**\n\nRedeploy the previous version and check the health endpoints.\n\n**TL;DR:** Redeploy the previous version.\n\n### 2. How do you roll back a release?\n<!-- id: roll-back-twice -->\n\n**Answer:**\n\nRedeploy the previous version and check the health endpoints.\n\n**TL;DR:** Redeploy the previous version.\n\n### 3. How do you retry a flaky call five times?\n<!-- id: retry-five-times -->\n\n**Answer:**\n\nLoop and stop at the first success.\n\n```python\nfor attempt in range(5)\n    if call():\n        break\n```\n\n**TL;DR:** Loop until it works, at most five times.\n";

fn ops_corpus() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("corpus")).unwrap();
    std::fs::write(tmp.path().join("corpus/ops.md"), CORPUS_OPS).unwrap();
    std::fs::write(tmp.path().join("new.md"), NEW_OPS).unwrap();
    tmp
}

#[test]
fn merge_reports_findings_in_the_banks_it_writes_and_numbers_appended_questions_in_sequence() {
    let tmp = ops_corpus();
    let out = qbank(&["merge", "new.md", "--into", "corpus", "--on-duplicate", "skip"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("1 question(s) added, 2 skipped"), "{stdout}");
    // The broken example is reported in the merged bank (where `check` finds it afterwards).
    let merged = std::fs::read_to_string(tmp.path().join("corpus/ops.md")).unwrap();
    assert!(stdout.contains("[QB205]"), "{stdout}");
    let reported_line: u64 = stdout
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> corpus/ops.md:"))
        .and_then(|rest| rest.split(':').next())
        .and_then(|line| line.parse().ok())
        .unwrap_or_else(|| panic!("no location in {stdout}"));
    // On the `for` line, where Python itself stops ("expected ':'"), not on the line after.
    let for_line = merged.lines().position(|l| l.starts_with("for attempt in range(5)")).unwrap() as u64 + 1;
    assert_eq!(reported_line, for_line, "{stdout}");
    assert!(stdout.contains("expected `:`"), "{stdout}");
    // The appended question is number 2 of 2, not 3.
    let headings: Vec<&str> = merged.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(
        headings,
        ["### 1. How do you roll back a release?", "### 2. How do you retry a flaky call five times?"],
        "{merged}"
    );
    // What merge reported is what check finds afterwards.
    let check = qbank(&["check", "--format", "json", "corpus"], tmp.path());
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let codes: Vec<&str> =
        report["files"][0]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["QB205"], "{report:#}");
    assert_eq!(report["files"][0]["diagnostics"][0]["range"]["start"]["line"], reported_line);
}

#[test]
fn merge_fail_on_writes_nothing_when_the_merged_banks_have_findings() {
    let tmp = ops_corpus();
    let before = tree(&tmp.path().join("corpus"));
    let out =
        qbank(&["merge", "new.md", "--into", "corpus", "--on-duplicate", "skip", "--fail-on", "warning"], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("1 finding(s) at or above `warning` (--fail-on); nothing was written"), "{err}");
    assert!(text(&out.stdout).contains("[QB205]"));
    assert_eq!(tree(&tmp.path().join("corpus")), before, "a failed merge leaves the corpus untouched");
    assert_eq!(std::fs::read_to_string(tmp.path().join("new.md")).unwrap(), NEW_OPS, "and its inputs");

    // Without the broken example the same merge goes through.
    let fixed = NEW_OPS.replace("range(5)\n", "range(5):\n");
    std::fs::write(tmp.path().join("new.md"), &fixed).unwrap();
    let out =
        qbank(&["merge", "new.md", "--into", "corpus", "--on-duplicate", "skip", "--fail-on", "warning"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("No problems found in 1 file."), "{}", text(&out.stdout));
    assert_ne!(tree(&tmp.path().join("corpus")), before);
}

#[test]
fn a_new_bank_whose_first_questions_are_skipped_starts_at_one() {
    let tmp = ops_corpus();
    // Same questions under a new bank id: questions 1 and 2 duplicate the corpus, 3 is kept.
    std::fs::write(
        tmp.path().join("new.md"),
        NEW_OPS.replace("id: ops", "id: ops-two").replace("range(5)\n", "range(5):\n"),
    )
    .unwrap();
    let out = qbank(&["merge", "new.md", "--into", "corpus", "--on-duplicate", "skip"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let merged = std::fs::read_to_string(tmp.path().join("corpus/ops-two.md")).unwrap();
    let headings: Vec<&str> = merged.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(headings, ["### 1. How do you retry a flaky call five times?"], "{merged}");
}

/// A new `ops` bank whose questions link to each other, to the corpus bank it joins (by its
/// path from here) and, in its section intro and TL;DR, to itself by file name. Its question 2
/// has the id the corpus's question already uses.
const LINKED_OPS: &str = "---\nid: ops\n---\n\n# Operations\n\n## Releases\n\nStart with [the canary](#canary) — `[not a link](#canary)`.\n\n### 1. How do you ship a canary?\n<!-- id: canary -->\n\n**Answer:**\n\nSend a slice of traffic; if it fails, [roll it back](#roll-back) (or [the corpus way](corpus/ops.md#roll-back)).\n\n**TL;DR:** Send a slice of traffic, then [roll back](incoming.md#roll-back) if needed.\n\n### 2. How do you undo a deployment to production safely?\n<!-- id: roll-back -->\n\n**Answer:**\n\nUse the deployment tool's undo and watch the errors; ship a [canary](#canary) first next time.\n\n**TL;DR:** Undo, then watch.\n\n### 3. What is a feature flag?\n<!-- id: flag -->\n\n**Answer:**\n\nA switch in the code; pairs with [undo](#roll-back) and [the rollback](incoming.md#roll-back).\n\n**TL;DR:** A switch.\n";

/// The same bank with, before question 3, an exact duplicate of the corpus's question under
/// another id, which question 3 links to.
fn linked_ops_with_duplicate() -> String {
    LINKED_OPS.replace(
        "### 3. What is a feature flag?",
        "### 3. How do you roll back a release?\n<!-- id: old-roll-back -->\n\n**Answer:**\n\nRedeploy the previous version and check the health endpoints.\n\n**TL;DR:** Redeploy the previous version.\n\n### 4. What is a feature flag?",
    )
    .replace("pairs with [undo](#roll-back)", "pairs with [the plain one](#old-roll-back), [undo](#roll-back)")
}

/// `text` with every question link's target replaced by `…`: what must not change.
fn without_link_targets(text: &str) -> String {
    let mut out = String::new();
    let mut copied = 0;
    for link in qbank_lint::links::question_links(text) {
        out.push_str(&text[copied..link.target.start]);
        out.push('…');
        copied = link.target.end;
    }
    out + &text[copied..]
}

/// Each question of `bank` as (question, id, answer, TL;DR).
fn questions(bank: &str) -> Vec<(String, String, String, String)> {
    qbank_core::parse(bank)
        .bank
        .questions()
        .map(|q| (q.question.clone(), q.id.clone(), q.answer.clone(), q.tldr.clone().unwrap_or_default()))
        .collect()
}

/// Merges `incoming` as `incoming.md` into the ops corpus (a README links to it), checks that
/// `qbank check` finds nothing in the result (no broken link, no repeated id) and that only
/// link targets changed; returns merge's output and the merged bank.
fn merge_linked(incoming: &str) -> (String, String) {
    let tmp = ops_corpus();
    std::fs::write(tmp.path().join("incoming.md"), incoming).unwrap();
    std::fs::write(tmp.path().join("README.md"), "# Notes\n\nSee [the canary](incoming.md#canary).\n").unwrap();
    let out = qbank(&["merge", "incoming.md", "--into", "corpus", "--on-duplicate", "skip"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    let merged = std::fs::read_to_string(tmp.path().join("corpus/ops.md")).unwrap();

    let codes = check_codes("corpus", tmp.path());
    assert_eq!(codes, Vec::<String>::new(), "every link resolves and no id repeats:\n{merged}");

    // Every byte but link targets is as written: link texts, the section intro, code spans.
    assert!(
        merged.contains("\n## Releases\n\nStart with [the canary](#canary) — `[not a link](#canary)`.\n"),
        "{merged}"
    );
    let before = questions(incoming);
    let after = questions(&merged);
    for (question, _, answer, tldr) in &before {
        let Some((_, _, merged_answer, merged_tldr)) = after.iter().find(|q| &q.0 == question) else { continue };
        assert_eq!(without_link_targets(merged_answer), without_link_targets(answer), "{question}");
        assert_eq!(without_link_targets(merged_tldr), without_link_targets(tldr), "{question}");
    }
    // The README still links to the input file, which merge leaves in place: it is named.
    assert!(
        stdout.contains("note: 1 link(s) to incoming.md left as they are (merge leaves that file in place; its questions are now in corpus/ops.md): README.md:3"),
        "{stdout}"
    );
    (stdout, merged)
}

/// The link targets of `text`, in order.
fn targets(text: &str) -> Vec<&str> {
    qbank_lint::links::question_links(text).iter().map(|l| &text[l.target.start..l.target.end]).collect()
}

#[test]
fn merge_renames_a_taken_id_and_rewrites_the_links_to_it_and_to_the_bank_it_joins() {
    let (stdout, merged) = merge_linked(LINKED_OPS);
    assert!(
        stdout.contains(
            "2. How do you undo a deployment to production safely? — id `roll-back` is taken in corpus/ops.md; now `roll-back-2`"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("5 link(s) rewritten"), "{stdout}");
    let ids: Vec<String> = questions(&merged).into_iter().map(|q| q.1).collect();
    assert_eq!(ids, ["roll-back", "canary", "roll-back-2", "flag"]);
    assert_eq!(
        targets(&merged),
        [
            "#canary",      // intro: the same question, in the same file now
            "#roll-back-2", // the renamed question
            "#roll-back",   // the corpus's own question, in this file now
            "#roll-back-2", // incoming.md#roll-back: this file now
            "#canary",
            "#roll-back-2",
            "#roll-back-2",
        ],
        "{merged}"
    );
}

#[test]
fn merge_points_links_to_a_skipped_duplicate_at_the_question_it_duplicates() {
    let (stdout, merged) = merge_linked(&linked_ops_with_duplicate());
    assert!(stdout.contains("3 question(s) added, 1 skipped"), "{stdout}");
    assert!(
        stdout.contains("3. How do you roll back a release? — skipped; exact duplicate of ops/roll-back"),
        "{stdout}"
    );
    let flag = merged.split("What is a feature flag?").nth(1).unwrap();
    assert_eq!(targets(flag), ["#roll-back", "#roll-back-2", "#roll-back-2"], "{merged}");
    assert!(flag.contains("pairs with [the plain one](#roll-back), [undo](#roll-back-2)"), "{flag}");
}

/// A second corpus bank whose file name needs percent-encoding in a link.
const OLD_NOTES: &str = "---\nid: old-notes\n---\n\n# Old notes\n\n### 1. What is a runbook?\n<!-- id: runbook -->\n\n**Answer:**\n\nA written procedure for an operational task.\n\n**TL;DR:** A written procedure.\n";

/// Two inputs of one merge, linking to each other and to the corpus: the first joins `ops` and
/// has its `roll-back` renamed; the second is a new bank that repeats that question (skipped)
/// and links to both.
const DRAFT: &str = "---\nid: ops\n---\n\n# Operations\n\n### 1. How do you ship a canary?\n<!-- id: canary -->\n\n**Answer:**\n\nSend a slice of traffic first; see [the runbooks](second%20100%25.md).\n\n**TL;DR:** A slice of traffic first.\n\n### 2. How do you undo a deployment to production safely?\n<!-- id: roll-back -->\n\n**Answer:**\n\nUse the deployment tool's undo and watch the error rate.\n\n**TL;DR:** Undo, then watch.\n";
const RUNBOOKS: &str = "---\nid: runbooks\n---\n\n# Runbooks — регламенты\n\n### 1. How do you undo a deployment to production safely?\n<!-- id: undo -->\n\n**Answer:**\n\nUse the deployment tool's undo and watch the error rate.\n\n**TL;DR:** Undo, then watch.\n\n### 2. Who owns a runbook?\n<!-- id: owner -->\n\n**Answer:**\n\nThe team on call; start from [the canary](first%20(draft).md#canary), [the undo](first%20(draft).md#roll-back), [this one's twin](#undo) and [the definition](corpus/my%20(old)%20notes.md#runbook).\n\n**TL;DR:** The team on call.\n";

#[test]
fn merge_keeps_links_between_two_inputs_valid_and_names_renamed_questions_by_their_new_id() {
    let tmp = ops_corpus();
    std::fs::write(tmp.path().join("corpus/my (old) notes.md"), OLD_NOTES).unwrap();
    std::fs::write(tmp.path().join("first (draft).md"), DRAFT).unwrap();
    std::fs::write(tmp.path().join("second 100%.md"), RUNBOOKS).unwrap();
    let out = qbank(
        &["merge", "first (draft).md", "second 100%.md", "--into", "corpus", "--on-duplicate", "skip"],
        tmp.path(),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    // The skipped twin names the question it duplicates by the id it has now.
    assert!(
        stdout.contains(
            "1. How do you undo a deployment to production safely? — skipped; exact duplicate of ops/roll-back"
        ) && stdout.contains("now `roll-back-2`"),
        "{stdout}"
    );
    let ops = std::fs::read_to_string(tmp.path().join("corpus/ops.md")).unwrap();
    let runbooks = std::fs::read_to_string(tmp.path().join("corpus/runbooks.md")).unwrap();
    assert_eq!(targets(&ops), ["runbooks.md"], "{ops}");
    assert_eq!(
        targets(&runbooks),
        ["ops.md#canary", "ops.md#roll-back-2", "ops.md#roll-back-2", "my%20%28old%29%20notes.md#runbook"],
        "{runbooks}"
    );
    // Every link resolves in the merged corpus, and no id repeats.
    let codes = check_codes("corpus", tmp.path());
    assert!(!codes.iter().any(|c| c == "QB401" || c == "QB017"), "{codes:?}\n{ops}\n{runbooks}");
}
