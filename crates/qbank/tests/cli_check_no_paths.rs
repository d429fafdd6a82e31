//! `qbank check` with no paths checks what the `qbank.toml` nearest the current directory
//! selects (issue 15: in this repository it walked the test fixtures, 229 problems, exit 1).

mod common;

use common::{qbank, root, text};

use std::process::Output;

/// The paths of the files a JSON report covers.
fn checked_paths(output: &Output) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output.stdout)));
    json["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn no_paths_in_this_repository_checks_the_corpus_only() {
    let root = root();
    let out = qbank(&["check"], &root);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("No problems found in 4 files."), "{}", text(&out.stdout));

    // Every checked file is a corpus bank, and every corpus bank is checked.
    let out = qbank(&["check", "--format", "json"], &root);
    let mut paths = checked_paths(&out);
    paths.sort();
    let mut corpus: Vec<String> = std::fs::read_dir(root.join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| format!("./corpus/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    corpus.sort();
    assert_eq!(paths, corpus);
}

/// A project: the root config selects `banks/**`; a broken bank sits outside it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("qbank.toml", "include = [\"banks/**\"]\n");
    let good = std::fs::read_to_string(root().join("corpus/devops-fundamentals.md")).unwrap();
    write("banks/ops/good.md", &good);
    // Question 2 repeats question 1: an error (duplicate-question), and non-ASCII text.
    let bad = "# Café\n\n### 1. Was ist „Idempotenz“?\n\n**Answer:** Gleiches Ergebnis.\n\n**TL;DR:** Wiederholbar.\n\n### 2. Was ist „Idempotenz“?\n\n**Answer:** Noch einmal.\n\n**TL;DR:** Doppelt.\n";
    write("fixtures/bad.md", bad);
    write("banks/ops/nested/qbank.toml", "fail-on = \"warning\"\n");
    write("banks/ops/nested/bad.md", bad);
    dir
}

#[test]
fn no_paths_keeps_only_what_the_nearest_config_selects() {
    let dir = project();
    // From the root: banks/** only, the nested bank under its own config; fixtures/ skipped.
    let out = qbank(&["check", "--format", "json"], dir.path());
    let mut paths = checked_paths(&out);
    paths.sort();
    assert_eq!(paths, ["./banks/ops/good.md", "./banks/ops/nested/bad.md"], "{}", text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "the nested bank's duplicate fails the run");

    // From a folder below the root, the root config still decides (its globs are relative to it).
    let out = qbank(&["check", "--format", "json"], &dir.path().join("banks/ops"));
    let mut paths = checked_paths(&out);
    paths.sort();
    assert_eq!(paths, ["./good.md", "./nested/bad.md"]);

    // A file named explicitly is checked whatever the include set says.
    let out = qbank(&["check", "--format", "json", "fixtures/bad.md"], dir.path());
    assert_eq!(checked_paths(&out), ["fixtures/bad.md"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_paths_without_a_config_walks_everything() {
    let dir = project();
    std::fs::remove_file(dir.path().join("qbank.toml")).unwrap();
    let out = qbank(&["check", "--format", "json"], dir.path());
    let mut paths = checked_paths(&out);
    paths.sort();
    assert_eq!(paths, ["./banks/ops/good.md", "./banks/ops/nested/bad.md", "./fixtures/bad.md"]);
}

#[test]
fn no_paths_with_an_explicit_config_uses_its_include_set() {
    let dir = project();
    std::fs::write(dir.path().join("only-fixtures.toml"), "include = [\"fixtures/**\"]\n").unwrap();
    let out = qbank(&["check", "--format", "json", "--config", "only-fixtures.toml"], dir.path());
    assert_eq!(checked_paths(&out), ["./fixtures/bad.md"], "{}", text(&out.stderr));
}
