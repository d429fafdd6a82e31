//! The checker: parse one text, run every enabled rule, apply configuration and inline
//! suppressions. The CLI and the language server both call [`check_source`].

use std::sync::Arc;

use qbank_core::{Parsed, Question, parse};

use crate::config::Config;
use crate::context::{Context, Options};
use crate::registry::RULES;
use crate::suppress::Suppressions;
use crate::{Diagnostic, FileReport};

/// Where a file sits, for configuration globs.
#[derive(Clone, Copy, Debug)]
pub struct FileInfo<'a> {
    /// The path as the user named it; shown in output.
    pub path: &'a str,
    /// The path relative to the config file's folder, with `/` separators.
    pub relative_path: &'a str,
}

/// Check one text with `config`.
pub fn check_source(file: FileInfo<'_>, source: &str, config: &Config) -> FileReport {
    check_source_parsed(file, source, config).0
}

/// [`check_source`], also returning the parse (callers skip files that are not banks).
pub fn check_source_parsed(file: FileInfo<'_>, source: &str, config: &Config) -> (FileReport, Parsed) {
    let parsed = parse(source);
    let mut diagnostics = check_parsed(file, source, &parsed, config);
    // Rules point at other places in the same file with an empty path.
    for related in diagnostics.iter_mut().flat_map(|d| d.related.iter_mut()) {
        if related.path.is_empty() {
            related.path = file.path.to_string();
        }
    }
    let report = FileReport {
        path: file.path.to_string(),
        bank_id: bank_id(&parsed, file.path),
        source: Arc::from(source),
        diagnostics,
    };
    (report, parsed)
}

/// The bank's id, or the one `qbank fmt` would give it (from the title, else the file name).
fn bank_id(parsed: &Parsed, path: &str) -> Option<String> {
    if !parsed.is_bank() {
        return None;
    }
    if !parsed.bank.id.is_empty() {
        return Some(parsed.bank.id.clone());
    }
    let from_title = qbank_core::text::slugify(&parsed.bank.title, 6);
    if !from_title.is_empty() {
        return Some(from_title);
    }
    let stem = std::path::Path::new(path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Some(qbank_core::text::slugify(&stem, 6)).filter(|s| !s.is_empty())
}

/// Check an already parsed text.
pub fn check_parsed(file: FileInfo<'_>, source: &str, parsed: &Parsed, config: &Config) -> Vec<Diagnostic> {
    let ctx = Context::new(source, parsed);
    let mut all = Vec::new();
    for rule in RULES {
        let setting = config.rule_setting(&rule.meta);
        let Some(severity) = setting.severity else { continue };
        if config.is_ignored(file.relative_path, rule.meta.code, rule.meta.name) {
            continue;
        }
        let mut found = Vec::new();
        (rule.check)(&ctx, &Options::new(Some(&setting.options)), &mut found);
        for mut d in found {
            d.severity = severity;
            all.push(d);
        }
    }
    let suppressions = Suppressions::parse(source);
    let mut all = suppressions.filter(all);
    attach_question_ids(parsed, &mut all);
    all.sort_by(|a, b| (a.span.start, a.code, a.span.end).cmp(&(b.span.start, b.code, b.span.end)));
    all.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
    all
}

fn attach_question_ids(parsed: &Parsed, diagnostics: &mut [Diagnostic]) {
    let questions: Vec<&Question> = parsed.bank.questions().collect();
    for d in diagnostics.iter_mut() {
        if d.question_id.is_some() {
            continue;
        }
        let i = questions.partition_point(|q| q.spans.whole.start <= d.span.start);
        if i > 0 {
            let q = questions[i - 1];
            if d.span.start <= q.spans.whole.end && !q.id.is_empty() {
                d.question_id = Some(q.id.clone());
            }
        }
    }
}
