//! One module per subcommand; each loads inputs, calls the libraries, and renders.

pub mod check;
pub mod config;
pub mod dedup;
pub mod export;
pub mod fmt;
pub mod import;
pub mod inspect;
pub mod load;
pub mod merge;
pub mod relink;
pub mod report;
pub mod rules;
pub mod schema;
