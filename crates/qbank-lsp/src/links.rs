//! Links between questions: the scanner and path helpers live in [`qbank_lint::links`] (the
//! `broken-question-link` rule uses them too); the server's link features are in
//! [`crate::features::links`].

pub use qbank_lint::links::*;
