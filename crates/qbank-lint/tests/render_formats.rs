//! Snapshot tests for every renderer on one run: two files, non-ASCII text (mojibake, emoji,
//! CJK, a tab), a multi-line span, related locations in another file and in a file outside
//! the run, safe and unsafe fixes. The SARIF output is validated against the official schema.

use std::sync::Arc;

use insta::assert_snapshot;
use qbank_core::Span;
use qbank_lint::render::{self, HumanOptions, Summary};
use qbank_lint::{Diagnostic, Edit, FileReport, Fix, Related, RuleMeta, Severity};

const OPS: &str = include_str!("fixtures/render/ops.md");
const OTHER: &str = include_str!("fixtures/render/other.md");

const RULES: &[RuleMeta] = &[
    RuleMeta {
        docs: "## What it does\n\nFlags a question without a `**TL;DR:**` line.\n\n## Why is this bad?\n\nReaders skim.\n",
        ..rule("QB101", "missing-tldr", "Question has no TL;DR line", Severity::Error, true)
    },
    rule("QB104", "mojibake", "Text was decoded with the wrong encoding", Severity::Warning, true),
    rule("QB105", "tab-indentation", "Tab inside text", Severity::Hint, false),
    rule("QB201", "yaml-syntax", "YAML example does not parse", Severity::Error, false),
    rule("QB301", "near-duplicate", "Question nearly duplicates another", Severity::Warning, false),
    rule("QB110", "empty-answer", "Answer section is empty", Severity::Info, true),
];

const fn rule(
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: Severity,
    fixable: bool,
) -> RuleMeta {
    RuleMeta { code, name, summary, default_severity: severity, docs: "", fixable }
}

/// The byte span of the `nth` (0-based) occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> Span {
    let start = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("`{needle}` not in fixture")).0;
    Span::new(start, start + needle.len())
}

fn diagnostic(code: &'static str, severity: Severity, message: &str, span: Span, question: Option<&str>) -> Diagnostic {
    let name = RULES.iter().find(|rule| rule.code == code).map_or("unknown-rule", |rule| rule.name);
    Diagnostic {
        code,
        name,
        severity,
        message: message.to_owned(),
        span,
        question_id: question.map(str::to_owned),
        related: Vec::new(),
        fix: None,
    }
}

fn run() -> Vec<FileReport> {
    let heading_one = find(OPS, "### 1. How do you handle zero-downtime deployments?", 0);
    let heading_two = find(OPS, "### 2. How do you roll back a release?", 0);
    let mojibake = find(OPS, "â€™", 0);
    let tab = find(OPS, "\twith", 0);
    let yaml_start = find(OPS, "strategy:", 0).start;
    let yaml_end = find(OPS, "[RollingUpdate", 0).end;
    let answer_two = find(OPS, "**Answer:**\n```yaml", 0);

    let mut ops = vec![
        Diagnostic {
            related: vec![
                Related {
                    path: "banks/other.md".into(),
                    span: find(OTHER, "### 1. What is a zero-downtime deployment?", 0),
                    message: "similar question (score 0.82)".into(),
                },
                Related {
                    path: "banks/archived.md".into(),
                    span: Span::new(120, 164),
                    message: "also similar (score 0.74)".into(),
                },
            ],
            ..diagnostic(
                "QB301",
                Severity::Warning,
                "Question nearly duplicates `zero-downtime-basics` in banks/other.md",
                heading_one,
                Some("zero-downtime-deployments"),
            )
        },
        Diagnostic {
            fix: Some(Fix::safe("Re-decode as UTF-8", vec![Edit::replace(mojibake, "’")])),
            ..diagnostic(
                "QB104",
                Severity::Warning,
                "Mojibake `â€™`: text decoded as Windows-1252",
                mojibake,
                Some("zero-downtime-deployments"),
            )
        },
        diagnostic(
            "QB105",
            Severity::Hint,
            "Tab inside text; use spaces",
            Span::new(tab.start, tab.start + 1),
            Some("zero-downtime-deployments"),
        ),
        Diagnostic {
            fix: Some(Fix::safe(
                "Add a TL;DR line",
                vec![Edit::insert(OPS.len(), "\n**TL;DR:** Redeploy the previous version.\n")],
            )),
            ..diagnostic(
                "QB101",
                Severity::Error,
                "Question has no TL;DR line; add `**TL;DR:** …` after the answer",
                heading_two,
                Some("roll-back-release"),
            )
        },
        Diagnostic {
            fix: Some(Fix::unsafe_(
                "Remove the empty heading line",
                vec![Edit::delete(Span::new(answer_two.start, answer_two.start + "**Answer:**\n".len()))],
            )),
            ..diagnostic(
                "QB110",
                Severity::Info,
                "Answer label has only a code block",
                Span::new(answer_two.start, answer_two.start + 11),
                Some("roll-back-release"),
            )
        },
        diagnostic(
            "QB201",
            Severity::Error,
            "YAML example does not parse: unclosed flow sequence (line 2)",
            Span::new(yaml_start, yaml_end),
            Some("roll-back-release"),
        ),
    ];
    ops.sort_by_key(|d| (d.span.start, d.code));

    let other = vec![diagnostic(
        "QB110",
        Severity::Info,
        "Answer section is empty",
        find(OTHER, "**Answer:**", 0),
        Some("zero-downtime-basics"),
    )];
    // Deliberately out of path order: renderers sort.
    vec![
        FileReport {
            path: "banks/ops.md".into(),
            bank_id: Some("production-operations".into()),
            source: Arc::from(OPS),
            suppressed: Vec::new(),
            diagnostics: ops,
        },
        FileReport {
            path: "banks/clean.md".into(),
            bank_id: None,
            source: Arc::from("# Clean\n"),
            suppressed: Vec::new(),
            diagnostics: Vec::new(),
        },
        FileReport {
            path: "banks/other.md".into(),
            bank_id: Some("other-topics".into()),
            source: Arc::from(OTHER),
            suppressed: Vec::new(),
            diagnostics: other,
        },
    ]
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "fixtures/render/snapshots", prepend_module_to_snapshot => false }, {
            assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn human() {
    snapshot!("human", render::human(&run(), HumanOptions::default()));
}

#[test]
fn human_with_fixes_shown() {
    snapshot!("human_show_fix", render::human(&run(), HumanOptions { color: false, show_fix: true }));
}

#[test]
fn human_colour_only_when_asked() {
    let plain = render::human(&run(), HumanOptions::default());
    assert!(!plain.contains('\x1b'));
    let coloured = render::human(&run(), HumanOptions { color: true, show_fix: true });
    assert!(coloured.contains("\x1b[1;31merror\x1b[0m"), "{coloured}");
    assert_eq!(strip_ansi(&coloured), render::human(&run(), HumanOptions { color: false, show_fix: true }));
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch == '\x1b' {
            for next in chars.by_ref() {
                if next == 'm' {
                    break;
                }
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[test]
fn human_carets_align_by_display_width() {
    let out = render::human(&run(), HumanOptions::default());
    // The mojibake line: `- You` is 5 columns, then three one-column characters.
    assert!(out.contains("| - Youâ€™ve got to use blue-green 🚀 or canary releases.\n   |      ^^^\n"), "{out}");
    // CJK characters are two columns wide; the tab expands to four spaces under and over.
    assert!(out.contains(&format!("| - 日本語のテキスト    with a tab.\n   | {}^^^^\n", " ".repeat(18))), "{out}");
}

#[test]
fn summary_lines() {
    assert_eq!(render::human(&[], HumanOptions::default()), "No problems found in 0 files.\n");
    let clean = vec![FileReport {
        path: "a.md".into(),
        bank_id: None,
        source: Arc::from(""),
        diagnostics: vec![],
        suppressed: vec![],
    }];
    assert_eq!(render::human(&clean, HumanOptions::default()), "No problems found in 1 file.\n");
    let summary = Summary::of(&run());
    assert_eq!(
        summary,
        Summary {
            files: 3,
            files_with_problems: 2,
            errors: 2,
            warnings: 2,
            infos: 2,
            hints: 1,
            fixable: 2,
            suppressed: 0,
            baselined: 0
        }
    );
    let out = render::human(&run(), HumanOptions::default());
    assert!(
        out.ends_with("Found 7 problems (2 errors, 2 warnings, 2 info, 1 hint) in 2 files; 2 fixable with --fix.\n"),
        "{out}"
    );
}

#[test]
fn json() {
    let out = render::json(&run());
    snapshot!("json", &out);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["version"], 1);
    let paths: Vec<&str> = value["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["banks/clean.md", "banks/ops.md", "banks/other.md"]);
}

#[test]
fn sarif() {
    snapshot!("sarif", render::sarif(&run(), RULES, "0.1.0"));
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let mut schema: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    // The 2.1.0 schema as published has a malformed `language` pattern (a stray `]`), fixed in
    // SARIF 2.1.0 Errata 01; the validator checks patterns are regexes, so use the corrected one.
    // Nothing we emit has a `language`.
    let replaced = replace_pattern(
        &mut schema,
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}$|^[a-zA-Z]{2}-[a-zA-Z]{2}$",
    );
    assert_eq!(replaced, 2, "the fixture is the published 2.1.0 schema");
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let odd_paths = vec![
        FileReport {
            path: "banks/with space/ümlaut#1.md".into(),
            bank_id: None,
            source: Arc::from("x"),
            suppressed: Vec::new(),
            diagnostics: vec![diagnostic("QB105", Severity::Hint, "m", Span::new(0, 1), None)],
        },
        FileReport {
            path: "/abs/path.md".into(),
            bank_id: None,
            source: Arc::from("x"),
            suppressed: Vec::new(),
            diagnostics: vec![diagnostic("QB999", Severity::Error, "not a known rule", Span::new(0, 1), None)],
        },
        FileReport {
            path: "C:\\banks\\win.md".into(),
            bank_id: None,
            source: Arc::from(""),
            suppressed: Vec::new(),
            diagnostics: vec![diagnostic("QB101", Severity::Error, "m", Span::new(0, 0), None)],
        },
    ];
    let log: serde_json::Value = serde_json::from_str(&render::sarif(&odd_paths, RULES, "0.1.0")).unwrap();
    let uris: Vec<(&str, Option<&str>)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            (location["uri"].as_str().unwrap(), location["uriBaseId"].as_str())
        })
        .collect();
    assert_eq!(
        uris,
        [
            ("file:///abs/path.md", None),
            ("file:///C:/banks/win.md", None),
            ("banks/with%20space/%C3%BCmlaut%231.md", Some("%SRCROOT%")),
        ]
    );
    for (name, reports) in [("fixture", run()), ("odd paths", odd_paths), ("empty", Vec::new())] {
        let log: serde_json::Value = serde_json::from_str(&render::sarif(&reports, RULES, "0.1.0")).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

fn replace_pattern(value: &mut serde_json::Value, from: &str, to: &str) -> usize {
    match value {
        serde_json::Value::Object(map) => {
            let mut count = 0;
            for (key, child) in map.iter_mut() {
                if key == "pattern" && child == from {
                    *child = to.into();
                    count += 1;
                } else {
                    count += replace_pattern(child, from, to);
                }
            }
            count
        }
        serde_json::Value::Array(items) => items.iter_mut().map(|item| replace_pattern(item, from, to)).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_fingerprints_survive_renumbering_and_moves() {
    let fingerprint = |source: &str, needle: &str| {
        let span = find(source, needle, 0);
        let report = FileReport {
            path: "banks/ops.md".into(),
            bank_id: Some("production-operations".into()),
            source: Arc::from(source),
            suppressed: Vec::new(),
            diagnostics: vec![diagnostic(
                "QB101",
                Severity::Error,
                "TL;DR has 52 words (max 40)",
                span,
                Some("roll-back"),
            )],
        };
        let log: serde_json::Value = serde_json::from_str(&render::sarif(&[report], RULES, "0.1.0")).unwrap();
        log["runs"][0]["results"][0]["partialFingerprints"]["qbank/v1"].as_str().unwrap().to_owned()
    };
    let before = fingerprint("## A\n\n### 2. Roll back?\n", "### 2. Roll back?");
    let after = fingerprint("## B\n\n### 1. X?\n\n### 7. Roll back?\n", "### 7. Roll back?");
    assert_eq!(before, after);
    assert!(before.ends_with(":1"), "{before}");
}

#[test]
fn sarif_columns_and_offsets_count_code_points() {
    let log: serde_json::Value = serde_json::from_str(&render::sarif(&run(), RULES, "0.1.0")).unwrap();
    let mojibake = log["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "QB104").unwrap();
    let region = &mojibake["locations"][0]["physicalLocation"]["region"];
    let start = find(OPS, "â€™", 0).start;
    assert_eq!(region["charOffset"], OPS[..start].chars().count());
    assert_eq!(region["charLength"], 3);
    assert_eq!(region["startColumn"], 6);
    assert_eq!(region["endColumn"], 9);
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
}

#[test]
fn github() {
    snapshot!("github", render::github(&run()));
}

#[test]
fn github_escapes_properties_and_data() {
    let report = FileReport {
        path: "a,b:c.md".into(),
        bank_id: None,
        source: Arc::from("x\n"),
        suppressed: Vec::new(),
        diagnostics: vec![diagnostic("QB105", Severity::Hint, "100% wrong\r\nsecond line", Span::new(0, 1), None)],
    };
    assert_eq!(
        render::github(&[report]),
        "::notice file=a%2Cb%3Ac.md,line=1,endLine=1,col=1,endColumn=2,title=QB105 tab-indentation::100%25 wrong%0D%0Asecond line\n"
    );
}

#[test]
fn statistics() {
    snapshot!("statistics", render::statistics(&run()));
    assert_eq!(render::statistics(&[]), "");
}

#[test]
fn bad_spans_never_panic() {
    let text = "é\n🚀";
    let spans = [Span::new(1, 2), Span::new(0, 99), Span::new(50, 60), Span::new(3, 1), Span::new(4, 4)];
    let diagnostics = spans
        .iter()
        .map(|&span| Diagnostic {
            related: vec![Related { path: "x.md".into(), span: Span::new(7, 2), message: "r".into() }],
            fix: Some(Fix::safe("f", vec![Edit::replace(span, "y")])),
            ..diagnostic("QB101", Severity::Error, "m", span, None)
        })
        .collect();
    let reports = vec![FileReport {
        path: "x.md".into(),
        bank_id: None,
        source: Arc::from(text),
        diagnostics,
        suppressed: vec![],
    }];
    let _ = render::human(&reports, HumanOptions { color: true, show_fix: true });
    let _ = render::json(&reports);
    let _ = render::sarif(&reports, RULES, "0");
    let _ = render::github(&reports);
    let _ = render::gitlab(&reports);
    let _ = render::junit(&reports);
    let _ = render::json_lines(&reports);
    let _ = render::statistics(&reports);
}

#[test]
fn gitlab() {
    snapshot!("gitlab", render::gitlab(&run()));
}

/// Findings with markup, quotes, control characters and a `./` path, to stress the escaping
/// and path handling of the CI formats.
fn awkward_run() -> Vec<FileReport> {
    let text = "# <Bank> & \"quotes\"\n\n### 1. Why `a < b && c > d`?\n\x07bell\ttab\n";
    vec![FileReport {
        path: "./banks/ümlaut & <co>.md".into(),
        bank_id: None,
        source: Arc::from(text),
        suppressed: Vec::new(),
        diagnostics: vec![
            Diagnostic {
                related: vec![Related {
                    path: "other\"file'.md".into(),
                    span: Span::new(0, 3),
                    message: "see <here> & \"there\"".into(),
                }],
                fix: Some(Fix::safe("Replace `<` with `&lt;`", vec![Edit::replace(Span::new(2, 3), "x")])),
                ..diagnostic(
                    "QB101",
                    Severity::Error,
                    "Message with <tags>, & ampersands, \"quotes\", 'apostrophes', \x07 bell and\nline breaks",
                    Span::new(2, 9),
                    None,
                )
            },
            diagnostic("QB101", Severity::Warning, "Same rule, same message", Span::new(30, 31), None),
            diagnostic("QB101", Severity::Warning, "Same rule, same message", Span::new(30, 31), None),
            diagnostic(
                "QB105",
                Severity::Hint,
                "Tab inside text",
                Span::new(text.find('\t').unwrap(), text.len()),
                None,
            ),
        ],
    }]
}

#[test]
fn gitlab_validates_against_the_documented_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/gitlab/code-quality-report.schema.json")).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    for (name, reports) in [("fixture", run()), ("awkward", awkward_run()), ("empty", Vec::new())] {
        let report: serde_json::Value = serde_json::from_str(&render::gitlab(&reports)).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&report).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let issues = report.as_array().unwrap();
        let findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
        assert_eq!(issues.len(), findings, "{name}: one issue per finding");
        let fingerprints: std::collections::BTreeSet<&str> =
            issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
        assert_eq!(fingerprints.len(), issues.len(), "{name}: fingerprints are unique");
    }
    // The schema is not a rubber stamp: a `./` path and an unknown severity fail it.
    let bad = serde_json::json!([
        { "description": "d", "check_name": "c", "fingerprint": "f", "severity": "warning",
          "location": { "path": "./a.md", "lines": { "begin": 1 } } }
    ]);
    assert_eq!(validator.iter_errors(&bad).count(), 2);
    let awkward: serde_json::Value = serde_json::from_str(&render::gitlab(&awkward_run())).unwrap();
    assert_eq!(awkward[0]["location"]["path"], "banks/ümlaut & <co>.md");
    assert_eq!(awkward[0]["location"]["lines"]["begin"], 1);
    assert_eq!(awkward[0]["severity"], "major");
    assert_eq!(awkward[3]["severity"], "info");
    // The multi-line span ends on the line of its last character, not the next one.
    assert_eq!(awkward[3]["location"]["lines"]["end"], 4);
}

#[test]
fn junit() {
    snapshot!("junit", render::junit(&run()));
}

/// Validates `xml` against the Jenkins JUnit XSD with `xmllint`; a missing xmllint fails.
fn assert_valid_junit(name: &str, xml: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/junit/junit-10.xsd");
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(&file)
        .output()
        .expect("xmllint is required (Debian libxml2-utils; scripts/setup.sh installs it)");
    assert!(
        output.status.success(),
        "{name}: not valid JUnit XML:\n{}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn junit_validates_against_the_jenkins_schema() {
    for (name, reports) in [("fixture", run()), ("awkward", awkward_run()), ("empty", Vec::new())] {
        assert_valid_junit(name, &render::junit(&reports));
    }
    // The check is not a rubber stamp: a test case without a name is rejected.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.xml");
    std::fs::write(&file, "<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase/></testsuite></testsuites>").unwrap();
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/junit/junit-10.xsd");
    let status =
        std::process::Command::new("xmllint").args(["--noout", "--schema", schema]).arg(&file).output().unwrap();
    assert!(!status.status.success());
}

#[test]
fn junit_counts_and_locations() {
    let xml = render::junit(&run());
    assert!(xml.contains("<testsuites name=\"qbank check\" tests=\"8\" failures=\"7\" errors=\"0\">"), "{xml}");
    assert!(xml.contains("<testsuite name=\"banks/ops.md\" tests=\"6\" failures=\"6\""), "{xml}");
    assert!(xml.contains("<testcase name=\"no findings\" classname=\"banks/clean.md\"/>"), "{xml}");
    // file:line:col of the mojibake (line 9 of ops.md, column 6 in characters).
    let start = find(OPS, "â€™", 0).start;
    let line = OPS[..start].matches('\n').count() + 1;
    let column = OPS[..start].rsplit('\n').next().unwrap().chars().count() + 1;
    assert!(xml.contains(&format!(">warning: banks/ops.md:{line}:{column}: Mojibake")), "{xml}");
    let awkward = render::junit(&awkward_run());
    assert!(awkward.contains("message=\"Message with &lt;tags&gt;, &amp; ampersands, &quot;quotes&quot;, &apos;apostrophes&apos;, \u{fffd} bell and&#10;line breaks\""), "{awkward}");
    assert!(!awkward.contains('\x07'));
}

#[test]
fn json_lines_equal_the_json_findings() {
    for reports in [run(), awkward_run(), Vec::new()] {
        let json: serde_json::Value = serde_json::from_str(&render::json(&reports)).unwrap();
        let mut expected = Vec::new();
        for file in json["files"].as_array().unwrap() {
            for diagnostic in file["diagnostics"].as_array().unwrap() {
                let mut line = serde_json::Map::new();
                line.insert("path".into(), file["path"].clone());
                line.insert("bank_id".into(), file["bank_id"].clone());
                line.extend(diagnostic.as_object().unwrap().clone());
                expected.push(serde_json::Value::Object(line));
            }
        }
        let text = render::json_lines(&reports);
        assert_eq!(text.is_empty(), expected.is_empty());
        assert!(text.is_empty() || text.ends_with('\n'));
        let lines: Vec<serde_json::Value> =
            text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))).collect();
        assert_eq!(lines, expected);
    }
    let first = render::json_lines(&run()).lines().next().unwrap().to_owned();
    assert!(first.starts_with("{\"path\":\"banks/ops.md\",\"bank_id\":\"production-operations\",\"code\":"), "{first}");
}

#[test]
fn sarif_marks_suppressed_and_baselined_findings_instead_of_dropping_them() {
    use qbank_lint::render::SarifOptions;
    use qbank_lint::{Suppressed, SuppressedBy};
    let mut reports = run();
    let ops = reports.iter_mut().find(|r| r.path == "banks/ops.md").unwrap();
    // The tab hint is silenced by a comment with a reason, the YAML error by the baseline.
    let tab = ops.diagnostics.iter().position(|d| d.code == "QB105").unwrap();
    let hint = ops.diagnostics.remove(tab);
    ops.suppressed.push(Suppressed {
        diagnostic: hint,
        by: SuppressedBy::Comment,
        justification: Some("tabs are the point of this example".into()),
    });
    let yaml = ops.diagnostics.iter().position(|d| d.code == "QB201").unwrap();
    let accepted = ops.diagnostics.remove(yaml);
    ops.suppressed.push(Suppressed { diagnostic: accepted, by: SuppressedBy::Baseline, justification: None });

    let plain: serde_json::Value = serde_json::from_str(&render::sarif(&run(), RULES, "0.1.0")).unwrap();
    let log: serde_json::Value = serde_json::from_str(&render::sarif_with(
        &reports,
        RULES,
        SarifOptions { tool_version: "0.1.0", baseline: true },
    ))
    .unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    // Nothing is dropped, and fingerprints do not change when a finding is silenced.
    assert_eq!(results.len(), plain["runs"][0]["results"].as_array().unwrap().len());
    let fingerprints = |log: &serde_json::Value| -> Vec<String> {
        log["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["partialFingerprints"].to_string()).collect()
    };
    assert_eq!(fingerprints(&log), fingerprints(&plain));
    let by_rule = |code: &str| results.iter().find(|r| r["ruleId"] == code).unwrap();
    assert_eq!(
        by_rule("QB105")["suppressions"],
        serde_json::json!([{ "kind": "inSource", "status": "accepted", "justification": "tabs are the point of this example" }])
    );
    assert_eq!(by_rule("QB105")["baselineState"], "new");
    assert_eq!(by_rule("QB201")["suppressions"], serde_json::json!([{ "kind": "external", "status": "accepted" }]));
    assert_eq!(by_rule("QB201")["baselineState"], "unchanged");
    assert!(by_rule("QB101").get("suppressions").is_none());
    assert_eq!(by_rule("QB101")["baselineState"], "new");
    // Without a baseline there is no baselineState; the comment's suppression stays.
    let no_baseline: serde_json::Value = serde_json::from_str(&render::sarif(&reports, RULES, "0.1.0")).unwrap();
    let no_baseline = no_baseline["runs"][0]["results"].as_array().unwrap();
    assert!(no_baseline.iter().all(|r| r.get("baselineState").is_none()));
    assert_eq!(no_baseline.iter().filter(|r| r.get("suppressions").is_some()).count(), 2);
    // Still valid SARIF 2.1.0.
    let mut schema: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    replace_pattern(&mut schema, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", "^[a-zA-Z]{2}$|^[a-zA-Z]{2}-[a-zA-Z]{2}$");
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // People and the other formats do not see silenced findings.
    assert!(!render::human(&reports, HumanOptions::default()).contains("QB105"));
    assert!(!render::json_lines(&reports).contains("QB201"));
    assert!(!render::gitlab(&reports).contains("QB201"));
    let summary = Summary::of(&reports);
    assert_eq!((summary.suppressed, summary.baselined, summary.problems()), (1, 1, 5));
}

#[test]
fn human_baseline_line_names_stale_findings() {
    let none = Summary::default();
    assert_eq!(render::baseline_line(&none, 0), None);
    let summary = Summary { baselined: 5, ..Summary::default() };
    assert_eq!(render::baseline_line(&summary, 0).unwrap(), "Baseline: 5 accepted findings hidden.");
    assert_eq!(
        render::baseline_line(&summary, 2).unwrap(),
        "Baseline: 5 accepted findings hidden; 2 stale (accepted, no longer found: drop them with --update-baseline)."
    );
}
