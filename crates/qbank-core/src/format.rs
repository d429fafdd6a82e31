//! The canonical formatter: [`Bank`] → the one Markdown shape `qbank fmt` writes, plus id
//! assignment. The shape is documented in `docs/format.md`.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::model::{Bank, Example, Question};
use crate::parse::{Parsed, parse};
use crate::text::{fence_for, is_valid_id, slugify};

/// Write a bank in the canonical shape. Ids should be assigned first ([`assign_ids`]).
pub fn format_bank(bank: &Bank) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("---\n");
    if !bank.id.is_empty() {
        let _ = writeln!(out, "id: {}", yaml_scalar(&bank.id));
    }
    if !bank.tags.is_empty() {
        let tags: Vec<String> = bank.tags.iter().map(|t| list_item(t)).collect();
        let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    }
    if let Some(source) = &bank.source {
        let _ = writeln!(out, "source: {}", yaml_scalar(source));
    }
    for (key, value) in &bank.extra {
        let _ = writeln!(out, "{key}: {}", yaml_scalar(value));
    }
    for comment in &bank.front_matter_comments {
        let _ = writeln!(out, "{comment}");
    }
    out.push_str("---\n");
    if !bank.title.is_empty() {
        let _ = write!(out, "\n# {}\n", bank.title);
    }
    if !bank.intro.is_empty() {
        let _ = write!(out, "\n{}\n", bank.intro);
    }
    for section in &bank.sections {
        if let Some(title) = &section.title {
            // An empty title is written `##`: `## ` would end in whitespace `check` reports.
            let _ = if title.is_empty() { write!(out, "\n##\n") } else { write!(out, "\n## {title}\n") };
        }
        if !section.intro.is_empty() {
            let _ = write!(out, "\n{}\n", section.intro);
        }
        for question in &section.questions {
            format_question(&mut out, question);
        }
    }
    out
}

fn format_question(out: &mut String, q: &Question) {
    if q.question.is_empty() {
        let _ = write!(out, "\n### {}.\n", q.number);
    } else {
        let _ = write!(out, "\n### {}. {}\n", q.number, q.question);
    }
    let mut meta: Vec<String> = Vec::new();
    if !q.id.is_empty() {
        meta.push(format!("id: {}", q.id));
    }
    if let Some(d) = q.difficulty {
        meta.push(format!("difficulty: {}", d.as_str()));
    }
    if !q.tags.is_empty() {
        meta.push(format!("tags: {}", q.tags.join(", ")));
    }
    for (key, value) in &q.extra {
        meta.push(format!("{key}: {value}"));
    }
    if !meta.is_empty() {
        let _ = writeln!(out, "<!-- {} -->", meta.join("; "));
    }
    if !q.answer.is_empty() {
        let _ = write!(out, "\n**Answer:**\n\n{}\n", q.answer);
    }
    for example in &q.examples {
        format_example(out, example);
    }
    if let Some(tldr) = &q.tldr {
        let _ = write!(out, "\n**TL;DR:** {tldr}\n");
    }
}

fn format_example(out: &mut String, example: &Example) {
    match &example.title {
        Some(title) => {
            let _ = write!(out, "\n**Example ({title}):**\n");
        }
        None => out.push_str("\n**Example:**\n"),
    }
    if let Some(code) = &example.code {
        let fence = fence_for(code);
        let language = example.language.as_deref().unwrap_or("");
        if code.is_empty() {
            let _ = write!(out, "\n{fence}{language}\n{fence}\n");
        } else {
            let _ = write!(out, "\n{fence}{language}\n{code}\n{fence}\n");
        }
    }
    if let Some(text) = &example.text {
        let _ = write!(out, "\n{text}\n");
    }
}

/// A front-matter value: bare when safe, double-quoted otherwise.
fn yaml_scalar(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.starts_with([' ', '"', '\'', '[', '{', '#', '&', '*', '!', '|', '>', '%', '@', '`', '-'])
        || value.ends_with(' ')
        || value.contains(": ")
        || value.contains(" #")
        || value.contains('\n');
    if needs_quotes {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " "))
    } else {
        value.to_string()
    }
}

fn list_item(value: &str) -> String {
    if value.contains([',', '[', ']', '"', '\'']) || value.trim() != value {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_string()
    }
}

/// Give the bank and every question without a valid id a fresh, stable one. `taken` holds
/// question ids already used elsewhere in the corpus; new ids are added to it. `fallback` names
/// the bank when it has neither id nor title (e.g. the file stem).
pub fn assign_ids(bank: &mut Bank, fallback: &str, taken: &mut HashSet<String>) {
    if bank.id.is_empty() {
        bank.id = bank_id(&bank.title, fallback);
    }
    for q in bank.questions() {
        if !q.id.is_empty() {
            taken.insert(q.id.clone());
        }
    }
    for q in bank.questions_mut() {
        if !q.id.is_empty() && is_valid_id(&q.id) {
            continue;
        }
        if !q.id.is_empty() {
            // An invalid id is kept in the extra metadata so nothing is lost.
            q.extra.insert("previous-id".into(), std::mem::take(&mut q.id));
        }
        q.id = fresh_question_id(q, taken);
    }
}

/// The id `qbank fmt` gives a bank without one: from its title, else from `fallback` (the file
/// stem), else `bank`.
pub fn bank_id(title: &str, fallback: &str) -> String {
    [slugify(title, 6), slugify(fallback, 6)].into_iter().find(|id| !id.is_empty()).unwrap_or_else(|| "bank".into())
}

/// The id `qbank fmt` gives a question: up to five significant words of its text (or `qN`),
/// made unique against `taken` with `-2`, `-3`…; the new id is added to `taken`.
pub fn fresh_question_id(q: &Question, taken: &mut HashSet<String>) -> String {
    let mut base = slugify(&q.question, 5);
    if base.is_empty() {
        base = format!("q{}", q.number);
    }
    let id = unique_id(&base, |id| taken.contains(id));
    taken.insert(id.clone());
    id
}

/// `base`, or the first of `base-2`, `base-3`… that `is_taken` does not claim: how a fresh id
/// is made unique, and how `qbank merge` renames an id the bank it joins already uses.
pub fn unique_id(base: &str, is_taken: impl Fn(&str) -> bool) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while is_taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Why a text could not be formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The text has no questions; formatting it would throw its content away.
    NotABank(String),
    /// The parser is unsure how the text is organised; formatting could restructure it on a
    /// guess. The byte offset of the first doubt and what it says.
    Unsure { at: usize, message: String },
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::NotABank(message) => f.write_str(message),
            FormatError::Unsure { message, .. } => write!(
                f,
                "left as it is: the shape of this file is unsure ({message}); set `shape` or `question-level` in qbank.toml to settle it"
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// Parse, assign ids, and write canonically, keeping the source's BOM and line endings.
pub fn format_source(
    source: &str,
    fallback: &str,
    taken: &mut HashSet<String>,
) -> Result<(String, Parsed), FormatError> {
    format_parsed(source, parse(source), fallback, taken)
}

/// [`format_source`] for a text already parsed (with a configured [`crate::ShapeHint`], say).
pub fn format_parsed(
    source: &str,
    mut parsed: Parsed,
    fallback: &str,
    taken: &mut HashSet<String>,
) -> Result<(String, Parsed), FormatError> {
    if !parsed.is_bank() {
        let message = parsed.issues.first().map_or_else(|| "not a question bank".to_string(), |i| i.message.clone());
        return Err(FormatError::NotABank(message));
    }
    if let Some(doubt) = parsed.reading.doubts.first() {
        return Err(FormatError::Unsure { at: doubt.span.start, message: doubt.message.clone() });
    }
    assign_ids(&mut parsed.bank, fallback, taken);
    let out = keep_line_endings(source, format_bank(&parsed.bank));
    Ok((out, parsed))
}

/// `formatted` (written with `\n`) with the source's BOM, and with CRLF line breaks when most
/// of the source's are.
pub fn keep_line_endings(source: &str, formatted: String) -> String {
    let lf = source.matches('\n').count();
    let crlf = source.matches("\r\n").count();
    let mut out = if crlf > 0 && crlf * 2 >= lf { formatted.replace('\n', "\r\n") } else { formatted };
    if source.starts_with('\u{feff}') {
        out.insert(0, '\u{feff}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_count_up_from_two() {
        let taken: HashSet<String> = ["roll-back", "roll-back-2"].map(String::from).into();
        assert_eq!(unique_id("roll-back", |id| taken.contains(id)), "roll-back-3");
        assert_eq!(unique_id("canary", |id| taken.contains(id)), "canary");
    }
}
