//! `qbank schema`: print the bank model's JSON Schema, or `qbank.toml`'s.

use crate::{Errors, Outcome};

pub fn run(config: bool) -> Result<Outcome, Errors> {
    if config {
        crate::out!("{}", qbank_lint::config::Config::json_schema_text());
    } else {
        crate::out!("{}", qbank_core::schema::bank_schema_text());
    }
    Ok(Outcome::Clean)
}
