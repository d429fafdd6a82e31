//! Renderers: turn the findings of one run into text for people ([`human`]), programs
//! ([`json`], [`json_lines`]), code-scanning services ([`sarif`]), CI systems ([`github`],
//! [`gitlab`], [`junit`]) and rule counts ([`statistics`]).
//!
//! Every renderer is a pure function from [`FileReport`]s to a `String`: it prints nothing and
//! reads no file. Files are rendered sorted by path, diagnostics in the order the report holds
//! them (by span start, then code), so the output is deterministic. Byte offsets become lines
//! and columns here, at the edge, through [`qbank_core::LineIndex`].

mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;
mod statistics;

use std::collections::BTreeMap;

use qbank_core::{LineIndex, Span};

pub use github::github;
pub use gitlab::gitlab;
pub use human::{HumanOptions, baseline_line, human, summary_line};
pub use json::{json, json_lines, json_with};
pub use junit::junit;
pub use sarif::{SarifOptions, sarif, sarif_with};
pub use statistics::statistics;

use crate::{Applicability, Diagnostic, FileReport, Severity, Suppressed, SuppressedBy};

/// Counts over one run: what the human summary line and the JSON `summary` report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Files with at least one diagnostic.
    pub files_with_problems: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
    /// Diagnostics whose fix is safe, so `qbank check --fix` applies it.
    pub fixable: usize,
    /// Findings silenced by a `qbank-disable` comment (not in the counts above).
    pub suppressed: usize,
    /// Findings accepted by the baseline (not in the counts above).
    pub baselined: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut summary = Summary { files: reports.len(), ..Summary::default() };
        for report in reports {
            if !report.diagnostics.is_empty() {
                summary.files_with_problems += 1;
            }
            for suppressed in &report.suppressed {
                match suppressed.by {
                    SuppressedBy::Comment => summary.suppressed += 1,
                    SuppressedBy::Baseline => summary.baselined += 1,
                }
            }
            for diagnostic in &report.diagnostics {
                match diagnostic.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                    Severity::Hint => summary.hints += 1,
                }
                if has_safe_fix(diagnostic) {
                    summary.fixable += 1;
                }
            }
        }
        summary
    }

    /// All diagnostics, whatever their severity.
    pub fn problems(&self) -> usize {
        self.errors + self.warnings + self.infos + self.hints
    }
}

pub(crate) fn has_safe_fix(diagnostic: &Diagnostic) -> bool {
    diagnostic.fix.as_ref().is_some_and(|fix| fix.applicability == Applicability::Safe)
}

/// The reports sorted by path (stable for equal paths).
pub(crate) fn sorted(reports: &[FileReport]) -> Vec<&FileReport> {
    let mut sorted: Vec<&FileReport> = reports.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    sorted
}

/// One-based line, one-based column in chars, and the byte offset it was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// One file's text with its line index.
pub(crate) struct SourceFile<'a> {
    pub text: &'a str,
    pub index: LineIndex,
}

impl<'a> SourceFile<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceFile { text, index: LineIndex::new(text) }
    }

    /// Clamped to the text and floored to a char boundary, so a bad span never panics.
    pub fn clamp(&self, offset: usize) -> usize {
        qbank_core::line_index::floor_char_boundary(self.text, offset)
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = self.clamp(offset);
        let (line, column) = self.index.human_position(self.text, offset);
        Position { line, column, offset }
    }

    /// The zero-based line of `offset` (clamped).
    pub fn line_of(&self, offset: usize) -> u32 {
        self.index.line_of(self.clamp(offset))
    }

    /// The text of a zero-based line, without its terminator.
    pub fn line_text(&self, line: u32) -> &'a str {
        self.index.line_span(self.text, line).slice(self.text)
    }

    pub fn line_span(&self, line: u32) -> Span {
        self.index.line_span(self.text, line)
    }

    /// The end a person sees: a non-empty span that ends just after a line break ends at the
    /// end of the line before it, not at column 1 of the next line.
    pub fn visible_end(&self, span: Span) -> usize {
        let start = self.clamp(span.start);
        let end = self.clamp(span.end.max(span.start));
        if end > start && self.index.line_start(self.index.line_of(end)) == end {
            let previous = self.index.line_of(end - 1);
            return self.line_span(previous).end.max(start);
        }
        end
    }
}

/// Every file of the run by path, so related locations can point into other files.
pub(crate) struct SourceMap<'a> {
    files: BTreeMap<&'a str, SourceFile<'a>>,
}

impl<'a> SourceMap<'a> {
    pub fn new(reports: &'a [FileReport]) -> Self {
        let mut files = BTreeMap::new();
        for report in reports {
            files.entry(report.path.as_str()).or_insert_with(|| SourceFile::new(&report.source));
        }
        SourceMap { files }
    }

    pub fn get(&self, path: &str) -> Option<&SourceFile<'a>> {
        self.files.get(path)
    }

    /// `path:line:column` of a related location, or its byte range when that file is not
    /// part of the run.
    pub fn related_location(&self, related: &crate::Related) -> String {
        match self.get(&related.path) {
            Some(other) => {
                let at = other.position(related.span.start);
                format!("{}:{}:{}", related.path, at.line, at.column)
            }
            None => format!("{} (bytes {}..{})", related.path, related.span.start, related.span.end),
        }
    }
}

/// `n thing` or `n things`.
pub(crate) fn plural(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// FNV-1a over the bank (or path), the question id (or the finding's trimmed line), the code and
/// the message with digits removed and spaces collapsed. Stable across runs, platforms and
/// Rust versions (unlike `std`'s hasher).
/// Every finding of a report, kept and silenced, sorted by span start then code, each with how
/// it was silenced (`None`: reported).
pub(crate) fn all_findings(report: &FileReport) -> Vec<(&Diagnostic, Option<&Suppressed>)> {
    let mut all: Vec<(&Diagnostic, Option<&Suppressed>)> = report.diagnostics.iter().map(|d| (d, None)).collect();
    all.extend(report.suppressed.iter().map(|s| (&s.diagnostic, Some(s))));
    all.sort_by(|a, b| (a.0.span.start, a.0.code, a.0.span.end).cmp(&(b.0.span.start, b.0.code, b.0.span.end)));
    all
}

/// Each finding's [`fingerprint`] with its occurrence among equal ones in the file
/// (`{hash:016x}:{n}`, `n` from 1), in the order given. Pass every finding of the file (see
/// [`all_findings`]) so a fingerprint does not change when another finding is silenced: unique
/// within a run, stable across renumbering and moves.
pub(crate) fn fingerprints<'a>(
    report: &FileReport,
    file: &SourceFile<'_>,
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<String> {
    let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
    diagnostics
        .into_iter()
        .map(|diagnostic| {
            let hash = fingerprint(report, file, diagnostic);
            let occurrence = seen.entry(hash).or_insert(0);
            *occurrence += 1;
            format!("{hash:016x}:{occurrence}")
        })
        .collect()
}

pub(crate) fn fingerprint(report: &FileReport, file: &SourceFile<'_>, diagnostic: &Diagnostic) -> u64 {
    let scope = report.bank_id.as_deref().unwrap_or(&report.path);
    let anchor = match &diagnostic.question_id {
        Some(id) => format!("question:{id}"),
        None => format!("line:{}", file.line_text(file.line_of(diagnostic.span.start)).trim()),
    };
    let message: String = diagnostic.message.chars().filter(|c| !c.is_ascii_digit()).collect();
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut hash = Fnv1a::default();
    for part in [scope, &anchor, diagnostic.code, &message] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    hash.0
}

struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
