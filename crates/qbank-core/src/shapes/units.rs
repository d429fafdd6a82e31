//! Readers for the shapes whose questions are not headings: collapsible `<details>` Q&A,
//! `Q:` / `A:` lines, `### Question` / `### Answer` labelled headings, list items and
//! question | answer tables. Each finds *units* — one question with its answer, as spans of the
//! source — and the parser builds the bank from the reader that found the most.

use crate::Span;
use crate::blocks::{Block, BlockKind, ListItem};
use crate::model::CodeBlock;
use crate::parse::trim_both as trim_span;
use crate::shapes::Shape;
use crate::shapes::cues::{is_question_text, is_structure_text};
use crate::text::{dedent, normalize_block};

/// One question found by a reader.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    /// From the question's first marker to the end of its answer.
    pub whole: Span,
    /// The line(s) holding the question, markers included.
    pub heading: Span,
    /// The number written with the question, if any.
    pub number: Option<Span>,
    /// The question text in the source.
    pub question: Span,
    pub question_text: String,
    /// The answer's text in the source, if any.
    pub answer: Option<Span>,
    pub answer_text: String,
    /// Markup this unit consumed (`<details>`, `**Q:**`, `### Answer`…).
    pub structure: Vec<Span>,
    /// A metadata comment (`<!-- id: …; tags: … -->`) that belongs to the question.
    pub metadata: Option<Span>,
}

/// What the unit readers found in a text: the best reading and the others' counts.
pub(crate) struct Found {
    pub shape: Shape,
    pub units: Vec<Unit>,
    pub also: Vec<(Shape, usize)>,
}

/// Run every unit reader over the body; the one with the most units wins.
pub(crate) fn find(
    source: &str,
    body_start: usize,
    blocks: &[Block],
    items: &[ListItem],
    code: &[CodeBlock],
    only: Option<Shape>,
) -> Found {
    // Code blocks come in document order and do not nest: the one that could hold `at` is the
    // last to start at or before it (a scan of every block per line was quadratic).
    let fenced: Vec<Span> = code.iter().filter(|c| c.fenced).map(|c| c.span).collect();
    let in_code = |at: usize| {
        let i = fenced.partition_point(|s| s.start <= at);
        i > 0 && at < fenced[i - 1].end
    };
    let mut readings: Vec<(Shape, Vec<Unit>)> = Vec::new();
    let want = |s: Shape| only.is_none_or(|o| o == s);
    if want(Shape::Collapsible) {
        readings.push((Shape::Collapsible, details(source, body_start, &in_code)));
    }
    if want(Shape::LabelledHeadings) {
        readings.push((Shape::LabelledHeadings, labelled_headings(source, blocks)));
    }
    if want(Shape::QaLines) {
        readings.push((Shape::QaLines, qa_lines(source, body_start, &in_code)));
    }
    if want(Shape::List) {
        readings.push((Shape::List, list_items(source, blocks, items)));
    }
    if want(Shape::Table) {
        readings.push((Shape::Table, tables(source, blocks)));
    }
    if want(Shape::Admonitions) && (source.contains("???") || source.contains("!!!")) {
        readings.push((Shape::Admonitions, crate::shapes::admonitions::admonitions(source, body_start, &in_code)));
    }
    // A fence that opens inside a unit and runs past its end (the end of the file closes it)
    // makes the rest code: the unit's end marker (`</details>`, the next `Q:`) is code too, and
    // a unit cut there would leave the code after it to no one.
    for (_, units) in &mut readings {
        units.retain(|u| {
            let first = fenced.partition_point(|s| s.start < u.whole.start);
            fenced[first..].iter().take_while(|s| s.start < u.whole.end).all(|s| s.end <= u.whole.end)
        });
    }
    let best = readings.iter().enumerate().max_by_key(|(i, (_, u))| (u.len(), usize::MAX - i)).map(|(i, _)| i);
    let Some(best) = best.filter(|&i| !readings[i].1.is_empty()) else {
        return Found { shape: Shape::NotABank, units: Vec::new(), also: Vec::new() };
    };
    let (shape, units) = readings.swap_remove(best);
    let also = readings.iter().filter(|(_, u)| !u.is_empty()).map(|(s, u)| (*s, u.len())).collect();
    Found { shape, units, also }
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/// Markdown text of an answer as `fmt` will write it under a `### N.` question: each block
/// normalised, blocks joined as written, headings moved below the question level.
pub(crate) fn markdown_text(text: &str) -> String {
    let parsed = crate::blocks::parse_text_blocks(text);
    let min_level = parsed
        .top
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::Heading { level } => Some(level),
            _ => None,
        })
        .min();
    let shift = min_level.map_or(0, |m| 4u8.saturating_sub(m));
    let mut out = String::new();
    let mut previous_end: Option<usize> = None;
    // A rule that ends an answer (`- ---` is one too) would read as a separator between questions
    // under a canonical heading: it separates, it is not answer text.
    let last = parsed.top.iter().rposition(|b| b.kind != BlockKind::ThematicBreak).map_or(0, |i| i + 1);
    for block in &parsed.top[..last] {
        let raw = block.span.slice(text);
        let piece = match block.kind {
            BlockKind::Heading { level } if shift > 0 => {
                let line = raw.lines().next().unwrap_or("");
                let body = line.trim_start().trim_start_matches('#').trim();
                if raw.trim_start().starts_with('#') {
                    format!("{} {body}", "#".repeat(usize::from((level + shift).min(6))))
                } else {
                    // A setext heading: its lines joined, as an ATX heading.
                    let lines: Vec<&str> = raw.lines().collect();
                    let joined = lines[..lines.len().saturating_sub(1)].iter().map(|l| l.trim()).collect::<Vec<_>>();
                    format!("{} {}", "#".repeat(usize::from((level + shift).min(6))), joined.join(" "))
                }
            }
            _ => normalize_block(raw),
        };
        if piece.is_empty() {
            continue;
        }
        if let Some(end) = previous_end {
            let between = &text[end..block.span.start];
            out.push_str(if between.matches('\n').count() >= 2 { "\n\n" } else { "\n" });
        }
        out.push_str(&piece);
        previous_end = Some(block.span.end);
    }
    close_open_fence(&mut out);
    out
}

/// An answer whose fence is never closed (the end of its list item or `<details>` closed it)
/// gets the closing line, so that in `fmt`'s output the fence does not run on into what follows.
fn close_open_fence(text: &mut String) {
    let mut open: Option<crate::text::Fence> = None;
    for line in text.lines() {
        match open {
            Some(fence) if fence.closed_by(line) => open = None,
            Some(_) => {}
            None => open = crate::text::Fence::opened_by(line).filter(|f| f.indent <= 3),
        }
    }
    if let Some(fence) = open {
        text.push('\n');
        text.push_str(&char::from(fence.ch).to_string().repeat(fence.len));
    }
}

/// A question's text on one line: HTML tags and Markdown emphasis around it dropped, lines
/// joined by spaces.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let is_tag = after[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match after.find('>') {
            Some(close) if is_tag => {
                let tag = after[1..close].trim_start_matches('/').to_ascii_lowercase();
                if tag.starts_with("br") || tag.starts_with('p') || tag.starts_with("li") || tag.starts_with("div") {
                    out.push(' ');
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
    strip_emphasis(&joined).to_string()
}

/// `**What is X?**` → `What is X?` (one wrapper of `*`, `**`, `***` or `_`).
fn strip_emphasis(text: &str) -> &str {
    let t = text.trim();
    for marker in ["***", "**", "__", "*", "_"] {
        if t.len() > 2 * marker.len()
            && t.starts_with(marker)
            && t.ends_with(marker)
            && !t[marker.len()..t.len() - marker.len()].contains(marker)
        {
            return t[marker.len()..t.len() - marker.len()].trim();
        }
    }
    t
}

pub(crate) fn lines(source: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = from;
    source[from..].split_inclusive('\n').map(move |line| {
        let at = offset;
        offset += line.len();
        (at, line.trim_end_matches(['\n', '\r']))
    })
}

// ---------------------------------------------------------------------------------------------
// Collapsible Q&A: <details><summary>Question?</summary> answer </details>

/// Summaries that reveal an answer instead of asking (`<summary><b>Answer</b></summary>`).
fn answer_like_summary(text: &str) -> bool {
    let lower = text.trim().trim_end_matches([':', '.', '!']).to_lowercase();
    let words = [
        "answer",
        "answers",
        "solution",
        "solutions",
        "show answer",
        "show solution",
        "reveal",
        "hint",
        "hints",
        "click",
        "click to expand",
        "click here",
        "expand",
        "show",
        "output",
        "explanation",
        "details",
        "more",
        "答え",
        "答案",
        "参考答案",
        "解答",
        "ответ",
        "решение",
        "respuesta",
        "solución",
        "réponse",
        "antwort",
        "lösung",
    ];
    words.contains(&lower.as_str())
        || lower.starts_with("click")
        || lower.starts_with("show ")
        || lower.starts_with("answer")
        || lower.starts_with("solution")
}

fn find_ci(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    // Every needle starts with a character that has no case (`<`): jump from one to the next.
    debug_assert!(!needle[0].is_ascii_alphabetic());
    let first = char::from(needle[0]);
    let mut at = from;
    while at < bytes.len() {
        // `str::find` of one ASCII character is a memchr.
        let i = at + haystack.get(at..)?.find(first)?;
        if bytes.len() - i >= needle.len() && bytes[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

fn details(source: &str, from: usize, in_code: &dyn Fn(usize) -> bool) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut at = from;
    while let Some(open) = find_ci(source, "<details", at) {
        let line_start = source[..open].rfind('\n').map_or(0, |i| i + 1);
        let tag_end = source[open..].find('>').map(|i| open + i + 1);
        let top_level = source[line_start..open].trim().is_empty();
        let Some(tag_end) = tag_end else { break };
        if !top_level || in_code(open) {
            at = tag_end;
            continue;
        }
        // The matching </details>, counting nested ones.
        let mut depth = 1;
        let mut scan = tag_end;
        let mut close = None;
        while depth > 0 {
            let next_open = find_ci(source, "<details", scan);
            let Some(next_close) = find_ci(source, "</details", scan) else { break };
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    scan = o + 8;
                }
                _ => {
                    depth -= 1;
                    scan = next_close + 9;
                    if depth == 0 {
                        close = Some(next_close);
                    }
                }
            }
        }
        let Some(close) = close else { break };
        let close_end = source[close..].find('>').map_or(source.len(), |i| close + i + 1);
        at = close_end;
        let Some(summary_open) = find_ci(source, "<summary", tag_end).filter(|&s| s < close) else { continue };
        let Some(summary_tag_end) = source[summary_open..].find('>').map(|i| summary_open + i + 1) else { continue };
        let Some(summary_close) = find_ci(source, "</summary", summary_tag_end).filter(|&s| s < close) else {
            continue;
        };
        if !source[tag_end..summary_open].trim().is_empty() {
            continue;
        }
        // The `>` of `</summary>` before `</details>` (a broken tag has none: the answer starts
        // at `</details>`, empty).
        let summary_close_end = source[summary_close..close].find('>').map_or(close, |i| summary_close + i + 1);
        let question = trim_span(source, Span::new(summary_tag_end, summary_close));
        let question_text = one_line(question.slice(source));
        if question_text.is_empty() || answer_like_summary(&question_text) || is_structure_text(&question_text) {
            continue;
        }
        // The answer, without the decorations around it: <br>, <b>…</b>, <p>…</p>.
        let mut a_start = summary_close_end;
        let mut a_end = close;
        let mut structure = vec![
            Span::new(open, tag_end),
            Span::new(summary_open, summary_tag_end),
            Span::new(summary_close, summary_close_end),
        ];
        loop {
            let rest = &source[a_start..a_end];
            let lead = rest.len() - rest.trim_start().len();
            let trimmed = rest.trim_start();
            let lower = trimmed.get(..8).unwrap_or(trimmed).to_ascii_lowercase();
            let tag = ["<br>", "<br/>", "<br />", "<b>", "<strong>", "<p>"].iter().find(|t| lower.starts_with(**t));
            match tag {
                Some(t) => {
                    structure.push(Span::new(a_start + lead, a_start + lead + t.len()));
                    a_start += lead + t.len();
                }
                None => break,
            }
        }
        loop {
            let rest = &source[a_start..a_end];
            let trimmed = rest.trim_end();
            let lower = trimmed.to_ascii_lowercase();
            let tag = ["</b>", "</strong>", "</p>", "<br>", "<br/>", "<br />"].iter().find(|t| lower.ends_with(**t));
            match tag {
                Some(t) => {
                    let end = a_start + trimmed.len();
                    structure.push(Span::new(end - t.len(), end));
                    a_end = end - t.len();
                }
                None => break,
            }
        }
        structure.push(Span::new(close, close_end));
        let answer = trim_span(source, Span::new(a_start, a_end.max(a_start)));
        let answer_text = markdown_text(answer.slice(source));
        units.push(Unit {
            metadata: None,
            whole: Span::new(line_start, close_end),
            heading: Span::new(open, summary_close_end),
            number: None,
            question,
            question_text,
            answer: (!answer.is_empty()).then_some(answer),
            answer_text,
            structure,
        });
    }
    units
}

// ---------------------------------------------------------------------------------------------
// `### Question` + text, then `### Answer` + answer

/// Whether a heading's line is only one of the label `words` (`### Question`, `## Answer 3`).
fn heading_label(source: &str, block: &Block, words: &[&str]) -> bool {
    // Labels are a word or two and a number: a long line is not one (and builds no text).
    let first = block.span.slice(source).lines().next().unwrap_or("");
    let bare = first.trim_start().trim_start_matches('#').trim_start().trim_start_matches(['*', '_', ' ']);
    // Most headings start with no label word at all: tell that before building the text.
    let starts_with_label = words.iter().any(|w| {
        bare.get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w) || (!w.is_ascii() && head.to_lowercase() == *w))
    });
    starts_with_label && first.len() <= 96 && label_word(&heading_line_text(source, block), words)
}

fn heading_line_text(source: &str, block: &Block) -> String {
    let raw = block.span.slice(source);
    let first = raw.lines().next().unwrap_or("");
    one_line(first.trim_start().trim_start_matches('#').trim_end_matches('#'))
}

fn label_word(text: &str, words: &[&str]) -> bool {
    // Labels are a word or two and a number: a longer text is not one (and is not lower-cased).
    if text.len() > 48 {
        return false;
    }
    let t = strip_emphasis(text.trim()).trim_end_matches([':', '：', '.']).trim();
    let lower = t.to_lowercase();
    let head: String = lower.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let head = head.trim().trim_end_matches([':', '：', '#', '-']).trim();
    words.contains(&lower.as_str())
        || (words.contains(&head) && lower[head.len()..].trim().chars().all(|c| c.is_ascii_digit()))
}

const QUESTION_LABELS: &[&str] =
    &["question", "the question", "q", "问题", "题目", "вопрос", "pregunta", "frage", "interview question"];
const ANSWER_LABELS: &[&str] = &[
    "answer",
    "the answer",
    "a",
    "solution",
    "expected answer",
    "sample answer",
    "model answer",
    "suggested answer",
    "ans",
    "参考答案",
    "答案",
    "回答",
    "解答",
    "ответ",
    "respuesta",
    "antwort",
    "reference answer",
];

/// A paragraph that is only a label word (`Question`, `**Answer**`), without a colon.
fn bare_label(source: &str, block: &Block, words: &[&str]) -> bool {
    let text = block.span.slice(source);
    // `label_word` takes at most 48 bytes: a longer paragraph is not scanned.
    block.kind == BlockKind::Paragraph
        && text.len() <= 48
        && !text.contains(['\n', ':', '：'])
        && label_word(text, words)
}

fn labelled_headings(source: &str, blocks: &[Block]) -> Vec<Unit> {
    let mut units = Vec::new();
    // The level of the heading each block sits under (0: none).
    let mut enclosing = Vec::with_capacity(blocks.len());
    let mut current = 0u8;
    for block in blocks {
        enclosing.push(current);
        if let BlockKind::Heading { level } = block.kind {
            current = level;
        }
    }
    let heading_at = |i: usize| match blocks[i].kind {
        BlockKind::Heading { level } => Some(level),
        _ => None,
    };
    let mut i = 0;
    while i < blocks.len() {
        // A `### Question` heading, or a paragraph that is only the word (`Question` on a line of
        // its own, as notes exported from other tools write it): that one ends where a heading
        // above it does, at the level under the heading it sits in.
        let (level, bare) = match heading_at(i) {
            Some(level) if heading_label(source, &blocks[i], QUESTION_LABELS) => (level, false),
            None if bare_label(source, &blocks[i], QUESTION_LABELS) => (enclosing[i] + 1, true),
            _ => {
                i += 1;
                continue;
            }
        };
        // The question: the blocks up to the next heading (after any `---` rule), and it
        // starts with a paragraph: `# Interview question` over a rule and a heading is a title.
        let mut q_first = i + 1;
        while q_first < blocks.len() && blocks[q_first].kind == BlockKind::ThematicBreak {
            q_first += 1;
        }
        if blocks.get(q_first).is_none_or(|b| b.kind != BlockKind::Paragraph) {
            i += 1;
            continue;
        }
        let mut j = q_first;
        while j < blocks.len() && heading_at(j).is_none() && !(bare && j > q_first) {
            j += 1;
        }
        let mut structure = vec![blocks[i].span];
        // The unit ends at the next question label, or at a heading above this one.
        let mut end = j;
        while end < blocks.len() {
            if let Some(l) = heading_at(end)
                && (l < level || heading_label(source, &blocks[end], QUESTION_LABELS))
            {
                break;
            }
            if heading_at(end).is_none() && bare_label(source, &blocks[end], QUESTION_LABELS) {
                break;
            }
            end += 1;
        }
        // A `---` rule after the answer separates units; it is not answer text.
        while end > j && blocks[end - 1].kind == BlockKind::ThematicBreak {
            end -= 1;
        }
        // The question paragraphs may end with an `Answer:` paragraph label.
        let mut q_last = j;
        let mut answer_from = j;
        for (k, block) in blocks.iter().enumerate().take(j).skip(q_first) {
            let text = block.span.slice(source);
            let first_line = text.lines().next().unwrap_or("");
            if let Some((label, _)) = first_line.split_once(':')
                && label_word(label, ANSWER_LABELS)
            {
                q_last = k;
                answer_from = k;
                break;
            }
        }
        if q_first >= q_last {
            i = end.max(i + 1);
            continue;
        }
        let question = Span::new(blocks[q_first].span.start, blocks[q_last - 1].span.end);
        let question_text = one_line(question.slice(source));
        // The answer: after an `Answer` heading or label, else everything after the question.
        let mut a_start_block = answer_from;
        let mut a_text_start = None;
        if a_start_block < end
            && ((heading_at(a_start_block).is_some() && heading_label(source, &blocks[a_start_block], ANSWER_LABELS))
                || bare_label(source, &blocks[a_start_block], ANSWER_LABELS))
        {
            structure.push(blocks[a_start_block].span);
            a_start_block += 1;
        } else if a_start_block < end && heading_at(a_start_block).is_none() {
            let text = blocks[a_start_block].span.slice(source);
            if let Some(colon) = text.find(':')
                && label_word(&text[..colon], ANSWER_LABELS)
            {
                structure
                    .push(Span::new(blocks[a_start_block].span.start, blocks[a_start_block].span.start + colon + 1));
                a_text_start = Some(blocks[a_start_block].span.start + colon + 1);
            }
        }
        let answer = if a_start_block < end {
            let start = a_text_start.unwrap_or(blocks[a_start_block].span.start);
            Some(trim_span(source, Span::new(start, blocks[end - 1].span.end)))
        } else {
            None
        };
        let answer_text = answer.map(|a| markdown_text(a.slice(source))).unwrap_or_default();
        units.push(Unit {
            metadata: None,
            whole: Span::new(blocks[i].span.start, blocks[end.max(q_last) - 1].span.end),
            heading: blocks[i].span.cover(question),
            number: None,
            question,
            question_text,
            answer: answer.filter(|a| !a.is_empty()),
            answer_text,
            structure,
        });
        i = end.max(i + 1);
    }
    units
}

// ---------------------------------------------------------------------------------------------
// `**Q:** …` / `**A:** …`, `Q:` / `A:` lines, `**Question 3:** …`

/// The text a marker would start at in `line`: after the indentation, an optional list marker
/// (`- `, `* `, `1. `, `1) `) and up to three `*` or `_`.
fn marker_text(line: &str) -> &str {
    let t = line.trim_start();
    let list = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .map(|r| t.len() - r.len())
        .or_else(|| {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))).then_some(digits + 2)
        })
        .unwrap_or(0);
    let t2 = &t[list..];
    let stars = t2.bytes().take_while(|&b| b == b'*' || b == b'_').count().min(3);
    &t2[stars..]
}

/// A question or answer marker at the start of a line: its length and the number in it.
fn marker(line: &str, labels: &[&str]) -> Option<(usize, Option<(usize, usize)>)> {
    let inner = marker_text(line);
    // Indentation, list marker and emphasis before it.
    let before = line.len() - inner.len();
    for label in labels {
        // Markers are ASCII: compared without a lower-case copy of the line.
        debug_assert!(label.is_ascii());
        if !inner.as_bytes().get(..label.len()).is_some_and(|b| b.eq_ignore_ascii_case(label.as_bytes())) {
            continue;
        }
        let mut k = label.len();
        let digits_start = k + (inner[k..].len() - inner[k..].trim_start().len());
        let digits = inner[digits_start..].bytes().take_while(u8::is_ascii_digit).count();
        let number = (digits > 0).then(|| (before + digits_start, before + digits_start + digits));
        if digits > 0 {
            k = digits_start + digits;
        }
        let rest = &inner[k..];
        let rest_trim = rest.trim_start_matches(['*', '_']);
        let closing = rest.len() - rest_trim.len();
        if !(rest_trim.starts_with(':') || rest_trim.starts_with('：') || (digits > 0 && rest_trim.starts_with('.'))) {
            continue;
        }
        let sep = rest_trim.chars().next().map_or(0, char::len_utf8);
        let after = &rest_trim[sep..];
        let after_trim = after.trim_start_matches(['*', '_']);
        let closing2 = after.len() - after_trim.len();
        return Some((before + k + closing + sep + closing2, number));
    }
    None
}

const Q_MARKERS: &[&str] = &["question", "q"];
const A_MARKERS: &[&str] = &["answer", "ans", "a", "solution", "expected answer", "sample answer"];

fn qa_lines(source: &str, from: usize, in_code: &dyn Fn(usize) -> bool) -> Vec<Unit> {
    struct Open {
        start: usize,
        marker_end: usize,
        number: Option<Span>,
        answer: Option<(usize, usize)>,
        last_end: usize,
    }
    let mut units = Vec::new();
    let mut open: Option<Open> = None;
    let mut answers = 0usize;
    let finish = |o: Open, units: &mut Vec<Unit>| {
        let q_end = o.answer.map_or(o.last_end, |(a, _)| a);
        let question = trim_span(source, Span::new(o.marker_end, q_end.max(o.marker_end)));
        let question_text = one_line(question.slice(source));
        let mut structure = vec![Span::new(o.start, o.marker_end)];
        let answer = o.answer.map(|(marker, text)| {
            structure.push(Span::new(marker, text));
            trim_span(source, Span::new(text, o.last_end.max(text)))
        });
        let answer_text = answer.map(|a| markdown_text(&dedent_lines(a.slice(source)))).unwrap_or_default();
        if question_text.is_empty() {
            return;
        }
        units.push(Unit {
            metadata: None,
            whole: Span::new(o.start, o.last_end),
            heading: Span::new(o.start, question.end),
            number: o.number,
            question,
            question_text,
            answer: answer.filter(|a| !a.is_empty()),
            answer_text,
            structure,
        });
    };
    for (at, line) in lines(source, from) {
        // Most lines are no marker and inside no unit: tell that from their first letter.
        if open.is_none() && !marker_text(line).starts_with(['q', 'Q']) {
            continue;
        }
        if in_code(at) {
            if let Some(o) = open.as_mut() {
                o.last_end = at + line.len();
            }
            continue;
        }
        let heading = line.starts_with('#');
        if let Some((len, number)) = marker(line, Q_MARKERS) {
            if let Some(o) = open.take() {
                finish(o, &mut units);
            }
            let mut o = Open {
                start: at + (line.len() - line.trim_start().len()),
                marker_end: at + len,
                number: number.map(|(a, b)| Span::new(at + a, at + b)),
                answer: None,
                last_end: at + line.len(),
            };
            // `Q: … A: …` on one line.
            if let Some(i) = line[len..].find(" A: ").or_else(|| line[len..].find(" **A:** ")) {
                let marker_at = at + len + i + 1;
                let text_at = marker_at + if line[len + i + 1..].starts_with("**") { 6 } else { 2 };
                o.answer = Some((marker_at, text_at));
                answers += 1;
            }
            open = Some(o);
            continue;
        }
        let Some(o) = open.as_mut() else { continue };
        if heading {
            let o = open.take().expect("open");
            finish(o, &mut units);
            continue;
        }
        if o.answer.is_none()
            && let Some((len, _)) = marker(line, A_MARKERS)
        {
            let marker_at = at + (line.len() - line.trim_start().len());
            o.answer = Some((marker_at, at + len));
            answers += 1;
        }
        // A `---` rule separates units; it is not answer text.
        if !line.trim().is_empty() && !is_rule(line) {
            o.last_end = at + line.len();
        }
    }
    if let Some(o) = open.take() {
        finish(o, &mut units);
    }
    // Without a single answer marker, `Q:` lines are too weak a sign.
    if answers == 0 { Vec::new() } else { units }
}

/// A thematic break line: three or more `-`, `*` or `_` (spaces between allowed).
fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    line.len() - line.trim_start().len() <= 3
        && t.len() >= 3
        && ["-", "*", "_"].iter().any(|c| t.chars().all(|x| x.to_string() == *c))
}

/// Lines dedented by their common indentation (answers indented under a list marker).
fn dedent_lines(text: &str) -> String {
    let indent = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("").to_string();
    let rest = dedent(&lines.collect::<Vec<_>>().join("\n"), indent);
    if rest.is_empty() { first } else { format!("{first}\n{rest}") }
}

// ---------------------------------------------------------------------------------------------
// List items as questions

fn list_items(source: &str, blocks: &[Block], items: &[ListItem]) -> Vec<Unit> {
    let mut units = Vec::new();
    // Items come in document order: each list's are found by binary search, not by a scan of
    // every item per list (a bank of many short lists was quadratic).
    debug_assert!(items.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    for list in blocks.iter().filter(|b| b.kind == BlockKind::List) {
        let from = items.partition_point(|i| i.span.start < list.span.start);
        let list_items: Vec<&ListItem> = items[from..]
            .iter()
            .take_while(|i| i.span.start < list.span.end)
            .filter(|i| i.span.end <= list.span.end)
            .collect();
        let mut found = Vec::new();
        for item in &list_items {
            let Some((kind, first)) = item.first else { continue };
            let first_text = first.slice(source);
            let first_line = first_text.lines().next().unwrap_or("");
            // Most list items do not ask: tell that from the line itself before building the
            // question's text (a line with markup or tabs gets the full check below).
            if kind == BlockKind::Paragraph && !first_line.contains(['<', '\t']) && !is_question_text(first_line) {
                continue;
            }
            let (question_text, is_heading) = match kind {
                BlockKind::Heading { .. } => (one_line(first_line.trim_start_matches('#')), true),
                BlockKind::Paragraph => (one_line(first_line), false),
                _ => continue,
            };
            let bold = first_line.trim_start().starts_with("**");
            if !(is_heading || is_question_text(&question_text)) || question_text.len() > 400 {
                continue;
            }
            let question = Span::new(first.start, first.start + first_line.len());
            let marker = Span::new(item.span.start, first.start);
            let answer_start = question.end;
            let answer = trim_span(source, Span::new(answer_start, item.span.end));
            let indent = first.start - source[..first.start].rfind('\n').map_or(0, |i| i + 1);
            found.push((
                Unit {
                    metadata: None,
                    whole: item.span,
                    heading: Span::new(item.span.start, question.end),
                    number: None,
                    question,
                    question_text,
                    answer: (!answer.is_empty()).then_some(answer),
                    answer_text: String::new(),
                    structure: vec![marker],
                },
                is_heading || bold || !answer.is_empty(),
                indent,
            ));
        }
        // A list is a list of questions when most of its items ask; only then are the answers'
        // texts built.
        let strong = found.iter().filter(|(_, s, _)| *s).count();
        if found.len() * 10 >= list_items.len() * 6 && (found.len() >= 3 || strong >= 1) {
            units.extend(found.into_iter().map(|(mut unit, _, indent)| {
                if let Some(answer) = unit.answer {
                    let raw = &source[source[..answer.start].rfind('\n').map_or(answer.start, |i| i + 1)..answer.end];
                    unit.answer_text = markdown_text(dedent(raw, indent).trim());
                }
                unit
            }));
        }
    }
    units
}

// ---------------------------------------------------------------------------------------------
// Question | answer tables

fn cells(row: &str) -> Vec<(usize, &str)> {
    let t = row.trim();
    let lead = row.len() - row.trim_start().len();
    let inner_start = usize::from(t.starts_with('|'));
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let offset = lead + inner_start;
    let mut cell_start = 0;
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i <= bytes.len() {
        if i == bytes.len() || (bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\')) {
            let cell = &inner[cell_start..i];
            let trimmed = cell.trim();
            let at = offset + cell_start + (cell.len() - cell.trim_start().len());
            out.push((at, trimmed));
            cell_start = i + 1;
        }
        i += 1;
    }
    out
}

fn tables(source: &str, blocks: &[Block]) -> Vec<Unit> {
    let mut units = Vec::new();
    for table in blocks.iter().filter(|b| b.kind == BlockKind::Table) {
        let text = table.span.slice(source);
        let rows: Vec<(usize, &str)> =
            lines(source, table.span.start).take_while(|(at, _)| *at < table.span.end).collect();
        let Some((_, header)) = rows.first() else { continue };
        let head = cells(header);
        let find = |words: &[&str]| {
            head.iter()
                .position(|(_, c)| label_word(c, words) || label_word(c, &["questions"]) && words == QUESTION_LABELS)
        };
        let (Some(qc), Some(ac)) = (find(QUESTION_LABELS), find(ANSWER_LABELS)) else { continue };
        if qc == ac || text.is_empty() {
            continue;
        }
        // Every row must read as a question and its answer, and the other cells may only number
        // them: a row that does not (a continuation line, a `Notes` column) would be lost by
        // `fmt`, so such a table stays as it is written.
        let numbering = |c: &str| c.chars().all(|ch| ch.is_ascii_digit() || matches!(ch, '.' | '#' | ')' | ' '));
        let readable = rows.iter().skip(2).all(|(_, row)| {
            let cs = cells(row);
            cs.get(qc).is_some_and(|(_, q)| !q.is_empty())
                && cs.get(ac).is_some()
                && cs.iter().enumerate().all(|(i, (_, c))| i == qc || i == ac || numbering(c))
        });
        if !readable {
            continue;
        }
        let mut first = true;
        for (at, row) in rows.iter().skip(2) {
            let cs = cells(row);
            let (Some(&(q_at, q)), Some(&(a_at, a))) = (cs.get(qc), cs.get(ac)) else { continue };
            let question = Span::new(at + q_at, at + q_at + q.len());
            let answer = Span::new(at + a_at, at + a_at + a.len());
            let row_span = Span::new(*at, at + row.len());
            units.push(Unit {
                metadata: None,
                whole: row_span,
                heading: row_span,
                number: None,
                question,
                question_text: one_line(q),
                answer: (!a.is_empty()).then_some(answer),
                answer_text: a.replace("<br>", "\n").replace("<br/>", "\n").replace("\\|", "|").trim().to_string(),
                // The header row and the other cells (a `#` column) are the table's structure.
                structure: {
                    let mut spans: Vec<Span> = cs
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != qc && *i != ac)
                        .map(|(_, (c_at, c))| Span::new(at + c_at, at + c_at + c.len()))
                        .collect();
                    if std::mem::take(&mut first) {
                        spans.push(Span::new(table.span.start, table.span.start + header.len()));
                    }
                    spans
                },
            });
        }
    }
    units
}
