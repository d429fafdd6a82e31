//! Expanding command-line paths into bank files: explicit files as given (any extension),
//! directories walked for `*.md`, `.gitignore`-aware, sorted.

use std::path::{Path, PathBuf};

use crate::WorkspaceError;

/// The files a set of command-line paths names.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Files found by walking a directory (as opposed to named explicitly): callers skip
    /// these quietly when they are not banks.
    pub walked: std::collections::BTreeSet<PathBuf>,
}

/// Expand `paths`: a file named explicitly is taken whatever its extension; a directory is
/// walked for `*.md` files, honouring `.gitignore`/`.ignore` and skipping hidden entries.
/// A missing path, or a directory with no Markdown file in it, is an error.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered, WorkspaceError> {
    let mut found = Discovered::default();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| WorkspaceError::new(path, io_message(&e)))?;
        if meta.is_dir() {
            let before = found.files.len();
            walk(path, &mut found)?;
            if found.files.len() == before {
                return Err(WorkspaceError::new(path, "no Markdown (*.md) files in this directory"));
            }
        } else {
            found.files.push(path.clone());
        }
    }
    found.files.sort();
    found.files.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Discovered) -> Result<(), WorkspaceError> {
    let walker =
        ignore::WalkBuilder::new(dir).hidden(true).git_ignore(true).require_git(false).follow_links(true).build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // A symlink loop or an unreadable folder below: report and stop, never hang.
            Err(e) => return Err(walk_error(dir, e)),
        };
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if is_file && entry.path().extension().is_some_and(|ext| ext == "md") {
            found.files.push(entry.path().to_path_buf());
            found.walked.insert(entry.path().to_path_buf());
        }
    }
    Ok(())
}

/// An I/O error below `dir` names the entry it happened on (`banks/private: permission
/// denied`); anything else (a symlink loop) is reported on `dir` as `ignore` words it.
fn walk_error(dir: &Path, error: ignore::Error) -> WorkspaceError {
    match error {
        ignore::Error::WithDepth { err, .. } => walk_error(dir, *err),
        ignore::Error::WithPath { path, err } if err.io_error().is_some() => {
            let message = err.io_error().map(io_message).unwrap_or_default();
            WorkspaceError::new(path, message)
        }
        error => WorkspaceError::new(dir, error.to_string()),
    }
}

/// A short, lower-case description of an I/O error.
pub fn io_message(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let text = error.to_string();
            // Drop the " (os error N)" suffix people do not need.
            text.split(" (os error").next().unwrap_or(&text).to_lowercase()
        }
    }
}
