//! The corpus index: items added and removed by key, keeping the rarity statistics and
//! postings that let one item be checked against the corpus without a full run.
//!
//! The language server re-indexes one bank per edit ([`Index::remove_prefix`] then
//! [`Index::extend`]) and queries that bank's items ([`Index::query`]); the command line runs
//! [`Index::report`] or [`find_duplicates`](crate::find_duplicates) once. Statistics are plain
//! counts, so an index edited any number of times reports exactly what a fresh one would.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::candidates::Probe;
use crate::embed::Embedder;
use crate::error::DedupError;
use crate::normalize::plain_text;
use crate::prepare::{HashKeyed, Prepared, prepare};
use crate::score::{self, Stats};
use crate::{Item, Pair, PairKind, Report, Scores, Thresholds, minhash, pipeline};

/// An indexed item that duplicates a queried one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub key: String,
    pub kind: PairKind,
    pub scores: Scores,
}

/// A corpus of items addressed by key. See the module docs.
#[derive(Debug)]
pub struct Index {
    thresholds: Thresholds,
    embedder: Option<Embedder>,
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_key: BTreeMap<String, u32>,
    stats: Stats,
    exact: HashKeyed<Vec<u32>>,
    /// Question word or typo key → slots.
    postings: HashKeyed<Vec<u32>>,
    /// Answer LSH band key → slots.
    buckets: HashKeyed<Vec<u32>>,
}

#[derive(Debug)]
struct Entry {
    item: Item<'static>,
    prepared: Prepared,
    embedding: Option<Arc<[f32]>>,
}

impl Index {
    /// An empty lexical index.
    pub fn new(thresholds: Thresholds) -> Index {
        Index {
            thresholds,
            embedder: None,
            slots: Vec::new(),
            free: Vec::new(),
            by_key: BTreeMap::new(),
            stats: Stats::default(),
            exact: HashKeyed::default(),
            postings: HashKeyed::default(),
            buckets: HashKeyed::default(),
        }
    }

    /// An empty index that also compares question embeddings (semantic mode). Embeddings are
    /// computed on insertion and cached by content, so re-inserting an unchanged question is
    /// free.
    pub fn with_embedder(thresholds: Thresholds, embedder: Embedder) -> Index {
        Index { embedder: Some(embedder), ..Index::new(thresholds) }
    }

    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// The embedder, e.g. to read or write its cache file.
    pub fn embedder(&self) -> Option<&Embedder> {
        self.embedder.as_ref()
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Item<'static>> {
        self.by_key.get(key).map(|&slot| &self.entry(slot).item)
    }

    /// Every item in key order: the order that [`Index::all_pairs`] indices refer to.
    pub fn items(&self) -> impl Iterator<Item = &Item<'static>> {
        self.by_key.values().map(|&slot| &self.entry(slot).item)
    }

    /// Adds `item`, replacing any item with the same key. Fails only when embedding fails.
    pub fn insert(&mut self, item: Item<'_>) -> Result<(), DedupError> {
        self.extend([item])
    }

    /// Adds many items (prepared in parallel, embedded in batches). A key given twice keeps
    /// the last item.
    pub fn extend<'a>(&mut self, items: impl IntoIterator<Item = Item<'a>>) -> Result<(), DedupError> {
        let mut latest: BTreeMap<String, Item<'static>> = BTreeMap::new();
        for item in items {
            latest.insert(item.key.to_string(), item.into_owned());
        }
        let items: Vec<Item<'static>> = latest.into_values().collect();
        let prepared: Vec<Prepared> = items.par_iter().map(prepare).collect();
        let embeddings: Vec<Option<Arc<[f32]>>> = match &self.embedder {
            Some(embedder) => {
                let plain: Vec<String> = items.par_iter().map(|i| plain_text(&i.question)).collect();
                let texts: Vec<&str> = plain.iter().map(String::as_str).collect();
                embedder.embed(&texts)?.into_iter().map(Some).collect()
            }
            None => vec![None; items.len()],
        };
        for ((item, prepared), embedding) in items.into_iter().zip(prepared).zip(embeddings) {
            self.remove(&item.key);
            self.add(Entry { item, prepared, embedding });
        }
        Ok(())
    }

    fn add(&mut self, entry: Entry) {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        let prepared = &entry.prepared;
        self.stats.add(prepared);
        self.exact.entry(prepared.exact).or_default().push(slot);
        for key in posting_keys(prepared) {
            self.postings.entry(key).or_default().push(slot);
        }
        for key in minhash::band_keys(&prepared.answer_signature) {
            self.buckets.entry(key).or_default().push(slot);
        }
        self.by_key.insert(entry.item.key.to_string(), slot);
        self.slots[slot as usize] = Some(entry);
    }

    /// Removes the item with `key`, returning it.
    pub fn remove(&mut self, key: &str) -> Option<Item<'static>> {
        let slot = self.by_key.remove(key)?;
        let entry = self.slots[slot as usize].take().expect("indexed slot is occupied");
        let prepared = &entry.prepared;
        self.stats.remove(prepared);
        let unlink = |map: &mut HashKeyed<Vec<u32>>, key: u64| {
            if let Some(list) = map.get_mut(&key) {
                list.retain(|&s| s != slot);
                if list.is_empty() {
                    map.remove(&key);
                }
            }
        };
        unlink(&mut self.exact, prepared.exact);
        for key in posting_keys(prepared) {
            unlink(&mut self.postings, key);
        }
        for key in minhash::band_keys(&prepared.answer_signature) {
            unlink(&mut self.buckets, key);
        }
        self.free.push(slot);
        Some(entry.item)
    }

    /// Removes every item whose key starts with `prefix` (e.g. `"bank-id/"`); returns how many.
    pub fn remove_prefix(&mut self, prefix: &str) -> usize {
        let keys: Vec<String> = self
            .by_key
            .range(prefix.to_owned()..)
            .take_while(|(key, _)| key.starts_with(prefix))
            .map(|(key, _)| key.clone())
            .collect();
        for key in &keys {
            self.remove(key);
        }
        keys.len()
    }

    /// The indexed items that duplicate `item` (other than one with the same key), sorted by
    /// key. Statistics are the index's own, whether or not `item` is in it.
    ///
    /// Exhaustive where [`Index::all_pairs`] cuts corners: every item sharing a prefix word
    /// (or its typo key) or an answer bucket is scored, however common, and embeddings are
    /// compared with every item. So the pairs of `item` in `all_pairs` are a subset of these
    /// matches.
    pub fn query(&self, item: &Item<'_>) -> Result<Vec<Match>, DedupError> {
        let prepared = prepare(item);
        let embedding = match &self.embedder {
            Some(embedder) => Some(embedder.embed(&[plain_text(&item.question).as_str()])?.remove(0)),
            None => None,
        };
        let probe = Probe::new(&prepared, &self.stats, self.thresholds.candidate);
        let mut candidates: BTreeSet<u32> = BTreeSet::new();
        candidates.extend(self.exact.get(&prepared.exact).into_iter().flatten());
        for key in probe.indexed() {
            candidates.extend(self.postings.get(&key).into_iter().flatten());
        }
        for key in minhash::band_keys(&prepared.answer_signature) {
            candidates.extend(self.buckets.get(&key).into_iter().flatten());
        }
        if let Some(query) = &embedding {
            let floor = self.thresholds.floor_for(self.thresholds.semantic);
            candidates.extend(self.occupied().filter_map(|(slot, entry)| {
                let other = entry.embedding.as_deref()?;
                (score::dense_cosine(query, other) >= floor).then_some(slot)
            }));
        }

        let weighted = self.stats.weigh(&prepared);
        let mut matches: Vec<Match> = candidates
            .into_iter()
            .map(|slot| self.entry(slot))
            .filter(|entry| entry.item.key != item.key)
            .filter_map(|entry| {
                let semantic =
                    embedding.as_deref().zip(entry.embedding.as_deref()).map(|(a, b)| score::dense_cosine(a, b));
                let other = self.stats.weigh(&entry.prepared);
                let (kind, scores) =
                    score::judge((&prepared, &weighted), (&entry.prepared, &other), semantic, &self.thresholds)?;
                Some(Match { key: entry.item.key.to_string(), kind, scores })
            })
            .collect();
        matches.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(matches)
    }

    /// Every duplicate pair, indices into [`Index::items`] (key order), sorted.
    pub fn all_pairs(&self) -> Vec<Pair> {
        let entries: Vec<&Entry> = self.by_key.values().map(|&slot| self.entry(slot)).collect();
        let prepared: Vec<&Prepared> = entries.iter().map(|e| &e.prepared).collect();
        let embeddings: Option<Vec<&[f32]>> =
            self.embedder.as_ref().map(|_| entries.iter().map(|e| e.embedding.as_deref().unwrap_or(&[])).collect());
        pipeline::find_pairs(&prepared, embeddings.as_deref(), &self.stats, &self.thresholds)
    }

    /// Pairs and clusters, indices into [`Index::items`] (key order).
    pub fn report(&self) -> Report {
        let pairs = self.all_pairs();
        let clusters = crate::clusters(&pairs);
        Report { pairs, clusters }
    }

    fn entry(&self, slot: u32) -> &Entry {
        self.slots[slot as usize].as_ref().expect("indexed slot is occupied")
    }

    fn occupied(&self) -> impl Iterator<Item = (u32, &Entry)> {
        self.slots.iter().enumerate().filter_map(|(slot, entry)| Some((slot as u32, entry.as_ref()?)))
    }
}

/// Every word and typo key of a question: an indexed item must be findable by any prefix a
/// query may choose, and prefixes change with the corpus statistics.
fn posting_keys(prepared: &Prepared) -> impl Iterator<Item = u64> + '_ {
    prepared.question_terms.iter().copied().chain(prepared.typo_keys())
}
