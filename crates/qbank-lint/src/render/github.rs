//! The GitHub Actions renderer: one workflow command per diagnostic, which GitHub shows as an
//! annotation on the pull request's diff.

use std::fmt::Write as _;

use super::{SourceFile, SourceMap, sorted};
use crate::{FileReport, Severity};

/// One line per diagnostic:
///
/// ```text
/// ::error file=banks/ops.md,line=12,endLine=12,col=1,endColumn=40,title=QB101 missing-tldr::Question has no TL;DR line
/// ```
///
/// Errors become `::error`, warnings `::warning`, info and hints `::notice`. Columns are
/// one-based, in characters; `endColumn` is just past the last character. Related locations and
/// the fix title follow the message on their own lines. Values are escaped as GitHub's runner
/// expects: `%`, CR and LF everywhere, and `:` and `,` in properties.
pub fn github(reports: &[FileReport]) -> String {
    let sources = SourceMap::new(reports);
    let mut out = String::new();
    for report in sorted(reports).into_iter().filter(|report| !report.diagnostics.is_empty()) {
        let file = SourceFile::new(&report.source);
        for diagnostic in &report.diagnostics {
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let start = file.position(diagnostic.span.start);
            let end = file.position(file.visible_end(diagnostic.span));
            let mut message = diagnostic.message.clone();
            for related in &diagnostic.related {
                let location = sources.related_location(related);
                let _ = write!(message, "\nnote: {location}: {}", related.message);
            }
            if let Some(fix) = &diagnostic.fix {
                let _ = write!(message, "\nhelp: {}", fix.title);
            }
            let _ = writeln!(
                out,
                "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
                escape_property(&report.path),
                start.line,
                end.line,
                start.column,
                end.column,
                escape_property(&format!("{} {}", diagnostic.code, diagnostic.name)),
                escape_data(&message),
            );
        }
    }
    out
}

/// The runner's `escapeData`: `%`, CR, LF.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The runner's `escapeProperty`: `escapeData` plus `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
