//! The one error type: what can go wrong loading the embedding model or using its cache.

use std::fmt;
use std::path::PathBuf;

/// Why semantic mode could not run. Lexical work never fails.
#[derive(Debug)]
pub enum DedupError {
    /// The model directory does not exist.
    ModelDirMissing { dir: PathBuf },
    /// The model directory exists but lacks some of [`MODEL_FILES`](crate::MODEL_FILES).
    ModelFilesMissing { dir: PathBuf, missing: Vec<&'static str> },
    /// A model file exists but cannot be used.
    ModelInvalid { path: PathBuf, reason: String },
    /// The model failed while embedding (should not happen once it loaded).
    Embedding { reason: String },
    /// The embedding cache file could not be written.
    CacheWrite { path: PathBuf, source: std::io::Error },
}

const SETUP_HINT: &str = "install all-MiniLM-L6-v2 with scripts/setup-model.sh, or point QBANK_MODEL_DIR at a copy";

impl fmt::Display for DedupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DedupError::ModelDirMissing { dir } => {
                write!(f, "embedding model directory {} does not exist; {SETUP_HINT}", dir.display())
            }
            DedupError::ModelFilesMissing { dir, missing } => {
                write!(f, "embedding model directory {} is missing {}; {SETUP_HINT}", dir.display(), missing.join(", "))
            }
            DedupError::ModelInvalid { path, reason } => {
                write!(f, "cannot load embedding model file {}: {reason}; reinstall it ({SETUP_HINT})", path.display())
            }
            DedupError::Embedding { reason } => write!(f, "embedding questions failed: {reason}"),
            DedupError::CacheWrite { path, source } => write!(
                f,
                "cannot write embedding cache {}: {source}; check the directory exists and is writable",
                path.display()
            ),
        }
    }
}

impl std::error::Error for DedupError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DedupError::CacheWrite { source, .. } => Some(source),
            _ => None,
        }
    }
}
