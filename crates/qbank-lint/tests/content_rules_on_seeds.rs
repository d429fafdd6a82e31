//! The content rules (QB101–QB108) on the raw seed banks and the canonical corpus: they find
//! what the seeds are known to contain, at the lines it is on, and nothing unexpected in the
//! corpus.

use std::path::{Path, PathBuf};

use qbank_core::LineIndex;
use qbank_lint::Diagnostic;
use qbank_lint::check::{FileInfo, check_source};
use qbank_lint::config::Config;

const CONTENT_RULES: &[&str] = &[
    "mojibake",
    "invisible-character",
    "heading-whitespace",
    "answer-leading-whitespace",
    "unfinished-answer",
    "paywall-text",
    "first-person-answer",
    "duplicate-question-text",
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The content-rule findings in one file, as (rule name, 1-based line, diagnostic).
fn findings(path: &Path) -> Vec<(&'static str, u32, Diagnostic)> {
    let source = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let report = check_source(FileInfo { path: &name, relative_path: &name }, &source, &Config::default());
    let index = LineIndex::new(&source);
    report
        .diagnostics
        .into_iter()
        .filter(|d| CONTENT_RULES.contains(&d.name))
        .map(|d| (d.name, index.line_of(d.span.start) + 1, d))
        .collect()
}

fn seed(prefix: &str) -> Vec<(&'static str, u32, Diagnostic)> {
    let dir = repo_root().join("tests/fixtures/seeds");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}_* in {}", dir.display()));
    findings(&path)
}

fn lines_of(found: &[(&'static str, u32, Diagnostic)], rule: &str) -> Vec<u32> {
    found.iter().filter(|(name, _, _)| *name == rule).map(|(_, line, _)| *line).collect()
}

#[test]
fn mojibake_in_seed_003_tldr() {
    let found = seed("003");
    assert_eq!(lines_of(&found, "mojibake"), [273]);
    let (_, _, d) = found.iter().find(|(name, _, _)| *name == "mojibake").unwrap();
    assert!(d.message.contains("`â€™`") && d.message.contains("`’`"), "{}", d.message);
}

#[test]
fn mojibake_in_seed_004_question_headings() {
    // `teamâ€™s`, `Youâ€™ve … itâ€™s`, `Youâ€™re`, `Whatâ€™s`, `Youâ€™ve`.
    assert_eq!(lines_of(&seed("004"), "mojibake"), [849, 1201, 1201, 1243, 1276, 1327]);
}

#[test]
fn paywall_text_in_seed_002() {
    let found = seed("002");
    assert_eq!(lines_of(&found, "paywall-text"), [3, 4, 5]);
    let messages: Vec<&str> = found.iter().map(|(_, _, d)| d.message.as_str()).collect();
    for phrase in [
        "`Unlock Full Question Bank`",
        "`Get access to hundreds of`",
        "`Sign in to Continue`",
        "`Join thousands of developers`",
    ] {
        assert!(messages.iter().any(|m| m.contains(phrase)), "{phrase} not reported: {messages:#?}");
    }
}

#[test]
fn heading_whitespace_in_seed_000() {
    // Questions 11 and 13–16 have two spaces after the number: `## 11.  What is…`.
    assert_eq!(lines_of(&seed("000"), "heading-whitespace"), [52, 62, 67, 72, 77]);
}

#[test]
fn first_person_answers_in_seeds_000_and_001() {
    // Seed 000: questions 11–16 (résumé answers).
    assert_eq!(lines_of(&seed("000"), "first-person-answer"), [54, 59, 64, 69, 74, 79]);
    // Seed 001: question 43; the other answers describe the candidate's project without
    // pronouns, or with one "I" in three or more sentences.
    assert_eq!(lines_of(&seed("001"), "first-person-answer"), [42]);
    // Reference answers are not flagged; 003's first-person story is an example, not an answer.
    assert!(lines_of(&seed("003"), "first-person-answer").is_empty());
    assert!(lines_of(&seed("004"), "first-person-answer").is_empty());
}

#[test]
fn other_findings_on_seeds() {
    let s000 = seed("000");
    // Question 9's answer starts with one space; question 10's stops mid-sentence.
    assert_eq!(lines_of(&s000, "answer-leading-whitespace"), [44]);
    assert_eq!(lines_of(&s000, "unfinished-answer"), [49]);
    // Seed 003 writes every TL;DR as `**TL;DR:**  text`.
    assert_eq!(lines_of(&seed("003"), "answer-leading-whitespace").len(), 30);
    for prefix in ["000", "001", "002", "003", "004"] {
        let found = seed(prefix);
        for rule in ["invisible-character", "duplicate-question-text"] {
            assert!(lines_of(&found, rule).is_empty(), "{rule} in seed {prefix}");
        }
    }
}

/// Which content-rule findings the corpus may have: the first-person answers of the banks
/// made from seeds 000 and 001, the mojibake of those made from 003 and 004 (until `--fix`),
/// heading whitespace, and question 10 of devops-fundamentals, which the seed cuts off.
fn allowed_in_corpus(file: &str, d: &Diagnostic) -> bool {
    match d.name {
        "first-person-answer" => matches!(file, "devops-fundamentals.md" | "devops-performance.md"),
        "mojibake" => matches!(file, "incident-response-reliability.md" | "production-conceptual-coding.md"),
        "heading-whitespace" => true,
        "unfinished-answer" => {
            file == "devops-fundamentals.md" && d.question_id.as_deref() == Some("concept-blue-green-deployment")
        }
        _ => false,
    }
}

#[test]
fn corpus_has_only_known_content_findings() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo_root().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut unexpected = Vec::new();
    for path in &paths {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (name, line, d) in findings(path) {
            if !allowed_in_corpus(&file, &d) {
                unexpected.push(format!("{file}:{line} {name}: {}", d.message));
            }
        }
    }
    assert!(unexpected.is_empty(), "unexpected findings in corpus/:\n{}", unexpected.join("\n"));
}
