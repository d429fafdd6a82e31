//! Near-duplicate detection for questions: normalisation, candidates, scoring, clustering, explanations.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`normalize`]: Markdown stripped, NFKC, lower-cased, stop words dropped, stemmed.
//!    Equal normalised questions are [`PairKind::Exact`] duplicates.
//! 2. `candidates`: pairs worth scoring, found without comparing all pairs: a prefix-filtered
//!    inverted index over rarity-weighted question words (plus one-deletion keys of long words,
//!    for typos), MinHash LSH over answer word shingles (copied answers), and embedding
//!    cosines in semantic mode.
//! 3. `score`: rarity-weighted (IDF) cosines of questions (forgiving one typo per long word),
//!    answers and TL;DRs, combined into one score and judged against [`Thresholds`].
//! 4. `cluster`: accepted pairs grouped around a representative, without chaining.
//! 5. `explain`: a word diff and every score against its threshold, for people.
//!
//! [`find_duplicates`] runs it once over a slice; [`Index`] keeps a corpus for incremental
//! updates (the language server re-indexes one bank per edit). Semantic mode adds sentence
//! embeddings from a local all-MiniLM-L6-v2 directory ([`Embedder`]).
//!
//! The only I/O: reading the model directory, and the optional embedding cache file.
//!
//! Scale (release build, 2 cores, generated questions with 30-word answers): 100k questions
//! take about 2–3 s and 1M about 50 s, most of it normalising text (`examples/scale.rs`;
//! `cargo bench -p qbank-dedup` for 10k and 100k).

mod candidates;
mod cluster;
mod embed;
mod error;
mod explain;
mod index;
mod minhash;
mod normalize;
mod pipeline;
mod prepare;
mod score;

use std::borrow::Cow;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

pub use cluster::clusters;
pub use embed::{Embedder, MODEL_FILES};
pub use error::DedupError;
pub use explain::{Explanation, explain, word_diff};
pub use index::{Index, Match};
pub use normalize::normalize;
pub use score::{Scores, Thresholds};

/// One question to compare. The texts are borrowed or owned: a corpus-wide pass can lend the
/// parsed banks' strings instead of copying every answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Item<'a> {
    /// Opaque identity chosen by the caller, e.g. `"bank-id/question-id"`.
    pub key: Cow<'a, str>,
    /// The question text (Markdown allowed).
    pub question: Cow<'a, str>,
    /// The answer (Markdown); may be empty.
    pub answer: Cow<'a, str>,
    /// The one-line TL;DR; may be empty.
    pub tldr: Cow<'a, str>,
}

impl Item<'_> {
    /// The same item, owning its texts.
    pub fn into_owned(self) -> Item<'static> {
        Item {
            key: Cow::Owned(self.key.into_owned()),
            question: Cow::Owned(self.question.into_owned()),
            answer: Cow::Owned(self.answer.into_owned()),
            tldr: Cow::Owned(self.tldr.into_owned()),
        }
    }
}

/// How pairs are found and judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Words only (typo-tolerant). Needs nothing but the text.
    Lexical,
    /// Lexical, plus sentence embeddings: a pair is also a near duplicate when its questions
    /// mean the same thing in different words.
    Semantic {
        /// Directory holding `model.safetensors`, `tokenizer.json` and `config.json` of
        /// all-MiniLM-L6-v2 (installed by `scripts/setup-model.sh`).
        model_dir: PathBuf,
        /// Embedding cache file: read if present, rewritten when new questions were embedded.
        cache_file: Option<PathBuf>,
    },
}

/// What kind of duplicate a pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PairKind {
    /// The normalised questions are equal.
    Exact,
    /// The scores reach the near (or semantic) threshold.
    Near,
}

/// Two duplicate items, `a < b`, as indices into the items that were compared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub kind: PairKind,
    pub scores: Scores,
}

/// Items that duplicate one representative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The earliest item of the cluster; every other member duplicates it directly.
    pub representative: usize,
    /// All members in ascending order, the representative first.
    pub members: Vec<usize>,
    /// `Exact` when every member is an exact duplicate of the representative.
    pub kind: PairKind,
}

/// The duplicates among a set of items, sorted: pairs by `(a, b)`, clusters by representative.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Report {
    pub pairs: Vec<Pair>,
    pub clusters: Vec<Cluster>,
}

/// Finds duplicate questions among `items`; indices in the report refer to `items`.
///
/// Fails only in semantic mode, when the model cannot be loaded or the cache file cannot be
/// written.
pub fn find_duplicates(items: &[Item<'_>], mode: &Mode, thresholds: &Thresholds) -> Result<Report, DedupError> {
    let prepared: Vec<prepare::Prepared> = items.par_iter().map(prepare::prepare).collect();
    let refs: Vec<&prepare::Prepared> = prepared.iter().collect();
    let embeddings = match mode {
        Mode::Lexical => None,
        Mode::Semantic { model_dir, cache_file } => {
            let embedder = Embedder::load(model_dir)?;
            if let Some(path) = cache_file {
                embedder.read_cache(path);
            }
            // What the model reads: the question's plain text (computed again here rather than
            // kept with every prepared item, which lexical mode would pay for).
            let plain: Vec<String> = items.par_iter().map(|i| normalize::plain_text(&i.question)).collect();
            let texts: Vec<&str> = plain.iter().map(String::as_str).collect();
            let vectors = embedder.embed(&texts)?;
            if let Some(path) = cache_file
                && embedder.cache_is_dirty()
            {
                embedder.write_cache(path)?;
            }
            Some(vectors)
        }
    };
    let embedding_refs: Option<Vec<&[f32]>> =
        embeddings.as_ref().map(|vectors| vectors.iter().map(|v| &v[..]).collect());
    let stats = score::Stats::build(&refs);
    let pairs = pipeline::find_pairs(&refs, embedding_refs.as_deref(), &stats, thresholds);
    let clusters = clusters(&pairs);
    Ok(Report { pairs, clusters })
}
