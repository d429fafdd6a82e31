//! Baselines: the findings a project accepts for now, stored as JSON, so `qbank check` reports
//! only new ones. Keys avoid line numbers (bank, question id, rule), so renumbering or moving
//! questions does not bring old findings back.

use std::collections::BTreeMap;
use std::fmt;

use qbank_core::LineIndex;
use serde::{Deserialize, Serialize};

use crate::{Diagnostic, FileReport, Suppressed, SuppressedBy};

/// The baseline format version this qbank reads and writes.
pub const BASELINE_VERSION: u32 = 1;

/// Accepted findings with a count per key.
///
/// Stored as
///
/// ```json
/// {
///   "version": 1,
///   "findings": [
///     { "bank": "production-operations", "question": "zero-downtime-deployments", "code": "QB101", "count": 1 },
///     { "bank": "notes/draft.md", "line": "Some prose before the first question", "code": "QB004", "count": 2 }
///   ]
/// }
/// ```
///
/// `bank` is the bank id (the file's path when it has none); `question` the question id, or
/// instead `line`, the trimmed text of the finding's first line when it is in no question.
/// Entries are sorted, so the file diffs well.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<BaselineKey, usize>,
}

/// What identifies a finding across edits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BaselineKey {
    /// The bank id, or the path when the file has none.
    pub bank: String,
    pub anchor: Anchor,
    pub code: String,
}

/// Where in the bank a finding is, without line numbers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Anchor {
    /// The id of the question the finding is in.
    Question(String),
    /// The trimmed text of the finding's first line, for findings outside questions.
    Line(String),
}

impl BaselineKey {
    pub fn of(report: &FileReport, index: &LineIndex, diagnostic: &Diagnostic) -> BaselineKey {
        let bank = report.bank_id.clone().unwrap_or_else(|| report.path.clone());
        let anchor = match &diagnostic.question_id {
            Some(id) => Anchor::Question(id.clone()),
            None => {
                let text = &report.source;
                let offset = qbank_core::line_index::floor_char_boundary(text, diagnostic.span.start);
                let line = index.line_span(text, index.line_of(offset));
                Anchor::Line(line.slice(text).trim().to_owned())
            }
        };
        BaselineKey { bank, anchor, code: diagnostic.code.to_owned() }
    }
}

impl Baseline {
    /// Every finding of the run, counted per key.
    pub fn from_reports(reports: &[FileReport]) -> Baseline {
        let mut entries = BTreeMap::new();
        for report in reports {
            let index = LineIndex::new(&report.source);
            for diagnostic in &report.diagnostics {
                *entries.entry(BaselineKey::of(report, &index, diagnostic)).or_insert(0) += 1;
            }
        }
        Baseline { entries }
    }

    /// Findings accepted, summed over keys.
    pub fn len(&self) -> usize {
        self.entries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The accepted count per key, in order.
    pub fn entries(&self) -> impl Iterator<Item = (&BaselineKey, usize)> {
        self.entries.iter().map(|(key, count)| (key, *count))
    }

    /// The reports without the findings the baseline accepts: a key with count `n` hides the
    /// first `n` findings with that key (by path, then diagnostic order). Hidden findings move
    /// to the report's `suppressed` list (by the baseline). Reports keep their order, and are
    /// kept even when no finding is left.
    pub fn filter(&self, reports: Vec<FileReport>) -> Vec<FileReport> {
        self.apply(reports).reports
    }

    /// [`Baseline::filter`], also returning what the baseline matched and what it accepts that
    /// the run no longer finds (stale entries), so the baseline can shrink.
    pub fn apply(&self, mut reports: Vec<FileReport>) -> BaselineRun {
        let mut remaining = self.entries.clone();
        let mut by_path: Vec<usize> = (0..reports.len()).collect();
        by_path.sort_by(|&a, &b| reports[a].path.cmp(&reports[b].path));
        for position in by_path {
            let report = &mut reports[position];
            if report.diagnostics.is_empty() {
                continue;
            }
            let index = LineIndex::new(&report.source);
            let diagnostics = std::mem::take(&mut report.diagnostics);
            let mut kept = Vec::with_capacity(diagnostics.len());
            for diagnostic in diagnostics {
                match remaining.get_mut(&BaselineKey::of(report, &index, &diagnostic)) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        report.suppressed.push(Suppressed {
                            diagnostic,
                            by: SuppressedBy::Baseline,
                            justification: None,
                        });
                    }
                    _ => kept.push(diagnostic),
                }
            }
            report.diagnostics = kept;
        }
        let mut matched = self.entries.clone();
        for (key, count) in &mut matched {
            *count -= remaining.get(key).copied().unwrap_or(0);
        }
        matched.retain(|_, count| *count > 0);
        remaining.retain(|_, count| *count > 0);
        BaselineRun { reports, matched: Baseline { entries: matched }, stale: Baseline { entries: remaining } }
    }

    /// The entries as the file stores them: `[{ "bank", "question" | "line", "code", "count" }]`.
    pub fn findings_value(&self) -> serde_json::Value {
        serde_json::to_value(self.stored_entries()).expect("plain data serializes")
    }

    fn stored_entries(&self) -> Vec<StoredEntry> {
        self.entries
            .iter()
            .map(|(key, count)| {
                let (question, line) = match &key.anchor {
                    Anchor::Question(id) => (Some(id.clone()), None),
                    Anchor::Line(text) => (None, Some(text.clone())),
                };
                StoredEntry { bank: key.bank.clone(), question, line, code: key.code.clone(), count: *count }
            })
            .collect()
    }

    /// The baseline file's text: pretty JSON, sorted, ending in a newline.
    pub fn to_json(&self) -> String {
        let findings = self.stored_entries();
        let mut text = serde_json::to_string_pretty(&StoredBaseline { version: BASELINE_VERSION, findings })
            .expect("plain data serializes");
        text.push('\n');
        text
    }

    /// Reads a baseline file. Errors say what is wrong and where.
    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        let version: VersionOnly = serde_json::from_str(text).map_err(BaselineError::from_json)?;
        if version.version != BASELINE_VERSION {
            return Err(BaselineError {
                message: format!(
                    "unsupported baseline version {}; this qbank reads version {BASELINE_VERSION}: regenerate the baseline",
                    version.version
                ),
                line: None,
                column: None,
            });
        }
        let stored: StoredBaseline = serde_json::from_str(text).map_err(BaselineError::from_json)?;
        let mut entries = BTreeMap::new();
        for (number, entry) in stored.findings.into_iter().enumerate() {
            let anchor = match (entry.question, entry.line) {
                (Some(id), None) => Anchor::Question(id),
                (None, Some(line)) => Anchor::Line(line),
                (question, _) => {
                    let problem =
                        if question.is_some() { "both `question` and `line`" } else { "neither `question` nor `line`" };
                    return Err(BaselineError {
                        message: format!(
                            "finding {} (`{}` in `{}`) has {problem}; it needs exactly one",
                            number + 1,
                            entry.code,
                            entry.bank
                        ),
                        line: None,
                        column: None,
                    });
                }
            };
            *entries.entry(BaselineKey { bank: entry.bank, anchor, code: entry.code }).or_insert(0) += entry.count;
        }
        Ok(Baseline { entries })
    }
}

/// What [`Baseline::apply`] gives.
#[derive(Clone, Debug)]
pub struct BaselineRun {
    /// The reports, the accepted findings moved to `suppressed`.
    pub reports: Vec<FileReport>,
    /// The entries (and counts) that matched a finding of the run: the baseline with its stale
    /// entries dropped, which `qbank check --update-baseline` writes back.
    pub matched: Baseline,
    /// The entries (and counts) no finding of the run matched.
    pub stale: Baseline,
}

/// A baseline file that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineError {
    pub message: String,
    /// One-based, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl BaselineError {
    fn from_json(error: serde_json::Error) -> BaselineError {
        let located = error.line() > 0;
        BaselineError {
            message: strip_position(&error.to_string()).to_owned(),
            line: located.then_some(error.line()),
            column: located.then_some(error.column()),
        }
    }
}

/// serde_json appends ` at line L column C`; the error keeps those as fields.
fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |at| &message[..at])
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for BaselineError {}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredBaseline {
    version: u32,
    findings: Vec<StoredEntry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredEntry {
    bank: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    question: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<String>,
    code: String,
    count: usize,
}
