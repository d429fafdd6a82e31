//! The all-pairs run over a prepared corpus: exact groups, candidates, scores and verdicts.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::Pair;
use crate::candidates::{self, Probe};
use crate::prepare::{HashKeyed, Prepared};
use crate::score::{self, Stats, Thresholds, Weighted};

/// Every duplicate pair among `items`, sorted by `(a, b)`.
///
/// Exact copies are collapsed onto their earliest occurrence while candidates are searched:
/// each later copy is paired with the earliest as [`PairKind::Exact`](crate::PairKind::Exact) (a question pasted into a
/// hundred banks gives 99 pairs, not 4,950). A near duplicate found for the earliest copy is
/// then scored against every copy, with each copy's own answer.
pub(crate) fn find_pairs(
    items: &[&Prepared],
    embeddings: Option<&[&[f32]]>,
    stats: &Stats,
    thresholds: &Thresholds,
) -> Vec<Pair> {
    let mut first_of: HashKeyed<usize> = HashKeyed::default();
    let mut exact: Vec<(usize, usize)> = Vec::new();
    let mut representatives: Vec<usize> = Vec::new();
    // Later copies of each representative, by representative.
    let mut copies: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        match first_of.get(&item.exact) {
            Some(&first) => {
                exact.push((first, index));
                copies.entry(first).or_default().push(index);
            }
            None => {
                first_of.insert(item.exact, index);
                representatives.push(index);
            }
        }
    }

    let weighted: Vec<Weighted> = items.par_iter().map(|item| stats.weigh(item)).collect();
    let semantic = |a: usize, b: usize| embeddings.map(|e| score::dense_cosine(e[a], e[b]));
    let judge = |a: usize, b: usize| {
        score::judge((items[a], &weighted[a]), (items[b], &weighted[b]), semantic(a, b), thresholds)
            .map(|(kind, scores)| Pair { a, b, kind, scores })
    };

    let rep_items: Vec<&Prepared> = representatives.iter().map(|&i| items[i]).collect();
    let probes: Vec<Probe> = rep_items.par_iter().map(|item| Probe::new(item, stats, thresholds.candidate)).collect();
    let mut candidates = candidates::lexical_pairs(&probes, thresholds.candidate);
    drop(probes);
    candidates.extend(candidates::answer_pairs(&rep_items));
    if let Some(embeddings) = embeddings {
        let rep_embeddings: Vec<&[f32]> = representatives.iter().map(|&i| embeddings[i]).collect();
        let floor = thresholds.floor_for(thresholds.semantic);
        candidates.extend(candidates::semantic_pairs(&rep_embeddings, floor));
    }
    candidates.par_sort_unstable();
    candidates.dedup();

    let mut pairs: Vec<Pair> = candidates
        .par_iter()
        .filter_map(|&(a, b)| judge(representatives[a as usize], representatives[b as usize]))
        .collect();
    if !copies.is_empty() {
        let group = |rep: usize| std::iter::once(rep).chain(copies.get(&rep).into_iter().flatten().copied());
        let expanded: Vec<Pair> = pairs
            .par_iter()
            .filter(|pair| copies.contains_key(&pair.a) || copies.contains_key(&pair.b))
            .flat_map_iter(|pair| {
                group(pair.a)
                    .flat_map(|a| group(pair.b).map(move |b| (a.min(b), a.max(b))))
                    .filter(|&copy| copy != (pair.a, pair.b))
                    .filter_map(|(a, b)| judge(a, b))
                    .collect::<Vec<_>>()
            })
            .collect();
        pairs.extend(expanded);
    }
    pairs.extend(exact.into_iter().filter_map(|(a, b)| judge(a, b)));
    pairs.par_sort_unstable_by_key(|pair| (pair.a, pair.b));
    pairs
}
