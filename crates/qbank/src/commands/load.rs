//! Loading banks for a command: discover, read and parse in parallel (with each file's
//! `qbank.toml` shape override, as `check` reads it), assign ids in a stable order so they are
//! unique across everything the run sees.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use qbank_core::{Parsed, ShapeHint, assign_ids, parse_hinted};
use qbank_workspace::{SourceFile, WorkspaceError, discover, read_source};
use rayon::prelude::*;

use crate::Errors;

/// A parsed bank file.
pub struct Loaded {
    pub file: SourceFile,
    pub parsed: Parsed,
}

/// What loading found: banks, plus walked files that were not banks (skipped quietly).
pub struct LoadedSet {
    pub banks: Vec<Loaded>,
    pub skipped: Vec<PathBuf>,
}

/// Read and parse every file `paths` names. Any unreadable file, or an explicitly named file
/// that is not a bank, fails the whole load (nothing is written by a failed run).
pub fn load(paths: &[PathBuf]) -> Result<LoadedSet, Errors> {
    let found = discover(paths)?;
    let hints = shape_hints(&found.files)?;
    let results: Vec<Result<Loaded, WorkspaceError>> = found
        .files
        .par_iter()
        .zip(hints.par_iter())
        .map(|(path, hint)| {
            let file = read_source(path)?;
            let parsed = parse_hinted(&file.text, hint);
            Ok(Loaded { file, parsed })
        })
        .collect();
    let mut banks = Vec::new();
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(loaded) if loaded.parsed.is_bank() => banks.push(loaded),
            Ok(loaded) if found.walked.contains(&loaded.file.path) => skipped.push(loaded.file.path),
            Ok(loaded) => errors.push(not_a_bank(&loaded)),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    Ok(LoadedSet { banks, skipped })
}

/// The shape override (`shape`, `question-level`) of each file's `qbank.toml`; a bad config is
/// an error naming it.
pub fn shape_hints(files: &[PathBuf]) -> Result<Vec<ShapeHint>, Errors> {
    let mut configs = super::config::Configs::new(None)?;
    files.iter().map(|path| Ok(configs.for_file(path)?.config.shape_hint())).collect()
}

pub fn not_a_bank(loaded: &Loaded) -> String {
    let reason = loaded.parsed.issues.first().map_or("no questions found", |i| i.message.as_str());
    format!("{}: not a question bank: {reason}", loaded.file.path.display())
}

/// Why a bank whose shape is unsure is refused (import and merge take it with `--force`).
pub fn unsure(loaded: &Loaded, doubt: &qbank_core::Doubt) -> String {
    let index = qbank_core::LineIndex::new(&loaded.file.text);
    let (line, column) = index.human_position(&loaded.file.text, doubt.span.start);
    format!(
        "{}:{line}:{column}: refused: unsure how this file is organised ({}); check it with `qbank inspect`, settle it with `shape` / `question-level` in qbank.toml, or pass --force to take this reading",
        loaded.file.path.display(),
        doubt.message
    )
}

/// Give every bank and question an id, unique across `banks` and `taken`, in path order.
pub fn assign_all_ids(banks: &mut [Loaded], taken: &mut HashSet<String>) {
    for loaded in banks.iter() {
        taken.extend(loaded.parsed.bank.questions().filter(|q| !q.id.is_empty()).map(|q| q.id.clone()));
    }
    for loaded in banks.iter_mut() {
        let stem = loaded.file.stem();
        assign_ids(&mut loaded.parsed.bank, &stem, taken);
    }
}

pub fn display(path: &Path) -> String {
    path.display().to_string()
}
