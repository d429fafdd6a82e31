//! Atomic writes: a temporary file in the same directory, flushed, then renamed over the
//! target, so a crash leaves either the old file or the new one, never half of either.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::WorkspaceError;
use crate::discover::io_message;

/// Write `contents` to `path` atomically, keeping the old file's permissions (a new file gets
/// the permissions `File::create` would give it). A symbolic link is written through: the file
/// it points to gets the new contents and the link stays.
///
/// A process killed before the rename leaves its temporary file behind: hidden
/// (`.qbank-*.tmp`) and not `*.md`, so discovery never picks it up.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), WorkspaceError> {
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(path)
            .map_err(|e| WorkspaceError::new(path, format!("cannot follow the symbolic link: {}", io_message(&e))))?;
        resolved.as_path()
    } else {
        path
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".qbank-").suffix(".tmp");
    // Temporary files are private (0600) by default; the umask applies to this mode as it
    // does for `File::create`.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder
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
/// `NAME#N` aborts at the Nth time the point is reached (a kill in the middle of a multi-file
/// write); `NAME` is `NAME#1`.
pub fn failpoint(name: &str) {
    static HITS: AtomicUsize = AtomicUsize::new(0);
    let Some(wanted) = std::env::var_os("QBANK_FAILPOINT") else { return };
    let wanted = wanted.to_string_lossy();
    let (point, nth) = match wanted.rsplit_once('#') {
        Some((point, n)) => (point, n.parse::<usize>().unwrap_or(1)),
        None => (&*wanted, 1),
    };
    if point == name && HITS.fetch_add(1, Ordering::SeqCst) + 1 == nth {
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

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_permissions_file_create_gives_and_an_old_file_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let reference = dir.path().join("reference.md");
        std::fs::File::create(&reference).unwrap();
        let fresh = dir.path().join("fresh.md");
        write_atomic(&fresh, "new").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&fresh), mode(&reference), "the umask applies, as for File::create");
        std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&fresh, "newer").unwrap();
        assert_eq!(mode(&fresh), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::fs::write(dir.path().join("real/bank.md"), "old").unwrap();
        let link = dir.path().join("bank.md");
        std::os::unix::fs::symlink("real/bank.md", &link).unwrap();
        write_atomic(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(dir.path().join("real/bank.md")).unwrap(), "new");
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink("missing/bank.md", &dangling).unwrap();
        let err = write_atomic(&dangling, "x").unwrap_err();
        assert!(err.to_string().contains("dangling.md: cannot follow the symbolic link"), "{err}");
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let err = write_atomic(Path::new("/nonexistent-qbank-dir/x.md"), "x").unwrap_err();
        assert!(err.to_string().contains("/nonexistent-qbank-dir"), "{err}");
    }
}
