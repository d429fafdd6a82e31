//! The cross-file pass: duplicate (QB301) and near-duplicate (QB302) questions among every
//! indexed bank, found by the same call `qbank check` makes ([`qbank_lint::corpus::check_corpus`],
//! mode and thresholds from the first file's config, as the CLI takes them), plus the duplicate
//! links hover, go-to-definition, the "Go to duplicate" action and `qbank.duplicates` show.
//!
//! The pass compares the whole corpus, so it is too slow to run per keystroke on a large
//! workspace (100k questions): the server runs it on a blocking thread, debounced (see
//! [`crate::server`]), and publishes each document's own findings immediately.

use std::collections::HashSet;
use std::sync::Arc;

use qbank_dedup::{Item, Mode, PairKind, Thresholds, explain, find_duplicates};
use qbank_lint::Diagnostic;
use qbank_lint::corpus::{CorpusFile, check_corpus};
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
            parsed: &a.parsed,
            config: &a.config,
        })
        .collect();
    let (diagnostics, mode) = match check_corpus(&corpus, mode, &thresholds) {
        Ok(found) => (found, mode.clone()),
        Err(e) => {
            problems.push(format!("duplicate detection: {e}; falling back to lexical mode"));
            (check_corpus(&corpus, &Mode::Lexical, &thresholds).unwrap_or_default(), Mode::Lexical)
        }
    };
    let mut out: Vec<FileFindings> = files
        .iter()
        .zip(diagnostics.into_iter().chain(std::iter::repeat_with(Vec::new)))
        .map(|((_, a), diagnostics)| FileFindings {
            diagnostics,
            links: vec![Vec::new(); a.parsed.bank.question_count()],
        })
        .collect();

    // The links: one `find_duplicates` over the same items, each pair in both directions.
    let mut items = Vec::new();
    let mut origins: Vec<(usize, usize, &str)> = Vec::new();
    for (file, (_, a)) in files.iter().enumerate() {
        for (i, q) in a.parsed.bank.questions().enumerate() {
            items.push(Item {
                key: format!("{}#{i}", a.path),
                question: q.question.clone(),
                answer: q.answer.clone(),
                tldr: q.tldr.clone().unwrap_or_default(),
            });
            origins.push((file, i, q.id.as_str()));
        }
    }
    let Ok(report) = find_duplicates(&items, &mode, &thresholds) else { return (out, problems) };
    let allowed: HashSet<(&str, &str)> = files
        .iter()
        .flat_map(|(_, a)| a.config.dedup.allow.iter())
        .flat_map(|[a, b]| [(a.as_str(), b.as_str()), (b.as_str(), a.as_str())])
        .collect();
    for pair in &report.pairs {
        let ((fa, qa, ida), (fb, qb, idb)) = (origins[pair.a], origins[pair.b]);
        if !ida.is_empty() && allowed.contains(&(ida, idb)) {
            continue;
        }
        let explanation = explain(&items[pair.a], &items[pair.b], pair, &thresholds);
        let score = match pair.kind {
            PairKind::Exact => 1.0,
            PairKind::Near => match pair.scores.semantic.filter(|_| pair.scores.combined < thresholds.near) {
                Some(cosine) => cosine,
                None => pair.scores.combined,
            },
        };
        let link = |file: usize, question: usize| Link {
            uri: files[file].0.clone(),
            question,
            kind: pair.kind,
            score,
            question_score: pair.scores.question,
            word_diff: explanation.word_diff.clone(),
            explanation: explanation.lines.clone(),
        };
        if let Some(slot) = out[fa].links.get_mut(qa) {
            slot.push(link(fb, qb));
        }
        if let Some(slot) = out[fb].links.get_mut(qb) {
            slot.push(link(fa, qa));
        }
    }
    for file in &mut out {
        for links in &mut file.links {
            links.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.uri.as_str().cmp(b.uri.as_str())));
        }
    }
    (out, problems)
}
