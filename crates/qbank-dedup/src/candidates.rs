//! Candidate generation without comparing all pairs: a prefix-filtered inverted index over
//! rarity-weighted question words (with typo keys), LSH buckets over MinHash signatures of
//! answers, and a scan of embedding cosines (semantic mode).
//!
//! Why prefix filtering rather than MinHash for questions: MinHash estimates plain Jaccard, in
//! which the template words of a question ("how do you handle … in production") weigh as much
//! as its topic, so every templated question lands in the same buckets; character n-grams make
//! it worse (a syllable such as "tion" is in every tenth question). Ordering each question's
//! words heaviest (rarest) first and indexing only the prefix that carries all but `candidate`
//! of its weight finds every pair whose rarity-weighted Jaccard reaches `candidate` (a pair
//! with that much overlap must share a word inside both prefixes), while the template words
//! sit in the unindexed suffixes. Short questions lose nothing: one rare word is a prefix.
//!
//! Typos: each long prefix word is also indexed under its one-deletion variants, so
//! "autoscalling" meets "autoscaling" (the scorer forgives the same one edit).

use rayon::prelude::*;

use crate::minhash;
use crate::prepare::{HashKeyed, Prepared};
use crate::score::Stats;

/// Longest posting list (items whose prefixes hold one feature) that is still expanded into
/// pairs. Longer lists come from features common enough to be template material; a pair that
/// shares nothing rarer is not worth the quadratic cost of that list.
pub(crate) const MAX_POSTING: usize = 1024;
/// Largest answer bucket expanded into pairs. A bigger one holds boilerplate answers ("See
/// above"), not duplicates worth their square.
pub(crate) const MAX_BUCKET: usize = 64;

/// One question's words, heaviest first, with their weights and the length of the prefix that
/// must be indexed for the chosen overlap threshold.
#[derive(Debug, Clone, Default)]
pub(crate) struct Probe {
    pub features: Vec<(u64, f32)>,
    pub prefix: usize,
    pub total: f32,
    /// Typo keys of the prefix words.
    pub typo_keys: Vec<u64>,
}

impl Probe {
    pub(crate) fn new(item: &Prepared, stats: &Stats, threshold: f32) -> Probe {
        let mut ranked: Vec<(f32, u64)> = item.question_terms.iter().map(|&t| (stats.question_weight(t), t)).collect();
        // The one global order (heaviest, that is rarest, first; then hash) that makes prefix
        // filtering exact.
        ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let features: Vec<(u64, f32)> = ranked.into_iter().map(|(w, t)| (t, w)).collect();
        let total: f32 = features.iter().map(|f| f.1).sum();
        let mut prefix = features.len();
        let mut suffix = 0.0;
        while prefix > 0 && suffix + features[prefix - 1].1 < threshold * total {
            suffix += features[prefix - 1].1;
            prefix -= 1;
        }
        let indexed = &features[..prefix];
        let typo_keys = item
            .typo_keys
            .iter()
            .filter(|(term, _)| indexed.iter().any(|f| f.0 == *term))
            .map(|&(_, key)| key)
            .collect();
        Probe { features, prefix, total, typo_keys }
    }

    /// The keys under which this question is indexed: its prefix words and their typo keys
    /// (the two are hashed differently, so they never collide).
    pub(crate) fn indexed(&self) -> impl Iterator<Item = u64> + '_ {
        self.features[..self.prefix].iter().map(|f| f.0).chain(self.typo_keys.iter().copied())
    }

    /// Weighted Jaccard >= t needs the smaller total to be at least t times the larger.
    pub(crate) fn sizes_compatible(&self, other: &Probe, threshold: f32) -> bool {
        let (small, large) =
            if self.total < other.total { (self.total, other.total) } else { (other.total, self.total) };
        small >= threshold * large
    }
}

/// Pairs `(earlier, later)` of items whose indexed prefixes share a feature.
pub(crate) fn lexical_pairs(probes: &[Probe], threshold: f32) -> Vec<(u32, u32)> {
    let mut entries: Vec<(u64, u32)> =
        probes.par_iter().enumerate().flat_map_iter(|(i, probe)| probe.indexed().map(move |f| (f, i as u32))).collect();
    entries.par_sort_unstable();
    let postings = Postings::from_sorted(&entries);
    probes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, probe)| {
            let i = i as u32;
            let mut found = Vec::new();
            for feature in probe.indexed() {
                let posting = postings.get(feature);
                if posting.len() > MAX_POSTING {
                    continue;
                }
                for &j in posting.iter().take_while(|&&j| j < i) {
                    if probe.sizes_compatible(&probes[j as usize], threshold) {
                        found.push(j);
                    }
                }
            }
            found.sort_unstable();
            found.dedup();
            found.into_iter().map(move |j| (j, i))
        })
        .collect()
}

/// Pairs `(earlier, later)` of items whose answer signatures share an LSH band.
pub(crate) fn answer_pairs(items: &[&Prepared]) -> Vec<(u32, u32)> {
    let mut entries: Vec<(u64, u32)> = items
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, item)| minhash::band_keys(&item.answer_signature).map(move |k| (k, i as u32)))
        .collect();
    entries.par_sort_unstable();
    let mut pairs = Vec::new();
    for bucket in entries.chunk_by(|a, b| a.0 == b.0) {
        if bucket.len() < 2 || bucket.len() > MAX_BUCKET {
            continue;
        }
        for (n, later) in bucket.iter().enumerate() {
            pairs.extend(bucket[..n].iter().map(|earlier| (earlier.1, later.1)));
        }
    }
    pairs
}

/// Pairs `(earlier, later)` whose embedding cosine is at least `floor`.
///
/// An exact scan, O(n² · dim): embedding the questions costs more than this up to a few
/// hundred thousand items, and an approximate index would lose pairs near the threshold.
pub(crate) fn semantic_pairs(embeddings: &[&[f32]], floor: f32) -> Vec<(u32, u32)> {
    embeddings
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, a)| {
            embeddings[..i]
                .iter()
                .enumerate()
                .filter(move |(_, b)| dot(a, b) >= floor)
                .map(move |(j, _)| (j as u32, i as u32))
        })
        .collect()
}

/// A dot product the compiler vectorises: eight independent accumulators.
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks.remainder().iter().zip(b_chunks.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Item lists per feature, built from `(feature, item)` entries sorted by feature then item.
struct Postings {
    items: Vec<u32>,
    ranges: HashKeyed<(u32, u32)>,
}

impl Postings {
    fn from_sorted(entries: &[(u64, u32)]) -> Postings {
        let items: Vec<u32> = entries.iter().map(|e| e.1).collect();
        let mut ranges = HashKeyed::default();
        let mut start = 0;
        for run in entries.chunk_by(|a, b| a.0 == b.0) {
            ranges.insert(run[0].0, (start as u32, run.len() as u32));
            start += run.len();
        }
        Postings { items, ranges }
    }

    fn get(&self, feature: u64) -> &[u32] {
        self.ranges.get(&feature).map_or(&[], |&(start, len)| &self.items[start as usize..(start + len) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Item;
    use crate::prepare::{prepare, term_hash};

    fn prepared(question: &str) -> Prepared {
        prepare(&Item { key: String::new(), question: question.into(), answer: String::new(), tldr: String::new() })
    }

    #[test]
    fn prefix_holds_all_but_threshold_of_the_weight() {
        let items = [prepared("How do you handle rollbacks in a production environment?"), prepared("x")];
        let stats = Stats::build(&[&items[0], &items[1]]);
        let probe = Probe::new(&items[0], &stats, 0.4);
        let suffix: f32 = probe.features[probe.prefix..].iter().map(|f| f.1).sum();
        assert!(suffix < 0.4 * probe.total);
        assert!(suffix + probe.features[probe.prefix - 1].1 >= 0.4 * probe.total, "shortest");
        assert!(probe.prefix < probe.features.len(), "template words stay out: {probe:?}");
        assert_eq!(probe.features[0].0, term_hash("rollback"));
        let weights: Vec<f32> = probe.features.iter().map(|f| f.1).collect();
        assert!(weights.windows(2).all(|w| w[0] >= w[1]), "rarest first");
    }

    #[test]
    fn dot_matches_naive() {
        let a: Vec<f32> = (0..19).map(|x| x as f32 * 0.5).collect();
        let b: Vec<f32> = (0..19).map(|x| 3.0 - x as f32).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-3);
    }
}
