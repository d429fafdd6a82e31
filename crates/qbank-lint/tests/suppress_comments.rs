//! Inline suppression comments: next line, regions, whole file, codes and names, and unknown
//! codes reported back.

use qbank_core::Span;
use qbank_lint::{RuleMeta, Severity, Suppressions};

const RULES: &[RuleMeta] = &[
    rule("QB101", "missing-tldr"),
    rule("QB104", "mojibake"),
    rule("QB105", "tab-indentation"),
    rule("QB201", "yaml-syntax"),
];

const fn rule(code: &'static str, name: &'static str) -> RuleMeta {
    RuleMeta { code, name, summary: "", default_severity: Severity::Warning, docs: "", fixable: false }
}

/// Which of `rules` are silenced at the start of the line containing `marker`, as
/// `marker: code code…`.
fn silenced(source: &str, marker: &str) -> String {
    let suppressions = Suppressions::parse(source);
    let offset = source.find(marker).unwrap_or_else(|| panic!("`{marker}` not in fixture"));
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let codes: Vec<&str> = RULES
        .iter()
        .filter(|rule| suppressions.is_suppressed(rule.code, rule.name, line_start))
        .map(|rule| rule.code)
        .collect();
    format!("{marker}: {}", codes.join(" "))
}

fn check(source: &str, expected: &[&str]) {
    let markers: Vec<&str> = expected.iter().map(|line| line.split(':').next().unwrap()).collect();
    let actual: Vec<String> = markers.iter().map(|marker| silenced(source, marker)).collect();
    let expected: Vec<String> = expected.iter().map(|line| line.trim_end().to_owned()).collect();
    let actual: Vec<String> = actual.iter().map(|line| line.trim_end().to_owned()).collect();
    assert_eq!(actual, expected);
}

#[test]
fn next_line_skips_blank_lines_and_stacks() {
    check(
        r#"L1 before
<!-- qbank-disable-next-line QB101 mojibake -->

L2 target
L3 after
<!-- qbank-disable-next-line QB101 -->
<!-- qbank-disable-next-line QB105 -->
L4 stacked
<!-- qbank-disable-next-line -->
L5 everything
"#,
        &["L1:", "L2: QB101 QB104", "L3:", "L4: QB101 QB105", "L5: QB101 QB104 QB105 QB201"],
    );
}

#[test]
fn next_line_covers_the_whole_line_only() {
    let source = "<!-- qbank-disable-next-line QB101 -->\r\n### 1. Heading\r\nnext\n";
    let suppressions = Suppressions::parse(source);
    let heading = source.find("###").unwrap();
    let heading_end = source.find("\r\nnext").unwrap();
    assert!(suppressions.is_suppressed("QB101", "missing-tldr", heading));
    assert!(suppressions.is_suppressed("QB101", "missing-tldr", heading_end), "an empty span at the line's end");
    assert!(!suppressions.is_suppressed("QB101", "missing-tldr", heading_end + 2));
    assert!(!suppressions.is_suppressed("QB101", "missing-tldr", 0), "not the comment's own line");
}

#[test]
fn regions() {
    check(
        r#"L1 open
<!-- qbank-disable QB101, QB104 -->
L2 both off
<!-- qbank-enable QB104 -->
L3 only QB101 off
<!-- qbank-enable -->
L4 all back
<!-- qbank-disable -->
L5 all off
<!-- qbank-enable yaml-syntax -->
L6 all but yaml off
<!-- qbank-disable yaml-syntax -->
L7 all off again
<!-- qbank-enable -->
L8 open
"#,
        &[
            "L1:",
            "L2: QB101 QB104",
            "L3: QB101",
            "L4:",
            "L5: QB101 QB104 QB105 QB201",
            "L6: QB101 QB104 QB105",
            "L7: QB101 QB104 QB105 QB201",
            "L8:",
        ],
    );
}

#[test]
fn whole_file() {
    check(
        r#"L1 top
<!-- qbank-disable-file mojibake -->
L2 bottom
"#,
        &["L1: QB104", "L2: QB104"],
    );
    check("L1 top\n<!-- qbank-disable-file -->\n", &["L1: QB101 QB104 QB105 QB201"]);
}

#[test]
fn comments_in_code_are_not_directives() {
    check(
        r#"```html
<!-- qbank-disable-file -->
```

    <!-- qbank-disable-file QB101 -->

Inline `<!-- qbank-disable-file QB104 -->` code.

- item
  ```markdown
  <!-- qbank-disable-file QB105 -->
  ```

L1 nothing silenced
Inline <!-- qbank-disable-next-line QB201 --> in prose
L2 yaml silenced
"#,
        &["L1:", "L2: QB201"],
    );
}

#[test]
fn a_multi_line_comment_is_one_directive() {
    check("<!--\n  qbank-disable-next-line\n  QB101\n-->\nL1 heading\n", &["L1: QB101"]);
}

#[test]
fn other_comments_are_ignored() {
    let source =
        "<!-- id: deploy · difficulty: medium -->\n<!-- qbank-disabled QB101 -->\n<!-- not qbank-disable -->\nL1\n";
    assert!(Suppressions::parse(source).is_empty());
    check(source, &["L1:"]);
}

#[test]
fn unknown_codes_are_reported_with_spans() {
    let source =
        "<!-- qbank-disable-next-line QB101, QB999 missing-tdlr -->\nx\n<!-- qbank-disable-file MOJIBAKE qb105 -->\n";
    let unknown = Suppressions::parse(source).unknown_codes(RULES);
    let texts: Vec<(&str, &str)> = unknown.iter().map(|(span, code)| (&source[span.range()], code.as_str())).collect();
    assert_eq!(texts, [("QB999", "QB999"), ("missing-tdlr", "missing-tdlr")]);
    assert_eq!(unknown[0].0, Span::new(36, 41));
}

#[test]
fn filter_drops_silenced_diagnostics() {
    let source = "<!-- qbank-disable-next-line QB101 -->\nheading\nother\n";
    let at = |needle: &str| source.find(needle).unwrap();
    let diagnostic = |code: &'static str, offset: usize| qbank_lint::Diagnostic {
        code,
        name: "n",
        severity: Severity::Error,
        message: String::new(),
        span: Span::empty(offset),
        question_id: None,
        related: Vec::new(),
        fix: None,
    };
    let kept = Suppressions::parse(source).filter(vec![
        diagnostic("QB101", at("heading")),
        diagnostic("QB104", at("heading")),
        diagnostic("QB101", at("other")),
    ]);
    let kept: Vec<(&str, usize)> = kept.iter().map(|d| (d.code, d.span.start)).collect();
    assert_eq!(kept, [("QB104", at("heading")), ("QB101", at("other"))]);
}

#[test]
fn unterminated_comments_and_odd_input_never_panic() {
    for source in ["<!-- qbank-disable", "<!--", "<!-- qbank-disable-next-line -->", "é<!-- qbank-enable é -->🚀", ""]
    {
        let suppressions = Suppressions::parse(source);
        for offset in 0..=source.len() + 2 {
            let _ = suppressions.is_suppressed("QB101", "missing-tldr", offset);
        }
        let _ = suppressions.unknown_codes(RULES);
    }
}

#[test]
fn a_reason_after_because_is_kept_and_is_not_a_rule() {
    let source = "<!-- qbank-disable-next-line QB101 because the TL;DR is the title, by design -->\nheading\n\
                  <!-- qbank-disable QB104 -->\nregion\n<!-- qbank-disable-next-line QB105 -->\nbare\n";
    let at = |needle: &str| source.find(needle).unwrap();
    let diagnostic = |code: &'static str, offset: usize| qbank_lint::Diagnostic {
        code,
        name: "n",
        severity: Severity::Error,
        message: String::new(),
        span: Span::empty(offset),
        question_id: None,
        related: Vec::new(),
        fix: None,
    };
    let suppressions = Suppressions::parse(source);
    // `because` and the words after it are not rule selectors.
    assert!(suppressions.unknown_codes(RULES).is_empty());
    assert!(!suppressions.is_suppressed("QB104", "mojibake", at("heading")), "only QB101 is named");
    let (kept, silenced) = suppressions.partition(vec![
        diagnostic("QB101", at("heading")),
        diagnostic("QB104", at("heading")),
        diagnostic("QB104", at("region")),
        diagnostic("QB105", at("bare")),
    ]);
    assert_eq!(kept.iter().map(|d| d.code).collect::<Vec<_>>(), ["QB104"]);
    let silenced: Vec<(&str, qbank_lint::SuppressedBy, Option<&str>)> =
        silenced.iter().map(|s| (s.diagnostic.code, s.by, s.justification.as_deref())).collect();
    assert_eq!(
        silenced,
        [
            ("QB101", qbank_lint::SuppressedBy::Comment, Some("the TL;DR is the title, by design")),
            ("QB104", qbank_lint::SuppressedBy::Comment, None),
            ("QB105", qbank_lint::SuppressedBy::Comment, None),
        ]
    );
}
