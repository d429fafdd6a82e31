//! The fix engine: conflicts, insertion order, non-ASCII text, bad spans, idempotence, the
//! fix loop and unified diffs.

use qbank_core::Span;
use qbank_lint::fix::{FixedText, MAX_FIX_PASSES, apply_fixes, checked_edits, fix_until_stable, unified_diff};
use qbank_lint::{Applicability, Diagnostic, Edit, Fix, Severity};

fn with_fix(fix: Fix) -> Diagnostic {
    let start = fix.edits.first().map_or(0, |e| e.span.start);
    Diagnostic {
        code: "QB999",
        name: "test-rule",
        severity: Severity::Warning,
        message: String::new(),
        span: Span::empty(start),
        question_id: None,
        related: Vec::new(),
        fix: Some(fix),
    }
}

fn replace(start: usize, end: usize, text: &str) -> Diagnostic {
    with_fix(Fix::safe("replace", vec![Edit::replace(Span::new(start, end), text)]))
}

fn insert(at: usize, text: &str) -> Diagnostic {
    with_fix(Fix::safe("insert", vec![Edit::insert(at, text)]))
}

#[test]
fn overlapping_fixes_wait_for_the_next_pass() {
    let source = "abcdefghij";
    let diagnostics = [
        replace(2, 6, "X"),  // accepted
        replace(4, 8, "Y"),  // overlaps the first
        replace(8, 10, "Z"), // touches nothing
        insert(3, "!"),      // strictly inside the first
        insert(6, "+"),      // at the first's end: fine
    ];
    let result = apply_fixes(source, &diagnostics, Applicability::Safe);
    assert_eq!(result.output, "abX+ghZ");
    assert_eq!(result.applied, [0, 2, 4]);
    assert_eq!(result.skipped_conflicts, 2);
    assert_eq!(result.skipped_invalid, 0);
}

#[test]
fn insertions_at_one_offset_keep_diagnostic_order() {
    let source = "ab";
    let diagnostics = [insert(1, "1"), replace(1, 2, "B"), insert(1, "2"), insert(2, "3")];
    let result = apply_fixes(source, &diagnostics, Applicability::Safe);
    // Insertions go before a replacement starting at the same offset; among themselves, in order.
    assert_eq!(result.output, "a12B3");
    assert_eq!(result.applied, [0, 1, 2, 3]);
}

#[test]
fn identical_fixes_apply_once() {
    let diagnostics = [insert(0, "# Title\n"), insert(0, "# Title\n")];
    let result = apply_fixes("body\n", &diagnostics, Applicability::Safe);
    assert_eq!(result.output, "# Title\nbody\n");
    assert_eq!(result.applied, [0, 1]);
}

#[test]
fn multi_edit_fixes_apply_whole_or_not_at_all() {
    let source = "(a) [b]";
    let parens =
        with_fix(Fix::safe("brackets", vec![Edit::replace(Span::new(0, 1), "["), Edit::replace(Span::new(2, 3), "]")]));
    let conflicting =
        with_fix(Fix::safe("both", vec![Edit::replace(Span::new(6, 7), ")"), Edit::replace(Span::new(2, 3), "}")]));
    let result = apply_fixes(source, &[parens, conflicting], Applicability::Safe);
    assert_eq!(result.output, "[a] [b]");
    assert_eq!(result.applied, [0]);
    assert_eq!(result.skipped_conflicts, 1);
}

#[test]
fn unsafe_fixes_only_when_asked() {
    let source = "x";
    let diagnostics = [with_fix(Fix::unsafe_("risky", vec![Edit::replace(Span::new(0, 1), "y")]))];
    assert_eq!(apply_fixes(source, &diagnostics, Applicability::Safe).output, "x");
    assert_eq!(apply_fixes(source, &diagnostics, Applicability::Unsafe).output, "y");
}

#[test]
fn non_ascii_text_and_bad_spans() {
    let source = "Youâ€™ve 🚀 日本";
    let mojibake = source.find("â€™").unwrap();
    let rocket = source.find('🚀').unwrap();
    let diagnostics = [
        replace(mojibake, mojibake + "â€™".len(), "’"),
        replace(rocket + 1, rocket + 4, "x"),         // inside the rocket
        replace(source.len() - 1, source.len(), "x"), // inside 本
        replace(5, 99, "x"),                          // past the end
        replace(9, 3, "x"),                           // reversed
        with_fix(Fix::safe("nothing", vec![])),
        with_fix(Fix::safe(
            "self-overlapping",
            vec![Edit::replace(Span::new(0, 2), "a"), Edit::replace(Span::new(1, 3), "b")],
        )),
    ];
    let result = apply_fixes(source, &diagnostics, Applicability::Safe);
    assert_eq!(result.output, "You’ve 🚀 日本");
    assert_eq!(result.applied, [0]);
    assert_eq!(result.skipped_invalid, 6);
    assert!(checked_edits(source, &[Edit::insert(source.len(), "!")]).is_some());
}

#[test]
fn a_second_pass_changes_nothing() {
    // A toy checker: flags each "teh" and fixes it.
    let check = |text: &str| -> Vec<Diagnostic> {
        text.match_indices("teh").map(|(at, _)| replace(at, at + 3, "the")).collect()
    };
    let source = "teh cat and teh hat, tehteh";
    let first = apply_fixes(source, &check(source), Applicability::Safe);
    assert_eq!(first.output, "the cat and the hat, thethe");
    let second = apply_fixes(&first.output, &check(&first.output), Applicability::Safe);
    assert_eq!(second.output, first.output);
    assert!(second.applied.is_empty());
}

#[test]
fn the_fix_loop_applies_conflicting_fixes_in_later_passes() {
    // Two rules whose fixes overlap: capitalise the first letter, and bracket the whole text.
    // A pass applies one; the loop re-checks and applies the other.
    let check = |text: &str| -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if text.starts_with(|c: char| c.is_ascii_lowercase()) {
            found.push(replace(0, 1, &text[..1].to_uppercase()));
        }
        if !text.starts_with('[') {
            found.push(replace(0, text.len(), &format!("[{text}]")));
        }
        found
    };
    let fixed = fix_until_stable("abc", Applicability::Safe, check);
    assert_eq!(
        fixed,
        FixedText { output: "[Abc]".into(), remaining: vec![], fixes_applied: 2, passes: 2, converged: true }
    );
}

#[test]
fn the_fix_loop_stops_when_fixes_keep_undoing_each_other() {
    let check = |text: &str| -> Vec<Diagnostic> {
        if text == "a" { vec![replace(0, 1, "b")] } else { vec![replace(0, 1, "a")] }
    };
    let fixed = fix_until_stable("a", Applicability::Safe, check);
    assert!(!fixed.converged);
    assert_eq!(fixed.passes, MAX_FIX_PASSES);
    assert_eq!(fixed.output, "a");
    assert_eq!(fixed.remaining.len(), 1);
}

#[test]
fn the_fix_loop_runs_passes_until_stable() {
    // Every pass removes one leading `>`: converges after three passes.
    let check =
        |text: &str| -> Vec<Diagnostic> { if text.starts_with('>') { vec![replace(0, 1, "")] } else { vec![] } };
    let fixed = fix_until_stable(">>>x", Applicability::Safe, check);
    assert_eq!(
        fixed,
        FixedText { output: "x".into(), remaining: vec![], fixes_applied: 3, passes: 3, converged: true }
    );
}

#[test]
fn unified_diffs() {
    assert_eq!(unified_diff("banks/a.md", "same\n", "same\n"), "");
    let before = "# T\n\none\ntwo\nthree\nfour\nfive\nsix\nseven\n";
    let after = "# T\n\none\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight";
    assert_eq!(
        unified_diff("banks/a.md", before, after),
        "\
--- a/banks/a.md
+++ b/banks/a.md
@@ -2,8 +2,9 @@
 
 one
 two
-three
+THREE
 four
 five
 six
 seven
+eight
\\ No newline at end of file
"
    );
}
