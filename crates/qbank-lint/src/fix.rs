//! The fix engine: applies the fixes diagnostics carry to a source text, skipping fixes that
//! conflict or point outside the text, and renders unified diffs for `--diff`.

use std::collections::{BTreeMap, BTreeSet};

use qbank_core::Span;
use similar::TextDiff;

use crate::{Applicability, Diagnostic, Edit};

/// How many check → fix rounds [`fix_until_stable`] runs at most.
pub const MAX_FIX_PASSES: usize = 10;

/// What one [`apply_fixes`] pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixResult {
    /// The text with the accepted fixes applied.
    pub output: String,
    /// Indices (into the diagnostics given) of the diagnostics whose fix was applied, ascending.
    /// A fix identical to one already applied counts as applied too.
    pub applied: Vec<usize>,
    /// Fixes left out because they overlap a fix accepted before them; after a re-check the
    /// next pass may apply them.
    pub skipped_conflicts: usize,
    /// Fixes left out because an edit is outside the text, not on a character boundary,
    /// reversed, or overlaps another edit of the same fix; or the fix has no edits.
    pub skipped_invalid: usize,
}

/// Applies, in one pass, every fix at most as risky as `level` (`Safe`: safe fixes only;
/// `Unsafe`: safe and unsafe fixes).
///
/// Fixes are taken in order of their first edit (then diagnostic order); a fix whose edits
/// overlap an accepted edit is skipped for this pass. Two insertions at the same offset are
/// both applied, in that order; an insertion where a replacement starts goes before it. A bad
/// edit (outside the text, inside a UTF-8 character) makes its whole fix invalid: skipped,
/// never a panic.
pub fn apply_fixes(source: &str, diagnostics: &[Diagnostic], level: Applicability) -> FixResult {
    let mut result = FixResult::default();
    let mut candidates = Vec::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        let Some(fix) = &diagnostic.fix else { continue };
        if !fix.applies_at(level) {
            continue;
        }
        match checked_edits(source, &fix.edits) {
            Some(edits) => candidates.push((index, edits)),
            None => result.skipped_invalid += 1,
        }
    }
    candidates.sort_by_key(|(index, edits)| (edits[0].span.start, edits[0].span.end, *index));

    // Accepted edits keyed by (start, end, acceptance order); they never conflict pairwise.
    let mut accepted: BTreeMap<(usize, usize, usize), &Edit> = BTreeMap::new();
    let mut accepted_fixes: BTreeSet<Vec<(usize, usize, &str)>> = BTreeSet::new();
    for (index, edits) in candidates {
        let signature: Vec<_> = edits.iter().map(|e| (e.span.start, e.span.end, e.replacement.as_str())).collect();
        if accepted_fixes.contains(&signature) {
            result.applied.push(index);
            continue;
        }
        if edits.iter().any(|edit| conflicts_with_accepted(&accepted, edit.span)) {
            result.skipped_conflicts += 1;
            continue;
        }
        for edit in edits {
            let order = accepted.len();
            accepted.insert((edit.span.start, edit.span.end, order), edit);
        }
        accepted_fixes.insert(signature);
        result.applied.push(index);
    }
    result.applied.sort_unstable();

    let mut output = String::with_capacity(source.len());
    let mut cursor = 0;
    for edit in accepted.values() {
        output.push_str(&source[cursor..edit.span.start]);
        output.push_str(&edit.replacement);
        cursor = edit.span.end;
    }
    output.push_str(&source[cursor..]);
    result.output = output;
    result
}

/// The edits of one fix sorted by position, or `None` when the fix cannot be applied to
/// `source`: no edits, an edit reversed, outside the text or not on char boundaries, or two
/// edits of the fix overlapping.
pub fn checked_edits<'e>(source: &str, edits: &'e [Edit]) -> Option<Vec<&'e Edit>> {
    if edits.is_empty() {
        return None;
    }
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    for edit in &sorted {
        let Span { start, end } = edit.span;
        if start > end || end > source.len() || !source.is_char_boundary(start) || !source.is_char_boundary(end) {
            return None;
        }
    }
    if sorted.windows(2).any(|pair| edits_conflict(pair[0].span, pair[1].span)) {
        return None;
    }
    Some(sorted)
}

/// Whether two edits cannot both apply: their ranges share a byte, or an insertion falls
/// strictly inside a replaced range. Touching ranges and insertions at the same offset are fine.
pub fn edits_conflict(a: Span, b: Span) -> bool {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => false,
        (true, false) => b.start < a.start && a.start < b.end,
        (false, true) => a.start < b.start && b.start < a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

fn conflicts_with_accepted(accepted: &BTreeMap<(usize, usize, usize), &Edit>, span: Span) -> bool {
    // Accepted edits are pairwise compatible, so among those starting before `span` only the
    // last one can reach into it.
    if let Some((_, edit)) = accepted.range(..(span.start, 0, 0)).next_back()
        && edits_conflict(edit.span, span)
    {
        return true;
    }

    accepted
        .range((span.start, 0, 0)..=(span.end, usize::MAX, usize::MAX))
        .any(|(_, edit)| edits_conflict(edit.span, span))
}

/// The end of a [`fix_until_stable`] loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedText {
    /// The text after all passes.
    pub output: String,
    /// The diagnostics of `output` (the last check).
    pub remaining: Vec<Diagnostic>,
    /// Fixes applied over all passes.
    pub fixes_applied: usize,
    /// Passes that changed the text.
    pub passes: usize,
    /// False when [`MAX_FIX_PASSES`] passes still left applicable fixes (fixes that keep
    /// undoing each other, usually).
    pub converged: bool,
}

/// Check → fix → check until no fix applies or the text stops changing, at most
/// [`MAX_FIX_PASSES`] passes. `check` is the checker for this one file.
pub fn fix_until_stable(
    source: &str,
    level: Applicability,
    mut check: impl FnMut(&str) -> Vec<Diagnostic>,
) -> FixedText {
    let mut text = source.to_owned();
    let mut fixes_applied = 0;
    let mut passes = 0;
    loop {
        let diagnostics = check(&text);
        let converged_with = |text, diagnostics, converged| FixedText {
            output: text,
            remaining: diagnostics,
            fixes_applied,
            passes,
            converged,
        };
        if passes == MAX_FIX_PASSES {
            let pending = apply_fixes(&text, &diagnostics, level);
            let converged = pending.applied.is_empty() || pending.output == text;
            return converged_with(text, diagnostics, converged);
        }
        let result = apply_fixes(&text, &diagnostics, level);
        if result.applied.is_empty() || result.output == text {
            return converged_with(text, diagnostics, true);
        }
        fixes_applied += result.applied.len();
        passes += 1;
        text = result.output;
    }
}

/// A unified diff (`--- a/path`, `+++ b/path`, three lines of context) from `before` to
/// `after`; empty when they are equal.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let diff = TextDiff::from_lines(before, after);
    diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}
