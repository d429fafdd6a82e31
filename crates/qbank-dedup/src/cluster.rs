//! Clustering of accepted pairs: stars around a representative, so duplicates never chain.
//!
//! Union-find would put A, B and C together when A≈B and B≈C, even if A and C are different
//! questions (each rewording drifts a little). Here a cluster is a representative (its earliest
//! item) and the items that duplicate it directly: items are visited in order, and each one not
//! yet in a cluster gathers its not-yet-clustered duplicates that come after it. An item that
//! duplicates a member but not the representative stays out and may lead a cluster of its own.

use std::collections::{BTreeMap, HashSet};

use crate::{Cluster, Pair, PairKind};

/// Groups `pairs` (indices `a < b`) into clusters, sorted by representative.
pub fn clusters(pairs: &[Pair]) -> Vec<Cluster> {
    let mut later: BTreeMap<usize, Vec<(usize, PairKind)>> = BTreeMap::new();
    for pair in pairs {
        let (a, b) = (pair.a.min(pair.b), pair.a.max(pair.b));
        later.entry(a).or_default().push((b, pair.kind));
    }
    let mut clustered = HashSet::new();
    let mut out = Vec::new();
    for (representative, mut duplicates) in later {
        if clustered.contains(&representative) {
            continue;
        }
        duplicates.sort_unstable();
        duplicates.dedup_by_key(|d| d.0);
        let mut members = vec![representative];
        let mut kind = PairKind::Exact;
        for (member, pair_kind) in duplicates {
            if clustered.insert(member) {
                members.push(member);
                kind = kind.max(pair_kind);
            }
        }
        if members.len() > 1 {
            clustered.insert(representative);
            out.push(Cluster { representative, members, kind });
        }
    }
    out
}
