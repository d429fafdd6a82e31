//! Baselines: built from a run, stored as sorted JSON, and hiding exactly the accepted findings
//! even after questions are renumbered or moved.

use std::sync::Arc;

use qbank_core::Span;
use qbank_lint::baseline::{Anchor, BaselineKey};
use qbank_lint::{Baseline, Diagnostic, FileReport, Severity};

const BEFORE: &str = "\
---
id: ops
---
Intro prose with a typo.

## Deployments

### 1. How do you deploy?
<!-- id: deploy -->

**Answer:** Carefully.

### 2. How do you roll back?
<!-- id: roll-back -->

**Answer:** Quickly.
";

/// The same bank after a new question was inserted first, the old ones renumbered, and
/// `roll-back` moved into a new section.
const AFTER: &str = "\
---
id: ops
---
Intro prose with a typo.

## Basics

### 1. What is a release?
<!-- id: release -->

**Answer:** A version.

### 2. How do you roll back?
<!-- id: roll-back -->

**Answer:** Quickly.

## Deployments

### 3. How do you deploy?
<!-- id: deploy -->

**Answer:** Carefully.
";

fn finding(source: &str, code: &'static str, needle: &str, question: Option<&str>) -> Diagnostic {
    let start = source.find(needle).unwrap_or_else(|| panic!("`{needle}` not in source"));
    Diagnostic {
        code,
        name: "some-rule",
        severity: Severity::Warning,
        message: format!("{code} at byte {start}"),
        span: Span::new(start, start + needle.len()),
        question_id: question.map(str::to_owned),
        related: Vec::new(),
        fix: None,
    }
}

fn report(path: &str, bank: Option<&str>, source: &str, diagnostics: Vec<Diagnostic>) -> FileReport {
    FileReport {
        path: path.into(),
        bank_id: bank.map(str::to_owned),
        source: Arc::from(source),
        diagnostics,
        suppressed: Vec::new(),
    }
}

fn before() -> Vec<FileReport> {
    vec![report(
        "banks/ops.md",
        Some("ops"),
        BEFORE,
        vec![
            finding(BEFORE, "QB004", "Intro prose", None),
            finding(BEFORE, "QB101", "### 1. How do you deploy?", Some("deploy")),
            finding(BEFORE, "QB101", "### 2. How do you roll back?", Some("roll-back")),
            finding(BEFORE, "QB120", "Quickly", Some("roll-back")),
            finding(BEFORE, "QB120", "**Answer:** Quickly", Some("roll-back")),
        ],
    )]
}

fn codes(reports: &[FileReport]) -> Vec<(String, &'static str, Option<String>)> {
    reports.iter().flat_map(|r| r.diagnostics.iter().map(|d| (r.path.clone(), d.code, d.question_id.clone()))).collect()
}

#[test]
fn serialises_sorted_and_stable() {
    let baseline = Baseline::from_reports(&before());
    assert_eq!(baseline.len(), 5);
    let json = baseline.to_json();
    assert_eq!(
        json,
        r#"{
  "version": 1,
  "findings": [
    {
      "bank": "ops",
      "question": "deploy",
      "code": "QB101",
      "count": 1
    },
    {
      "bank": "ops",
      "question": "roll-back",
      "code": "QB101",
      "count": 1
    },
    {
      "bank": "ops",
      "question": "roll-back",
      "code": "QB120",
      "count": 2
    },
    {
      "bank": "ops",
      "line": "Intro prose with a typo.",
      "code": "QB004",
      "count": 1
    }
  ]
}
"#
    );
    let read = Baseline::from_json(&json).unwrap();
    assert_eq!(read, baseline);
    assert_eq!(read.to_json(), json);
}

#[test]
fn hides_accepted_findings_after_renumbering_and_moves() {
    let baseline = Baseline::from_reports(&before());
    let after = vec![report(
        "banks/ops.md",
        Some("ops"),
        AFTER,
        vec![
            finding(AFTER, "QB004", "Intro prose", None),
            finding(AFTER, "QB101", "### 1. What is a release?", Some("release")), // new
            finding(AFTER, "QB101", "### 2. How do you roll back?", Some("roll-back")),
            finding(AFTER, "QB120", "Quickly", Some("roll-back")),
            finding(AFTER, "QB120", "**Answer:** Quickly", Some("roll-back")),
            finding(AFTER, "QB101", "### 3. How do you deploy?", Some("deploy")),
            finding(AFTER, "QB130", "Carefully", Some("deploy")), // new rule in an old question
        ],
    )];
    let left = baseline.filter(after);
    assert_eq!(
        codes(&left),
        [
            ("banks/ops.md".into(), "QB101", Some("release".into())),
            ("banks/ops.md".into(), "QB130", Some("deploy".into())),
        ]
    );
}

#[test]
fn a_count_hides_that_many_findings() {
    let baseline = Baseline::from_reports(&before());
    let mut more = before();
    more[0].diagnostics.push(finding(BEFORE, "QB120", "Answer:** Quickly", Some("roll-back")));
    let left = baseline.filter(more);
    assert_eq!(codes(&left), [("banks/ops.md".into(), "QB120", Some("roll-back".into()))]);
    // Fewer findings than accepted: nothing left, no error.
    let mut fewer = before();
    fewer[0].diagnostics.truncate(1);
    assert!(codes(&baseline.filter(fewer)).is_empty());
}

#[test]
fn files_without_a_bank_id_are_keyed_by_path() {
    let text = "# Notes\n\nsome prose\n";
    let reports = vec![report("notes/a.md", None, text, vec![finding(text, "QB004", "prose", None)])];
    let baseline = Baseline::from_reports(&reports);
    let (key, count) = baseline.entries().next().unwrap();
    assert_eq!(
        (key, count),
        (
            &BaselineKey { bank: "notes/a.md".into(), anchor: Anchor::Line("some prose".into()), code: "QB004".into() },
            1
        )
    );
    // The same finding in another file without a bank id is new.
    let elsewhere = vec![report("notes/b.md", None, text, vec![finding(text, "QB004", "prose", None)])];
    assert_eq!(codes(&baseline.filter(elsewhere)).len(), 1);
    // Reports keep their order and their files, even when emptied.
    let two = vec![
        report("z.md", None, text, vec![finding(text, "QB004", "prose", None)]),
        report("notes/a.md", None, text, vec![finding(text, "QB004", "prose", None)]),
    ];
    let left = baseline.filter(two);
    assert_eq!(
        left.iter().map(|r| (r.path.as_str(), r.diagnostics.len())).collect::<Vec<_>>(),
        [("z.md", 1), ("notes/a.md", 0)]
    );
}

#[test]
fn parse_errors_are_clear() {
    let error = Baseline::from_json("{\n  \"version\": 1,\n  \"findings\": [ { \"bank\": 3 } ]\n}").unwrap_err();
    assert_eq!(error.to_string(), "3:27: invalid type: integer `3`, expected a string");
    let error = Baseline::from_json("not json").unwrap_err();
    assert_eq!(error.to_string(), "1:2: expected ident");
    let error = Baseline::from_json(r#"{"version": 2, "findings": []}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unsupported baseline version 2; this qbank reads version 1: regenerate the baseline"
    );
    let error =
        Baseline::from_json(r#"{"version": 1, "findings": [{"bank": "b", "code": "QB1", "count": 1}]}"#).unwrap_err();
    assert_eq!(error.to_string(), "finding 1 (`QB1` in `b`) has neither `question` nor `line`; it needs exactly one");
    let error = Baseline::from_json(r#"{"version": 1, "findings": [], "extra": true}"#).unwrap_err();
    assert!(error.to_string().contains("unknown field `extra`"), "{error}");
    assert!(Baseline::from_json(r#"{"version": 1, "findings": []}"#).unwrap().is_empty());
}

#[test]
fn apply_moves_accepted_findings_aside_and_finds_stale_entries() {
    let baseline = Baseline::from_reports(&before());
    // `deploy` lost its QB101 and `roll-back` one of its two QB120s; `release` is new.
    let after = vec![report(
        "banks/ops.md",
        Some("ops"),
        AFTER,
        vec![
            finding(AFTER, "QB004", "Intro prose", None),
            finding(AFTER, "QB101", "### 1. What is a release?", Some("release")),
            finding(AFTER, "QB101", "### 2. How do you roll back?", Some("roll-back")),
            finding(AFTER, "QB120", "Quickly", Some("roll-back")),
        ],
    )];
    let run = baseline.apply(after);
    assert_eq!(codes(&run.reports), [("banks/ops.md".into(), "QB101", Some("release".into()))]);
    let accepted: Vec<(&str, qbank_lint::SuppressedBy)> =
        run.reports[0].suppressed.iter().map(|s| (s.diagnostic.code, s.by)).collect();
    assert_eq!(
        accepted,
        [
            ("QB004", qbank_lint::SuppressedBy::Baseline),
            ("QB101", qbank_lint::SuppressedBy::Baseline),
            ("QB120", qbank_lint::SuppressedBy::Baseline)
        ]
    );
    let stale: Vec<(String, usize)> = run.stale.entries().map(|(key, count)| (key.code.clone(), count)).collect();
    assert_eq!(stale, [("QB101".to_owned(), 1), ("QB120".to_owned(), 1)]);
    assert_eq!(run.stale.len(), 2);
    // What matched is the baseline minus its stale entries: what --update-baseline writes.
    assert_eq!(run.matched.len(), 3);
    assert_eq!(run.matched.len() + run.stale.len(), baseline.len());
    let stale_keys: Vec<&BaselineKey> = run.stale.entries().map(|(key, _)| key).collect();
    assert_eq!(stale_keys[0].anchor, Anchor::Question("deploy".into()));
    assert_eq!(stale_keys[1].anchor, Anchor::Question("roll-back".into()));
    // Filtering again with the shrunk baseline hides the same findings and leaves nothing stale.
    let again = run.matched.apply(
        run.reports
            .into_iter()
            .map(|mut r| {
                let accepted = std::mem::take(&mut r.suppressed);
                r.diagnostics.extend(accepted.into_iter().map(|s| s.diagnostic));
                r.diagnostics.sort_by_key(|d| (d.span.start, d.code));
                r
            })
            .collect(),
    );
    assert_eq!(codes(&again.reports), [("banks/ops.md".into(), "QB101", Some("release".into()))]);
    assert!(again.stale.is_empty());
}
