//! The I/O edge shared by the CLI and the language server: finding bank files, reading them
//! with clear errors, and writing them atomically.

pub mod discover;
pub mod read;
pub mod transaction;
pub mod write;

pub use discover::{Discovered, discover};
pub use read::{SourceFile, read_source};
pub use transaction::replace_in_dir;
pub use write::{failpoint, write_atomic};

/// An I/O or input problem with one path; `Display` names the path first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceError {
    pub path: std::path::PathBuf,
    pub message: String,
}

impl WorkspaceError {
    pub fn new(path: impl Into<std::path::PathBuf>, message: impl Into<String>) -> Self {
        WorkspaceError { path: path.into(), message: message.into() }
    }
}

impl std::fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for WorkspaceError {}
