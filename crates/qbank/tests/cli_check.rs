//! End-to-end tests of `qbank check` and `qbank rules`: findings on the raw seeds, exit codes,
//! output formats, fixes, baselines, configuration and bad input.

mod common;

use common::{qbank, root, seed, text};

use std::path::Path;
use std::process::Output;

/// (file name, line, code) of every finding, from the JSON output.
fn findings(output: &Output) -> Vec<(String, u64, String)> {
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output.stdout)));
    let mut all = Vec::new();
    for file in json["files"].as_array().unwrap() {
        let name = Path::new(file["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned();
        for d in file["diagnostics"].as_array().unwrap() {
            all.push((
                name.clone(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            ));
        }
    }
    all
}

fn has(all: &[(String, u64, String)], file: &str, line: u64, code: &str) -> bool {
    all.iter().any(|(f, l, c)| f.starts_with(file) && *l == line && c == code)
}

fn line_of(path: &Path, needle: &str) -> u64 {
    let content = std::fs::read_to_string(path).unwrap();
    content.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in {}", path.display()))
        as u64
        + 1
}

#[test]
fn raw_seeds_show_the_problems_that_matter() {
    let seeds: Vec<String> =
        ["000", "001", "002", "003", "004"].iter().map(|p| seed(p).display().to_string()).collect();
    let mut args = vec!["check", "--format", "json"];
    args.extend(seeds.iter().map(String::as_str));
    let out = qbank(&args, &root());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let all = findings(&out);
    // Mojibake in 003 and 004, on the lines where it stands.
    assert!(has(&all, "003", line_of(&seed("003"), "isnâ€™t"), "QB101"), "{all:?}");
    for needle in ["### 18. Youâ€™ve", "### 20. Youâ€™re", "### 24. Youâ€™ve"] {
        assert!(has(&all, "004", line_of(&seed("004"), needle), "QB101"), "{needle}");
    }
    // The paywall page.
    for needle in ["Unlock Full Question Bank", "Sign in to Continue"] {
        assert!(has(&all, "002", line_of(&seed("002"), needle), "QB106"), "{needle}");
    }
    assert!(has(&all, "002", 1, "QB001"));
    // The doubled space in 000's question 11.
    assert!(has(&all, "000", line_of(&seed("000"), "## 11.  What"), "QB103"));
    // Missing TL;DRs: every question of 000 (16), 001 (15) and 004 (50); none in 003.
    let tldr = |f: &str| all.iter().filter(|(file, _, c)| file.starts_with(f) && c == "QB012").count();
    assert_eq!((tldr("000"), tldr("001"), tldr("003"), tldr("004")), (16, 15, 0, 50));
    // No false syntax errors in the seeds' 25 code blocks.
    assert!(
        !all.iter().any(|(_, _, c)| c == "QB205"),
        "{:?}",
        all.iter().filter(|(_, _, c)| c == "QB205").collect::<Vec<_>>()
    );
}

#[test]
fn the_shipped_corpus_is_clean() {
    let out = qbank(&["check", "corpus"], &root());
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("No problems found in 4 files."), "{}", text(&out.stdout));
}

#[test]
fn fix_applies_safe_fixes_atomically_and_a_second_fix_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank.md");
    std::fs::copy(seed("004"), &bank).unwrap();
    let diff = qbank(&["check", "--diff", "bank.md"], tmp.path());
    assert_eq!(diff.status.code(), Some(1));
    assert!(text(&diff.stdout).contains("-### 18. Youâ€™ve rolled out"), "{}", text(&diff.stdout));
    // Mojibake re-decoded, and the restarted numbering continued (18 → 43) in the same diff.
    assert!(text(&diff.stdout).contains("+### 43. You’ve rolled out"), "{}", text(&diff.stdout));
    assert_eq!(std::fs::read(&bank).unwrap(), std::fs::read(seed("004")).unwrap(), "--diff writes nothing");

    let fix = qbank(&["check", "--fix", "--format", "json", "bank.md"], tmp.path());
    let after = findings(&fix);
    for code in ["QB101", "QB010", "QB016", "QB018"] {
        assert!(!after.iter().any(|(_, _, c)| c == code), "{code} left after --fix: {after:?}");
    }
    assert!(after.iter().any(|(_, _, c)| c == "QB012"), "unfixable findings are still reported");
    let once = std::fs::read_to_string(&bank).unwrap();
    assert!(once.contains("### 43. You’ve rolled out"));
    let again = qbank(&["check", "--fix", "bank.md"], tmp.path());
    assert_eq!(std::fs::read_to_string(&bank).unwrap(), once, "a second --fix changes nothing");
    assert!(!text(&again.stderr).contains("fixed bank.md"));
    // The fixed file is canonical enough that fmt keeps every question.
    assert!(qbank(&["fmt", "--check", "bank.md"], tmp.path()).status.code().is_some());
}

#[test]
fn fail_on_and_config_control_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("b.md"),
        "---\nid: b\n---\n\n# B\n\n### 1. What is CI?\n<!-- id: ci -->\n\n**Answer:**\n\nMerging often.\n",
    )
    .unwrap();
    // Only a warning (missing TL;DR): exit 0 by default, 1 with --fail-on warning.
    assert_eq!(qbank(&["check", "b.md"], dir).status.code(), Some(0));
    assert_eq!(qbank(&["check", "--fail-on", "warning", "b.md"], dir).status.code(), Some(1));
    std::fs::write(dir.join("qbank.toml"), "fail-on = \"warning\"\n[rules]\nmissing-tldr = \"error\"\n").unwrap();
    let out = qbank(&["check", "--format", "json", "b.md"], dir);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["diagnostics"][0]["severity"], "error");
    std::fs::write(dir.join("qbank.toml"), "[rules]\nQB012 = \"off\"\n").unwrap();
    let out = qbank(&["check", "--fail-on", "hint", "b.md"], dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // A broken config: exit 2 naming the file and line.
    std::fs::write(dir.join("qbank.toml"), "[rules]\nQB012 = \"off\"\nmising-tldr = \"error\"\n").unwrap();
    let out = qbank(&["check", "b.md"], dir);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("qbank.toml:3:") && err.contains("missing-tldr"), "{err}");
}

#[test]
fn baseline_reports_only_new_findings_even_after_renumbering() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let bank = "---\nid: b\n---\n\n# B\n\n### 1. What is CI?\n<!-- id: ci -->\n\n**Answer:**\n\nMerging often.\n";
    std::fs::write(dir.join("b.md"), bank).unwrap();
    let write = qbank(&["check", "--write-baseline", "base.json", "b.md"], dir);
    assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
    // Renumber and add a new question without a TL;DR: only the new one is reported.
    let edited = bank.replace("### 1. What is CI?", "### 2. What is CI?")
        + "\n### 3. What is CD?\n<!-- id: cd -->\n\n**Answer:**\n\nReleasing often.\n";
    std::fs::write(dir.join("b.md"), edited).unwrap();
    let out = qbank(&["check", "--baseline", "base.json", "--format", "json", "b.md"], dir);
    let all = findings(&out);
    let tldrs: Vec<_> = all.iter().filter(|(_, _, c)| c == "QB012").collect();
    assert_eq!(tldrs.len(), 1, "{all:?}");
    assert_eq!(tldrs[0].1, 14, "the new question's heading");
}

#[test]
fn output_formats() {
    let root = root();
    let seed3 = seed("003").display().to_string();
    let sarif = qbank(&["check", "--format", "sarif", &seed3], &root);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["runs"][0]["results"].as_array().unwrap().iter().any(|r| r["ruleId"] == "QB101"));
    let github = qbank(&["check", "--format", "github", &seed3], &root);
    assert!(
        text(&github.stdout).lines().any(|l| l.starts_with("::warning file=") && l.contains("title=QB101 mojibake"))
    );
    let human = qbank(&["check", "--statistics", &seed3], &root);
    let out = text(&human.stdout);
    assert!(out.contains("warning[QB101] mojibake"), "{out}");
    assert!(!out.contains("\u{1b}["), "no colour when not a terminal");
    assert!(
        out.lines().any(|l| l.contains("QB101") && l.contains("mojibake") && l.trim_start().starts_with('1')),
        "{out}"
    );
}

#[test]
fn rules_lists_and_explains() {
    let out = qbank(&["rules"], &root());
    assert!(text(&out.stdout).contains("QB101  mojibake"));
    let one = qbank(&["rules", "missing-tldr"], &root());
    assert!(text(&one.stdout).contains("# QB012 missing-tldr") && text(&one.stdout).contains("## Why is this bad?"));
    let bad = qbank(&["rules", "QB999"], &root());
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bad.md"), b"### 1. Q?\n\n\xc3\x28 answer\n").unwrap();
    let out = qbank(&["check", "bad.md"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.md: invalid UTF-8 at byte 11 (line 3, column 1)"), "{}", text(&out.stderr));
    let missing = qbank(&["check", "nope.md"], tmp.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("nope.md: no such file or directory"));
}

const TWO_WITHOUT_TLDR: &str = "---\nid: b\n---\n\n# B\n\n### 1. What is CI?\n<!-- id: ci -->\n\n**Answer:**\n\nMerging often.\n\n### 2. What is CD?\n<!-- id: cd -->\n\n**Answer:**\n\nReleasing often.\n";

#[test]
fn stale_baseline_entries_are_reported_and_update_baseline_drops_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("b.md"), TWO_WITHOUT_TLDR).unwrap();
    assert!(qbank(&["check", "--write-baseline", "base.json", "b.md"], dir).status.success());
    let written = std::fs::read_to_string(dir.join("base.json")).unwrap();
    assert_eq!(written.matches("\"QB012\"").count(), 2, "{written}");

    // `ci` gets its TL;DR: its entry is stale.
    let fixed = TWO_WITHOUT_TLDR.replace("Merging often.\n", "Merging often.\n\n**TL;DR:** Merge often.\n");
    std::fs::write(dir.join("b.md"), &fixed).unwrap();
    let human = qbank(&["check", "--baseline", "base.json", "b.md"], dir);
    let out = text(&human.stdout);
    assert!(
        out.contains(
            "Baseline: 1 accepted finding hidden; 1 stale (accepted, no longer found: drop it with --update-baseline)."
        ),
        "{out}"
    );
    let json = qbank(&["check", "--baseline", "base.json", "--format", "json", "b.md"], dir);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["summary"]["baselined"], 1);
    assert_eq!(report["summary"]["stale"], 1);
    assert_eq!(
        report["stale_baseline_entries"],
        serde_json::json!([{ "bank": "b", "question": "ci", "code": "QB012", "count": 1 }])
    );
    assert!(text(&json.stderr).contains("1 stale"), "machine formats say it on stderr");

    // --update-baseline drops the stale entry, atomically, and nothing else.
    let update = qbank(&["check", "--baseline", "base.json", "--update-baseline", "b.md"], dir);
    assert_eq!(update.status.code(), Some(0), "{}", text(&update.stderr));
    assert!(text(&update.stderr).contains("dropped 1 stale finding(s), 1 left"), "{}", text(&update.stderr));
    let shrunk = std::fs::read_to_string(dir.join("base.json")).unwrap();
    assert!(shrunk.contains("\"question\": \"cd\"") && !shrunk.contains("\"question\": \"ci\""), "{shrunk}");
    let json = qbank(&["check", "--baseline", "base.json", "--format", "json", "b.md"], dir);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((report["summary"]["baselined"].as_u64(), report["summary"]["stale"].as_u64()), (Some(1), Some(0)));

    // A new finding is reported, and --update-baseline does not accept it.
    let more =
        fixed.clone() + "\n### 3. What is a canary?\n<!-- id: canary -->\n\n**Answer:**\n\nA small slice first.\n";
    std::fs::write(dir.join("b.md"), &more).unwrap();
    let update = qbank(&["check", "--baseline", "base.json", "--update-baseline", "--format", "json", "b.md"], dir);
    let report: serde_json::Value = serde_json::from_slice(&update.stdout).unwrap();
    let new: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "QB012")
        .map(|d| d["question_id"].as_str().unwrap())
        .collect();
    assert_eq!(new, ["canary"]);
    assert_eq!(std::fs::read_to_string(dir.join("base.json")).unwrap(), shrunk, "unchanged: nothing was stale");

    // --update-baseline needs --baseline.
    let usage = qbank(&["check", "--update-baseline", "b.md"], dir);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn sarif_marks_comment_and_baseline_suppressions_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let bank = TWO_WITHOUT_TLDR.replace(
        "### 2. What is CD?",
        "<!-- qbank-disable-next-line QB012 because the answer is one line -->\n### 2. What is CD?",
    );
    std::fs::write(dir.join("b.md"), &bank).unwrap();
    let plain = qbank(&["check", "--format", "json", "b.md"], dir);
    let report: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(report["summary"]["suppressed"], 1);
    let sarif = qbank(&["check", "--format", "sarif", "b.md"], dir);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let tldr: Vec<&serde_json::Value> =
        log["runs"][0]["results"].as_array().unwrap().iter().filter(|r| r["ruleId"] == "QB012").collect();
    assert_eq!(tldr.len(), 2, "the suppressed finding is a result too");
    assert_eq!(
        tldr[1]["suppressions"],
        serde_json::json!([{ "kind": "inSource", "status": "accepted", "justification": "the answer is one line" }])
    );
    assert!(tldr[0].get("suppressions").is_none() && tldr[0].get("baselineState").is_none());

    assert!(qbank(&["check", "--write-baseline", "base.json", "b.md"], dir).status.success());
    let sarif = qbank(&["check", "--format", "sarif", "--baseline", "base.json", "b.md"], dir);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let tldr: Vec<&serde_json::Value> =
        log["runs"][0]["results"].as_array().unwrap().iter().filter(|r| r["ruleId"] == "QB012").collect();
    assert_eq!(tldr[0]["suppressions"], serde_json::json!([{ "kind": "external", "status": "accepted" }]));
    assert_eq!(tldr[0]["baselineState"], "unchanged");
    assert_eq!(tldr[1]["suppressions"][0]["kind"], "inSource");
}

#[test]
fn ci_formats_from_the_command_line() {
    let root = root();
    let seed3 = seed("003").display().to_string();
    let json = qbank(&["check", "--format", "json", &seed3], &root);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings = report["files"][0]["diagnostics"].as_array().unwrap().len();
    assert!(findings > 0);
    let lines = qbank(&["check", "--format", "json-lines", &seed3], &root);
    assert_eq!(text(&lines.stdout).lines().count(), findings);
    assert_eq!(lines.status.code(), json.status.code(), "same exit code whatever the format");
    let gitlab = qbank(&["check", "--format", "gitlab", &seed3], &root);
    let issues: serde_json::Value = serde_json::from_slice(&gitlab.stdout).unwrap();
    assert_eq!(issues.as_array().unwrap().len(), findings);
    let junit = qbank(&["check", "--format", "junit", &seed3], &root);
    let xml = text(&junit.stdout);
    assert!(xml.starts_with("<?xml") && xml.matches("<failure ").count() == findings, "{xml}");
}
