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
use crate::prepare::Prepared;
use crate::score::Stats;

/// Longest posting list (items whose prefixes hold one feature) that is still expanded into
/// pairs. Longer lists come from features common enough to be template material; a pair that
/// shares nothing rarer is not worth the quadratic cost of that list.
pub(crate) const MAX_POSTING: usize = 1024;
/// Largest answer bucket expanded into pairs. A bigger one holds boilerplate answers ("See
/// above"), not duplicates worth their square.
pub(crate) const MAX_BUCKET: usize = 64;

/// Marks the position of a typo key's word (a word's own positions are below it).
const TYPO: u32 = 1 << 31;

/// One question's words, heaviest first, with their weights and the length of the prefix that
/// must be indexed for the chosen overlap threshold.
#[derive(Debug, Clone)]
pub(crate) struct Probe<'a> {
    /// The question: its typo keys are computed when asked for, not kept (there are ten for
    /// every long word).
    pub item: &'a Prepared,
    pub features: Vec<(u64, f32)>,
    pub prefix: usize,
    pub total: f32,
    /// For each prefix position, the weight of the features from there to the end: an
    /// upper bound of the overlap with a question whose first shared feature is there.
    pub rest: Vec<f32>,
}

impl<'a> Probe<'a> {
    pub(crate) fn new(item: &'a Prepared, stats: &Stats, threshold: f32) -> Probe<'a> {
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
        let mut rest: Vec<f32> = features
            .iter()
            .rev()
            .scan(0.0, |sum, f| {
                *sum += f.1;
                Some(*sum)
            })
            .collect();
        rest.reverse();
        rest.truncate(prefix);
        Probe { item, features, prefix, total, rest }
    }

    /// The keys under which this question is indexed: its prefix words and their typo keys
    /// (the two are hashed differently, so they never collide).
    pub(crate) fn indexed(&self) -> impl Iterator<Item = u64> + '_ {
        self.keyed().map(|(key, _)| key)
    }

    /// [`Probe::indexed`] with positions: a word's in the prefix, a typo key's word's marked
    /// with [`TYPO`].
    fn keyed(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        let words = self.features[..self.prefix].iter().enumerate().map(|(p, f)| (f.0, p as u32));
        let typos = self.features[..self.prefix]
            .iter()
            .enumerate()
            .flat_map(|(p, f)| self.item.typo_keys_of(f.0).map(move |key| (key, TYPO | p as u32)));
        words.chain(typos)
    }

    /// Weighted Jaccard >= t needs the smaller total to be at least t times the larger.
    pub(crate) fn sizes_compatible(&self, other: &Probe, threshold: f32) -> bool {
        let (small, large) =
            if self.total < other.total { (self.total, other.total) } else { (other.total, self.total) };
        small >= threshold * large
    }
}

/// Pairs `(earlier, later)` of items whose indexed prefixes share a feature, and whose
/// weighted Jaccard can still reach `threshold` given where that feature is (positional
/// filtering, as in PPJoin: all features are in one global order, so a shared feature bounds
/// the overlap by what follows it in either question, and the first shared one bounds it
/// least). Two different words that share a typo key make a candidate whatever their places:
/// the scorer forgives the typo, which the exact overlap cannot see.
///
/// A self-join of the sorted `(feature, item, position)` entries: each run of one feature is
/// a posting list, paired within itself. Looking each probe's features up instead cost a
/// cache miss per key (ten typo keys for every long word), a fifth of a 100k-question check.
pub(crate) fn lexical_pairs(probes: &[Probe], threshold: f32) -> Vec<(u32, u32)> {
    let mut entries: Vec<(u64, u32, u32)> = probes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, probe)| probe.keyed().map(move |(key, p)| (key, i as u32, p)).collect::<Vec<_>>())
        .collect();
    entries.par_sort_unstable();
    // Runs of 2 to MAX_POSTING entries; most features (typo keys above all) are one item's.
    let mut lists: Vec<&[(u64, u32, u32)]> = Vec::new();
    for list in entries.chunk_by(|a, b| a.0 == b.0) {
        if (2..=MAX_POSTING).contains(&list.len()) {
            lists.push(list);
        }
    }
    // Overlap needed: J = O / (Wa + Wb − O) ≥ t  ⇔  O ≥ t / (1 + t) · (Wa + Wb).
    let share = threshold / (1.0 + threshold);
    // (later << 32 | earlier), so that sorting orders by the later item.
    let mut found: Vec<u64> = lists
        .par_iter()
        .flat_map_iter(|list| {
            let mut found = Vec::new();
            // Sorted by item: every earlier entry of the list is an earlier item (or this one).
            for (n, &(_, i, mine)) in list.iter().enumerate() {
                let probe = &probes[i as usize];
                for &(_, j, their) in list[..n].iter().filter(|e| e.1 < i) {
                    let other = &probes[j as usize];
                    if !probe.sizes_compatible(other, threshold) {
                        continue;
                    }
                    let keep = if mine & TYPO != 0 {
                        // A word shares all its typo keys with itself: only two words count.
                        let (a, b) = ((mine & !TYPO) as usize, (their & !TYPO) as usize);
                        probe.features[a].0 != other.features[b].0
                    } else {
                        let bound = probe.rest[mine as usize].min(other.rest[their as usize]);
                        bound >= share * (probe.total + other.total) * (1.0 - 1e-4)
                    };
                    if keep {
                        found.push(u64::from(i) << 32 | u64::from(j));
                    }
                }
            }
            found
        })
        .collect();
    drop(lists);
    drop(entries);
    found.par_sort_unstable();
    found.dedup();
    found.into_iter().map(|pair| (pair as u32, (pair >> 32) as u32)).collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Item;
    use crate::prepare::{prepare, term_hash};

    fn prepared(question: &str) -> Prepared {
        prepare(&Item { question: question.into(), ..Item::default() })
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

    /// Questions of 3–9 words drawn from a small vocabulary, so that many share words.
    fn random_questions(n: usize) -> Vec<Prepared> {
        const WORDS: &[&str] = &[
            "rollback",
            "deployment",
            "kubernetes",
            "cache",
            "latency",
            "database",
            "migration",
            "index",
            "queue",
            "retry",
            "timeout",
            "secret",
            "token",
            "replica",
            "shard",
            "backup",
            "restore",
            "alert",
            "metric",
            "trace",
            "canary",
            "terraform",
            "ansible",
            "docker",
            "network",
            "firewall",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|_| {
                let len = 3 + (next() % 7) as usize;
                let words: Vec<&str> = (0..len).map(|_| WORDS[(next() % WORDS.len() as u64) as usize]).collect();
                prepared(&format!("How do you handle {}?", words.join(" ")))
            })
            .collect()
    }

    #[test]
    fn positional_filtering_keeps_every_pair_that_reaches_the_threshold() {
        let items = random_questions(400);
        let refs: Vec<&Prepared> = items.iter().collect();
        let stats = Stats::build(&refs);
        let threshold = 0.4;
        let probes: Vec<Probe> = items.iter().map(|item| Probe::new(item, &stats, threshold)).collect();
        let found: std::collections::HashSet<(u32, u32)> = lexical_pairs(&probes, threshold).into_iter().collect();
        let weight = |t: u64| stats.question_weight(t);
        let (mut reaching, mut sharing) = (0, 0);
        for b in 0..items.len() {
            for a in 0..b {
                let (x, y) = (&items[a].question_terms, &items[b].question_terms);
                let overlap: f32 = x.iter().filter(|t| y.binary_search(t).is_ok()).map(|&t| weight(t)).sum();
                let union: f32 = x.iter().chain(y).map(|&t| weight(t)).sum::<f32>() - overlap;
                let prefix = |p: &Probe| p.features[..p.prefix].iter().map(|f| f.0).collect::<Vec<_>>();
                let shares_prefix = prefix(&probes[a]).iter().any(|t| prefix(&probes[b]).contains(t));
                sharing += usize::from(shares_prefix);
                if overlap >= threshold * union * 1.001 {
                    reaching += 1;
                    assert!(
                        found.contains(&(a as u32, b as u32)),
                        "pair {a}, {b} reaches {threshold} but was filtered"
                    );
                }
            }
        }
        assert!(reaching > 50, "the sample has pairs to find: {reaching}");
        assert!(found.len() < sharing, "positions prune pairs that share a prefix word: {} of {sharing}", found.len());
    }

    #[test]
    fn dot_matches_naive() {
        let a: Vec<f32> = (0..19).map(|x| x as f32 * 0.5).collect();
        let b: Vec<f32> = (0..19).map(|x| 3.0 - x as f32).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-3);
    }
}
