//! What a rule sees of one file: the text, its parse, and helpers to build diagnostics.

use qbank_core::{Parsed, Question, Span};

use crate::rule::RuleMeta;
use crate::{Diagnostic, Fix};

/// One file under check.
pub struct Context<'a> {
    pub source: &'a str,
    pub parsed: &'a Parsed,
    /// Every code block's span, sorted by start (blocks do not overlap), for `in_code`.
    code_spans: Vec<Span>,
}

impl<'a> Context<'a> {
    pub fn new(source: &'a str, parsed: &'a Parsed) -> Self {
        let mut code_spans: Vec<Span> =
            parsed.bank.questions().flat_map(|q| q.spans.code_blocks.iter().map(|c| c.span)).collect();
        code_spans.sort();
        Context { source, parsed, code_spans }
    }

    pub fn questions(&self) -> impl Iterator<Item = &'a Question> {
        self.parsed.bank.questions()
    }

    /// A diagnostic of `rule` at `span`, at the rule's default severity (the checker applies
    /// the configured one).
    pub fn diagnostic(&self, rule: &RuleMeta, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            name: rule.name,
            severity: rule.default_severity,
            message: message.into(),
            span,
            question_id: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn diagnostic_with_fix(&self, rule: &RuleMeta, span: Span, message: impl Into<String>, fix: Fix) -> Diagnostic {
        Diagnostic { fix: Some(fix), ..self.diagnostic(rule, span, message) }
    }

    /// Byte ranges of code blocks (fences included), which text rules skip; sorted.
    pub fn code_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.code_spans.iter().copied()
    }

    /// Whether `offset` is inside a code block: a binary search, so rules may ask per line.
    pub fn in_code(&self, offset: usize) -> bool {
        let i = self.code_spans.partition_point(|s| s.start <= offset);
        i > 0 && self.code_spans[i - 1].contains(offset)
    }
}

/// A rule's options from `qbank.toml` (`[rules.NAME]` table form).
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    table: Option<&'a toml::Table>,
}

impl<'a> Options<'a> {
    pub fn new(table: Option<&'a toml::Table>) -> Self {
        Options { table }
    }

    pub fn none() -> Options<'static> {
        Options { table: None }
    }

    /// A whole-number option, or `default` when absent or not a non-negative integer.
    pub fn usize(&self, key: &str, default: usize) -> usize {
        self.table
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_integer)
            .and_then(|v| usize::try_from(v).ok())
            .unwrap_or(default)
    }

    pub fn strings(&self, key: &str) -> Vec<String> {
        self.table
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }
}
