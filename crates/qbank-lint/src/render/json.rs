//! The JSON renderer: a documented, stable machine-readable form of a run.
//!
//! # Format (version 1)
//!
//! ```json
//! {
//!   "version": 1,
//!   "files": [
//!     {
//!       "path": "banks/ops.md",
//!       "bank_id": "production-operations",
//!       "diagnostics": [
//!         {
//!           "code": "QB101",
//!           "name": "missing-tldr",
//!           "severity": "warning",
//!           "message": "Question has no TL;DR line",
//!           "question_id": "zero-downtime-deployments",
//!           "range": {
//!             "start": { "line": 12, "column": 1, "offset": 345 },
//!             "end": { "line": 12, "column": 40, "offset": 384 }
//!           },
//!           "related": [
//!             {
//!               "path": "banks/other.md",
//!               "range": { "start": { … }, "end": { … } },
//!               "message": "first asked here"
//!             }
//!           ],
//!           "fix": {
//!             "title": "Add a TL;DR line",
//!             "applicability": "safe",
//!             "edits": [ { "range": { "start": { … }, "end": { … } }, "replacement": "…" } ]
//!           }
//!         }
//!       ]
//!     }
//!   ],
//!   "summary": { "files": 4, "errors": 3, "warnings": 9, "infos": 0, "hints": 0, "fixable": 7,
//!                "suppressed": 1, "baselined": 5, "stale": 2 },
//!   "stale_baseline_entries": [
//!     { "bank": "production-operations", "question": "canary-releases", "code": "QB101", "count": 2 }
//!   ]
//! }
//! ```
//!
//! - `version`: this format's version; it changes only when a field changes meaning or goes away
//!   (new fields may be added without a bump).
//! - `files`: every file of the run, sorted by `path`, including files without diagnostics.
//!   `path` is as the user named it (relative paths stay relative); `bank_id` is `null` when the
//!   file did not parse as a bank.
//! - `diagnostics`: sorted by start offset, then code. `code` is the stable rule code, `name` its
//!   kebab-case name; `severity` is one of `error`, `warning`, `info`, `hint`; `question_id` is
//!   the id of the question the finding is in, or `null`.
//! - A range is half-open: `end` is the position just after the last character. `line` and
//!   `column` are one-based and the column counts Unicode characters (scalar values); `offset`
//!   is the zero-based byte offset into the file's UTF-8 text.
//! - `related`: other places that explain the finding, possibly in another file. When that file
//!   was not part of the run, `line` and `column` are `null` and only `offset` is known.
//! - `fix`: `null` when the rule offers none. `applicability` is `safe` (`qbank check --fix`
//!   applies it) or `unsafe` (offered in the editor only). `edits` never overlap; each replaces
//!   its range (an empty range inserts) with `replacement`.
//! - `summary`: `files` checked, diagnostics per severity (`infos`, `hints` plural), and
//!   `fixable`, the diagnostics with a safe fix; `suppressed`, findings silenced by a
//!   `qbank-disable` comment, and `baselined`, findings the `--baseline` accepts (neither is in
//!   `diagnostics`); `stale`, the baseline's accepted findings that no longer occur.
//! - `stale_baseline_entries`: those stale entries, as the baseline file stores them (empty
//!   without `--baseline`); `qbank check --baseline FILE --update-baseline` drops them.

use serde::Serialize;

use super::{SourceFile, SourceMap, Summary, sorted};
use crate::{Baseline, Diagnostic, FileReport, Severity};

/// The run as JSON (see the module docs for the format), pretty-printed, ending in a newline.
pub fn json(reports: &[FileReport]) -> String {
    json_with(reports, None)
}

/// [`json`] for a run filtered by a baseline: `stale` holds the baseline's entries that no
/// finding matched; they are listed in `stale_baseline_entries` and counted in `summary.stale`.
pub fn json_with(reports: &[FileReport], stale: Option<&Baseline>) -> String {
    let sources = SourceMap::new(reports);
    let files = sorted(reports)
        .into_iter()
        .map(|report| {
            let file = SourceFile::new(&report.source);
            JsonFile {
                path: &report.path,
                bank_id: report.bank_id.as_deref(),
                diagnostics: report.diagnostics.iter().map(|d| diagnostic(&file, d, &sources)).collect(),
            }
        })
        .collect();
    let summary = Summary::of(reports);
    let document = JsonReport {
        version: 1,
        files,
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
            hints: summary.hints,
            fixable: summary.fixable,
            suppressed: summary.suppressed,
            baselined: summary.baselined,
            stale: stale.map_or(0, Baseline::len),
        },
        stale_baseline_entries: stale.map_or_else(|| serde_json::Value::Array(Vec::new()), Baseline::findings_value),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("plain data serializes");
    text.push('\n');
    text
}

/// One JSON object per finding, one per line (JSON Lines): the fields of a `diagnostics` entry
/// of [`json`] with the file's `path` and `bank_id` first. Files sorted by path, findings in the
/// report's order; an empty run is an empty string. Suits `grep`, `jq -c` and streaming.
///
/// ```text
/// {"path":"banks/ops.md","bank_id":"production-operations","code":"QB101","name":"missing-tldr",…}
/// ```
pub fn json_lines(reports: &[FileReport]) -> String {
    let sources = SourceMap::new(reports);
    let mut out = String::new();
    for report in sorted(reports) {
        let file = SourceFile::new(&report.source);
        for d in &report.diagnostics {
            let line = JsonLine {
                path: &report.path,
                bank_id: report.bank_id.as_deref(),
                diagnostic: diagnostic(&file, d, &sources),
            };
            out.push_str(&serde_json::to_string(&line).expect("plain data serializes"));
            out.push('\n');
        }
    }
    out
}

#[derive(Serialize)]
struct JsonLine<'a> {
    path: &'a str,
    bank_id: Option<&'a str>,
    #[serde(flatten)]
    diagnostic: JsonDiagnostic<'a>,
}

fn diagnostic<'a>(file: &SourceFile<'_>, d: &'a Diagnostic, sources: &SourceMap<'_>) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: d.code,
        name: d.name,
        severity: d.severity,
        message: &d.message,
        question_id: d.question_id.as_deref(),
        range: range(Some(file), d.span.start, d.span.end),
        related: d
            .related
            .iter()
            .map(|related| JsonRelated {
                path: &related.path,
                range: range(sources.get(&related.path), related.span.start, related.span.end),
                message: &related.message,
            })
            .collect(),
        fix: d.fix.as_ref().map(|fix| JsonFix {
            title: &fix.title,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    range: range(Some(file), edit.span.start, edit.span.end),
                    replacement: &edit.replacement,
                })
                .collect(),
        }),
    }
}

fn range(file: Option<&SourceFile<'_>>, start: usize, end: usize) -> JsonRange {
    JsonRange { start: position(file, start), end: position(file, end.max(start)) }
}

fn position(file: Option<&SourceFile<'_>>, offset: usize) -> JsonPosition {
    match file {
        Some(file) => {
            let at = file.position(offset);
            JsonPosition { line: Some(at.line), column: Some(at.column), offset: at.offset }
        }
        None => JsonPosition { line: None, column: None, offset },
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
    stale_baseline_entries: serde_json::Value,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    bank_id: Option<&'a str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    question_id: Option<&'a str>,
    range: JsonRange,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    range: JsonRange,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: crate::Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: JsonRange,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: Option<usize>,
    column: Option<usize>,
    offset: usize,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
    fixable: usize,
    suppressed: usize,
    baselined: usize,
    stale: usize,
}
