//! Per-item preprocessing: normalised text hashed into the terms, typo keys and MinHash
//! signature that the later stages compare. Works on one item, needs no corpus.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::{Xxh3Default, xxh3_64, xxh3_64_with_seed};

use crate::Item;
use crate::minhash;
use crate::normalize::{for_each_plain_stem, for_each_stem, plain_text};

/// Shortest words that may differ by a typo: shorter ones are too often different words
/// ("cache"/"catch" are 5 letters, "node"/"mode" 4).
const TYPO_MIN_LEN: usize = 6;
/// Answers with fewer stems get no MinHash signature: short answers ("Yes.", "See above.")
/// collide without meaning anything.
const MIN_ANSWER_STEMS: usize = 8;
/// Words per answer shingle.
const SHINGLE: usize = 3;

const EMPTY_SEED: u64 = 0x5157_4f52_4400_0001;
const TYPO_SEED: u64 = 0x5157_5459_504f_0002;

/// One item, reduced to hashes. Lists are sorted by hash so that two items can be compared
/// by merging, and boxed (no spare capacity: a corpus-wide pass holds one per question).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prepared {
    /// Hash of the normalised question: equal hashes are exact duplicates.
    pub exact: u64,
    /// Hash of the question as the embedding model sees it (key of the embedding cache).
    pub content: u64,
    /// Distinct question stems, hashed, sorted.
    pub question_terms: Box<[u64]>,
    /// The characters of the typo words ([`Prepared::typo_word`]), one after the other.
    typo_chars: Box<[char]>,
    /// For each of `question_terms`, where its typo word ends in `typo_chars` (it starts where
    /// the previous one ends; an empty word is none).
    typo_ends: Box<[u32]>,
    /// Answer stems with their counts.
    pub answer_terms: Box<[(u64, u32)]>,
    /// TL;DR stems with their counts.
    pub tldr_terms: Box<[(u64, u32)]>,
    /// MinHash of the answer's word 3-shingles; empty when the answer is short.
    pub answer_signature: Box<[u32]>,
}

pub(crate) fn prepare(item: &Item) -> Prepared {
    let plain_question = plain_text(&item.question);
    // (stem hash, word) in reading order, and the hash of the stems joined by spaces, which is
    // what `normalize` returns.
    let mut question: Vec<(u64, String)> = Vec::new();
    let mut normalized = Xxh3Default::new();
    for_each_plain_stem(&plain_question, |word, stem| {
        if !question.is_empty() {
            normalized.update(b" ");
        }
        normalized.update(stem.as_bytes());
        question.push((term_hash(stem), word.to_owned()));
    });
    let answer = term_hashes(&item.answer);
    let tldr = term_hashes(&item.tldr);

    // A question of stop words only ("What is it?") normalises to nothing; it is then an exact
    // duplicate only of the same words, not of every other such question.
    let exact = if question.is_empty() {
        xxh3_64_with_seed(plain_question.to_lowercase().as_bytes(), EMPTY_SEED)
    } else {
        normalized.digest()
    };

    // Sort by hash, keeping each term's first word (the sort is stable).
    question.sort_by_key(|(hash, _)| *hash);
    question.dedup_by_key(|(hash, _)| *hash);
    let question_terms: Vec<u64> = question.iter().map(|(hash, _)| *hash).collect();
    let mut typo_chars: Vec<char> = Vec::new();
    let typo_ends: Vec<u32> = question
        .iter()
        .map(|(_, word)| {
            typo_chars.extend(typo_word(word).into_iter().flatten());
            typo_chars.len() as u32
        })
        .collect();

    let answer_signature = if answer.len() >= MIN_ANSWER_STEMS {
        minhash::signature(answer.windows(SHINGLE).map(shingle_hash))
    } else {
        Vec::new()
    };

    Prepared {
        exact,
        content: xxh3_64(plain_question.as_bytes()),
        question_terms: question_terms.into(),
        typo_chars: typo_chars.into(),
        typo_ends: typo_ends.into(),
        answer_terms: counts(answer).into(),
        tldr_terms: counts(tldr).into(),
        answer_signature: answer_signature.into(),
    }
}

impl Prepared {
    /// The lower-cased word that `question_terms[i]` was stemmed from (its first occurrence),
    /// when a typo in it is plausible (see [`typo_word`]); typos are judged on words, as the
    /// stems of misspellings are unpredictable.
    pub(crate) fn typo_word(&self, i: usize) -> Option<&[char]> {
        let start = if i == 0 { 0 } else { self.typo_ends[i - 1] as usize };
        let word = &self.typo_chars[start..self.typo_ends[i] as usize];
        (!word.is_empty()).then_some(word)
    }

    /// Whether `question_terms[i]` has a typo word.
    pub(crate) fn has_typo_word(&self, i: usize) -> bool {
        let start = if i == 0 { 0 } else { self.typo_ends[i - 1] };
        self.typo_ends[i] > start
    }

    /// The typo words by term index.
    pub(crate) fn typo_words(&self) -> impl Iterator<Item = Option<&[char]>> {
        (0..self.typo_ends.len()).map(|i| self.typo_word(i))
    }

    /// The typo keys ([`deletion_keys`]) of the question word behind `term`, if it has any.
    /// Computed when asked for: only the words a candidate search indexes need them, and
    /// keeping every word's keys would cost more than the rest of the item.
    pub(crate) fn typo_keys_of(&self, term: u64) -> impl Iterator<Item = u64> + '_ {
        let word = self.question_terms.binary_search(&term).ok().and_then(|i| self.typo_word(i));
        word.into_iter().flat_map(deletion_keys)
    }

    /// The typo keys of every question word, sorted, without repeats.
    pub(crate) fn typo_keys(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = self.question_terms.iter().flat_map(|&term| self.typo_keys_of(term)).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

pub(crate) fn term_hash(stem: &str) -> u64 {
    xxh3_64(stem.as_bytes())
}

/// The word as characters when a typo in it is plausible: at least [`TYPO_MIN_LEN`] letters
/// and no digits ("http2" and "http3" are different words).
fn typo_word(word: &str) -> Option<impl Iterator<Item = char> + '_> {
    (word.chars().count() >= TYPO_MIN_LEN && !word.chars().any(char::is_numeric)).then(|| word.chars())
}

/// The word itself and every string made by deleting one of its characters, hashed. Two words
/// within one insertion, deletion, substitution or transposition share at least one key
/// (a substitution at position i: both delete i; an insertion: the longer deletes it).
pub(crate) fn deletion_keys(word: &[char]) -> impl Iterator<Item = u64> + '_ {
    let mut buf = String::new();
    (0..=word.len()).map(move |skip| {
        buf.clear();
        buf.extend(word.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, c)| c));
        xxh3_64_with_seed(buf.as_bytes(), TYPO_SEED)
    })
}

fn shingle_hash(words: &[u64]) -> u64 {
    let mut bytes = [0u8; 8 * SHINGLE];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip(words) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    xxh3_64(&bytes)
}

fn term_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_stem(text, |_, stem| out.push(term_hash(stem)));
    out
}

fn counts(mut hashes: Vec<u64>) -> Vec<(u64, u32)> {
    hashes.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::new();
    for hash in hashes {
        match out.last_mut() {
            Some((last, count)) if *last == hash => *count += 1,
            _ => out.push((hash, 1)),
        }
    }
    out
}

/// Hash maps keyed by values that are already hashes need no second hash.
pub(crate) type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are expected; fold anything else so the hasher stays correct.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(question: &'a str, answer: &'a str) -> Item<'a> {
        Item { key: "k".into(), question: question.into(), answer: answer.into(), tldr: Default::default() }
    }

    #[test]
    fn long_words_get_typo_keys() {
        let prepared = prepare(&item("What is your rollback strategy in k8s?", ""));
        assert_eq!(prepared.question_terms.len(), 3);
        let words: Vec<String> = prepared.typo_words().flatten().map(|w| w.iter().collect()).collect();
        assert_eq!(words.len(), 2, "k8s is short and has a digit");
        assert!(words.contains(&"rollback".to_owned()) && words.contains(&"strategy".to_owned()));
        // Each word itself plus its 8 deletions; "rollback" loses either "l" the same way.
        assert_eq!(prepared.typo_keys().len(), 17);
        let keys = |w: &str| deletion_keys(&w.chars().collect::<Vec<_>>()).collect::<Vec<_>>();
        for (a, b) in [("rollback", "rolback"), ("rollback", "rollbakc"), ("rollback", "rollbock")] {
            assert!(keys(a).iter().any(|k| keys(b).contains(k)), "{a} {b}");
        }
        assert!(!keys("rollback").iter().any(|k| keys("rolbak").contains(k)));
    }

    #[test]
    fn exact_hash_ignores_markup_and_stop_words() {
        let a = prepare(&item("How do you handle rollbacks in production?", ""));
        let b = prepare(&item("how do YOU handle **rollbacks** in production", ""));
        assert_eq!(a.exact, b.exact);
        assert_eq!(a.exact, xxh3_64(crate::normalize("How do you handle rollbacks in production?").as_bytes()));
        assert_ne!(a.content, b.content);
    }

    #[test]
    fn short_answers_get_no_signature() {
        assert!(prepare(&item("q", "Yes, always.")).answer_signature.is_empty());
        let long = "Keep the previous release artefact and switch traffic back with the load balancer";
        assert_eq!(prepare(&item("q", long)).answer_signature.len(), minhash::SIGNATURE_LEN);
    }
}
