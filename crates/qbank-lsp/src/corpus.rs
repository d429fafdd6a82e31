//! The cross-file pass: duplicate (QB301) and near-duplicate (QB302) questions among every
//! indexed bank, found by the same search `qbank check` runs ([`qbank_lint::corpus::check_corpus_pairs`],
//! mode and thresholds from the first file's config, as the CLI takes them), plus the duplicate
//! links hover, go-to-definition, the "Go to duplicate" action and `qbank.duplicates` show.
//!
//! The pass compares the whole corpus, so it is too slow to run per keystroke on a large
//! workspace (100k questions): the server runs it on a blocking thread, debounced (see
//! [`crate::server`]), and publishes each document's own findings immediately.

use std::sync::Arc;

use qbank_dedup::{Mode, PairKind, Thresholds};
use qbank_lint::Diagnostic;
use qbank_lint::corpus::{CorpusFile, check_corpus_pairs};
use tower_lsp_server::ls_types::Uri;

use crate::analysis::Analysis;

/// One duplicate of a question, somewhere in the workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub uri: Uri,
    /// The other question's index in its document ([`Analysis::questions`]).
    pub question: usize,
    pub kind: PairKind,
    /// The combined lexical score (1 for exact duplicates), or the semantic cosine when only
    /// that reached its threshold.
    pub score: f32,
    /// The question texts' own similarity (rarity-weighted word cosine), before answers and
    /// TL;DRs move it.
    pub question_score: f32,
    /// `[-removed-]{+added+}` from the earlier question to the later one.
    pub word_diff: String,
    /// Each score against its threshold, then the verdict ([`qbank_dedup::Explanation`]).
    pub explanation: Vec<String>,
}

/// The pass's result for one indexed bank.
#[derive(Clone, Debug, Default)]
pub struct FileFindings {
    /// QB301/QB302 findings reported on this file, exactly as `check_corpus` gives them.
    pub diagnostics: Vec<Diagnostic>,
    /// Per question (document order): its duplicates, best first.
    pub links: Vec<Vec<Link>>,
}

/// The mode the client settings ask for: semantic only with a model directory.
pub fn mode(dedup: &crate::settings::DedupSettings) -> Mode {
    match (&*dedup.mode, &dedup.model) {
        ("semantic", Some(model)) => Mode::Semantic { model_dir: model.into(), cache_file: None },
        _ => Mode::Lexical,
    }
}

/// Runs the pass over `files` (sorted by uri). Problems (a bad threshold, a model that does not
/// load) are returned as text; the pass then falls back to defaults (lexical mode).
pub fn run(files: &[(Uri, Arc<Analysis>)], mode: &Mode) -> (Vec<FileFindings>, Vec<String>) {
    let mut problems = Vec::new();
    let thresholds = match files.first().map(|(_, a)| qbank_lint::corpus::thresholds(&a.config)) {
        Some(Err(e)) => {
            problems.push(format!("invalid config: {e}"));
            Thresholds::default()
        }
        Some(Ok(t)) => t,
        None => Thresholds::default(),
    };
    let corpus: Vec<CorpusFile<'_>> = files
        .iter()
        .map(|(_, a)| CorpusFile {
            path: &a.path,
            relative_path: &a.relative_path,
            source: &a.text,
            questions: a.corpus_questions(),
            config: &a.config,
        })
        .collect();
    let findings = match check_corpus_pairs(&corpus, mode, &thresholds) {
        Ok(found) => found,
        Err(e) => {
            problems.push(format!("duplicate detection: {e}; falling back to lexical mode"));
            check_corpus_pairs(&corpus, &Mode::Lexical, &thresholds).unwrap_or_default()
        }
    };
    let mut out: Vec<FileFindings> = files
        .iter()
        .zip(findings.diagnostics.into_iter().chain(std::iter::repeat_with(Vec::new)))
        .map(|((_, a), diagnostics)| FileFindings { diagnostics, links: vec![Vec::new(); a.questions.len()] })
        .collect();

    // The links: each pair of the same search, in both directions.
    for pair in findings.pairs {
        let score = match pair.kind {
            PairKind::Exact => 1.0,
            PairKind::Near => match pair.scores.semantic.filter(|_| pair.scores.combined < thresholds.near) {
                Some(cosine) => cosine,
                None => pair.scores.combined,
            },
        };
        let link = |(file, question): (usize, usize)| Link {
            uri: files[file].0.clone(),
            question,
            kind: pair.kind,
            score,
            question_score: pair.scores.question,
            word_diff: pair.explanation.word_diff.clone(),
            explanation: pair.explanation.lines.clone(),
        };
        let ((fa, qa), (fb, qb)) = (pair.first, pair.later);
        if let Some(slot) = out[fa].links.get_mut(qa) {
            slot.push(link(pair.later));
        }
        if let Some(slot) = out[fb].links.get_mut(qb) {
            slot.push(link(pair.first));
        }
    }
    for file in &mut out {
        for links in &mut file.links {
            links.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.uri.as_str().cmp(b.uri.as_str())));
        }
    }
    (out, problems)
}
