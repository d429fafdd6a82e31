//! Checks across files: exact and near-duplicate questions anywhere in the corpus (QB301,
//! QB302), found with `qbank-dedup` and explained with scores and a word diff, and links to
//! questions that do not exist (QB401), which need every bank's ids.

use std::borrow::Cow;
use std::collections::HashSet;

use qbank_core::{Parsed, Question, Span};
use qbank_dedup::{DedupError, Explanation, Item, Mode, PairKind, Scores, Thresholds, explain, find_duplicates};

use crate::config::Config;
use crate::rule::RuleMeta;
use crate::rules::{broken_question_link, duplicate_question, near_duplicate_question};
use crate::suppress::Suppressions;
use crate::{Diagnostic, Related, Suppressed};

/// One bank of the corpus, with the config that applies to it.
pub struct CorpusFile<'a> {
    /// The path as shown to people.
    pub path: &'a str,
    /// The path relative to the config's folder (for per-file ignores).
    pub relative_path: &'a str,
    pub source: &'a str,
    /// The bank's questions, in document order ([`corpus_questions`] of its parse).
    pub questions: Vec<CorpusQuestion<'a>>,
    pub config: &'a Config,
}

/// What the cross-file pass needs of one question: the texts it compares and what a finding
/// says and points at. The language server keeps just these for the banks nobody has open,
/// not their whole parse.
#[derive(Clone, Copy, Debug)]
pub struct CorpusQuestion<'a> {
    pub id: &'a str,
    pub number: u32,
    pub question: &'a str,
    pub answer: &'a str,
    /// Empty when the question has none.
    pub tldr: &'a str,
    /// The question text inside the heading (`QuestionSpans::question`).
    pub span: Span,
}

impl<'a> CorpusQuestion<'a> {
    pub fn of(q: &'a Question) -> Self {
        CorpusQuestion {
            id: &q.id,
            number: q.number,
            question: &q.question,
            answer: &q.answer,
            tldr: q.tldr.as_deref().unwrap_or_default(),
            span: q.spans.question,
        }
    }
}

/// The [`CorpusFile::questions`] of a parsed bank.
pub fn corpus_questions(parsed: &Parsed) -> Vec<CorpusQuestion<'_>> {
    parsed.bank.questions().map(CorpusQuestion::of).collect()
}

/// A [`CorpusQuestion`] that owns its texts: what a run keeps of each bank for the cross-file
/// pass once the per-file checks are done, instead of the whole parse.
#[derive(Clone, Debug, Default)]
pub struct QuestionRecord {
    pub id: String,
    pub number: u32,
    pub question: String,
    pub answer: String,
    pub tldr: String,
    pub span: Span,
}

impl QuestionRecord {
    /// The records of a bank's questions, their texts moved out of the parse.
    pub fn take_all(parsed: Parsed) -> Vec<QuestionRecord> {
        let mut records = Vec::with_capacity(parsed.bank.question_count());
        for section in parsed.bank.sections {
            for q in section.questions {
                records.push(QuestionRecord {
                    id: q.id,
                    number: q.number,
                    question: q.question,
                    answer: q.answer,
                    tldr: q.tldr.unwrap_or_default(),
                    span: q.spans.question,
                });
            }
        }
        records
    }

    pub fn corpus(&self) -> CorpusQuestion<'_> {
        CorpusQuestion {
            id: &self.id,
            number: self.number,
            question: &self.question,
            answer: &self.answer,
            tldr: &self.tldr,
            span: self.span,
        }
    }
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
    /// Index among the bank's questions.
    index: usize,
    question: CorpusQuestion<'a>,
}

/// The dedup items of a set of banks, borrowing the parsed texts, and where each came from.
fn items<'a>(files: &[CorpusFile<'a>]) -> (Vec<Item<'a>>, Vec<Origin<'a>>) {
    let mut items = Vec::new();
    let mut origins = Vec::new();
    for (file, f) in files.iter().enumerate() {
        for (i, q) in f.questions.iter().enumerate() {
            items.push(Item {
                // Keys identify items in a `qbank_dedup::Index`; a one-off search needs none.
                key: Cow::Borrowed(""),
                question: Cow::Borrowed(q.question),
                answer: Cow::Borrowed(q.answer),
                tldr: Cow::Borrowed(q.tldr),
            });
            origins.push(Origin { file, index: i, question: *q });
        }
    }
    (items, origins)
}

/// One duplicate pair of the corpus: where both questions are, and why they are a pair.
#[derive(Debug, Clone)]
pub struct CorpusPair {
    /// The earlier question: (index in `files`, index among the bank's questions).
    pub first: (usize, usize),
    /// The later question, on which the finding is reported.
    pub later: (usize, usize),
    pub kind: PairKind,
    pub scores: Scores,
    /// The word diff from the earlier question to the later one, and each score.
    pub explanation: Explanation,
}

/// What [`check_corpus_pairs`] finds.
#[derive(Debug, Default)]
pub struct CorpusFindings {
    /// Per file, in the order of `files`: its QB301/QB302 findings and its QB401 ones.
    pub diagnostics: Vec<Vec<Diagnostic>>,
    /// Per file, in the order of `files`: the findings a `qbank-disable` comment silenced.
    pub suppressed: Vec<Vec<Suppressed>>,
    /// Every pair not allowed by `[dedup] allow`, whether or not its rule is enabled (the
    /// language server shows them on hover), sorted by (first, later).
    pub pairs: Vec<CorpusPair>,
}

/// Duplicate and broken-link findings for every file, in the order of `files`. Each pair is
/// reported once, on its later question, with a related location at the earlier one.
pub fn check_corpus(
    files: &[CorpusFile<'_>],
    mode: &Mode,
    thresholds: &Thresholds,
) -> Result<Vec<Vec<Diagnostic>>, DedupError> {
    Ok(check_corpus_with_suppressed(files, mode, thresholds)?.0)
}

/// Per file, in the order of the files: the findings kept, and those a comment silenced.
pub type SplitFindings = (Vec<Vec<Diagnostic>>, Vec<Vec<Suppressed>>);

/// [`check_corpus`], also returning per file the findings a `qbank-disable` comment silenced.
pub fn check_corpus_with_suppressed(
    files: &[CorpusFile<'_>],
    mode: &Mode,
    thresholds: &Thresholds,
) -> Result<SplitFindings, DedupError> {
    let enabled = |f: &CorpusFile<'_>| {
        [&duplicate_question::RULE.meta, &near_duplicate_question::RULE.meta].iter().any(|meta| {
            f.config.rule_setting(meta).severity.is_some()
                && !f.config.is_ignored(f.relative_path, meta.code, meta.name)
        })
    };
    if !files.iter().any(enabled) {
        let mut found: Vec<Vec<Diagnostic>> = files.iter().map(|_| Vec::new()).collect();
        add_link_findings(files, &mut found);
        return Ok((found, files.iter().map(|_| Vec::new()).collect()));
    }
    let found = check_corpus_pairs(files, mode, thresholds)?; // links included
    Ok((found.diagnostics, found.suppressed))
}

/// [`check_corpus`], with the pairs behind the findings: one duplicate search for both.
pub fn check_corpus_pairs(
    files: &[CorpusFile<'_>],
    mode: &Mode,
    thresholds: &Thresholds,
) -> Result<CorpusFindings, DedupError> {
    let mut out: Vec<Vec<Diagnostic>> = files.iter().map(|_| Vec::new()).collect();
    let enabled = |f: &CorpusFile<'_>, meta: &RuleMeta| {
        f.config.rule_setting(meta).severity.filter(|_| !f.config.is_ignored(f.relative_path, meta.code, meta.name))
    };
    let (items, origins) = items(files);
    let report = find_duplicates(&items, mode, thresholds)?;
    let allowed: HashSet<(&str, &str)> = files
        .iter()
        .flat_map(|f| f.config.dedup.allow.iter())
        .flat_map(|[a, b]| [(a.as_str(), b.as_str()), (b.as_str(), a.as_str())])
        .collect();
    let mut pairs = Vec::with_capacity(report.pairs.len());
    for pair in &report.pairs {
        let (first, later) = (&origins[pair.a], &origins[pair.b]);
        if !first.question.id.is_empty() && allowed.contains(&(first.question.id, later.question.id)) {
            continue;
        }
        let explanation = explain(&items[pair.a], &items[pair.b], pair, thresholds);
        pairs.push(CorpusPair {
            first: (first.file, first.index),
            later: (later.file, later.index),
            kind: pair.kind,
            scores: pair.scores,
            explanation,
        });
        let explanation = &pairs.last().expect("just pushed").explanation;
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
            span: later.question.span,
            question_id: Some(later.question.id.to_string()).filter(|id| !id.is_empty()),
            related: vec![Related {
                path: other.path.to_string(),
                span: first.question.span,
                message: format!(
                    "question {} ({})",
                    first.question.number,
                    if first.question.id.is_empty() { "no id" } else { first.question.id }
                ),
            }],
            fix: None,
        };
        out[later.file].push(diagnostic);
    }
    let mut suppressed = Vec::with_capacity(files.len());
    for (diagnostics, file) in out.iter_mut().zip(files) {
        let (kept, silenced) = Suppressions::parse(file.source).partition(std::mem::take(diagnostics));
        *diagnostics = kept;
        suppressed.push(silenced);
    }
    add_link_findings(files, &mut out);
    Ok(CorpusFindings { diagnostics: out, suppressed, pairs })
}

/// QB401 `broken-question-link` (it needs every bank's ids, so it runs here), merged into each
/// file's findings in source order.
fn add_link_findings(files: &[CorpusFile<'_>], found: &mut [Vec<Diagnostic>]) {
    for (diagnostics, links) in found.iter_mut().zip(broken_question_link::check(files)) {
        if !links.is_empty() {
            diagnostics.extend(links);
            diagnostics.sort_by(|a, b| (a.span.start, a.code, a.span.end).cmp(&(b.span.start, b.code, b.span.end)));
        }
    }
}
