//! Rule specs: every rule has `tests/specs/<rule-name>/valid*.md` (no finding of that rule)
//! and `invalid*.md` (findings, snapshotted with their positions). Fixable rules also
//! snapshot the fixed text, which must pass the rule, and a second fix must change nothing.

use std::path::{Path, PathBuf};

use qbank_core::LineIndex;
use qbank_lint::check::{FileInfo, check_source};
use qbank_lint::config::Config;
use qbank_lint::corpus::{CorpusFile, check_corpus, corpus_questions};
use qbank_lint::registry::RULES;
use qbank_lint::{Applicability, Diagnostic, apply_fixes};

fn spec_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs").join(name)
}

/// Findings of rule `name` on one file: the per-file rules, plus the corpus pass over a corpus
/// of just this file (duplicate rules).
fn findings(name: &str, source: &str) -> Vec<Diagnostic> {
    let config = Config::default();
    let report = check_source(FileInfo { path: "spec.md", relative_path: "spec.md" }, source, &config);
    let parsed = qbank_core::parse(source);
    let file = CorpusFile {
        path: "spec.md",
        relative_path: "spec.md",
        source,
        questions: corpus_questions(&parsed),
        config: &config,
    };
    let corpus = check_corpus(&[file], &qbank_dedup::Mode::Lexical, &qbank_dedup::Thresholds::default()).unwrap();
    report.diagnostics.into_iter().chain(corpus.into_iter().flatten()).filter(|d| d.name == name).collect()
}

fn render(source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for d in diagnostics {
        let (line, col) = index.human_position(source, d.span.start);
        let (end_line, end_col) = index.human_position(source, d.span.end);
        out.push_str(&format!(
            "{line}:{col}-{end_line}:{end_col} {} {} [{}] {:?}\n",
            d.code,
            d.severity.as_str(),
            d.message,
            &source[d.span.range()]
        ));
        if let Some(fix) = &d.fix {
            out.push_str(&format!("  fix ({:?}): {}\n", fix.applicability, fix.title));
        }
    }
    out
}

fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|r| r.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
    found.retain(|p| {
        let name = p.file_name().unwrap().to_string_lossy();
        name.starts_with(prefix) && name.ends_with(".md")
    });
    found.sort();
    found
}

#[test]
fn every_rule_has_valid_and_invalid_specs() {
    let mut missing = Vec::new();
    for rule in RULES {
        let dir = spec_dir(rule.meta.name);
        if files(&dir, "valid").is_empty() || files(&dir, "invalid").is_empty() {
            missing.push(rule.meta.name);
        }
    }
    assert!(missing.is_empty(), "rules without specs: {missing:?}");
}

#[test]
fn specs() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    let _guard = settings.bind_to_scope();
    for rule in RULES {
        let name = rule.meta.name;
        let dir = spec_dir(name);
        for path in files(&dir, "valid") {
            let source = std::fs::read_to_string(&path).unwrap();
            let found = findings(name, &source);
            assert!(
                found.is_empty(),
                "{}: expected no `{name}` findings, got:\n{}",
                path.display(),
                render(&source, &found)
            );
        }
        for path in files(&dir, "invalid") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let source = std::fs::read_to_string(&path).unwrap();
            let found = findings(name, &source);
            assert!(!found.is_empty(), "{}: expected `{name}` findings, got none", path.display());
            insta::assert_snapshot!(format!("{name}__{stem}"), render(&source, &found));
            if rule.meta.fixable {
                let fixed = apply_fixes(&source, &found, Applicability::Unsafe);
                assert!(!fixed.applied.is_empty(), "{}: fixable rule offered no fix", path.display());
                insta::assert_snapshot!(format!("{name}__{stem}__fixed"), fixed.output);
                let mut text = fixed.output;
                // Conflicting fixes land in later passes, as `check --fix` does.
                for _ in 0..10 {
                    let again = findings(name, &text);
                    let next = apply_fixes(&text, &again, Applicability::Unsafe);
                    if next.applied.is_empty() {
                        break;
                    }
                    text = next.output;
                }
                let left: Vec<Diagnostic> = findings(name, &text).into_iter().filter(|d| d.fix.is_some()).collect();
                assert!(
                    left.is_empty(),
                    "{}: fixed text still has fixable findings:\n{}",
                    path.display(),
                    render(&text, &left)
                );
            }
        }
    }
}
