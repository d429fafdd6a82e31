//! `qbank fmt`: rewrite banks canonically, atomically; `--check` lists what would change.

use std::collections::HashSet;
use std::path::PathBuf;

use qbank_core::{format_bank, keep_line_endings};
use qbank_workspace::write_atomic;
use rayon::prelude::*;

use super::load::{assign_all_ids, display, load};
use crate::{Errors, Outcome};

pub fn run(paths: &[PathBuf], check: bool) -> Result<Outcome, Errors> {
    let mut set = load(paths)?;
    assign_all_ids(&mut set.banks, &mut HashSet::new());
    // Never restructure on a guess: a bank whose shape is unsure is left byte for byte.
    let mut unsure = 0;
    for loaded in set.banks.iter().filter(|l| !l.parsed.reading.is_sure()) {
        let doubt = &loaded.parsed.reading.doubts[0];
        let index = qbank_core::LineIndex::new(&loaded.file.text);
        let (line, column) = index.human_position(&loaded.file.text, doubt.span.start);
        eprintln!(
            "{}:{line}:{column}: left as it is: unsure how this file is organised ({}); see `qbank inspect`, settle it with `shape` / `question-level` in qbank.toml",
            display(&loaded.file.path),
            doubt.message
        );
        unsure += 1;
    }
    let changed: Vec<(PathBuf, String)> = set
        .banks
        .par_iter()
        .filter(|loaded| loaded.parsed.reading.is_sure())
        .filter_map(|loaded| {
            let formatted = keep_line_endings(&loaded.file.text, format_bank(&loaded.parsed.bank));
            (formatted != loaded.file.text).then(|| (loaded.file.path.clone(), formatted))
        })
        .collect();
    for path in &set.skipped {
        eprintln!("skipped {} (not a question bank)", display(path));
    }
    if check {
        for (path, _) in &changed {
            crate::outln!("would reformat {}", display(path));
        }
        if changed.is_empty() && unsure == 0 {
            crate::outln!("{} file(s) already formatted", set.banks.len());
            return Ok(Outcome::Clean);
        }
        crate::outln!("{} file(s) would be reformatted", changed.len());
        return Ok(Outcome::Failure);
    }
    let mut errors = Vec::new();
    for (path, formatted) in &changed {
        match write_atomic(path, formatted) {
            Ok(()) => crate::outln!("formatted {}", display(path)),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    crate::outln!("{} file(s) formatted, {} unchanged", changed.len(), set.banks.len() - changed.len());
    Ok(if unsure > 0 { Outcome::Failure } else { Outcome::Clean })
}
