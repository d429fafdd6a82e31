//! The formatter's promises (`docs/format.md`, "Idempotent" and "Lossless"), checked on one
//! text: what the round-trip tests, the `fmt_roundtrip` fuzz
//! target and the regression tests of its findings assert, in one place.

use std::collections::{BTreeMap, HashSet};

use crate::{Parsed, ShapeKind, Span, assign_ids, format_bank, format_source, parse};

/// Alphanumeric tokens with their counts: the words `fmt` must not lose.
pub fn tokens(text: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for token in text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
        *counts.entry(token.to_string()).or_insert(0) += 1;
    }
    counts
}

/// The words of `source` that `formatted` has fewer of, as `word: before → after`. Label words
/// and heading numbers are structure, not content, and are left out: `fmt` rewrites `Approach`
/// to `Answer`, `TL;dR` to `TL;DR`, `Examples` to `Example`, writes one `Answer` label for
/// several and none for an empty answer, and writes `07.` as `7.`. `first` is `parse(source)`.
pub fn lost_words(source: &str, formatted: &str, first: &Parsed) -> Vec<String> {
    let questions = || first.bank.questions();
    let rewritten: HashSet<String> = first
        .shapes
        .iter()
        .filter(|n| n.kind == ShapeKind::AnswerLabel)
        .map(|n| n.span)
        .chain(questions().filter_map(|q| q.spans.answer_label))
        .chain(questions().map(|q| q.spans.number))
        .chain(questions().filter_map(|q| Some(Span::new(q.spans.tldr?.start, q.spans.tldr_text?.start))))
        .chain(first.reading.structure.iter().copied())
        .flat_map(|span| tokens(span.slice(source)).into_keys())
        .collect();
    let after = tokens(formatted);
    tokens(source)
        .into_iter()
        .filter(|(token, count)| {
            after.get(token).copied().unwrap_or(0) < *count
                && !rewritten.contains(token)
                && !matches!(token.to_lowercase().as_str(), "answer" | "example" | "examples")
        })
        .map(|(token, count)| format!("{token}: {count} → {}", after.get(&token).copied().unwrap_or(0)))
        .collect()
}

/// Checks every promise of `formatted = fmt(source)`, where `first` is the parse
/// `format_source` returned with it, and returns `parse(formatted)`:
///
/// - `fmt(formatted) == formatted`, and `format_bank(parse(formatted)) == formatted` (for LF
///   text without a BOM, which `fmt` keeps as they were);
/// - `parse(formatted)` has no shape notes, no parse issues when `source` had none, and the
///   model of `parse(source)` with ids assigned;
/// - for a source without parse issues (bad front matter or metadata, which `fmt` drops with a
///   diagnostic), every word of `source` is still there ([`lost_words`]);
/// - every example's code is there byte for byte (with CRLF line ends in a CRLF file).
pub fn check(source: &str, formatted: &str, first: &Parsed) -> Result<Parsed, String> {
    let context = || format!("\n--- x\n{source}\n--- fmt(x)\n{formatted}");
    let mut model = first.bank.clone();
    assign_ids(&mut model, "fuzz", &mut HashSet::new());
    let second = parse(formatted);
    if !second.shapes.is_empty() {
        return Err(format!("canonical output has shape notes: {:?}{}", second.shapes, context()));
    }
    if first.issues.is_empty() && !second.issues.is_empty() {
        return Err(format!("canonical output has parse issues: {:?}{}", second.issues, context()));
    }
    let json = |bank: &crate::Bank| serde_json::to_value(bank).map_err(|e| e.to_string());
    if json(&second.bank)? != json(&model)? {
        return Err(format!("parse(fmt(x)) != parse(x){}", context()));
    }
    match format_source(formatted, "fuzz", &mut HashSet::new()) {
        Ok((again, _)) if again == formatted => {}
        Ok((again, _)) => return Err(format!("fmt is not idempotent{}\n--- fmt(fmt(x))\n{again}", context())),
        Err(e) => return Err(format!("fmt output is not a bank: {e}{}", context())),
    }
    if !formatted.contains('\r') && !formatted.starts_with('\u{feff}') && format_bank(&second.bank) != formatted {
        return Err(format!("format_bank(parse(fmt(x))) != fmt(x){}", context()));
    }
    if first.issues.is_empty() {
        let lost = lost_words(source, formatted, first);
        if !lost.is_empty() {
            return Err(format!("fmt lost words {lost:?}{}", context()));
        }
    }
    // A CRLF file stays CRLF; the model's code has LF, and may keep a lone `\r`, which must not
    // read as half of a CRLF.
    for code in first.bank.questions().flat_map(|q| &q.examples).filter_map(|e| e.code.as_deref()) {
        if !formatted.contains(code) && !formatted.contains(&code.replace('\n', "\r\n")) {
            return Err(format!("code lost: {code:?}{}", context()));
        }
    }
    Ok(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_word_is_reported_and_a_rewritten_label_is_not() {
        let source = "### 07. What is CI?\n\n**Approach:** Merge often.\n\n**TL;dr:** Merge.\n";
        let (formatted, first) = format_source(source, "fuzz", &mut HashSet::new()).unwrap();
        assert!(lost_words(source, &formatted, &first).is_empty(), "{formatted}");
        check(source, &formatted, &first).unwrap();
        let damaged = formatted.replace("Merge often", "Merge");
        assert_eq!(lost_words(source, &damaged, &first), ["often: 1 → 0"]);
        let error = check(source, &damaged, &first).unwrap_err();
        assert!(error.starts_with("parse(fmt(x)) != parse(x)"), "{error}");
    }
}
