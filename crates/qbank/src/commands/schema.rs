//! `qbank schema`: print the bank model's JSON Schema.

use crate::{Errors, Outcome};

pub fn run() -> Result<Outcome, Errors> {
    crate::out!("{}", qbank_core::schema::bank_schema_text());
    Ok(Outcome::Clean)
}
