//! Hostile input: NUL bytes, 10,000-deep nesting, unterminated fences, symlink loops, an empty
//! workspace. Each gives a clear error or correct handling; none panics or hangs.

mod common;

use common::{qbank, text};

use std::process::Output;
use std::time::{Duration, Instant};

fn no_panic(out: &Output) {
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
    assert!(out.status.code().is_some_and(|c| c <= 2), "exit {:?}: {}", out.status, text(&out.stderr));
}

#[test]
fn nul_bytes_are_text_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("nul.md"), "### 1. What is\0 CI?\n\n**Answer:**\n\nMerging\0 often.\n").unwrap();
    for args in [&["check", "nul.md"][..], &["fmt", "--check", "nul.md"], &["export", "nul.md"]] {
        let out = qbank(args, tmp.path());
        no_panic(&out);
    }
    let export = qbank(&["export", "nul.md"], tmp.path());
    let bank: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(bank["sections"][0]["questions"].as_array().unwrap().len(), 1);
}

#[test]
fn ten_thousand_deep_lists_and_quotes_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bank = String::from("### 1. How deep can it go?\n\n**Answer:**\n\n");
    // `- - - … item` nests 10,000 lists on one line (indenting each level would make the file
    // quadratic in size).
    bank.push_str(&"- ".repeat(10_000));
    bank.push_str("item\n\n");
    bank.push_str(&">".repeat(10_000));
    bank.push_str(" quote\n\n**TL;DR:** Deep.\n");
    std::fs::write(tmp.path().join("deep.md"), &bank).unwrap();
    let start = Instant::now();
    let out = qbank(&["check", "--format", "json", "deep.md"], tmp.path());
    no_panic(&out);
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["bank_id"], "deep");
    let fmt = qbank(&["fmt", "deep.md"], tmp.path());
    no_panic(&fmt);
    let again = qbank(&["fmt", "--check", "deep.md"], tmp.path());
    assert_eq!(again.status.code(), Some(0), "fmt is idempotent on deep nesting");
}

#[test]
fn an_unterminated_fence_is_reported_not_swallowed_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = "### 1. Roll back?\n<!-- id: roll -->\n\n**Answer:**\n\nRedeploy.\n\n**Example (Bash):**\n\n```bash\nkubectl rollout undo deployment/web\n\n### 2. Next?\n\nMore.\n";
    std::fs::write(tmp.path().join("fence.md"), bank).unwrap();
    let out = qbank(&["check", "--format", "json", "fence.md"], tmp.path());
    no_panic(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> =
        report["files"][0]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"QB204"), "{codes:?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_naming_the_loop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("banks");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.md"), "### 1. Q?\n\nA.\n").unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("self")).unwrap();
    let start = Instant::now();
    let out = qbank(&["check", "banks"], tmp.path());
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("loop"), "{}", text(&out.stderr));
}

#[test]
fn an_empty_workspace_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = qbank(&["check", "."], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no Markdown (*.md) files in this directory"), "{}", text(&out.stderr));
}
