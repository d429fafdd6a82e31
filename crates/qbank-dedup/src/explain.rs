//! Explanations for people: a word diff of two questions and each score against its threshold.

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::{Item, Pair, PairKind, Thresholds};

/// Why a pair was (or was not) reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The questions as one text: `[-removed-]{+added+}` mark the differences (see
    /// [`word_diff`]).
    pub word_diff: String,
    /// One line per score, each with its threshold, then the verdict.
    pub lines: Vec<String>,
}

/// Explains `pair`, whose scores were computed for items `a` and `b`.
pub fn explain(a: &Item, b: &Item, pair: &Pair, thresholds: &Thresholds) -> Explanation {
    let s = &pair.scores;
    let mut lines = Vec::new();
    lines.push(match pair.kind {
        PairKind::Exact => "exact: the normalised questions are equal".to_owned(),
        PairKind::Near => "exact: no, the normalised questions differ".to_owned(),
    });
    lines.push(format!("question {:.2}: rarity-weighted word cosine (template words count little)", s.question));
    lines.push(optional("answer", s.answer, "an answer is empty"));
    lines.push(optional("tldr", s.tldr, "a TL;DR is empty"));
    let adjustment = s.body_adjustment(thresholds);
    lines.push(format!(
        "combined {:.2} {} near {:.2}: question {:.2} {:+.2} from answers (weight {:.2}, neutral {:.2})",
        s.combined,
        compare(s.combined, thresholds.near),
        thresholds.near,
        s.question,
        adjustment,
        thresholds.answer_weight,
        thresholds.answer_neutral,
    ));
    if let (Some(cosine), Some(adjusted)) = (s.semantic, s.semantic_combined(thresholds)) {
        lines.push(format!(
            "semantic {:.2} {} semantic {:.2}: embedding cosine {:.2} {:+.2} from answers",
            adjusted,
            compare(adjusted, thresholds.semantic),
            thresholds.semantic,
            cosine,
            adjustment,
        ));
    }
    let lexical = s.combined >= thresholds.near;
    let semantic = s.semantic_combined(thresholds).is_some_and(|v| v >= thresholds.semantic);
    lines.push(
        match (pair.kind, lexical, semantic) {
            (PairKind::Exact, _, _) => "verdict: exact duplicate",
            (PairKind::Near, true, true) => "verdict: near duplicate (lexical and semantic)",
            (PairKind::Near, true, false) => "verdict: near duplicate (lexical)",
            (PairKind::Near, false, true) => "verdict: near duplicate (semantic)",
            (PairKind::Near, false, false) => "verdict: not a duplicate",
        }
        .to_owned(),
    );
    Explanation { word_diff: word_diff(&a.question, &b.question), lines }
}

fn optional(name: &str, value: Option<f32>, missing: &str) -> String {
    match value {
        Some(v) => format!("{name} {v:.2}: TF-IDF cosine"),
        None => format!("{name} n/a: {missing}"),
    }
}

fn compare(value: f32, threshold: f32) -> &'static str {
    if value >= threshold { ">=" } else { "<" }
}

/// A word-level diff of two texts, whitespace collapsed: runs of changed words are shown as
/// `[-old words-]{+new words+}`, everything else once.
///
/// ```
/// assert_eq!(
///     qbank_dedup::word_diff(
///         "How do you handle rollbacks in production?",
///         "How do you handle rollbacks in a production environment?",
///     ),
///     "How do you handle rollbacks in [-production?-]{+a production environment?+}"
/// );
/// ```
pub fn word_diff(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.split_whitespace().collect();
    let new: Vec<&str> = new.split_whitespace().collect();
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
    let mut parts: Vec<String> = Vec::new();
    let (mut removed, mut added): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |parts: &mut Vec<String>, removed: &mut Vec<&str>, added: &mut Vec<&str>| {
        let mut change = String::new();
        if !removed.is_empty() {
            change.push_str(&format!("[-{}-]", removed.join(" ")));
        }
        if !added.is_empty() {
            change.push_str(&format!("{{+{}+}}", added.join(" ")));
        }
        if !change.is_empty() {
            parts.push(change);
        }
        removed.clear();
        added.clear();
    };
    for op in ops {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                flush(&mut parts, &mut removed, &mut added);
                parts.extend(old[old_index..old_index + len].iter().map(|w| (*w).to_owned()));
            }
            DiffOp::Delete { old_index, old_len, .. } => removed.extend(&old[old_index..old_index + old_len]),
            DiffOp::Insert { new_index, new_len, .. } => added.extend(&new[new_index..new_index + new_len]),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                removed.extend(&old[old_index..old_index + old_len]);
                added.extend(&new[new_index..new_index + new_len]);
            }
        }
    }
    flush(&mut parts, &mut removed, &mut added);
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjacent_changes_merge_into_one_group() {
        assert_eq!(word_diff("a b c", "x y c"), "[-a b-]{+x y+} c");
        assert_eq!(word_diff("a b c", "a c"), "a [-b-] c");
        assert_eq!(word_diff("a  c", "a b c"), "a {+b+} c");
        assert_eq!(word_diff("same", "same"), "same");
        assert_eq!(word_diff("", "new words"), "{+new words+}");
    }
}
