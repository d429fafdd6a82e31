//! Reading one bank file: UTF-8 is required, and a bad byte is reported with its offset,
//! line and column.

use std::path::{Path, PathBuf};

use crate::WorkspaceError;
use crate::discover::io_message;

/// A file's text and where it came from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// The file name without extension, used to name a bank that has no id or title.
    pub fn stem(&self) -> String {
        self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Read a file as UTF-8 text. Errors name the path; invalid UTF-8 names the byte offset and
/// its line and column; an empty file is an error.
pub fn read_source(path: &Path) -> Result<SourceFile, WorkspaceError> {
    let meta = std::fs::metadata(path).map_err(|e| WorkspaceError::new(path, io_message(&e)))?;
    if meta.is_dir() {
        return Err(WorkspaceError::new(path, "is a directory, not a file"));
    }
    let bytes = std::fs::read(path).map_err(|e| WorkspaceError::new(path, io_message(&e)))?;
    let text = decode(path, bytes)?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(WorkspaceError::new(path, "file is empty"));
    }
    Ok(SourceFile { path: path.to_path_buf(), text })
}

/// Decode UTF-8, reporting the first bad byte's offset, line and column.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, WorkspaceError> {
    String::from_utf8(bytes).map_err(|e| {
        let error = e.utf8_error();
        let offset = error.valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = e.as_bytes()[offset];
        WorkspaceError::new(
            path,
            format!("invalid UTF-8 at byte {offset} (line {line}, column {column}): byte 0x{byte:02x}; save the file as UTF-8"),
        )
    })
}
