//! Fuzz target `fix_engine`: any text → `check_source` with every rule on (the default
//! configuration), then the fix engine as `qbank check --fix` (safe fixes) and the editor's
//! code actions (unsafe too) use it. Properties (the promises of
//! `crates/qbank-lint/src/fix.rs`):
//!
//! - nothing panics; every diagnostic, related and fix span is inside the text on character
//!   boundaries, so no fix the rules offer is skipped as invalid;
//! - one `apply_fixes` pass: applied indices ascend, every fix is applied, skipped as a
//!   conflict or invalid (counts add up), applied fixes never overlap, every skipped conflict
//!   does overlap an applied fix, and the output is the applied edits spliced in order;
//! - `fix_until_stable`: at most `MAX_FIX_PASSES` passes, converges, `remaining` is the check
//!   of its output, a second fix pass changes nothing, the output still parses (spans valid)
//!   and is still a bank when the input was one.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use qbank_core::parse;
use qbank_fuzz::{assert_parsed_spans, assert_span, text_from_bytes};
use qbank_lint::check::{FileInfo, check_parsed, check_source};
use qbank_lint::fix::{MAX_FIX_PASSES, apply_fixes, checked_edits, edits_conflict, fix_until_stable, unified_diff};
use qbank_lint::{Applicability, Config, Diagnostic, Edit};

const FILE: FileInfo<'static> = FileInfo { path: "fuzz.md", relative_path: "fuzz.md" };

fuzz_target!(|data: &[u8]| {
    let source = text_from_bytes(data);
    let config = Config::default();
    let report = check_source(FILE, &source, &config);
    for d in &report.diagnostics {
        assert_span(&source, d.span, d.code);
        for related in d.related.iter().filter(|r| r.path == FILE.path) {
            assert_span(&source, related.span, d.code);
        }
        if let Some(fix) = &d.fix {
            assert!(checked_edits(&source, &fix.edits).is_some(), "{}: invalid fix {fix:?}", d.code);
        }
    }

    let levels: &[Applicability] =
        if data.len() % 2 == 0 { &[Applicability::Safe] } else { &[Applicability::Safe, Applicability::Unsafe] };
    for &level in levels {
        check_one_pass(&source, &report.diagnostics, level);
        check_fix_loop(&source, level, &config);
    }
});

fn at_level(d: &Diagnostic, level: Applicability) -> bool {
    d.fix.as_ref().is_some_and(|f| f.applies_at(level))
}

fn sorted_edits(edits: &[Edit]) -> Vec<&Edit> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    sorted
}

fn check_one_pass(source: &str, diagnostics: &[Diagnostic], level: Applicability) {
    let result = apply_fixes(source, diagnostics, level);
    let offered: Vec<usize> = (0..diagnostics.len()).filter(|&i| at_level(&diagnostics[i], level)).collect();
    assert!(result.applied.windows(2).all(|w| w[0] < w[1]), "applied not ascending: {:?}", result.applied);
    assert!(result.applied.iter().all(|i| offered.contains(i)), "applied a fix not offered at {level:?}");
    assert_eq!(
        result.applied.len() + result.skipped_conflicts + result.skipped_invalid,
        offered.len(),
        "every fix is applied or skipped once"
    );
    assert_eq!(result.skipped_invalid, 0, "rules offered invalid fixes");

    // The applied fixes in acceptance order (first edit, then diagnostic order); identical
    // fixes count once.
    let mut applied: Vec<usize> = result.applied.clone();
    let key = |i: &usize| {
        let first = sorted_edits(&diagnostics[*i].fix.as_ref().unwrap().edits)[0].span;
        (first.start, first.end, *i)
    };
    applied.sort_by_key(key);
    let mut seen = BTreeSet::new();
    let mut edits: Vec<(usize, usize, usize, &Edit)> = Vec::new();
    for &i in &applied {
        let fix_edits = sorted_edits(&diagnostics[i].fix.as_ref().unwrap().edits);
        let signature: Vec<(usize, usize, String)> =
            fix_edits.iter().map(|e| (e.span.start, e.span.end, e.replacement.clone())).collect();
        if seen.insert(signature) {
            for edit in fix_edits {
                edits.push((edit.span.start, edit.span.end, edits.len(), edit));
            }
        }
    }
    for (n, a) in edits.iter().enumerate() {
        for b in &edits[n + 1..] {
            assert!(!edits_conflict(a.3.span, b.3.span), "applied fixes overlap: {:?} and {:?}", a.3, b.3);
        }
    }
    for (i, d) in diagnostics.iter().enumerate() {
        if offered.contains(&i) && !result.applied.contains(&i) {
            let own = &d.fix.as_ref().unwrap().edits;
            assert!(
                own.iter().any(|e| edits.iter().any(|a| edits_conflict(a.3.span, e.span))),
                "fix {i} was skipped but overlaps no applied fix"
            );
        }
    }
    edits.sort_by_key(|(start, end, order, _)| (*start, *end, *order));
    let mut expected = String::new();
    let mut cursor = 0;
    for (start, end, _, edit) in &edits {
        expected.push_str(&source[cursor..*start]);
        expected.push_str(&edit.replacement);
        cursor = *end;
    }
    expected.push_str(&source[cursor..]);
    assert_eq!(result.output, expected, "the output is not the applied edits spliced in");
}

fn check_fix_loop(source: &str, level: Applicability, config: &Config) {
    let check = |text: &str| check_parsed(FILE, text, &parse(text), config);
    let fixed = fix_until_stable(source, level, check);
    assert!(fixed.passes <= MAX_FIX_PASSES);
    assert!(fixed.converged, "fixes did not converge in {MAX_FIX_PASSES} passes at {level:?}");
    if fixed.fixes_applied == 0 {
        assert_eq!(fixed.output, source);
    }
    let again = check(&fixed.output);
    assert_eq!(fixed.remaining, again, "`remaining` is not the check of the output");
    let second = apply_fixes(&fixed.output, &again, level);
    assert!(
        second.applied.is_empty() || second.output == fixed.output,
        "a second fix pass changed the text at {level:?}\n--- fixed\n{}\n--- again\n{}",
        fixed.output,
        second.output
    );
    let before = parse(source);
    let after = parse(&fixed.output);
    assert_parsed_spans(&fixed.output, &after);
    if before.is_bank() {
        assert!(after.is_bank(), "fixes turned a bank into a non-bank\n--- fixed\n{}", fixed.output);
    }
    let diff = unified_diff("fuzz.md", source, &fixed.output);
    assert_eq!(diff.is_empty(), source == fixed.output);
}
