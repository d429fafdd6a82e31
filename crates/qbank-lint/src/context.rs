//! What a rule sees of one file: the text, its parse, the part of it the rule is asked about,
//! and helpers to build diagnostics.
//!
//! File rules ([`crate::registry::Scope::File`]) see every question and the whole text. Question
//! rules see one *unit* at a time — one question and its lines, or the lines between questions —
//! so the checker can cache their findings per question (see [`crate::check`]); they must not
//! look at text outside [`Context::regions`].

use std::sync::OnceLock;

use qbank_core::{Parsed, Question, Span};

use crate::rule::RuleMeta;
use crate::suppress::Suppressions;
use crate::{Diagnostic, Fix};

/// Facts about one file that every rule may ask for, computed once per check.
#[derive(Debug)]
pub struct FileFacts {
    /// Every code block's span, sorted by start (blocks do not overlap), for `in_code`.
    code_spans: Vec<Span>,
    suppressions: OnceLock<Suppressions>,
}

impl FileFacts {
    pub fn new(parsed: &Parsed) -> Self {
        let mut code_spans: Vec<Span> =
            parsed.bank.questions().flat_map(|q| q.spans.code_blocks.iter().map(|c| c.span)).collect();
        code_spans.sort();
        FileFacts { code_spans, suppressions: OnceLock::new() }
    }
}

/// One file under check, or one unit of it.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The file's path as given (for what depends on its name, such as a bank's fallback id).
    pub path: &'a str,
    pub source: &'a str,
    pub parsed: &'a Parsed,
    facts: &'a FileFacts,
    questions: &'a [&'a Question],
    regions: &'a [Span],
}

impl<'a> Context<'a> {
    /// The whole file: `questions` are all of them and `regions` is `[0, source.len())`.
    pub fn new(
        path: &'a str,
        source: &'a str,
        parsed: &'a Parsed,
        facts: &'a FileFacts,
        questions: &'a [&'a Question],
        regions: &'a [Span],
    ) -> Self {
        Context { path, source, parsed, facts, questions, regions }
    }

    /// The same file, narrowed to some questions and some byte ranges.
    pub fn narrowed(&self, questions: &'a [&'a Question], regions: &'a [Span]) -> Self {
        Context { questions, regions, ..*self }
    }

    /// The questions in scope, in document order.
    pub fn questions(&self) -> impl Iterator<Item = &'a Question> + use<'a> {
        self.questions.iter().copied()
    }

    /// The byte ranges in scope, in order, each starting at a line start and ending after a
    /// line break (or at the end of the text).
    pub fn regions(&self) -> &'a [Span] {
        self.regions
    }

    /// The region holding `offset`, if it is in scope.
    pub fn region_of(&self, offset: usize) -> Option<Span> {
        let i = self.regions.partition_point(|r| r.start <= offset);
        let region = *self.regions.get(i.checked_sub(1)?)?;
        (offset < region.end || (offset == region.end && region.end == self.source.len())).then_some(region)
    }

    /// The file's suppression comments, parsed on first use.
    pub fn suppressions(&self) -> &'a Suppressions {
        self.facts.suppressions.get_or_init(|| Suppressions::parse(self.source))
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

    /// Whether `offset` is inside a code block: a binary search, so rules may ask per line.
    pub fn in_code(&self, offset: usize) -> bool {
        let spans = &self.facts.code_spans;
        let i = spans.partition_point(|s| s.start <= offset);
        i > 0 && spans[i - 1].contains(offset)
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
