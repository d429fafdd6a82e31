//! One question per file: the title heading (or front matter `title`) is the question and the
//! body is its answer; the body's own sections (`Scenario`, `Task`, `Solution`, `Key takeaways`)
//! are answer structure.

use crate::Span;
use crate::blocks::{Block, BlockKind};
use crate::parse::{Parsed, is_metadata_comment};
use crate::shapes::Shape;
use crate::shapes::cues::is_structure_text;
use crate::shapes::units::{Found, Unit, markdown_text};

/// Front-matter keys that say a file is one interview question.
pub(crate) const QUESTION_KEYS: &[&str] = &["difficulty", "company", "companies", "level", "category", "topic"];

/// Section headings that say a file is one question with its answer.
const TASK_HEADINGS: &[&str] = &[
    "scenario",
    "task",
    "tasks",
    "problem",
    "problem statement",
    "solution",
    "solutions",
    "answer",
    "requirements",
    "objectives",
    "objective",
    "question",
    "explanation",
    "approach",
    "expected output",
    "hint",
    "hints",
];

pub(crate) fn find(source: &str, body_start: usize, blocks: &[Block], parsed: &Parsed) -> Found {
    let none = || Found { shape: Shape::NotABank, units: Vec::new(), also: Vec::new() };
    let heading_text = |b: &Block| {
        let line = b.span.slice(source).lines().next().unwrap_or("");
        line.trim_start().trim_start_matches('#').trim().trim_matches('*').trim().to_string()
    };
    let title_block = blocks.iter().position(|b| matches!(b.kind, BlockKind::Heading { .. }));
    let from_front_matter = !parsed.bank.title.is_empty();
    let (question_text, question, answer_from) = match title_block {
        Some(i) if !from_front_matter && blocks[..i].iter().all(|b| b.kind == BlockKind::Html) => {
            let raw = blocks[i].span.slice(source);
            let line = raw.lines().next().unwrap_or("");
            let hashes = line.len() - line.trim_start_matches(['#', ' ']).len();
            let q =
                Span::new(blocks[i].span.start + hashes.min(line.len()), blocks[i].span.start + line.trim_end().len());
            (heading_text(&blocks[i]), q, i + 1)
        }
        _ if from_front_matter => {
            let fm = parsed.front_matter.unwrap_or(Span::empty(body_start));
            let at = fm.slice(source).find("title:").map_or(fm.start, |i| fm.start + i);
            let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
            // A leading heading repeating the title is the title, not answer.
            let skip = match title_block {
                Some(0) if heading_text(&blocks[0]) == parsed.bank.title => 1,
                _ => 0,
            };
            (parsed.bank.title.clone(), Span::new(at, line_end), skip)
        }
        _ => return none(),
    };
    if question_text.is_empty() {
        return none();
    }
    let mut body = &blocks[answer_from.min(blocks.len())..];
    // A metadata comment right under the question is the question's, as under a question heading.
    let metadata =
        body.first().filter(|b| b.kind == BlockKind::Html && is_metadata_comment(b.span.slice(source))).map(|b| b.span);
    if metadata.is_some() {
        body = &body[1..];
    }
    let task_sections = body
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .filter(|b| {
            let t = heading_text(b).to_lowercase();
            let t = t.trim_end_matches(':').trim();
            TASK_HEADINGS.contains(&t) || (is_structure_text(t) && TASK_HEADINGS.iter().any(|w| t.starts_with(w)))
        })
        .count();
    let keyed = QUESTION_KEYS.iter().any(|k| parsed.bank.extra.contains_key(*k));
    let asks = question_text.trim_end_matches(['*', '_', ' ']).ends_with(['?', '？']);
    if !(asks || keyed || task_sections > 0) {
        return none();
    }
    let answer = match (body.first(), body.last()) {
        (Some(first), Some(last)) => Some(Span::new(first.span.start, last.span.end)),
        _ => None,
    };
    let answer_text = answer.map(|a| markdown_text(a.slice(source))).unwrap_or_default();
    let end = answer.or(metadata).map_or(question.end, |a| a.end);
    let whole = Span::new(question.start, end);
    let unit = Unit {
        whole,
        heading: question,
        number: None,
        question,
        question_text,
        answer,
        answer_text,
        structure: Vec::new(),
        metadata,
    };
    Found { shape: Shape::SingleQuestion, units: vec![unit], also: Vec::new() }
}
