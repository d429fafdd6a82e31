//! The request features, each a pure function from an [`crate::analysis::Analysis`] (and what
//! the index knows) to `ls_types` values. No locks, no I/O.

pub mod actions;
pub mod completion;
pub mod hover;
pub mod symbols;
