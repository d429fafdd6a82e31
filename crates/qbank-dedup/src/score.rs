//! Template-aware pair scoring: rarity statistics (IDF) over the corpus, weighted cosines of
//! questions, answers and TL;DRs, and the verdict of a pair against the [`Thresholds`].
//!
//! Why rarity: "How do you handle rollbacks in production?" and "How do you handle database
//! migrations in production?" share most of their words, but the shared words are the template
//! that half the corpus uses. Weighting each word by its inverse document frequency makes the
//! pair's shared mass small and its differing mass ("rollback" vs "database migration") large.

use std::sync::LazyLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::PairKind;
use crate::normalize::stems;
use crate::prepare::{HashKeyed, Prepared, term_hash};

/// Score thresholds. Every field has a default, so a `[dedup]` table in `qbank.toml` may set
/// any subset of them (kebab-case keys, e.g. `answer-weight = 0.4`).
///
/// A pair is an exact duplicate when the normalised questions are equal (see
/// [`normalize`](crate::normalize)); no threshold applies. Otherwise it is a near duplicate
/// when `combined >= near`, or, in semantic mode, when the answer-adjusted embedding cosine
/// is `>= semantic`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Thresholds {
    /// Lowest combined lexical score (0–1) of a near duplicate. Default 0.64: on the labelled
    /// seed pairs (`tests/fixtures/pairs.tsv`), reworded duplicates that share their topic
    /// words score 0.65–1.0 and template near-misses 0.0–0.62.
    pub near: f32,
    /// Lowest answer-adjusted embedding cosine (0–1) of a near duplicate in semantic mode.
    /// Default 0.78: labelled duplicates reach 0.78–1.0, near-misses mostly stay below 0.76.
    pub semantic: f32,
    /// How strongly answer and TL;DR similarity move a question score (0 ignores answers).
    /// Default 0.25: identical answers add 0.2, answers with nothing in common take off 0.05.
    pub answer_weight: f32,
    /// The answer similarity that neither raises nor lowers a score. Default 0.2: answers to
    /// the same question written by different authors reach only 0.05–0.3, so low answer
    /// similarity is weak evidence and costs little; near copies (0.7 and up) count.
    pub answer_neutral: f32,
    /// Rarity-weighted Jaccard overlap of question words below which the word index does not
    /// propose a pair (spelling and answer LSH, and embeddings, still may). Lower finds more
    /// loosely reworded pairs and costs time. Default 0.4: a pair reaching `near` on the
    /// question alone overlaps by about 0.45 or more.
    pub candidate: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { near: 0.64, semantic: 0.78, answer_weight: 0.25, answer_neutral: 0.2, candidate: 0.4 }
    }
}

impl Thresholds {
    /// The lowest raw score that answers could still lift to `threshold`.
    pub(crate) fn floor_for(&self, threshold: f32) -> f32 {
        threshold - self.answer_weight * (1.0 - self.answer_neutral)
    }
}

/// The similarities of one pair, each in 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Rarity-weighted cosine of the normalised questions.
    pub question: f32,
    /// TF-IDF cosine of the answers; `None` when either answer is empty.
    pub answer: Option<f32>,
    /// TF-IDF cosine of the TL;DRs; `None` when either TL;DR is empty.
    pub tldr: Option<f32>,
    /// The question score moved by answer and TL;DR similarity: the lexical verdict.
    pub combined: f32,
    /// Cosine of the question embeddings (semantic mode only).
    pub semantic: Option<f32>,
}

impl Scores {
    /// Answer and TL;DR similarity as one figure (the answer counts three times the TL;DR).
    pub fn body(&self) -> Option<f32> {
        match (self.answer, self.tldr) {
            (Some(answer), Some(tldr)) => Some(0.75 * answer + 0.25 * tldr),
            (Some(one), None) | (None, Some(one)) => Some(one),
            (None, None) => None,
        }
    }

    /// How much the answers move a question-level score (positive: they agree).
    pub fn body_adjustment(&self, thresholds: &Thresholds) -> f32 {
        self.body().map_or(0.0, |body| thresholds.answer_weight * (body - thresholds.answer_neutral))
    }

    /// The semantic cosine moved by answer similarity, as compared with `thresholds.semantic`.
    pub fn semantic_combined(&self, thresholds: &Thresholds) -> Option<f32> {
        self.semantic.map(|cosine| (cosine + self.body_adjustment(thresholds)).clamp(0.0, 1.0))
    }
}

/// The verdict on a scored pair; `None` when it is not a duplicate.
fn verdict(exact: bool, scores: &Scores, thresholds: &Thresholds) -> Option<PairKind> {
    if exact {
        return Some(PairKind::Exact);
    }
    let semantic = scores.semantic_combined(thresholds).is_some_and(|s| s >= thresholds.semantic);
    (scores.combined >= thresholds.near || semantic).then_some(PairKind::Near)
}

/// Size of the prior corpus that seeds rarity statistics: in a corpus of a few questions,
/// real document frequencies cannot tell a template word from a topic word.
const PRIOR_ITEMS: f32 = 100.0;
/// Share of the prior corpus in which each template word occurs.
const PRIOR_TEMPLATE_SHARE: f32 = 0.1;

static TEMPLATE_TERMS: LazyLock<HashKeyed<()>> = LazyLock::new(|| {
    include_str!("template_words.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(stems)
        .map(|stem| (term_hash(&stem), ()))
        .collect()
});

/// Document frequencies over a corpus. Counts only: adding and removing items keeps it equal
/// to a fresh build over the same items.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Stats {
    pub items: u32,
    question_df: HashKeyed<u32>,
    body_df: HashKeyed<u32>,
}

impl Stats {
    pub(crate) fn build(items: &[&Prepared]) -> Stats {
        // A few large chunks: merging maps costs their size, so thousands of small partial
        // maps (rayon's default splitting) would cost more than counting.
        let chunk = items.len().div_ceil(4 * rayon::current_num_threads()).max(1024);
        items
            .par_chunks(chunk)
            .map(|chunk| {
                let mut stats = Stats::default();
                for item in chunk {
                    stats.add(item);
                }
                stats
            })
            .reduce(Stats::default, Stats::merge)
    }

    fn merge(mut self, other: Stats) -> Stats {
        if self.body_df.len() < other.body_df.len() {
            return other.merge(self);
        }
        self.items += other.items;
        for (mine, theirs) in [(&mut self.question_df, other.question_df), (&mut self.body_df, other.body_df)] {
            for (key, count) in theirs {
                *mine.entry(key).or_default() += count;
            }
        }
        self
    }

    pub(crate) fn add(&mut self, item: &Prepared) {
        self.items += 1;
        for &term in &item.question_terms {
            *self.question_df.entry(term).or_default() += 1;
        }
        for term in body_terms(item) {
            *self.body_df.entry(term).or_default() += 1;
        }
    }

    pub(crate) fn remove(&mut self, item: &Prepared) {
        self.items -= 1;
        let decrement = |map: &mut HashKeyed<u32>, key: u64| {
            if let Some(count) = map.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    map.remove(&key);
                }
            }
        };
        for &term in &item.question_terms {
            decrement(&mut self.question_df, term);
        }
        for term in body_terms(item) {
            decrement(&mut self.body_df, term);
        }
    }

    /// The weight of a question word: what the question score and the candidate prefix use.
    pub(crate) fn question_weight(&self, term: u64) -> f32 {
        self.term_weight(&self.question_df, term)
    }

    /// `ln(1 + N / df)` with the prior: never zero, so a question made only of common words
    /// still has a direction, and rare words outweigh common ones by an order of magnitude at
    /// scale.
    fn term_weight(&self, df_map: &HashKeyed<u32>, term: u64) -> f32 {
        let df = df_map.get(&term).copied().unwrap_or(0) as f32;
        let prior = if TEMPLATE_TERMS.contains_key(&term) { PRIOR_ITEMS * PRIOR_TEMPLATE_SHARE } else { 0.0 };
        (1.0 + (self.items as f32 + PRIOR_ITEMS) / (df + prior + 1.0)).ln()
    }

    /// The unit-length weighted vectors of one item under these statistics.
    pub(crate) fn weigh(&self, item: &Prepared) -> Weighted {
        let question = unit(item.question_terms.iter().map(|&t| self.term_weight(&self.question_df, t)).collect());
        let body = |terms: &[(u64, u32)]| {
            unit(terms.iter().map(|&(t, tf)| (1.0 + (tf as f32).ln()) * self.term_weight(&self.body_df, t)).collect())
        };
        Weighted { question, answer: body(&item.answer_terms), tldr: body(&item.tldr_terms) }
    }
}

fn body_terms(item: &Prepared) -> impl Iterator<Item = u64> + '_ {
    // Both lists are sorted: a merge yields each term of answer ∪ TL;DR once.
    let mut answer = item.answer_terms.iter().map(|t| t.0).peekable();
    let mut tldr = item.tldr_terms.iter().map(|t| t.0).peekable();
    std::iter::from_fn(move || match (answer.peek(), tldr.peek()) {
        (Some(&a), Some(&t)) if a == t => {
            tldr.next();
            answer.next()
        }
        (Some(&a), Some(&t)) if a < t => answer.next(),
        (Some(_), Some(_)) | (None, Some(_)) => tldr.next(),
        (Some(_), None) => answer.next(),
        (None, None) => None,
    })
}

/// Unit-length sparse vectors of one item: the weights of its terms, in the order of its term
/// lists (sorted by hash): `question` goes with [`Prepared::question_terms`], `answer` with
/// [`Prepared::answer_terms`], `tldr` with [`Prepared::tldr_terms`]. The terms are not copied:
/// a corpus-wide pass holds one of these per question.
#[derive(Debug, Clone, Default)]
pub(crate) struct Weighted {
    pub question: Box<[f32]>,
    pub answer: Box<[f32]>,
    pub tldr: Box<[f32]>,
}

fn unit(mut weights: Vec<f32>) -> Box<[f32]> {
    let norm = weights.iter().map(|w| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for w in &mut weights {
            *w /= norm;
        }
    }
    weights.into_boxed_slice()
}

/// Cosine of two unit sparse vectors (terms sorted by `key`, with their weights); `None` when
/// either is empty.
fn cosine<T: Copy>(a: (&[T], &[f32]), b: (&[T], &[f32]), key: impl Fn(T) -> u64) -> Option<f32> {
    if a.0.is_empty() || b.0.is_empty() {
        return None;
    }
    Some(merge_dot(a, b, key).clamp(0.0, 1.0))
}

/// The dot product of two sparse vectors: terms sorted by `key`, with their weights.
fn merge_dot<T: Copy>((a, wa): (&[T], &[f32]), (b, wb): (&[T], &[f32]), key: impl Fn(T) -> u64) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match key(a[i]).cmp(&key(b[j])) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += wa[i] * wb[j];
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Question similarity: the weighted cosine, where two words that differ by one typo
/// (one insertion, deletion, substitution or transposition; both long enough and without
/// digits, see `Prepared::typo_word`) count as the same word. Stemming merges inflections; this merges
/// "autoscalling" with "autoscaling" and "kubernates" with "kubernetes".
///
/// With a `floor`, a similarity that cannot reach it may be returned low: the typo pairing is
/// skipped when even the best one could not lift the score to the floor (most candidates).
fn question_similarity(a: &Prepared, wa: &[f32], b: &Prepared, wb: &[f32], floor: Option<f32>) -> f32 {
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let (ta, tb) = (&a.question_terms, &b.question_terms);
    // One merge: the dot product, and the squared weights of the words on each side that the
    // other lacks and that a typo could pair (on `b`'s side, among its first 64 words).
    let (mut i, mut j, mut dot, mut loose_a, mut loose_b) = (0, 0, 0.0f32, 0.0f32, 0.0f32);
    while i < ta.len() || j < tb.len() {
        match (ta.get(i), tb.get(j)) {
            (Some(x), Some(y)) if x == y => {
                dot += wa[i] * wb[j];
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x > y => {
                if j < 64 && b.has_typo_word(j) {
                    loose_b += wb[j] * wb[j];
                }
                j += 1;
            }
            (None, Some(_)) => {
                if j < 64 && b.has_typo_word(j) {
                    loose_b += wb[j] * wb[j];
                }
                j += 1;
            }
            _ => {
                if a.has_typo_word(i) {
                    loose_a += wa[i] * wa[i];
                }
                i += 1;
            }
        }
    }
    // Typo pairs add the dot product of those loose words under some pairing: at most the
    // product of their norms (Cauchy–Schwarz).
    if loose_a == 0.0 || loose_b == 0.0 || floor.is_some_and(|f| dot + (loose_a * loose_b).sqrt() < f) {
        return dot.clamp(0.0, 1.0);
    }
    // Unmatched words of `b` already paired with a typo, as a bit set: this runs for every
    // candidate pair, so it allocates nothing. Words past the 64th are never typo-matched.
    let mut taken = 0u64;
    let unmatched = |terms: &[u64], other: &[u64], index: usize| other.binary_search(&terms[index]).is_err();
    for (i, word) in a.typo_words().enumerate() {
        let Some(word) = word else { continue };
        if !unmatched(&a.question_terms, &b.question_terms, i) {
            continue;
        }
        let close = b.typo_words().enumerate().take(64).find(|&(j, other)| {
            taken & (1 << j) == 0
                && other.is_some_and(|other| within_one_edit(word, other))
                && unmatched(&b.question_terms, &a.question_terms, j)
        });
        if let Some((j, _)) = close {
            taken |= 1 << j;
            dot += wa[i] * wb[j];
        }
    }
    dot.clamp(0.0, 1.0)
}

/// Whether two words differ by at most one insertion, deletion, substitution or adjacent
/// transposition.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if prefix == short.len() {
        return true;
    }
    if short.len() == long.len() {
        let rest = prefix + 1;
        let substituted = short[rest..] == long[rest..];
        let transposed = rest < short.len()
            && short[prefix] == long[rest]
            && short[rest] == long[prefix]
            && short[rest + 1..] == long[rest + 1..];
        substituted || transposed
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// Cosine of two unit dense vectors.
pub(crate) fn dense_cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>().clamp(-1.0, 1.0)
}

fn with_answers(
    question: f32,
    (a, wa): (&Prepared, &Weighted),
    (b, wb): (&Prepared, &Weighted),
    semantic: Option<f32>,
    thresholds: &Thresholds,
) -> Scores {
    let mut scores = Scores {
        question,
        answer: cosine((&a.answer_terms, &wa.answer), (&b.answer_terms, &wb.answer), |t| t.0),
        tldr: cosine((&a.tldr_terms, &wa.tldr), (&b.tldr_terms, &wb.tldr), |t| t.0),
        combined: 0.0,
        semantic,
    };
    scores.combined = (scores.question + scores.body_adjustment(thresholds)).clamp(0.0, 1.0);
    scores
}

/// Scores a candidate pair and judges it: `None` when it is no duplicate. Skips the answers
/// when not even identical ones could lift the question score to a threshold, which is the
/// fate of most candidates.
pub(crate) fn judge(
    (a, wa): (&Prepared, &Weighted),
    (b, wb): (&Prepared, &Weighted),
    semantic: Option<f32>,
    thresholds: &Thresholds,
) -> Option<(PairKind, Scores)> {
    let exact = a.exact == b.exact;
    // Below this, only an exact match or the embeddings could still make a pair.
    let floor = (!exact && semantic.is_none()).then(|| thresholds.floor_for(thresholds.near));
    let question = question_similarity(a, &wa.question, b, &wb.question, floor);
    let hopeless = |score: f32, threshold: f32| score < thresholds.floor_for(threshold);
    if !exact && hopeless(question, thresholds.near) && semantic.is_none_or(|s| hopeless(s, thresholds.semantic)) {
        return None;
    }
    let scores = with_answers(question, (a, wa), (b, wb), semantic, thresholds);
    verdict(exact, &scores, thresholds).map(|kind| (kind, scores))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Item;
    use crate::prepare::prepare;

    fn prepared(question: &str) -> Prepared {
        prepare(&Item { question: question.into(), ..Item::default() })
    }

    #[test]
    fn thresholds_deserialize_partially() {
        let parsed: Thresholds = serde_json::from_str(r#"{"near": 0.7, "answer-weight": 0.5}"#).unwrap();
        assert_eq!(parsed.near, 0.7);
        assert_eq!(parsed.answer_weight, 0.5);
        assert_eq!(parsed.semantic, Thresholds::default().semantic);
        assert!(serde_json::from_str::<Thresholds>(r#"{"nearr": 0.7}"#).is_err());
    }

    #[test]
    fn template_words_weigh_less_even_in_a_tiny_corpus() {
        let a = prepared("How do you handle rollbacks in production?");
        let stats = Stats::build(&[&a]);
        let weighted = stats.weigh(&a);
        let weight = |word: &str| {
            let hash = term_hash(word);
            weighted.question[a.question_terms.iter().position(|&t| t == hash).unwrap()]
        };
        assert!(weight("rollback") > 1.5 * weight("handl"), "{weighted:?}");
    }

    #[test]
    fn one_typo_in_a_long_word_is_forgiven() {
        let within = |a: &str, b: &str| within_one_edit(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert!(within("autoscal", "autoscall"));
        assert!(within("kubernet", "kubernat"));
        assert!(within("rollback", "rolback"));
        assert!(within("rollback", "rollbakc"));
        assert!(within("same", "same"));
        assert!(!within("rollback", "rolbak"));
        assert!(!within("migrat", "integr"));
        let items = [prepared("Kubernetes autoscaling?"), prepared("Kubernates autoscalling?")];
        let stats = Stats::build(&[&items[0], &items[1]]);
        let (wa, wb) = (stats.weigh(&items[0]), stats.weigh(&items[1]));
        let similarity = question_similarity(&items[0], &wa.question, &items[1], &wb.question, None);
        assert!(similarity > 0.99, "{similarity}");
    }

    #[test]
    fn the_floor_only_cuts_what_could_not_reach_it() {
        let questions = [
            "Kubernetes autoscaling?",
            "Kubernates autoscalling?",
            "How do you configure kubernetes autoscaling for bursty traffic?",
            "How would you configure kubernates autoscalling for bursty trafic?",
            "How do you rollback a deployment?",
            "How do you rolback a deploymnet safely?",
            "Explain database replication lag",
            "Explain databse replicaton lag and its monitoring",
        ];
        let items: Vec<Prepared> = questions.iter().map(|q| prepared(q)).collect();
        let refs: Vec<&Prepared> = items.iter().collect();
        let stats = Stats::build(&refs);
        let weighted: Vec<Weighted> = items.iter().map(|i| stats.weigh(i)).collect();
        let mut typo_lifted = 0;
        for a in 0..items.len() {
            for b in 0..items.len() {
                let full =
                    question_similarity(&items[a], &weighted[a].question, &items[b], &weighted[b].question, None);
                for floor in [0.2, 0.44, 0.7, 0.95] {
                    let (x, y) = ((&items[a], &weighted[a]), (&items[b], &weighted[b]));
                    let bounded = question_similarity(x.0, &x.1.question, y.0, &y.1.question, Some(floor));
                    if bounded != full {
                        assert!(full < floor && bounded <= full, "{a} {b} at {floor}: {bounded} vs {full}");
                    }
                }
                let exact = merge_dot(
                    (&items[a].question_terms, &weighted[a].question),
                    (&items[b].question_terms, &weighted[b].question),
                    |t| t,
                );
                typo_lifted += usize::from(full > exact + 1e-3);
            }
        }
        assert!(typo_lifted >= 4, "typos lift the pairs that have them: {typo_lifted}");
    }

    #[test]
    fn stats_add_remove_match_fresh_build() {
        let items = [prepared("a b c"), prepared("b c d"), prepared("x y")];
        let mut stats = Stats::default();
        for item in &items {
            stats.add(item);
        }
        stats.remove(&items[2]);
        assert_eq!(stats, Stats::build(&[&items[0], &items[1]]));
    }

    #[test]
    fn answers_move_the_combined_score_both_ways() {
        let thresholds = Thresholds::default();
        let mut scores = Scores { question: 0.5, answer: Some(1.0), tldr: None, combined: 0.0, semantic: Some(0.7) };
        assert!((scores.body_adjustment(&thresholds) - 0.2).abs() < 1e-6);
        assert!((scores.semantic_combined(&thresholds).unwrap() - 0.9).abs() < 1e-6);
        scores.answer = Some(0.0);
        assert!((scores.body_adjustment(&thresholds) + 0.05).abs() < 1e-6);
    }
}
