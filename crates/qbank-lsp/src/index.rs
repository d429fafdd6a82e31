//! The workspace index: the latest [`Analysis`] of every bank under the workspace folders (open
//! documents as edited, the rest as on disk), keyed by uri, with the lookups that span files:
//! questions by normalised text (duplicates), ids in use, the tag vocabulary and symbol search.
//!
//! Updates replace one uri's entry and touch nothing else, so the dedup index (which adds and
//! removes items by key) can follow the same `insert`/`remove` calls: question keys are
//! `"{uri}#{index}"`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::analysis::{Analysis, QuestionEntry};

/// One question somewhere in the workspace.
#[derive(Clone, Copy, Debug)]
pub struct QuestionRef<'a> {
    pub uri: &'a Uri,
    pub analysis: &'a Analysis,
    pub question: &'a QuestionEntry,
}

#[derive(Default, Debug)]
pub struct WorkspaceIndex {
    files: BTreeMap<Uri, Arc<Analysis>>,
    /// Hash of a normalised question text → the questions with it, as (uri, question index),
    /// sorted. A list per text (most have one question), keyed by hash: a workspace of 100k
    /// questions holds 100k of these, so neither a tree node nor a copy of the text each.
    by_text: HashMap<u64, Vec<(Uri, usize)>>,
}

/// The [`WorkspaceIndex::by_text`] key of a normalised text.
fn text_key(normalized: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    normalized.hash(&mut hasher);
    hasher.finish()
}

impl WorkspaceIndex {
    /// Sets `uri`'s entry (a text that is not a bank removes it) and returns the old one.
    pub fn insert(&mut self, uri: Uri, analysis: Arc<Analysis>) -> Option<Arc<Analysis>> {
        // Typing in an answer leaves every question text as it was: keep the text lookup.
        if let Some(old) = self.files.get_mut(&uri)
            && analysis.is_bank()
            && old.questions.len() == analysis.questions.len()
            && old.questions.iter().zip(&analysis.questions).all(|(a, b)| a.normalized == b.normalized)
        {
            return Some(std::mem::replace(old, analysis));
        }
        let old = self.remove(&uri);
        if !analysis.is_bank() {
            return old;
        }
        for (i, q) in analysis.questions.iter().enumerate() {
            if !q.normalized.is_empty() {
                let list = self.by_text.entry(text_key(&q.normalized)).or_default();
                let entry = (uri.clone(), i);
                if let Err(at) = list.binary_search(&entry) {
                    list.insert(at, entry);
                }
            }
        }
        self.files.insert(uri, analysis);
        old
    }

    pub fn remove(&mut self, uri: &Uri) -> Option<Arc<Analysis>> {
        let old = self.files.remove(uri)?;
        for (i, q) in old.questions.iter().enumerate() {
            let key = text_key(&q.normalized);
            if let Some(list) = self.by_text.get_mut(&key) {
                list.retain(|(u, n)| !(u == uri && *n == i));
                if list.is_empty() {
                    self.by_text.remove(&key);
                }
            }
        }
        Some(old)
    }

    /// Drops every entry that `keep` rejects.
    pub fn retain(&mut self, mut keep: impl FnMut(&Uri) -> bool) {
        let gone: Vec<Uri> = self.files.keys().filter(|uri| !keep(uri)).cloned().collect();
        for uri in gone {
            self.remove(&uri);
        }
    }

    pub fn get(&self, uri: &Uri) -> Option<&Arc<Analysis>> {
        self.files.get(uri)
    }

    /// Every indexed bank, sorted by uri.
    pub fn files(&self) -> impl Iterator<Item = (&Uri, &Arc<Analysis>)> {
        self.files.iter()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The uri whose analysis was made for `path` (how related locations name files).
    pub fn uri_for_path(&self, path: &str) -> Option<(&Uri, &Arc<Analysis>)> {
        self.files.iter().find(|(_, a)| a.path == path)
    }

    /// Question ids used by every bank but `uri`'s.
    pub fn ids_except(&self, uri: &Uri) -> HashSet<String> {
        self.files
            .iter()
            .filter(|(u, _)| *u != uri)
            .flat_map(|(_, a)| a.questions.iter().map(|q| q.id.clone()))
            .filter(|id| !id.is_empty())
            .collect()
    }

    /// Tags in use (question and bank tags), most used first, then alphabetical.
    pub fn tag_vocabulary(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for analysis in self.files.values() {
            let question_tags = analysis.questions.iter().flat_map(|q| q.tags.iter());
            for tag in question_tags.chain(&analysis.bank_tags) {
                *counts.entry(tag.as_str()).or_default() += 1;
            }
        }
        let mut tags: Vec<(String, usize)> = counts.into_iter().map(|(t, n)| (t.to_string(), n)).collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        tags
    }

    /// Other questions whose normalised text equals that of `uri`'s question `index`.
    pub fn same_text(&self, uri: &Uri, index: usize) -> Vec<QuestionRef<'_>> {
        let Some(q) = self.files.get(uri).and_then(|a| a.questions.get(index)) else { return Vec::new() };
        let Some(list) = self.by_text.get(&text_key(&q.normalized)) else { return Vec::new() };
        list.iter()
            .filter(|(u, i)| !(u == uri && *i == index))
            .filter_map(|(u, i)| self.question(u, *i))
            .filter(|other| other.question.normalized == q.normalized) // not just the same hash
            .collect()
    }

    fn question(&self, uri: &Uri, index: usize) -> Option<QuestionRef<'_>> {
        let (uri, analysis) = self.files.get_key_value(uri)?;
        Some(QuestionRef { uri, analysis, question: analysis.questions.get(index)? })
    }

    /// Questions matching `query` (case-insensitive substring of text or id first, then fuzzy:
    /// the query's characters in order), best first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<QuestionRef<'_>> {
        let query = query.trim().to_lowercase();
        let mut hits: Vec<(u8, usize, QuestionRef<'_>)> = Vec::new();
        for (uri, analysis) in &self.files {
            for question in &analysis.questions {
                let text = question.text.to_lowercase();
                let rank = if query.is_empty() {
                    Some((0, 0))
                } else if let Some(at) = text.find(&query) {
                    Some((0, at))
                } else if question.id.contains(&query) {
                    Some((1, 0))
                } else {
                    fuzzy_gaps(&text, &query).map(|gaps| (2, gaps))
                };
                if let Some((tier, detail)) = rank {
                    hits.push((tier, detail, QuestionRef { uri, analysis, question }));
                }
            }
        }
        // Stable: equal ranks keep uri and document order.
        hits.sort_by_key(|(tier, detail, _)| (*tier, *detail));
        hits.into_iter().take(limit).map(|(_, _, q)| q).collect()
    }
}

/// How many characters are skipped to find `query`'s characters in order in `text`.
fn fuzzy_gaps(text: &str, query: &str) -> Option<usize> {
    let mut chars = text.chars();
    let mut gaps = 0;
    for wanted in query.chars().filter(|c| !c.is_whitespace()) {
        loop {
            let c = chars.next()?;
            if c == wanted {
                break;
            }
            gaps += 1;
        }
    }
    Some(gaps)
}

/// Every Markdown file under `folders` that could be a bank: `.gitignore`/`.ignore` honoured,
/// hidden entries skipped, sorted. (Each file's `qbank.toml` then decides whether it is checked.)
pub fn markdown_files(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in folders {
        let walker = ignore::WalkBuilder::new(folder).hidden(true).git_ignore(true).require_git(false).build();
        for entry in walker.flatten() {
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if is_file && is_markdown(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_matching_needs_the_characters_in_order() {
        assert_eq!(fuzzy_gaps("zero downtime deployments", "zdd"), Some(12));
        assert_eq!(fuzzy_gaps("zero downtime", "dz"), None);
        assert!(fuzzy_gaps("blue green", "bg").unwrap() < fuzzy_gaps("blue-ish green", "bg").unwrap());
    }
}
