//! Rule metadata: what renderers, `qbank rules` and the language server need to know about a rule.

use crate::Severity;

/// Static facts about one rule.
#[derive(Clone, Copy, Debug)]
pub struct RuleMeta {
    /// Stable code: `QB0xx` structure, `QB1xx` content, `QB2xx` code examples, `QB3xx` duplicates.
    pub code: &'static str,
    /// Kebab-case name of the pattern flagged, e.g. `missing-tldr`.
    pub name: &'static str,
    /// One line: what the rule flags.
    pub summary: &'static str,
    pub default_severity: Severity,
    /// Markdown docs: `## What it does`, `## Why is this bad?`, `## Example`, `## Fix`.
    pub docs: &'static str,
    /// Whether the rule can offer a fix.
    pub fixable: bool,
}

/// Where a rule's documentation lives online (anchors into `docs/rules.md`).
pub fn docs_url(code: &str) -> String {
    format!("{DOCS_BASE}#{}", code.to_ascii_lowercase())
}

/// Under the workspace `repository` key of Cargo.toml, the one source of the URL.
const DOCS_BASE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");
