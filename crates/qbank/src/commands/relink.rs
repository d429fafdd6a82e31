//! Keeping links between questions valid when `qbank merge` moves questions into other banks.
//! A moved question may get a new id (its own is already used in the bank it joins) or be left
//! out as a duplicate of another question; the links of the merged text follow it. Links are
//! found and rewritten by [`qbank_lint::links`], the scanner the `broken-question-link` rule
//! and the language server use; only link targets change.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use qbank_core::{LineIndex, Question, Section};
use qbank_lint::links::{self, QuestionLink};

/// A path made absolute and lexically normalised: how links' bank paths resolve.
pub fn absolute(path: &Path) -> PathBuf {
    links::normalize(&super::config::absolute(path))
}

/// Where every question of a merge ends up, by absolute bank path and id.
#[derive(Default)]
pub struct Relink {
    /// (bank file, id) → (the bank file it ends up in, its id there).
    questions: HashMap<(PathBuf, String), (PathBuf, String)>,
    /// Bank file → the bank file its questions move to.
    files: HashMap<PathBuf, PathBuf>,
}

impl Relink {
    /// The questions of bank file `from` move to bank file `to`: links to the whole bank, or to
    /// an anchor that is not a question id, follow them there.
    pub fn file(&mut self, from: &Path, to: &Path) {
        self.files.insert(from.to_path_buf(), to.to_path_buf());
    }

    /// Question `id` of bank file `from` ends up as `new_id` in bank file `to` (skipped as a
    /// duplicate: the question it duplicates). When a bank has an id twice, links to it mean
    /// the first.
    pub fn question(&mut self, from: &Path, id: &str, to: &Path, new_id: &str) {
        if id.is_empty() {
            return;
        }
        self.questions
            .entry((from.to_path_buf(), id.to_string()))
            .or_insert_with(|| (to.to_path_buf(), new_id.to_string()));
    }

    /// `text`, written in bank file `from` and now part of bank file `to`, with each question
    /// or bank link rewritten to name where its question ends up, read from `to`. Returns how
    /// many links changed.
    pub fn text(&self, text: &mut String, from: &Path, to: &Path) -> usize {
        let (rewritten, changed) = links::rewrite_links(text, |link| self.retarget(text, link, from, to));
        if changed > 0 {
            *text = rewritten;
        }
        changed
    }

    /// [`Relink::text`] on every text of a question that can hold links.
    pub fn question_texts(&self, q: &mut Question, from: &Path, to: &Path) -> usize {
        let mut changed = self.text(&mut q.question, from, to) + self.text(&mut q.answer, from, to);
        if let Some(tldr) = &mut q.tldr {
            changed += self.text(tldr, from, to);
        }
        for example in &mut q.examples {
            for text in [&mut example.title, &mut example.text].into_iter().flatten() {
                changed += self.text(text, from, to);
            }
        }
        changed
    }

    /// `section` with its intro's links rewritten, for appending to bank file `to`.
    pub fn section(&self, section: &Section, from: &Path, to: &Path, changed: &mut usize) -> Section {
        let mut section = section.clone();
        *changed += self.text(&mut section.intro, from, to);
        section
    }

    /// The new target of `link` (written in `from`, now in `to`), or `None` when it still
    /// names the right question from `to`.
    fn retarget(&self, text: &str, link: &QuestionLink, from: &Path, to: &Path) -> Option<String> {
        let resolve = |base: &Path| match link.bank_text(text) {
            None => base.to_path_buf(),
            Some(bank) => links::resolve_bank(base, bank),
        };
        let was = resolve(from);
        let id = link.id_text(text);
        let (file, new_id) = match id.and_then(|id| self.questions.get(&(was.clone(), id.to_string()))) {
            Some((file, new_id)) => (file.as_path(), Some(new_id.as_str())),
            None => (self.files.get(&was).map_or(was.as_path(), PathBuf::as_path), id),
        };
        if resolve(to) == file && id == new_id {
            return None;
        }
        let path = if file == to && new_id.is_some() { String::new() } else { links::link_path(to, file) };
        Some(match new_id {
            Some(id) => format!("{path}#{id}"),
            None => path,
        })
    }
}

/// Where the Markdown files under `root` (other than `except`) link to one of `banks`: per
/// bank, `path:line` of each link, paths relative to `root`.
pub fn links_to(root: &Path, banks: &[PathBuf], except: &HashSet<PathBuf>) -> HashMap<PathBuf, Vec<String>> {
    let mut found: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let Ok(discovered) = qbank_workspace::discover(&[root.to_path_buf()]) else { return found };
    for path in discovered.files {
        let here = absolute(&path);
        if except.contains(&here) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let mut index = None;
        for link in links::question_links(&text) {
            let Some(bank) = link.bank_text(&text) else { continue };
            let target = links::resolve_bank(&here, bank);
            if banks.contains(&target) {
                let index = index.get_or_insert_with(|| LineIndex::new(&text));
                let (line, _) = index.human_position(&text, link.span.start);
                let shown = super::config::relative_to(&here, root);
                found.entry(target).or_default().push(format!("{shown}:{line}"));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relink() -> Relink {
        let mut relink = Relink::default();
        relink.file(Path::new("/w/new.md"), Path::new("/w/corpus/ops.md"));
        relink.question(Path::new("/w/new.md"), "canary", Path::new("/w/corpus/ops.md"), "canary-2");
        relink.question(Path::new("/w/new.md"), "again", Path::new("/w/corpus/ops.md"), "roll-back");
        relink.question(Path::new("/w/corpus/k8s.md"), "probe", Path::new("/w/corpus/k8s.md"), "probe");
        relink
    }

    #[test]
    fn links_follow_their_questions_and_keep_their_text() {
        let mut text = "[Q1](#canary), [the same](new.md#again), [ops](corpus/ops.md#roll-back), \
                        [k8s](corpus/k8s.md#probe), [heading](#deploys), [bank](new.md), \
                        [far](../x/other%20bank.md#z), [web](https://e.com/#canary), `[code](#canary)`"
            .to_string();
        let changed = relink().text(&mut text, Path::new("/w/new.md"), Path::new("/w/corpus/ops.md"));
        assert_eq!(
            text,
            "[Q1](#canary-2), [the same](#roll-back), [ops](#roll-back), \
             [k8s](k8s.md#probe), [heading](#deploys), [bank](ops.md), \
             [far](../../x/other%20bank.md#z), [web](https://e.com/#canary), `[code](#canary)`"
        );
        assert_eq!(changed, 6, "the heading anchor still resolves in the bank it moved with");
    }

    #[test]
    fn links_that_still_resolve_are_left_as_written() {
        let mut text = "[ops](./ops.md#roll-back) and [k8s](k8s.md#probe)".to_string();
        let changed = relink().text(&mut text, Path::new("/w/corpus/ops.md"), Path::new("/w/corpus/ops.md"));
        assert_eq!((text.as_str(), changed), ("[ops](./ops.md#roll-back) and [k8s](k8s.md#probe)", 0));
    }
}
