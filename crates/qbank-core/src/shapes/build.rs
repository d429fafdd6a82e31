//! The bank built from a unit reader's questions: headings between questions are the title and
//! sections, prose before a section's first question is its intro, and prose after a question
//! stays with that question's answer, so nothing written is lost.

use crate::Span;
use crate::blocks::{Block, BlockKind};
use crate::model::{CodeBlock, Difficulty, Question, Section};
use crate::parse::{Parsed, ShapeKind, ShapeNote};
use crate::shapes::Shape;
use crate::shapes::units::{Found, Unit};
use crate::text::normalize_block;

enum Event<'a> {
    Unit(&'a Unit),
    Block(&'a Block),
}

fn heading_title(source: &str, block: &Block) -> String {
    let raw = block.span.slice(source);
    let mut lines: Vec<&str> = raw.lines().collect();
    if raw.trim_start().starts_with('#') {
        lines.truncate(1);
    } else {
        lines.pop();
    }
    let text = lines.iter().map(|l| l.trim().trim_start_matches('#').trim_end_matches('#').trim()).collect::<Vec<_>>();
    text.join(" ").trim().to_string()
}

pub(crate) fn build(
    source: &str,
    body_start: usize,
    blocks: &[Block],
    code_blocks: &[CodeBlock],
    found: Found,
    parsed: &mut Parsed,
) {
    let Found { shape, mut units, also } = found;
    units.sort_by_key(|u| u.whole.start);
    let mut kept: Vec<Unit> = Vec::with_capacity(units.len());
    for unit in units {
        if kept.last().is_none_or(|last| last.whole.end <= unit.whole.start) {
            kept.push(unit);
        }
    }
    let units = kept;
    parsed.reading.shape = shape;
    parsed.reading.also.extend(also);
    let covered = |span: Span| {
        let at = units.partition_point(|u| u.whole.end <= span.start);
        units.get(at).is_some_and(|u| u.whole.start < span.end)
    };
    let mut events: Vec<(usize, Event<'_>)> = units.iter().map(|u| (u.whole.start, Event::Unit(u))).collect();
    events.extend(blocks.iter().filter(|b| !covered(b.span)).map(|b| (b.span.start, Event::Block(b))));
    events.sort_by_key(|(at, _)| *at);

    let mut sections: Vec<Section> = Vec::new();
    let mut intro: Vec<String> = Vec::new();
    let mut intro_span: Option<Span> = None;
    let mut last_number = 0u32;
    for (_, event) in events {
        match event {
            Event::Unit(unit) => {
                parsed.reading.structure.extend(unit.structure.iter().copied());
                let number = match unit.number.map(|n| n.slice(source).parse::<u32>()) {
                    Some(Ok(n)) => n,
                    _ => last_number.saturating_add(1),
                };
                last_number = number;
                let mut q = Question {
                    number,
                    question: unit.question_text.clone(),
                    answer: unit.answer_text.clone(),
                    ..Question::default()
                };
                q.spans.whole = unit.whole;
                q.spans.heading = unit.heading;
                q.spans.question = unit.question;
                q.spans.number = unit.number.unwrap_or(Span::empty(unit.question.start));
                q.spans.answer = unit.answer;
                if let Some(metadata) = unit.metadata {
                    crate::parse::read_metadata(source, &mut q, metadata, &mut parsed.issues);
                }
                let first = code_blocks.partition_point(|c| c.span.start < unit.whole.start);
                q.spans.code_blocks = code_blocks[first..]
                    .iter()
                    .take_while(|c| c.span.start < unit.whole.end)
                    .filter(|c| c.span.end <= unit.whole.end)
                    // An admonition's body is indented four spaces: to CommonMark outside the
                    // admonition, indented code, not an example.
                    .filter(|c| c.fenced || shape != Shape::Admonitions)
                    .cloned()
                    .collect();
                if sections.is_empty() {
                    sections.push(Section { span: Span::empty(unit.whole.start), ..Section::default() });
                }
                let section = sections.last_mut().expect("pushed above");
                section.span = section.span.cover(unit.whole);
                section.questions.push(q);
            }
            Event::Block(block) => match block.kind {
                BlockKind::Heading { level } => {
                    let title = heading_title(source, block);
                    let nothing_yet = sections.is_empty() && intro.is_empty();
                    if level == 1 && nothing_yet && parsed.bank.title.is_empty() {
                        parsed.bank.title = title;
                        parsed.title_span = Some(block.span);
                    } else if title.is_empty() {
                        // An empty heading carries no words.
                    } else {
                        sections.push(Section {
                            title: Some(title),
                            title_span: Some(block.span),
                            span: block.span,
                            ..Section::default()
                        });
                    }
                }
                BlockKind::ThematicBreak => {}
                _ => {
                    let text = normalize_block(block.span.slice(source));
                    if text.is_empty() {
                        continue;
                    }
                    match sections.last_mut() {
                        Some(section) if !section.questions.is_empty() => {
                            let q = section.questions.last_mut().expect("non-empty");
                            if !q.answer.is_empty() {
                                q.answer.push_str("\n\n");
                            }
                            q.answer.push_str(&text);
                            q.spans.answer = Some(q.spans.answer.map_or(block.span, |a| a.cover(block.span)));
                            q.spans.whole = q.spans.whole.cover(block.span);
                            section.span = section.span.cover(block.span);
                        }
                        Some(section) => {
                            if !section.intro.is_empty() {
                                section.intro.push_str("\n\n");
                            }
                            section.intro.push_str(&text);
                            section.span = section.span.cover(block.span);
                        }
                        None => {
                            intro.push(text);
                            intro_span = Some(intro_span.map_or(block.span, |s| s.cover(block.span)));
                        }
                    }
                }
            },
        }
    }
    for q in sections.iter_mut().flat_map(|s| s.questions.iter_mut()) {
        read_labelled_parts(source, q);
    }
    parsed.bank.intro = intro.join("\n\n");
    parsed.intro_span = intro_span;
    if shape == Shape::SingleQuestion {
        move_question_keys(parsed, &mut sections);
    }
    parsed.bank.sections = sections;
    if parsed.reading.is_sure() {
        let formatted = crate::format::format_bank(&parsed.bank);
        let body = formatted.splitn(3, "---\n").nth(2).unwrap_or("").trim_start_matches('\n').to_string();
        parsed.shapes.push(ShapeNote {
            kind: ShapeKind::BankShape,
            span: Span::new(body_start, source.len()),
            replacement: body,
            message: format!(
                "this bank is written in the {} shape; `qbank fmt` writes it in the canonical shape",
                shape.as_str()
            ),
        });
    }
}

/// A one-question file's front-matter keys such as difficulty or company describe the question.
fn move_question_keys(parsed: &mut Parsed, sections: &mut [Section]) {
    let Some(q) = sections.iter_mut().flat_map(|s| s.questions.iter_mut()).next() else { return };
    for key in crate::shapes::single::QUESTION_KEYS {
        if let Some(value) = parsed.bank.extra.remove(*key) {
            match Difficulty::parse(&value).filter(|_| *key == "difficulty") {
                Some(d) => q.difficulty = Some(d),
                None => {
                    q.extra.insert((*key).to_string(), value);
                }
            }
        }
    }
    q.tags.append(&mut parsed.bank.tags);
}

/// A unit's answer that holds the canonical shape's labels (`**Answer:**`, `**TL;DR:**`,
/// `**Example:**`): `fmt` writes it under `**Answer:**`, where those labels read as the
/// question's parts, so it is read so here too: the answer is split into answer, examples and
/// TL;DR exactly as `parse` reads the canonical question `fmt` writes. The TL;DR keeps its span
/// when its paragraph is found as written in the source.
fn read_labelled_parts(source: &str, q: &mut Question) {
    // A label opens a paragraph, so a line: most answers have none and are not read again.
    if !q.answer.lines().any(|line| crate::parse::opens_with_label(line.trim_start())) {
        return;
    }
    let text = format!("---\nid: unit\n---\n\n### 1. Question\n<!-- id: unit -->\n\n**Answer:**\n\n{}\n", q.answer);
    let read = crate::parse::parse(&text);
    let [section] = read.bank.sections.as_slice() else { return };
    let [canonical] = section.questions.as_slice() else { return };
    if !read.reading.is_sure() || section.title.is_some() || !section.intro.is_empty() || !read.bank.intro.is_empty() {
        return;
    }
    q.answer = canonical.answer.clone();
    q.examples = canonical.examples.clone();
    q.tldr = canonical.tldr.clone();
    if let (Some(paragraph), Some(rest), Some(answer)) =
        (canonical.spans.tldr, canonical.spans.tldr_text, q.spans.answer)
    {
        let written = paragraph.slice(&text);
        let within = answer.slice(source);
        if let Some(at) = within.find(written).filter(|&at| within[at + written.len()..].find(written).is_none()) {
            let start = answer.start + at;
            q.spans.tldr = Some(Span::new(start, start + written.len()));
            q.spans.tldr_text = Some(rest.moved(paragraph.start, start));
        }
    }
}
