//! All-or-nothing writes of several files in one directory: the whole directory is staged
//! beside the original and swapped in with one atomic `renameat2(RENAME_EXCHANGE)`, so a
//! process killed at any point leaves the directory either as it was or as it should be.
//!
//! Staging hard-links the unchanged files (falling back to copies) and writes the changed ones
//! as new files, so the original directory is never written to. Leftovers of a killed run (a
//! staging directory, or the old directory after the swap) are removed by the next run.
//! Elsewhere than Linux the files are written one by one, each atomically.

use std::path::{Path, PathBuf};

use crate::WorkspaceError;
use crate::discover::io_message;
use crate::write::{failpoint, write_atomic};

const STAGING_MARK: &str = ".qbank-staging-";

/// Write `changes` (paths relative to `dir`, with their new contents) into `dir` at once.
pub fn replace_in_dir(dir: &Path, changes: &[(PathBuf, String)]) -> Result<(), WorkspaceError> {
    if changes.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| WorkspaceError::new(dir, io_message(&e)))?;
    let dir = std::fs::canonicalize(dir).map_err(|e| WorkspaceError::new(dir, io_message(&e)))?;
    remove_leftovers(&dir);
    if cfg!(target_os = "linux") { swap_in(&dir, changes) } else { one_by_one(&dir, changes) }
}

fn one_by_one(dir: &Path, changes: &[(PathBuf, String)]) -> Result<(), WorkspaceError> {
    for (relative, contents) in changes {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| WorkspaceError::new(parent, io_message(&e)))?;
        }
        write_atomic(&path, contents)?;
    }
    Ok(())
}

fn staging_path(dir: &Path) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.with_file_name(format!(".{name}{STAGING_MARK}{}", std::process::id()))
}

/// Staging directories of earlier runs that were killed (before or after their swap).
fn remove_leftovers(dir: &Path) {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else { return };
    let prefix = format!(".{}{STAGING_MARK}", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn swap_in(dir: &Path, changes: &[(PathBuf, String)]) -> Result<(), WorkspaceError> {
    let staging = staging_path(dir);
    let _ = std::fs::remove_dir_all(&staging);
    let result = stage(dir, &staging, changes).and_then(|()| {
        failpoint("transaction:before-swap");
        exchange(&staging, dir)
    });
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    failpoint("transaction:after-swap");
    // `staging` now holds the old directory.
    let _ = std::fs::remove_dir_all(&staging);
    Ok(())
}

fn stage(dir: &Path, staging: &Path, changes: &[(PathBuf, String)]) -> Result<(), WorkspaceError> {
    link_tree(dir, staging)?;
    failpoint("transaction:staged-tree");
    for (relative, contents) in changes {
        let path = staging.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| WorkspaceError::new(parent, io_message(&e)))?;
        }
        // Rename over the hard link: the original file's inode is never written. A symbolic
        // link is replaced, not written through: its target is outside the swap.
        if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink()) {
            std::fs::remove_file(&path).map_err(|e| WorkspaceError::new(&path, io_message(&e)))?;
        }
        write_atomic(&path, contents)?;
        failpoint("transaction:staged-file");
    }
    if let Ok(handle) = std::fs::File::open(staging) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Mirror `from` into `to` with hard links (copies where links fail), keeping permissions.
fn link_tree(from: &Path, to: &Path) -> Result<(), WorkspaceError> {
    std::fs::create_dir(to).map_err(|e| WorkspaceError::new(to, io_message(&e)))?;
    if let Ok(meta) = std::fs::metadata(from) {
        let _ = std::fs::set_permissions(to, meta.permissions());
    }
    let entries = std::fs::read_dir(from).map_err(|e| WorkspaceError::new(from, io_message(&e)))?;
    for entry in entries {
        let entry = entry.map_err(|e| WorkspaceError::new(from, io_message(&e)))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().map_err(|e| WorkspaceError::new(&source, io_message(&e)))?;
        if kind.is_dir() {
            link_tree(&source, &target)?;
        } else if kind.is_symlink() {
            let link = std::fs::read_link(&source).map_err(|e| WorkspaceError::new(&source, io_message(&e)))?;
            symlink(&link, &target).map_err(|e| WorkspaceError::new(&target, io_message(&e)))?;
        } else if std::fs::hard_link(&source, &target).is_err() {
            std::fs::copy(&source, &target).map_err(|e| WorkspaceError::new(&source, io_message(&e)))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(link: &Path, target: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(link, target)
}

#[cfg(not(unix))]
fn symlink(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("symbolic links are not supported here"))
}

#[cfg(target_os = "linux")]
fn exchange(staging: &Path, dir: &Path) -> Result<(), WorkspaceError> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, staging, CWD, dir, RenameFlags::EXCHANGE)
        .map_err(|e| WorkspaceError::new(dir, format!("cannot swap in the new directory: {e}")))
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, dir: &Path) -> Result<(), WorkspaceError> {
    Err(WorkspaceError::new(dir, "directory exchange is only available on Linux"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap_or_default())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn replaces_changed_files_keeps_others_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("corpus");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a.md"), "old a").unwrap();
        std::fs::write(dir.join("keep.md"), "keep").unwrap();
        let original_keep = std::fs::read(dir.join("keep.md")).unwrap();
        replace_in_dir(&dir, &[("a.md".into(), "new a".into()), ("b.md".into(), "new b ✓".into())]).unwrap();
        assert_eq!(
            listing(&dir),
            vec![("a.md".into(), "new a".into()), ("b.md".into(), "new b ✓".into()), ("keep.md".into(), "keep".into())]
        );
        assert_eq!(std::fs::read(dir.join("keep.md")).unwrap(), original_keep);
        let siblings: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(siblings.len(), 1, "{siblings:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_changed_symbolic_link_becomes_a_file_and_its_target_outside_is_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("corpus");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(tmp.path().join("outside.md"), "outside").unwrap();
        std::os::unix::fs::symlink("../outside.md", dir.join("a.md")).unwrap();
        replace_in_dir(&dir, &[("a.md".into(), "new a".into())]).unwrap();
        assert!(std::fs::symlink_metadata(dir.join("a.md")).unwrap().file_type().is_file());
        assert_eq!(std::fs::read_to_string(dir.join("a.md")).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(tmp.path().join("outside.md")).unwrap(), "outside");
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("corpus");
        std::fs::create_dir(&dir).unwrap();
        let stale = tmp.path().join(format!(".corpus{STAGING_MARK}99999"));
        std::fs::create_dir(&stale).unwrap();
        replace_in_dir(&dir, &[("a.md".into(), "x".into())]).unwrap();
        assert!(!stale.exists());
    }
}
