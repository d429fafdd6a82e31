//! The request features, one module each: pure functions from an [`crate::analysis::Analysis`]
//! (and what the index knows) to `ls_types` values, and the feature's handler, a thin method on
//! the server's `Core` that takes a snapshot under a short lock, calls them and converts.

pub mod actions;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod highlight;
pub mod hover;
pub mod lenses;
pub mod links;
pub mod selection;
pub mod symbols;
pub mod tokens;
