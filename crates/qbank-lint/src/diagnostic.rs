//! The one diagnostic type every rule produces and every renderer (CLI and LSP) consumes.

use qbank_core::Span;
use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered: `Hint < Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Hint, Severity::Info, Severity::Warning, Severity::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning; `qbank check --fix` applies it.
    Safe,
    /// May change meaning; offered in the editor only.
    Unsafe,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn replace(span: Span, replacement: impl Into<String>) -> Edit {
        Edit { span, replacement: replacement.into() }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit { span: Span::empty(at), replacement: text.into() }
    }

    pub fn delete(span: Span) -> Edit {
        Edit { span, replacement: String::new() }
    }

    /// The edit that turns `span` of `source` into `replacement`, without the characters they
    /// begin and end with alike (`## 4. Q` → `### 4. Q` inserts one `#`), so it touches only
    /// what changes and overlaps as few other fixes as possible.
    pub fn minimal(source: &str, span: Span, replacement: &str) -> Edit {
        let old = span.slice(source);
        let prefix: usize =
            old.chars().zip(replacement.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
        let suffix: usize = old[prefix..]
            .chars()
            .rev()
            .zip(replacement[prefix..].chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        Edit::replace(
            Span::new(span.start + prefix, span.end - suffix),
            &replacement[prefix..replacement.len() - suffix],
        )
    }
}

/// A set of non-overlapping edits that together resolve one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, imperative: "Re-decode as UTF-8".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Safe, edits }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Unsafe, edits }
    }

    /// Whether a run that applies fixes up to `level` applies this one: a safe run takes safe
    /// fixes only, an unsafe run takes every fix.
    pub fn applies_at(&self, level: Applicability) -> bool {
        level == Applicability::Unsafe || self.applicability == Applicability::Safe
    }
}

/// Another place that explains a diagnostic, possibly in another file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// The file, as the run named it (same form as `FileReport::path`).
    pub path: String,
    pub span: Span,
    pub message: String,
}

/// One finding of one rule at one place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `QB101`.
    pub code: &'static str,
    /// The rule's kebab-case name, e.g. `missing-tldr`.
    pub name: &'static str,
    pub severity: Severity,
    /// What is wrong, why, and what to do, in short phrases.
    pub message: String,
    pub span: Span,
    /// The id of the question the finding is in, if any: keys baselines and SARIF fingerprints
    /// so they survive renumbering and moves.
    pub question_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// All findings for one file, with the text they point into (renderers need it for lines and
/// snippets).
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as the user named it (relative paths stay relative).
    pub path: String,
    /// The bank id, if the file parsed as a bank.
    pub bank_id: Option<String>,
    pub source: std::sync::Arc<str>,
    /// Sorted by span start, then code.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings that were found but silenced, by an inline `qbank-disable` comment or by a
    /// baseline. Renderers for people leave them out; SARIF lists them with `suppressions`.
    pub suppressed: Vec<Suppressed>,
}

/// A finding that was silenced, with how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub by: SuppressedBy,
    /// Why, when the suppression says (the text after `because` in a `qbank-disable` comment).
    pub justification: Option<String>,
}

/// What silenced a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressedBy {
    /// A `qbank-disable` comment in the bank (SARIF `inSource`).
    Comment,
    /// An entry of the baseline file (SARIF `external`).
    Baseline,
}
