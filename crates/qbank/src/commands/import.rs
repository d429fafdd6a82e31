//! `qbank import`: parse banks of any supported shape and write them canonically into a
//! directory, never overwriting an existing bank unless `--force` is given.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use qbank_core::{Bank, assign_ids, format_bank, parse};
use qbank_workspace::{read_source, write_atomic};

use super::load::{Loaded, assign_all_ids, display, load, not_a_bank, unsure};
use crate::{Errors, Outcome};

pub fn run(files: &[PathBuf], into: &Path, force: bool) -> Result<Outcome, Errors> {
    for file in files {
        if file.is_dir() {
            return Err(Errors(vec![format!("{}: is a directory; import takes bank files", display(file))]));
        }
    }
    if into.exists() && !into.is_dir() {
        return Err(Errors(vec![format!("{}: --into must be a directory", display(into))]));
    }
    let mut loaded = Vec::new();
    let mut rejected = Vec::new();
    for file in files {
        let source = read_source(file)?;
        let parsed = parse(&source.text);
        let entry = Loaded { file: source, parsed };
        if !entry.parsed.is_bank() {
            rejected.push(not_a_bank(&entry));
        } else if let (false, Some(doubt)) = (force, entry.parsed.reading.doubts.first()) {
            rejected.push(unsure(&entry, doubt));
        } else {
            loaded.push(entry);
        }
    }
    // Ids must be unique across the corpus the banks join; the banks this import replaces
    // (`--force`) are leaving it, so their ids are free again (re-importing keeps the ids).
    let replaced: HashSet<PathBuf> = loaded.iter().map(|entry| into.join(format!("{}.md", bank_id(entry)))).collect();
    let mut taken = existing_ids(into, &replaced)?;
    assign_all_ids(&mut loaded, &mut taken);
    let mut plan: Vec<(PathBuf, &Loaded)> = Vec::new();
    let mut conflicts = Vec::new();
    let mut targets = HashSet::new();
    for entry in &loaded {
        let target = into.join(format!("{}.md", entry.parsed.bank.id));
        if !targets.insert(target.clone()) {
            conflicts.push(format!(
                "{}: two inputs would both be written to {}",
                display(&entry.file.path),
                display(&target)
            ));
        } else if target.exists() && !force {
            conflicts.push(format!("{}: already exists; pass --force to replace it", display(&target)));
        }
        plan.push((target, entry));
    }
    if !conflicts.is_empty() {
        return Err(Errors(conflicts));
    }
    if !plan.is_empty() {
        std::fs::create_dir_all(into).map_err(|e| format!("{}: {e}", display(into)))?;
    }
    for (target, entry) in &plan {
        write_atomic(target, &format_bank(&entry.parsed.bank))?;
        crate::outln!("imported {} → {}: {}", display(&entry.file.path), display(target), summary(&entry.parsed.bank));
    }
    for message in &rejected {
        eprintln!("error: {message}");
    }
    Ok(if rejected.is_empty() { Outcome::Clean } else { Outcome::Failure })
}

/// The id `assign_ids` gives `entry`'s bank: its own, else from its title, else from the file
/// name (question ids play no part).
fn bank_id(entry: &Loaded) -> String {
    let bank = &entry.parsed.bank;
    let mut head = Bank { id: bank.id.clone(), title: bank.title.clone(), ..Bank::default() };
    assign_ids(&mut head, &entry.file.stem(), &mut HashSet::new());
    head.id
}

/// Question ids already used by the banks in `dir`, except those in `replaced`.
fn existing_ids(dir: &Path, replaced: &HashSet<PathBuf>) -> Result<HashSet<String>, Errors> {
    if !dir.is_dir() {
        return Ok(HashSet::new());
    }
    let Ok(set) = load(&[dir.to_path_buf()]) else {
        // An empty or unreadable target directory has no ids to avoid; real read errors
        // surface when we write.
        return Ok(HashSet::new());
    };
    Ok(set
        .banks
        .iter()
        .filter(|b| !replaced.contains(&b.file.path))
        .flat_map(|b| b.parsed.bank.questions().map(|q| q.id.clone()))
        .collect())
}

/// "16 questions in 1 section, 3 TL;DRs, 2 code examples".
pub fn summary(bank: &Bank) -> String {
    let questions = bank.question_count();
    let sections = bank.sections.iter().filter(|s| s.title.is_some()).count();
    let tldrs = bank.questions().filter(|q| q.tldr.is_some()).count();
    let code = bank.questions().flat_map(|q| &q.examples).filter(|e| e.code.is_some()).count();
    format!(
        "{questions} question{} in {sections} section{}, {tldrs} TL;DR{}, {code} code example{}",
        plural(questions),
        plural(sections),
        plural(tldrs),
        plural(code)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
