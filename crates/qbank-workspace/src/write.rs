//! Atomic writes: a temporary file in the same directory, flushed, then renamed over the
//! target, so a crash leaves either the old file or the new one, never half of either.

use std::io::Write;
use std::path::Path;

use crate::WorkspaceError;
use crate::discover::io_message;

/// Write `contents` to `path` atomically, keeping the old file's permissions.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), WorkspaceError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".qbank-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| WorkspaceError::new(dir, format!("cannot create a temporary file: {}", io_message(&e))))?;
    failpoint("write:after-create");
    temp.write_all(contents.as_bytes()).map_err(|e| WorkspaceError::new(path, io_message(&e)))?;
    failpoint("write:after-write");
    temp.as_file().sync_all().map_err(|e| WorkspaceError::new(path, io_message(&e)))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(temp.path(), meta.permissions());
    }
    failpoint("write:before-rename");
    temp.persist(path).map_err(|e| WorkspaceError::new(path, io_message(&e.error)))?;
    failpoint("write:after-rename");
    Ok(())
}

/// Crash-test hook: when the environment variable `QBANK_FAILPOINT` names this point, the
/// process aborts on the spot, as a kill would stop it. Tests use it to prove inputs survive.
pub fn failpoint(name: &str) {
    if let Some(wanted) = std::env::var_os("QBANK_FAILPOINT")
        && wanted == name
    {
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bank.md");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, "new ✓").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new ✓");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let err = write_atomic(Path::new("/nonexistent-qbank-dir/x.md"), "x").unwrap_err();
        assert!(err.to_string().contains("/nonexistent-qbank-dir"), "{err}");
    }
}
