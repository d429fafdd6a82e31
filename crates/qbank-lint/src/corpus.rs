//! Checks across files: exact and near-duplicate questions anywhere in the corpus (QB301,
//! QB302), found with `qbank-dedup` and explained with scores and a word diff.

use std::collections::HashSet;

use qbank_core::{Parsed, Question};
use qbank_dedup::{DedupError, Item, Mode, PairKind, Thresholds, explain, find_duplicates};

use crate::config::Config;
use crate::rule::RuleMeta;
use crate::rules::{duplicate_question, near_duplicate_question};
use crate::suppress::Suppressions;
use crate::{Diagnostic, Related};

/// One parsed bank of the corpus, with the config that applies to it.
pub struct CorpusFile<'a> {
    /// The path as shown to people.
    pub path: &'a str,
    /// The path relative to the config's folder (for per-file ignores).
    pub relative_path: &'a str,
    pub source: &'a str,
    pub parsed: &'a Parsed,
    pub config: &'a Config,
}

/// Thresholds from `[dedup.thresholds]`: names `near`, `semantic`, `answer-weight`,
/// `answer-neutral`, `candidate`; an unknown name or a value outside 0–1 is an error.
pub fn thresholds(config: &Config) -> Result<Thresholds, String> {
    let mut t = Thresholds::default();
    for (name, value) in &config.dedup.thresholds {
        if !(0.0..=1.0).contains(value) {
            return Err(format!("[dedup.thresholds] {name} = {value}: thresholds are between 0 and 1"));
        }
        let v = *value as f32;
        match name.as_str() {
            "near" => t.near = v,
            "semantic" => t.semantic = v,
            "answer-weight" => t.answer_weight = v,
            "answer-neutral" => t.answer_neutral = v,
            "candidate" => t.candidate = v,
            other => {
                return Err(format!(
                    "[dedup.thresholds] unknown threshold `{other}`; known: near, semantic, answer-weight, answer-neutral, candidate"
                ));
            }
        }
    }
    Ok(t)
}

/// Where each compared item came from.
struct Origin<'a> {
    file: usize,
    question: &'a Question,
}

/// The dedup items of a set of banks, and where each came from.
fn items<'a>(files: &[CorpusFile<'a>]) -> (Vec<Item>, Vec<Origin<'a>>) {
    let mut items = Vec::new();
    let mut origins = Vec::new();
    for (file, f) in files.iter().enumerate() {
        for (i, q) in f.parsed.bank.questions().enumerate() {
            items.push(Item {
                key: format!("{}#{i}", f.path),
                question: q.question.clone(),
                answer: q.answer.clone(),
                tldr: q.tldr.clone().unwrap_or_default(),
            });
            origins.push(Origin { file, question: q });
        }
    }
    (items, origins)
}

/// Duplicate findings for every file, in the order of `files`. Each pair is reported once, on
/// its later question, with a related location at the earlier one.
pub fn check_corpus(
    files: &[CorpusFile<'_>],
    mode: &Mode,
    thresholds: &Thresholds,
) -> Result<Vec<Vec<Diagnostic>>, DedupError> {
    let mut out: Vec<Vec<Diagnostic>> = files.iter().map(|_| Vec::new()).collect();
    let enabled = |f: &CorpusFile<'_>, meta: &RuleMeta| {
        f.config.rule_setting(meta).severity.filter(|_| !f.config.is_ignored(f.relative_path, meta.code, meta.name))
    };
    if files.iter().all(|f| {
        enabled(f, &duplicate_question::RULE.meta).is_none()
            && enabled(f, &near_duplicate_question::RULE.meta).is_none()
    }) {
        return Ok(out);
    }
    let (items, origins) = items(files);
    let report = find_duplicates(&items, mode, thresholds)?;
    let allowed: HashSet<(String, String)> = files
        .iter()
        .flat_map(|f| f.config.dedup.allow.iter())
        .flat_map(|[a, b]| [(a.clone(), b.clone()), (b.clone(), a.clone())])
        .collect();
    for pair in &report.pairs {
        let (first, later) = (&origins[pair.a], &origins[pair.b]);
        if !first.question.id.is_empty() && allowed.contains(&(first.question.id.clone(), later.question.id.clone())) {
            continue;
        }
        let file = &files[later.file];
        let meta = match pair.kind {
            PairKind::Exact => &duplicate_question::RULE.meta,
            PairKind::Near => &near_duplicate_question::RULE.meta,
        };
        let Some(severity) = enabled(file, meta) else { continue };
        let other = &files[first.file];
        let place = if first.file == later.file { "above".to_string() } else { format!("in {}", other.path) };
        let message = match pair.kind {
            PairKind::Exact => {
                format!("same question as {} {place}: \"{}\"", first.question.number, first.question.question)
            }
            PairKind::Near => {
                let explanation = explain(&items[pair.a], &items[pair.b], pair, thresholds);
                let score = match pair.scores.semantic.filter(|_| pair.scores.combined < thresholds.near) {
                    Some(cosine) => format!("semantic {cosine:.2} ≥ {:.2}", thresholds.semantic),
                    None => format!("score {:.2} ≥ {:.2}", pair.scores.combined, thresholds.near),
                };
                format!(
                    "near duplicate of question {} {place} ({score}): {}",
                    first.question.number, explanation.word_diff
                )
            }
        };
        let diagnostic = Diagnostic {
            code: meta.code,
            name: meta.name,
            severity,
            message,
            span: later.question.spans.question,
            question_id: Some(later.question.id.clone()).filter(|id| !id.is_empty()),
            related: vec![Related {
                path: other.path.to_string(),
                span: first.question.spans.question,
                message: format!(
                    "question {} ({})",
                    first.question.number,
                    if first.question.id.is_empty() { "no id" } else { &first.question.id }
                ),
            }],
            fix: None,
        };
        out[later.file].push(diagnostic);
    }
    for (diagnostics, file) in out.iter_mut().zip(files) {
        let suppressions = Suppressions::parse(file.source);
        *diagnostics = suppressions.filter(std::mem::take(diagnostics));
    }
    Ok(out)
}
