//! `qbank export`: the JSON model of a bank, or an array of banks for a directory.

use std::collections::HashSet;
use std::path::Path;

use qbank_core::export::{bank_to_json, to_pretty_json};

use super::load::{assign_all_ids, load};
use crate::{Errors, Outcome};

pub fn run(path: &Path) -> Result<Outcome, Errors> {
    let mut set = load(&[path.to_path_buf()])?;
    assign_all_ids(&mut set.banks, &mut HashSet::new());
    let value = if path.is_dir() {
        serde_json::Value::Array(set.banks.iter().map(|b| bank_to_json(&b.parsed.bank)).collect())
    } else {
        bank_to_json(&set.banks[0].parsed.bank)
    };
    crate::out!("{}", to_pretty_json(&value));
    Ok(Outcome::Clean)
}
