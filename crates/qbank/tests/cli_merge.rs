//! End-to-end tests of `qbank merge`: no duplicates, no lost text, and all-or-nothing writes
//! even when the process is killed at injected points.

mod common;

use common::{qbank, qbank_env, text};

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
