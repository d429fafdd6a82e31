//! The lenient parser: any of the question-bank shapes we have met → [`Bank`] with byte spans.
//!
//! Parsing never fails. Text it cannot place becomes a [`ParseIssue`]; shapes that differ from
//! the canonical one are recorded as [`ShapeNote`]s with the canonical replacement, which the
//! validator turns into diagnostics with fixes.
//!
//! How it works: pulldown-cmark splits the text into top-level blocks (with offsets); the
//! question heading level is the level with the most numbered headings; headings above it are
//! sections, a short title-like paragraph set apart before a question is a bare section title,
//! and each question's blocks are split at bold labels (`**Answer:**`, `**Example (…):**`,
//! `**TL;DR:**`).

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::RandomState;

use crate::Span;
use crate::blocks::{Block, BlockCache, BlockKind, blocks};
use crate::model::{Bank, CodeBlock, Difficulty, Example, Question, Section};
use crate::shapes::{Shape, ShapeHint};
use crate::text::normalize_block;

/// The result of parsing one text. `bank` is always present; a text with no questions has an
/// empty bank and a [`IssueKind::NotABank`] issue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub bank: Bank,
    pub issues: Vec<ParseIssue>,
    pub shapes: Vec<ShapeNote>,
    /// The front matter block, `---` lines included.
    pub front_matter: Option<Span>,
    /// The `# ` title heading's text.
    pub title_span: Option<Span>,
    /// The question heading level found (1–6), if any question was found.
    pub question_level: Option<u8>,
    /// Spans of prose before the first section or question (the bank's intro).
    pub intro_span: Option<Span>,
    /// How the text was read: its shape, how sure, what was markup.
    pub reading: crate::shapes::Reading,
}

impl Parsed {
    pub fn is_bank(&self) -> bool {
        self.bank.question_count() > 0
    }
}

/// Something the parser could not place or understand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseIssue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
}

impl ParseIssue {
    fn moved(&self, from: usize, to: usize) -> ParseIssue {
        ParseIssue { span: self.span.moved(from, to), ..self.clone() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IssueKind {
    /// No numbered question headings at all.
    NotABank,
    /// Front matter opened with `---` but never closed.
    UnclosedFrontMatter,
    /// A front-matter line that is not `key: value`.
    BadFrontMatter,
    /// A metadata comment entry that is not `key: value`, or a bad value.
    BadMetadata,
    /// A heading number that does not fit in 32 bits.
    BadNumber,
}

/// A place where the text differs from the canonical shape, with the canonical text for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeNote {
    pub kind: ShapeKind,
    pub span: Span,
    /// The canonical text for `span`.
    pub replacement: String,
    pub message: String,
}

impl ShapeNote {
    fn moved(&self, from: usize, to: usize) -> ShapeNote {
        ShapeNote { span: self.span.moved(from, to), ..self.clone() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShapeKind {
    /// `**Approach:**`, `**Solution:**`… instead of `**Answer:**`.
    AnswerLabel,
    /// An answer that starts without any label.
    MissingAnswerLabel,
    /// A section title written as a bare paragraph.
    BareSectionTitle,
    /// A question or section heading at a non-canonical level.
    HeadingLevel,
    /// A heading wrapped in bold: `### **1. Question**`.
    BoldHeading,
    /// A `---` separator between questions.
    Separator,
    /// A whole bank in another shape (`<details>` Q&A, `Q:`/`A:` lines, a list, a table…).
    BankShape,
}

const QUESTION_LEVEL: u8 = 3;
const SECTION_LEVEL: u8 = 2;

/// Parse a question bank. Never fails, never panics.
pub fn parse(source: &str) -> Parsed {
    parse_inner(source, None, &ShapeHint::default())
}

/// [`parse`], with the shape or question heading level settled by configuration for files the
/// detector cannot settle on its own.
pub fn parse_hinted(source: &str, hint: &ShapeHint) -> Parsed {
    parse_inner(source, None, hint)
}

/// `text` with every `\r` that is not followed by `\n` replaced by `\n` (byte for byte, so
/// every offset stays), borrowed when there is none.
fn lone_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !text.contains('\r') || !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let replaced: Vec<u8> = (0..bytes.len()).map(|i| if lone(i) { b'\n' } else { bytes[i] }).collect();
    // One ASCII byte for another: still UTF-8.
    std::borrow::Cow::Owned(
        String::from_utf8(replaced).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// [`parse`], re-using from `cache` the blocks of unchanged segments (see [`crate::blocks`])
/// and the questions whose text has not changed: an editor re-parses only what an edit
/// touched. Gives exactly what [`parse`] gives.
pub fn parse_with(source: &str, cache: &mut ParseCache) -> Parsed {
    parse_inner(source, Some(cache), &ShapeHint::default())
}

/// What re-parsing an edited text can re-use: parsed segments and built questions (spans
/// relative to the question), each keyed by its text. Keeps what the last parse used.
#[derive(Debug, Default)]
pub struct ParseCache {
    blocks: BlockCache,
    questions: HashMap<u128, Arc<BuiltQuestion>, RandomState>,
    misses: usize,
}

impl ParseCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many segments the last parse ran pulldown-cmark on.
    pub fn last_segment_misses(&self) -> usize {
        self.blocks.last_misses()
    }

    /// How many questions the last parse built (the rest came from the cache).
    pub fn last_question_misses(&self) -> usize {
        self.misses
    }
}

/// A question as built from its text, with the notes building it gave, origin at its heading.
#[derive(Debug)]
struct BuiltQuestion {
    question: Question,
    shapes: Vec<ShapeNote>,
    issues: Vec<ParseIssue>,
}

fn parse_inner(source: &str, cache: Option<&mut ParseCache>, hint: &ShapeHint) -> Parsed {
    // pulldown-cmark takes a lone `\r` for a line ending in some places and not in others
    // (after `<!-->` it does not, so `<!-->\r~~~` hid no fence until `fmt` wrote the `\r` as
    // `\n`). The parser reads a copy in which every lone `\r` is `\n`: the same length, so
    // every span is the same in both, and the model does not depend on how pulldown-cmark took
    // one (`fmt` writes `\n` for it anyway).
    let view = lone_cr_as_lf(source);
    let source: &str = &view;
    let mut parsed = Parsed::default();
    let keep = cache.is_some();
    let mut scratch = ParseCache::default();
    let cache = cache.unwrap_or(&mut scratch);
    let body_start = front_matter(source, &mut parsed);
    let crate::blocks::Blocks { top: blocks, code: code_blocks, items } =
        blocks(source, body_start, &mut cache.blocks, keep);
    let heading_texts = heading_texts(source, &blocks);
    let mut levels = heading_levels(&blocks, &heading_texts, parsed.front_matter.is_some());
    if let Some(level) = hint.question_level {
        levels = Some(forced_level(&blocks, &heading_texts, level));
    }
    let canonical =
        parsed.front_matter.is_some() && levels.as_ref().is_some_and(|l| !l.unnumbered && l.level == QUESTION_LEVEL);
    let heading_questions = levels.as_ref().map_or(0, |l| l.questions);
    let wants_units = !matches!(hint.shape, Some(Shape::Headings | Shape::Canonical)) && hint.question_level.is_none();
    let found = if canonical || !wants_units {
        crate::shapes::units::Found { shape: Shape::NotABank, units: Vec::new(), also: Vec::new() }
    } else {
        let only = hint.shape.filter(|s| !matches!(s, Shape::SingleQuestion));
        crate::shapes::units::find(source, body_start, &blocks, &items, &code_blocks, only)
    };
    // `### Question` / `### Answer` labels say outright where questions are: numbered headings
    // under them are their answers' structure.
    let labelled = found.shape == Shape::LabelledHeadings && found.units.iter().all(|u| u.structure.len() > 1);
    let mut found = found;
    // A title that asks, in a file whose front matter or sections say it is one question.
    if found.units.is_empty()
        && heading_questions == 1
        && levels.as_ref().is_some_and(|l| l.level == 1)
        && hint.shape.is_none_or(|s| s == Shape::SingleQuestion)
    {
        found = crate::shapes::single::find(source, body_start, &blocks, &parsed);
    }
    let single = found.shape == Shape::SingleQuestion;
    // Numbered headings that hardly ask (`## 1. Real World Analogy`) lose to questions written
    // as such elsewhere in the file (`**Q:** How …?`).
    let units_asking = found.units.iter().filter(|u| crate::shapes::cues::is_question_text(&u.question_text)).count();
    let headings_weak = levels.as_ref().is_some_and(|l| l.asking * 4 < l.questions)
        && units_asking >= 2
        && units_asking * 2 >= found.units.len();
    // A `??? question` admonition says outright that it is a question: a tie goes to it.
    let explicit = found.shape == Shape::Admonitions && found.units.len() >= heading_questions;
    let units_win = !found.units.is_empty()
        && (found.units.len() > heading_questions
            || hint.shape.is_some()
            || labelled
            || single
            || headings_weak
            || explicit);
    if units_win || (heading_questions == 0 && hint.shape != Some(Shape::Headings)) {
        cache.questions.clear();
        cache.misses = 0;
        if heading_questions > 0 && !labelled && !single {
            found.also.push((Shape::Headings, heading_questions));
            if found.units.len() < heading_questions * 2 {
                parsed.reading.doubts.push(crate::shapes::Doubt {
                    span: Span::new(body_start, body_start),
                    message: format!(
                        "{} questions read as {} but {heading_questions} headings could be questions too",
                        found.units.len(),
                        found.shape.as_str()
                    ),
                });
            }
        }
        if found.units.is_empty() {
            found = crate::shapes::single::find(source, body_start, &blocks, &parsed);
        }
        if found.units.is_empty() {
            parsed.issues.push(ParseIssue {
                kind: IssueKind::NotABank,
                span: Span::new(body_start, source.len()),
                message: "no questions found (no question headings, `<details>` Q&A, `Q:`/`A:` lines, question \
                          lists or tables): this is not a question bank"
                    .into(),
            });
            return parsed;
        }
        crate::shapes::build::build(source, body_start, &blocks, &code_blocks, found, &mut parsed);
        return parsed;
    }
    let level = levels.as_ref().map(|l| l.level).expect("headings found");
    if !found.units.is_empty() {
        parsed.reading.also.push((found.shape, found.units.len()));
        if found.units.len() * 2 > heading_questions {
            parsed.reading.doubts.push(crate::shapes::Doubt {
                span: Span::new(body_start, body_start),
                message: format!(
                    "{heading_questions} question headings, but {} questions could be read as {} too",
                    found.units.len(),
                    found.shape.as_str()
                ),
            });
        }
    }
    parsed.question_level = Some(level);
    let mut builder = Builder {
        source,
        blocks: &blocks,
        heading_texts: &heading_texts,
        code_blocks: &code_blocks,
        level,
        unnumbered: levels.as_ref().is_some_and(|l| l.unnumbered),
        prefixed: levels.as_ref().is_some_and(|l| l.prefixed),
        last_number: 0,
        parsed: &mut parsed,
        old: &cache.questions,
        used: keep.then(HashMap::default),
        misses: 0,
    };
    builder.build();
    let (used, misses) = (builder.used.take(), builder.misses);
    let levels = levels.expect("a level was found");
    let reading = &mut parsed.reading;
    reading.shape = if canonical { crate::shapes::Shape::Canonical } else { crate::shapes::Shape::Headings };
    if let Some(message) = levels.doubt {
        reading.doubts.push(crate::shapes::Doubt { span: Span::new(body_start, body_start), message });
    }
    cache.questions = used.unwrap_or_default();
    cache.misses = misses;
    parsed
}

// ---------------------------------------------------------------------------------------------
// Front matter

fn front_matter(source: &str, parsed: &mut Parsed) -> usize {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[bom..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "---" {
        return bom;
    }
    let mut offset = bom + first_line_end;
    let mut entries = Vec::new();
    while offset < source.len() {
        let line_end = source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1);
        let line = source[offset..line_end].trim_end_matches(['\n', '\r']);
        if line.trim_end() == "---" || line.trim_end() == "..." {
            parsed.front_matter = Some(Span::new(bom, line_end));
            let mut seen = HashMap::new();
            for (span, line) in entries {
                apply_front_matter(parsed, span, line, &mut seen);
            }
            return line_end;
        }
        if line.trim_start().starts_with('#') {
            parsed.bank.front_matter_comments.push(line.trim().to_string());
        } else if !line.trim().is_empty() {
            entries.push((Span::new(offset, offset + line.len()), line));
        }
        offset = line_end;
    }
    parsed.bank.front_matter_comments.clear();
    parsed.issues.push(ParseIssue {
        kind: IssueKind::UnclosedFrontMatter,
        span: Span::new(bom, bom + 3),
        message: "front matter opened with `---` is never closed; add a `---` line after it".into(),
    });
    bom
}

fn apply_front_matter<'s>(parsed: &mut Parsed, span: Span, line: &'s str, seen: &mut HashMap<&'s str, String>) {
    let Some((key, value)) = line.split_once(':') else {
        parsed.issues.push(ParseIssue {
            kind: IssueKind::BadFrontMatter,
            span,
            message: format!("front-matter line `{}` is not `key: value`", line.trim()),
        });
        return;
    };
    let key = key.trim();
    let value = unquote(value.trim());
    // A key written twice: tags add up; of other values the last one is kept, said aloud (the
    // same value too: `fmt` writes the key once).
    if let Some(earlier) = seen.insert(key, value.clone())
        && key != "tags"
    {
        parsed.issues.push(ParseIssue {
            kind: IssueKind::BadFrontMatter,
            span,
            message: if earlier == value {
                format!("front-matter key `{key}` is written twice with the same value; it is kept once")
            } else {
                format!(
                    "front-matter key `{key}` is written twice; only the last value is kept (`{earlier}` is dropped)"
                )
            },
        });
    }
    let bank = &mut parsed.bank;
    match key {
        "id" => bank.id = value,
        "title" => {
            // Written as the `# ` heading: the key itself is structure.
            bank.title = value;
            let key_start = span.start + (line.len() - line.trim_start().len());
            parsed.reading.structure.push(Span::new(key_start, key_start + key.len()));
        }
        "source" => bank.source = Some(value),
        "tags" => bank.tags.extend(parse_list(&value)),
        _ => {
            bank.extra.insert(key.to_string(), value);
        }
    }
}

/// Strip matching double or single quotes, undoing `\"` and `\\` inside double quotes.
pub(crate) fn unquote(value: &str) -> String {
    let bytes = value.as_bytes();
    if value.len() >= 2 && bytes[0] == b'"' && bytes[value.len() - 1] == b'"' {
        let inner = &value[1..value.len() - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    if value.len() >= 2 && bytes[0] == b'\'' && bytes[value.len() - 1] == b'\'' {
        return value[1..value.len() - 1].replace("''", "'");
    }
    value.to_string()
}

/// `[a, b]` or `a, b` → `["a", "b"]`.
pub(crate) fn parse_list(value: &str) -> Vec<String> {
    let inner = value.trim().trim_start_matches('[').trim_end_matches(']');
    inner.split(',').map(|t| unquote(t.trim())).filter(|t| !t.is_empty()).collect()
}

// ---------------------------------------------------------------------------------------------
// Headings

#[derive(Clone, Copy, Debug)]
struct HeadingText {
    /// The heading's inline text, bold wrapper and closing hashes removed.
    text: Span,
    /// The number and the question text, when numbered (decorations such as `Q12.`, `🔹 1.` or
    /// `Question 3:` before the number are allowed).
    numbered: Option<(Span, Span)>,
    bold: bool,
    /// The question text after any decoration and number (emphasis wrappers removed).
    question: Span,
    /// Markup before the question text that is not the number: `Q.`, `🔹`, `Question 3:`.
    decoration: Option<Span>,
    /// Written as a question: a `Q`/`Question` prefix, or question-like text.
    asks: bool,
    /// Written with a `Q`/`Question` prefix (`Q12.`, `Question 3:`).
    q_prefix: bool,
    /// Asks, but names a part of an answer (`What's next`, `Example: …`): not a question.
    asks_structure: bool,
}

fn heading_text(source: &str, block: &Block) -> HeadingText {
    let raw = block.span.slice(source);
    let first_line = &raw[..raw.find(['\n', '\r']).unwrap_or(raw.len())];
    let mut start = block.span.start;
    let mut end = block.span.start + first_line.len();
    if is_atx_line(first_line) {
        let lead = first_line.len() - first_line.trim_start().len();
        let hashes = first_line[lead..].bytes().take_while(|&b| b == b'#').count();
        start += lead + hashes;
        // Closing sequence: whitespace then hashes at the end.
        let line = &source[start..end];
        let trimmed = line.trim_end();
        let without_hashes = trimmed.trim_end_matches('#');
        if without_hashes.len() < trimmed.len() && (without_hashes.is_empty() || without_hashes.ends_with([' ', '\t']))
        {
            end = start + without_hashes.len();
        }
    } else {
        // Setext: the text is every line but the underline (a line may end in a lone `\r`).
        let underline = raw.rfind(['\n', '\r']).unwrap_or(raw.len());
        end = block.span.start + underline;
    }
    let mut text = trim_both(source, Span::new(start, end.max(start)));
    let mut bold = false;
    let inner = text.slice(source);
    if inner.len() > 4 && inner.starts_with("**") && inner.ends_with("**") && !inner[2..inner.len() - 2].contains("**")
    {
        text = trim_both(source, Span::new(text.start + 2, text.end - 2));
        bold = true;
    }
    let mut numbered = number_prefix(source, text);
    let mut decoration = None;
    let mut q_prefix = false;
    if numbered.is_none()
        && let Some(found) = decorated(source, text)
    {
        decoration = Some(found.decoration);
        q_prefix = found.q_prefix;
        numbered = found.numbered;
        if numbered.is_none() && !q_prefix && !crate::shapes::cues::is_question_text(found.rest.slice(source)) {
            // A symbol before plain text (`🔹 Setup`) is not a question's decoration.
            decoration = None;
        }
    }
    let question = match (numbered, decoration) {
        (Some((_, q)), _) => q,
        (None, Some(d)) => trim_both(source, Span::new(d.end, text.end)),
        (None, None) => text,
    };
    let question = if decoration.is_some() { unwrap_emphasis(source, question) } else { question };
    let asks = q_prefix || crate::shapes::cues::is_question_text(question.slice(source));
    if let Some((number, _)) = numbered {
        numbered = Some((number, question));
    }
    let asks_structure = asks && crate::shapes::cues::is_structure_text(question.slice(source));
    HeadingText { text, numbered, bold, question, decoration, asks, q_prefix, asks_structure }
}

/// `***What is X?***` → `What is X?`: emphasis wrapping the whole question text.
fn unwrap_emphasis(source: &str, span: Span) -> Span {
    let mut span = span;
    loop {
        let s = span.slice(source);
        let n = s.bytes().take_while(|&b| b == b'*' || b == b'_').count().min(3);
        if n == 0 || s.len() <= 2 * n || s.as_bytes()[s.len() - n..].iter().any(|&b| b != s.as_bytes()[0]) {
            return span;
        }
        let inner = &s[n..s.len() - n];
        if inner.contains(&s[..n]) || inner.starts_with(' ') || inner.ends_with(' ') {
            return span;
        }
        span = Span::new(span.start + n, span.end - n);
    }
}

struct Decorated {
    /// Everything before the question text that is not the number.
    decoration: Span,
    numbered: Option<(Span, Span)>,
    q_prefix: bool,
    rest: Span,
}

/// A heading text that starts with decoration: symbols or emoji (`🔹 1. …`, `✅ …`), a question
/// prefix (`Q.`, `Q:`, `Q12.`, `Question 3:`, `QNN.`), or both.
fn decorated(source: &str, text: Span) -> Option<Decorated> {
    let s = text.slice(source);
    let symbols = s
        .char_indices()
        .find(|&(_, c)| c.is_alphanumeric() || matches!(c, '`' | '[' | '(' | '<' | '"' | '\'' | '*' | '_' | '\\'))
        .map_or(s.len(), |(i, _)| i);
    let mut at = symbols;
    let rest = &s[at..];
    let mut q_prefix = false;
    let lower = rest.to_lowercase();
    for word in ["question", "вопрос", "问题", "题目", "frage", "pregunta", "q"] {
        if !lower.starts_with(word) || rest.len() < word.len() {
            continue;
        }
        let after = &rest[word.len()..];
        let after_trim = after.trim_start();
        let digits = after_trim.bytes().take_while(u8::is_ascii_digit).count();
        let sep = after_trim[digits..].chars().next();
        let separated = matches!(sep, Some('.' | ':' | ')' | '：' | '、' | '-' | '–' | '—'));
        if (digits > 0 && (separated || after_trim[digits..].starts_with(' ')))
            || (digits == 0 && separated && after_trim.len() > 1)
        {
            q_prefix = true;
            at += word.len() + (after.len() - after_trim.len());
            if digits > 0 {
                let number = Span::new(text.start + at, text.start + at + digits);
                at += digits;
                let rest_after = &s[at..];
                let skip =
                    rest_after.chars().next().filter(|c| matches!(c, '.' | ':' | ')' | '：' | '、' | '-' | '–' | '—'));
                at += skip.map_or(0, char::len_utf8);
                let question = trim_both(source, Span::new(text.start + at, text.end));
                return Some(Decorated {
                    decoration: Span::new(text.start, number.start),
                    numbered: Some((number, question)),
                    q_prefix,
                    rest: question,
                });
            }
            at += sep.map_or(0, char::len_utf8);
            let question = trim_both(source, Span::new(text.start + at, text.end));
            return Some(Decorated {
                decoration: Span::new(text.start, question.start),
                numbered: None,
                q_prefix,
                rest: question,
            });
        }
    }
    if symbols == 0 {
        return None;
    }
    let after = trim_both(source, Span::new(text.start + symbols, text.end));
    let numbered = number_prefix(source, after);
    Some(Decorated { decoration: Span::new(text.start, after.start), numbered, q_prefix, rest: after })
}

/// An ATX heading line: up to three spaces, one to six `#`, then a space, a tab or the end. A
/// setext heading's first line can start with `#` too (`#1 Priority`).
fn is_atx_line(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    line.len() - rest.len() <= 3
        && (1..=6).contains(&hashes)
        && matches!(rest.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

/// A heading's text as one line: the lines of a setext heading joined by a space, which is
/// how they render, so `fmt` can write it as one `## ` line.
fn heading_string(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_string();
    }
    text.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

pub(crate) fn trim_both(source: &str, span: Span) -> Span {
    let slice = span.slice(source);
    let start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.start + slice.trim_end().len();
    Span::new(start.min(end), end)
}

/// `12. Question` / `12) Question` → (number span, question span).
fn number_prefix(source: &str, text: Span) -> Option<(Span, Span)> {
    let s = text.slice(source);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let after = &s[digits..];
    let separated = after.starts_with(". ")
        || after.starts_with(") ")
        || after.starts_with(".\t")
        || after.starts_with('、')
        || after.starts_with('．');
    // `### 7.` alone is an empty question (the validator flags it), not prose.
    let bare = after == "." || after == ")";
    if !separated && !bare {
        return None;
    }
    let number = Span::new(text.start, text.start + digits);
    let sep = after.chars().next().map_or(1, char::len_utf8);
    let question = trim_both(source, Span::new((text.start + digits + sep).min(text.end), text.end));
    Some((number, question))
}

/// How the headings of a file read: which level holds the questions, whether unnumbered
/// headings that ask count as questions there, and how sure that is.
#[derive(Clone, Debug)]
pub(crate) struct HeadingLevels {
    pub level: u8,
    /// Unnumbered headings that ask (`## What is a pod?`, `## Q. …`) are questions too.
    pub unnumbered: bool,
    /// Questions this reading finds.
    pub questions: usize,
    /// How many of them ask (a question mark, an interrogative opening, a `Q` prefix).
    pub asking: usize,
    /// The questions are written with a `Q` prefix (`### Q5. …`): a numbered heading at their
    /// level without one that does not ask (`### 5. Real-World Scenarios`) is a section.
    pub prefixed: bool,
    /// Why the reading is unsure, if it is.
    pub doubt: Option<String>,
}

/// The reading when configuration names the question heading level.
fn forced_level(blocks: &[Block], texts: &[Option<HeadingText>], level: u8) -> HeadingLevels {
    let questions = blocks
        .iter()
        .zip(texts)
        .filter(|(b, _)| b.kind == BlockKind::Heading { level })
        .filter_map(|(_, h)| h.as_ref())
        .filter(|h| h.numbered.is_some() || h.asks)
        .count();
    HeadingLevels { level, unnumbered: true, questions, asking: questions, prefixed: false, doubt: None }
}

/// Each block's heading text when it is a heading, read once for the whole parse.
fn heading_texts(source: &str, blocks: &[Block]) -> Vec<Option<HeadingText>> {
    blocks.iter().map(|b| matches!(b.kind, BlockKind::Heading { .. }).then(|| heading_text(source, b))).collect()
}

fn heading_levels(blocks: &[Block], texts: &[Option<HeadingText>], canonical: bool) -> Option<HeadingLevels> {
    let mut numbered = [0usize; 7];
    let mut numbered_asking = [0usize; 7];
    let mut asking = [0usize; 7];
    let mut headings = [0usize; 7];
    // Numbered headings with a `Q` prefix, and numbered ones without that do not ask.
    let mut prefixed = [0usize; 7];
    let mut plain = [0usize; 7];
    for (block, h) in blocks.iter().zip(texts) {
        if let (BlockKind::Heading { level }, Some(h)) = (block.kind, h) {
            let l = level as usize;
            headings[l] += 1;
            if h.numbered.is_some() {
                numbered[l] += 1;
                numbered_asking[l] += usize::from(h.asks);
                prefixed[l] += usize::from(h.q_prefix);
                plain[l] += usize::from(!h.q_prefix && !h.asks);
            }
            if h.asks && !h.asks_structure {
                asking[l] += 1;
            }
        }
    }
    if canonical && numbered[QUESTION_LEVEL as usize] > 0 {
        let questions = numbered[QUESTION_LEVEL as usize];
        return Some(HeadingLevels {
            level: QUESTION_LEVEL,
            unnumbered: false,
            questions,
            asking: questions,
            prefixed: false,
            doubt: None,
        });
    }
    // The old rule: most numbered headings wins; ties go to the deeper level (sections are fewer).
    let by_number = (1..=6u8).filter(|&l| numbered[l as usize] > 0).max_by_key(|&l| (numbered[l as usize], l));
    let by_asking = (1..=6u8).filter(|&l| asking[l as usize] > 0).max_by_key(|&l| (asking[l as usize], l));
    let count = |l: u8, unnumbered: bool| {
        let l = l as usize;
        if unnumbered { numbered[l] + asking[l] - numbered_asking[l].min(asking[l]) } else { numbered[l] }
    };
    let pick = |level: u8, unnumbered: bool, doubt: Option<String>| {
        let l = level as usize;
        let asking = if unnumbered { asking[l].max(numbered_asking[l]) } else { numbered_asking[l] };
        let prefixed = plain[l] > 0 && prefixed[l] >= 3 && prefixed[l] * 4 >= numbered[l] * 3;
        let questions = count(level, unnumbered) - if prefixed { plain[l] } else { 0 };
        Some(HeadingLevels { level, unnumbered, questions, asking, prefixed, doubt })
    };
    match (by_number, by_asking) {
        (None, None) => None,
        (Some(n), None) => pick(n, false, None),
        // One heading that asks among others at its level that do not (a README's `## How to
        // contribute?`) is prose, not a bank.
        (None, Some(a)) if asking[a as usize] == 1 && headings[a as usize] >= 3 => None,
        (None, Some(a)) => pick(a, true, None),
        (Some(n), Some(a)) if n == a => pick(n, true, None),
        (Some(n), Some(a)) => {
            let (n_count, a_count) = (numbered[n as usize], asking[a as usize]);
            let n_asks = numbered_asking[n as usize];
            if a < n && n_asks * 2 < n_count {
                // Numbered headings that do not ask, under headings that do: steps of answers.
                let doubt = (n_asks > 0 || a_count * 2 < n_count / 2).then(|| {
                    format!(
                        "{n_count} numbered level-{n} headings read as answer structure under {a_count} level-{a} question headings"
                    )
                });
                pick(a, true, doubt)
            } else if a > n && (a_count > n_count || (n_asks * 4 < n_count && a_count >= 3)) {
                // Numbered headings above more questions, or above questions while they
                // themselves mostly do not ask (`# 3. Problems Solved by VCS` … `### Q1. …?`):
                // numbered sections.
                let doubt = (a_count * 3 < n_count).then(|| {
                    format!(
                        "{n_count} numbered level-{n} headings read as sections over {a_count} level-{a} headings that ask"
                    )
                });
                pick(a, true, doubt)
            } else {
                let doubt = (a_count >= 2 && asking[n as usize] * 2 < a_count).then(|| {
                    format!(
                        "questions could be the {n_count} numbered level-{n} headings or the {a_count} level-{a} headings that ask"
                    )
                });
                pick(n, numbered_asking[n as usize] * 2 >= n_count, doubt)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Labels

#[derive(Clone, Debug, PartialEq, Eq)]
enum LabelKind {
    Answer { canonical: bool },
    Example { title: Option<String> },
    Tldr,
}

struct Label {
    kind: LabelKind,
    /// The label itself: `**Answer:**`.
    span: Span,
    /// Where the text after the label starts, inside the paragraph.
    rest: Span,
}

/// A paragraph that opens with an `Answer:` or `TL;DR:` label written without bold: the same
/// label as its bold form (`fmt` writes it bold; the answer one is reported as not canonical).
fn plain_label(source: &str, paragraph: Span) -> Option<Label> {
    let text = paragraph.slice(source);
    let colon = text.find(':').filter(|&c| c <= 8)?;
    let name = &text[..colon];
    let kind = if name == "Answer" || name == "ANSWER" {
        LabelKind::Answer { canonical: false }
    } else if ["tl;dr", "tldr"].iter().any(|w| w.eq_ignore_ascii_case(name)) {
        LabelKind::Tldr
    } else {
        return None;
    };
    Some(label_of(source, paragraph, colon + 1, kind))
}

/// A paragraph that opens with a bold label ending in a colon (or a plain `Answer:` /
/// `TL;DR:`, [`plain_label`]).
fn label(source: &str, paragraph: Span) -> Option<Label> {
    let text = paragraph.slice(source);
    if !text.starts_with(['*', '_']) {
        return plain_label(source, paragraph);
    }
    let inner_start = text.strip_prefix("**").map(|_| 2).or_else(|| text.strip_prefix("__").map(|_| 2))?;
    let marker = &text[..2];
    let close = text[inner_start..].find(marker)? + inner_start;
    let inner = text[inner_start..close].trim();
    let mut label_end = close + 2;
    let colon_inside = inner.ends_with(':');
    if !colon_inside {
        if text[label_end..].starts_with(':') {
            label_end += 1;
        } else {
            return None;
        }
    }
    let name = inner.trim_end_matches(':').trim();
    let lower = name.to_ascii_lowercase();
    let kind = if lower == "answer" {
        LabelKind::Answer { canonical: true }
    } else if matches!(
        lower.as_str(),
        "approach" | "solution" | "explanation" | "response" | "short answer" | "sample answer" | "model answer"
    ) {
        LabelKind::Answer { canonical: false }
    } else if matches!(lower.as_str(), "tl;dr" | "tldr" | "tl;dr;" | "tl; dr") {
        LabelKind::Tldr
    } else if lower == "example" || lower == "examples" {
        LabelKind::Example { title: None }
    } else if (lower.starts_with("example (") || lower.starts_with("example(")) && name.ends_with(')') {
        let open = name.find('(')?;
        let title = name[open + 1..name.len() - 1].trim();
        LabelKind::Example { title: (!title.is_empty()).then(|| title.to_string()) }
    } else {
        return None;
    };
    Some(label_of(source, paragraph, label_end, kind))
}

/// Whether `text` opens with an answer, example or TL;DR label, as a paragraph would.
pub(crate) fn opens_with_label(text: &str) -> bool {
    label(text, Span::new(0, text.len())).is_some()
}

/// The label of `kind` that takes the first `label_end` bytes of `paragraph`, and its text.
fn label_of(source: &str, paragraph: Span, label_end: usize, kind: LabelKind) -> Label {
    let span = Span::new(paragraph.start, paragraph.start + label_end);
    // Only spaces, tabs and line breaks separate the label from its text: other whitespace (a
    // vertical tab, a no-break space) is text to Markdown, and dropping it could turn what
    // follows into a block of its own (`\u{b}```` ` is a paragraph, ```` ``` ```` a fence).
    let after = Span::new(span.end, paragraph.end);
    let separator = after.len() - after.slice(source).trim_start_matches([' ', '\t', '\n', '\r']).len();
    let rest = trim_both(source, after);
    let rest = Span::new((span.end + separator).min(rest.end), rest.end);
    Label { kind, span, rest }
}

// ---------------------------------------------------------------------------------------------
// Building the bank

struct Builder<'a> {
    source: &'a str,
    blocks: &'a [Block],
    /// [`heading_text`] of each heading block, by block index.
    heading_texts: &'a [Option<HeadingText>],
    code_blocks: &'a [CodeBlock],
    level: u8,
    /// Unnumbered headings that ask are questions too.
    unnumbered: bool,
    /// Questions carry a `Q` prefix: numbered headings without one that do not ask are sections.
    prefixed: bool,
    /// The number of the last question built, for questions written without one.
    last_number: u32,
    parsed: &'a mut Parsed,
    /// Questions built by an earlier parse, by text ([`ParseCache`]).
    old: &'a HashMap<u128, Arc<BuiltQuestion>, RandomState>,
    /// The questions this parse built or re-used, when the caller keeps a cache.
    used: Option<HashMap<u128, Arc<BuiltQuestion>, RandomState>>,
    misses: usize,
}

/// What a top-level block starts, if anything.
enum Boundary {
    Title(Span),
    Section { title: Span, heading: Option<Span>, level: u8, bold: bool },
    Question(QuestionHeading),
}

/// A question's heading line as found: its parts and how it is written.
#[derive(Clone, Copy, Debug)]
struct QuestionHeading {
    /// The number inside the heading.
    number: Span,
    /// The question text inside the heading.
    question: Span,
    /// The whole heading line.
    heading: Span,
    level: u8,
    /// Wrapped in `**…**`.
    bold: bool,
    /// Markup before the question that is not its number (`Q.`, `🔹`).
    decoration: Option<Span>,
}

impl Builder<'_> {
    fn build(&mut self) {
        let mut boundaries: Vec<(usize, Boundary)> = Vec::new();
        let mut seen_content = false;
        for (i, block) in self.blocks.iter().enumerate() {
            let boundary = self.boundary(i, block, seen_content, boundaries.is_empty());
            if let Some(b) = boundary {
                if !matches!(b, Boundary::Title(_)) {
                    seen_content = true;
                }
                boundaries.push((i, b));
            } else if let BlockKind::Heading { .. } = block.kind
                && self.level < QUESTION_LEVEL
                && let replacement = self.relevelled_heading(block)
                && replacement != block.span.slice(self.source)
            {
                // A heading in prose moves with the questions (see `prose_text`).
                let to = replacement.bytes().take_while(|&b| b == b'#').count();
                self.parsed.shapes.push(ShapeNote {
                    kind: ShapeKind::HeadingLevel,
                    span: block.span,
                    replacement,
                    message: format!(
                        "this heading in prose goes to level {to} as the questions go to level                          {QUESTION_LEVEL}, or it would read as a question or section"
                    ),
                });
            }
        }
        let mut sections: Vec<Section> = Vec::new();
        let mut intro_blocks: (usize, usize) = (0, 0);
        let first = boundaries.first().map_or(self.blocks.len(), |(i, _)| *i);
        intro_blocks.1 = first;
        for (n, (index, boundary)) in boundaries.iter().enumerate() {
            let next = boundaries.get(n + 1).map_or(self.blocks.len(), |(i, _)| *i);
            let body = &self.blocks[index + 1..next];
            match boundary {
                Boundary::Title(span) => {
                    let heading = heading_string(span.slice(self.source));
                    let earlier = std::mem::replace(&mut self.parsed.bank.title, heading);
                    if !earlier.is_empty() && earlier != self.parsed.bank.title {
                        // The front matter's `title` differs from the `# ` heading: the heading
                        // is the title, and the front matter keeps its own (`fmt` writes both).
                        self.parsed.bank.extra.entry("title".to_string()).or_insert(earlier);
                    }
                    self.parsed.title_span = Some(*span);
                    intro_blocks = (index + 1, next);
                }
                Boundary::Section { title, heading, level, bold } => {
                    let mut section = Section {
                        title: Some(heading_string(title.slice(self.source))),
                        title_span: Some(*title),
                        span: Span::new(heading.unwrap_or(*title).start, self.end_of(next)),
                        ..Section::default()
                    };
                    section.intro = self.prose(body);
                    self.note_section_shape(*title, *heading, *level, *bold);
                    sections.push(section);
                }
                Boundary::Question(heading) => {
                    if sections.is_empty() {
                        let start = heading.heading.start;
                        sections.push(Section { span: Span::new(start, start), ..Section::default() });
                    }
                    if let Some(decoration) = heading.decoration {
                        // With the number: `Q2` is one word, written `2.` canonically.
                        let span =
                            if heading.number.is_empty() { decoration } else { decoration.cover(heading.number) };
                        self.parsed.reading.structure.push(span);
                    }
                    let q = self.question_cached(*heading, body, next);
                    self.last_number = q.number;
                    let section = sections.last_mut().expect("pushed above");
                    section.span = section.span.cover(q.spans.whole);
                    section.questions.push(q);
                }
            }
        }
        // Prose before the title joins the intro (after the title, where `fmt` writes it).
        let preamble = match boundaries.first() {
            Some((title, Boundary::Title(_))) => &self.blocks[..*title],
            _ => &[],
        };
        let (from, to) = intro_blocks;
        let after = &self.blocks[from..to.max(from)];
        let intro = [self.prose(preamble), self.prose(after)].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>();
        if !intro.is_empty() {
            self.parsed.bank.intro = intro.join("\n\n");
            let blocks = preamble.iter().chain(after).filter(|b| b.kind != BlockKind::ThematicBreak);
            let (first, last) = (blocks.clone().next(), blocks.clone().next_back());
            if let (Some(first), Some(last)) = (first, last) {
                self.parsed.intro_span = Some(Span::new(first.span.start, last.span.end));
            }
        }
        self.parsed.bank.sections = sections;
    }

    fn end_of(&self, next_block: usize) -> usize {
        if next_block == 0 {
            return 0;
        }
        self.blocks[next_block - 1].span.end
    }

    fn boundary(&self, i: usize, block: &Block, seen_content: bool, first: bool) -> Option<Boundary> {
        match block.kind {
            BlockKind::Heading { level } => {
                let heading = self.heading_texts[i].expect("every heading block's text is read once");
                if level == self.level
                    && self.prefixed
                    && heading.numbered.is_some()
                    && !heading.q_prefix
                    && !heading.asks
                {
                    return Some(Boundary::Section {
                        title: heading.text,
                        heading: Some(block.span),
                        level,
                        bold: heading.bold,
                    });
                }
                if level == self.level
                    && let Some((number, question)) = heading.numbered
                    && !(self.unnumbered
                        && !heading.asks
                        && crate::shapes::cues::is_structure_text(question.slice(self.source)))
                {
                    return Some(Boundary::Question(QuestionHeading {
                        number,
                        question,
                        heading: block.span,
                        level,
                        bold: heading.bold,
                        decoration: heading.decoration,
                    }));
                }
                if level == self.level && self.unnumbered && heading.asks && !heading.asks_structure {
                    return Some(Boundary::Question(QuestionHeading {
                        number: Span::empty(heading.question.start),
                        question: heading.question,
                        heading: block.span,
                        level,
                        bold: heading.bold,
                        decoration: heading.decoration,
                    }));
                }
                if level < self.level {
                    if level == 1 && !seen_content && first {
                        return Some(Boundary::Title(heading.text));
                    }
                    return Some(Boundary::Section {
                        title: heading.text,
                        heading: Some(block.span),
                        level,
                        bold: heading.bold,
                    });
                }
                None
            }
            BlockKind::Paragraph if self.is_bare_section_title(i, block) => {
                Some(Boundary::Section { title: block.span, heading: None, level: 0, bold: false })
            }
            _ => None,
        }
    }

    /// A short, title-cased, single-line paragraph, set apart by blank lines (or first in the
    /// file) and directly followed by a question heading.
    fn is_bare_section_title(&self, i: usize, block: &Block) -> bool {
        let text = block.span.slice(self.source);
        if text.contains('\n') || text.len() > 100 || text.ends_with(['.', ':', ';', ',', '?', '!']) {
            return false;
        }
        if !text.starts_with(|c: char| c.is_uppercase()) || text.starts_with(['*', '_', '`', '[', '<', '|', '!']) {
            return false;
        }
        let long_words: Vec<&str> =
            text.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4).collect();
        let capitalised = long_words.iter().filter(|w| w.starts_with(|c: char| c.is_uppercase())).count();
        if long_words.is_empty() || capitalised * 10 < long_words.len() * 6 {
            return false;
        }
        let Some(next) = self.blocks.get(i + 1) else { return false };
        let BlockKind::Heading { level } = next.kind else { return false };
        if level != self.level || self.heading_texts[i + 1].is_none_or(|h| h.numbered.is_none()) {
            return false;
        }
        // Set apart: first in the file (after nothing `fmt` drops: `---` separators at the front
        // of an intro, an empty title heading), or after at least two blank lines.
        let dropped = |b: &Block| {
            b.kind == BlockKind::ThematicBreak
                || (matches!(b.kind, BlockKind::Heading { .. }) && heading_text(self.source, b).text.is_empty())
        };
        if self.blocks[..i].iter().all(dropped) {
            true
        } else {
            let between = &self.source[self.blocks[i - 1].span.end..block.span.start];
            between.matches('\n').count() >= 3
        }
    }

    fn note_section_shape(&mut self, title: Span, heading: Option<Span>, level: u8, bold: bool) {
        let title_text = heading_string(title.slice(self.source));
        let canonical = format!("{} {}", "#".repeat(SECTION_LEVEL as usize), title_text);
        match heading {
            None => self.parsed.shapes.push(ShapeNote {
                kind: ShapeKind::BareSectionTitle,
                span: title,
                replacement: canonical,
                message: format!("section title `{title_text}` is a bare line; write it as a `## ` heading"),
            }),
            Some(heading) if level != SECTION_LEVEL || bold => self.parsed.shapes.push(ShapeNote {
                kind: if bold { ShapeKind::BoldHeading } else { ShapeKind::HeadingLevel },
                span: heading,
                replacement: canonical,
                message: format!("section headings are level {SECTION_LEVEL} (`## `), not level {level}"),
            }),
            Some(_) => {}
        }
    }

    /// [`Builder::question`], or its earlier result for the same text. What a question is made
    /// of lies between its heading and its last body block (and depends on the heading level
    /// the bank uses): that text keys the cache, with the blocks it was read as. The same
    /// text can be read as other blocks when what follows it changes (`---` is a separator,
    /// `---` followed by a no-break space a paragraph), so the block structure is in the key.
    fn question_cached(&mut self, found: QuestionHeading, body: &[Block], next: usize) -> Question {
        if self.used.is_none() && self.old.is_empty() {
            // Nothing to reuse and nothing kept (a one-off parse): no key to compute.
            self.misses += 1;
            return self.question(found, body, next);
        }
        let QuestionHeading { heading, level, .. } = found;
        let end = body.last().map_or(heading.end, |b| b.span.end).max(heading.end);
        // An unnumbered question's number comes from the one before it.
        let assigned = if found.number.is_empty() { self.last_number.saturating_add(1) } else { 0 };
        let key = self.question_key(heading, level, body, end) ^ u128::from(assigned);
        let cached = self.used.as_ref().and_then(|u| u.get(&key)).or_else(|| self.old.get(&key)).cloned();
        let built = match cached {
            Some(built) => built,
            None => {
                self.misses += 1;
                let (shapes, issues) = (self.parsed.shapes.len(), self.parsed.issues.len());
                let q = self.question(found, body, next);
                if self.used.is_none() {
                    return q; // nothing is kept: skip the copy
                }
                let built = BuiltQuestion {
                    shapes: self.parsed.shapes.drain(shapes..).map(|n| n.moved(heading.start, 0)).collect(),
                    issues: self.parsed.issues.drain(issues..).map(|i| i.moved(heading.start, 0)).collect(),
                    question: Question { spans: q.spans.moved(heading.start, 0), ..q },
                };
                Arc::new(built)
            }
        };
        self.parsed.shapes.extend(built.shapes.iter().map(|n| n.moved(0, heading.start)));
        self.parsed.issues.extend(built.issues.iter().map(|i| i.moved(0, heading.start)));
        let question = Question { spans: built.question.spans.moved(0, heading.start), ..built.question.clone() };
        if let Some(used) = &mut self.used {
            used.insert(key, built);
        }
        question
    }

    /// The cache key of a question: its text, the heading levels, and the kinds and places
    /// of its blocks and code blocks (relative to the heading).
    fn question_key(&self, heading: Span, level: u8, body: &[Block], end: usize) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::with_seed(u64::from(self.level) << 8 | u64::from(level));
        hasher.update(&self.source.as_bytes()[heading.start..end]);
        let relative = |at: usize| ((at - heading.start) as u64).to_le_bytes();
        for block in body {
            let kind: u8 = match block.kind {
                BlockKind::Heading { level } => level,
                BlockKind::Paragraph => 10,
                BlockKind::ThematicBreak => 11,
                BlockKind::Html => 12,
                BlockKind::Other => 13,
                BlockKind::List => 14,
                BlockKind::Table => 15,
            };
            hasher.update(&[kind]);
            hasher.update(&relative(block.span.start));
            hasher.update(&relative(block.span.end));
        }
        let first = self.code_blocks.partition_point(|c| c.span.start < heading.start);
        for code in self.code_blocks[first..].iter().take_while(|c| c.span.start < end) {
            hasher.update(&[u8::from(code.fenced) | u8::from(code.closed) << 1]);
            hasher.update(&relative(code.span.start));
            hasher.update(&relative(code.span.end.min(end)));
            hasher.update(&relative(code.content.start));
            hasher.update(&relative(code.content.end.min(end)));
        }
        hasher.digest128()
    }

    fn question(&mut self, found: QuestionHeading, body: &[Block], next: usize) -> Question {
        let QuestionHeading { number: number_span, question: question_span, heading, level, bold, decoration } = found;
        let source = self.source;
        let number = if number_span.is_empty() {
            self.last_number.saturating_add(1)
        } else {
            match number_span.slice(source).parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    self.parsed.issues.push(ParseIssue {
                        kind: IssueKind::BadNumber,
                        span: number_span,
                        message: format!("question number `{}` is too large", number_span.slice(source)),
                    });
                    0
                }
            }
        };
        let question_text = heading_string(question_span.slice(source));
        if level != QUESTION_LEVEL || bold || number_span.is_empty() || decoration.is_some() {
            self.parsed.shapes.push(ShapeNote {
                kind: if bold { ShapeKind::BoldHeading } else { ShapeKind::HeadingLevel },
                span: heading,
                replacement: format!("{} {}. {}", "#".repeat(QUESTION_LEVEL as usize), number, question_text)
                    .trim_end()
                    .to_string(),
                message: if bold {
                    "question headings are not wrapped in bold".into()
                } else if number_span.is_empty() {
                    "question headings are numbered `### N. …` in the canonical shape".into()
                } else if decoration.is_some() {
                    "question headings are `### N. …` in the canonical shape, without a prefix".into()
                } else {
                    format!("question headings are level {QUESTION_LEVEL} (`### `), not level {level}")
                },
            });
        }
        let mut q = Question { number, question: question_text, ..Question::default() };
        q.spans.heading = heading;
        q.spans.question = question_span;
        q.spans.number = number_span;
        let mut body = body;
        if let Some(first) = body.first()
            && first.kind == BlockKind::Html
            && is_metadata_comment(first.span.slice(source))
        {
            self.metadata(&mut q, first.span);
            body = &body[1..];
        }
        // Trailing separators belong to no one.
        while let Some(last) = body.last() {
            if last.kind != BlockKind::ThematicBreak {
                break;
            }
            self.parsed.shapes.push(ShapeNote {
                kind: ShapeKind::Separator,
                span: last.span,
                replacement: String::new(),
                message: "`---` separators between questions are not part of the canonical shape".into(),
            });
            body = &body[..body.len() - 1];
        }
        let end = body.last().map_or(self.end_of(next).max(heading.end), |b| b.span.end).max(heading.end);
        q.spans.whole = Span::new(heading.start, end);
        // A block only an end marker closes (a fence, `<!--`, `<pre>`…), left open, runs to the
        // end of the file; `fmt` writes other text after the text holding it (the TL;DR, an
        // example, another piece of the answer), so that text closes it itself.
        let open_end = body.last().and_then(|last| Some((last.span.end, self.closing_marker(last)?)));
        self.parts(&mut q, body, open_end.as_ref());
        if let Some((end, closing)) = &open_end
            && let Some(i) = q.spans.examples.iter().position(|e| e.end == *end)
            && let Some(text) = q.examples[i].text.as_mut()
        {
            text.push('\n');
            text.push_str(closing);
        }
        // Code blocks are in document order: binary-search the first one inside the question.
        let first = self.code_blocks.partition_point(|c| c.span.start < q.spans.whole.start);
        q.spans.code_blocks = self.code_blocks[first..]
            .iter()
            .take_while(|c| c.span.start <= q.spans.whole.end)
            .filter(|c| c.span.end <= q.spans.whole.end)
            .cloned()
            .collect();
        q
    }

    /// The line that would close `block` when it is a fenced code block or an HTML block that
    /// only an end marker closes, left open (so running to the end of the file).
    fn closing_marker(&self, block: &Block) -> Option<String> {
        let text = block.span.slice(self.source);
        match block.kind {
            BlockKind::Other => {
                let at = self.code_blocks.partition_point(|c| c.span.start < block.span.start);
                self.code_blocks.get(at).filter(|c| c.span == block.span && c.fenced && !c.closed)?;
                let fence = crate::text::Fence::opened_by(text.lines().next()?)?;
                Some(char::from(fence.ch).to_string().repeat(fence.len))
            }
            BlockKind::Html => {
                let lower = text.trim_start().to_ascii_lowercase();
                // CommonMark's HTML blocks 1 to 5: each ends only at a line with its end marker.
                for tag in ["pre", "script", "style", "textarea"] {
                    let after = lower.strip_prefix('<').and_then(|l| l.strip_prefix(tag));
                    if after.is_some_and(|a| a.is_empty() || a.starts_with([' ', '\t', '>', '\n', '\r'])) {
                        let closed =
                            ["</pre>", "</script>", "</style>", "</textarea>"].iter().any(|t| lower.contains(t));
                        return (!closed).then(|| format!("</{tag}>"));
                    }
                }
                let (from, end) = if lower.starts_with("<!--") {
                    (2, "-->")
                } else if lower.starts_with("<?") {
                    (2, "?>")
                } else if lower.starts_with("<![cdata[") {
                    (9, "]]>")
                } else if lower.starts_with("<!") && lower.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic) {
                    (2, ">")
                } else {
                    return None;
                };
                (!lower[from..].contains(end)).then(|| end.to_string())
            }
            _ => None,
        }
    }

    fn metadata(&mut self, q: &mut Question, span: Span) {
        read_metadata(self.source, q, span, &mut self.parsed.issues);
    }

    /// Split a question's blocks at labels into answer, examples and TL;DR.
    fn parts(&mut self, q: &mut Question, body: &[Block], open_end: Option<&(usize, String)>) {
        let source = self.source;
        let mut answer_pieces: Vec<Span> = Vec::new();
        let mut current: Option<(Label, Vec<Span>)> = None;
        let mut unlabelled: Vec<Span> = Vec::new();
        let mut finished: Vec<(Label, Vec<Span>)> = Vec::new();
        for block in body {
            let found = (block.kind == BlockKind::Paragraph).then(|| label(source, block.span)).flatten();
            match found {
                Some(l) => {
                    if let Some(done) = current.take() {
                        finished.push(done);
                    }
                    current = Some((l, Vec::new()));
                }
                None => match current.as_mut() {
                    Some((_, blocks)) => blocks.push(block.span),
                    None => unlabelled.push(block.span),
                },
            }
        }
        if let Some(done) = current.take() {
            finished.push(done);
        }
        if let Some(first) = unlabelled.first() {
            let span = Span::new(first.start, unlabelled.last().expect("non-empty").end);
            answer_pieces.push(span);
            q.spans.answer = Some(span);
            self.parsed.shapes.push(ShapeNote {
                kind: ShapeKind::MissingAnswerLabel,
                span: Span::empty(first.start),
                replacement: "**Answer:**\n\n".into(),
                message: "the answer has no `**Answer:**` label".into(),
            });
        }
        // With several TL;DRs the last one is the question's: `fmt` writes the others inside the
        // answer, before its `**TL;DR:**`, so the last one stays last.
        let last_tldr = finished.iter().rposition(|(label, _)| label.kind == LabelKind::Tldr);
        let mut trailing: Vec<Span> = Vec::new();
        for (i, (label, blocks)) in finished.into_iter().enumerate() {
            let content = content_span(&label, &blocks);
            match label.kind.clone() {
                LabelKind::Answer { canonical } => {
                    if !canonical {
                        self.parsed.shapes.push(ShapeNote {
                            kind: ShapeKind::AnswerLabel,
                            span: label.span,
                            replacement: "**Answer:**".into(),
                            message: format!(
                                "`{}` is written `**Answer:**` in the canonical shape",
                                label.span.slice(source)
                            ),
                        });
                    }
                    if q.spans.answer_label.is_none() {
                        q.spans.answer_label = Some(label.span);
                    }
                    if let Some(content) = content {
                        answer_pieces.push(content);
                        q.spans.answer = Some(q.spans.answer.map_or(content, |a| a.cover(content)));
                    }
                }
                LabelKind::Tldr => {
                    let paragraph = Span::new(label.span.start, label.rest.end.max(label.span.end));
                    if Some(i) == last_tldr {
                        q.tldr = Some(normalize_block(label.rest.slice(source)));
                        q.spans.tldr = Some(paragraph);
                        q.spans.tldr_text = Some(label.rest);
                    } else {
                        // An earlier TL;DR: keep its words in the answer.
                        trailing.push(paragraph);
                    }
                    trailing.extend(blocks);
                }
                LabelKind::Example { title } => {
                    let whole = Span::new(label.span.start, content.map_or(label.span.end, |c| c.end));
                    q.spans.examples.push(whole);
                    q.examples.push(self.example(title, &label, &blocks, content));
                }
            }
        }
        for span in trailing {
            answer_pieces.push(span);
            q.spans.answer = Some(q.spans.answer.map_or(span, |a| a.cover(span)));
        }
        let pieces: Vec<String> = answer_pieces
            .iter()
            .map(|s| {
                let mut text = self.field_text(*s);
                if let Some((_, closing)) = open_end.filter(|(end, _)| *end == s.end)
                    && !text.is_empty()
                {
                    text.push('\n');
                    text.push_str(closing);
                }
                text
            })
            .filter(|s| !s.is_empty())
            .collect();
        q.answer = pieces.join("\n\n");
    }

    fn example(&self, title: Option<String>, label: &Label, blocks: &[Span], content: Option<Span>) -> Example {
        let mut example = Example { title, ..Example::default() };
        if label.rest.is_empty() && blocks.len() == 1 {
            let block = blocks[0];
            let at = self.code_blocks.partition_point(|c| c.span.start < block.start);
            // The model keeps a language, not a whole info string: a fence whose info says more
            // (```` ```bash title="x.sh" ````) is kept as Markdown, so `fmt` loses none of it.
            let plain = |c: &&CodeBlock| c.info.split_whitespace().nth(1).is_none();
            if let Some(code) = self.code_blocks.get(at).filter(|c| c.span == block && c.fenced).filter(plain) {
                example.code = Some(code.code.clone());
                example.language = code.info.split_whitespace().next().map(str::to_string);
                return example;
            }
        }
        if let Some(content) = content {
            let text = self.field_text(content);
            if !text.is_empty() {
                example.text = Some(text);
            }
        }
        example
    }

    /// The text of an answer or example piece, normalised. A piece that starts on its label's
    /// line (`**Answer:** # of replicas…`) is a paragraph there, but `fmt` writes it on a line of
    /// its own, where it could start another block: then its first character is escaped.
    fn field_text(&self, span: Span) -> String {
        let text = self.prose_text(span);
        let before = &self.source[..span.start];
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let on_label_line = !before[line_start..].trim().is_empty();
        if on_label_line && starts_other_block(&text) { format!("\\{text}") } else { text }
    }

    /// Prose blocks (section or bank intro), normalised.
    fn prose(&self, blocks: &[Block]) -> String {
        let blocks: Vec<&Block> = blocks.iter().filter(|b| b.kind != BlockKind::ThematicBreak).collect();
        match (blocks.first(), blocks.last()) {
            (Some(first), Some(last)) => self.prose_text(Span::new(first.span.start, last.span.end)),
            _ => String::new(),
        }
    }

    /// The text of `span`, normalised block by block ([`normalize_block`] on each top-level
    /// block, so that what looks like a fence inside one block, such as a ```` ``` ```` line in
    /// an HTML block, cannot reach into the next), the blocks joined as they were: by a blank
    /// line, or by a line break when none was between them. In a bank whose questions are above
    /// level 3, the headings in it move down as far as the questions do when `fmt` writes them
    /// at level 3 (`### 1. Build` under `## 1.` questions becomes `#### 1. Build`, `Details` /
    /// `---` under `# 1.` questions `#### Details`), so they stay prose instead of turning into
    /// questions or sections.
    fn prose_text(&self, span: Span) -> String {
        let first = self.blocks.partition_point(|b| b.span.end <= span.start);
        let mut text = String::new();
        let mut previous_end: Option<usize> = None;
        for block in self.blocks[first..].iter().take_while(|b| b.span.start < span.end) {
            let part = Span::new(block.span.start.max(span.start), block.span.end.min(span.end));
            let whole_heading = matches!(block.kind, BlockKind::Heading { .. }) && part == block.span;
            let piece = if whole_heading && self.level < QUESTION_LEVEL {
                self.relevelled_heading(block)
            } else {
                normalize_block(part.slice(self.source))
            };
            if piece.is_empty() {
                continue;
            }
            if let Some(end) = previous_end {
                let between = &self.source[end..part.start];
                let breaks =
                    between.matches('\n').count() + between.matches('\r').count() - between.matches("\r\n").count();
                text.push_str(if breaks >= 2 { "\n\n" } else { "\n" });
            }
            text.push_str(&piece);
            previous_end = Some(part.end);
        }
        text
    }

    /// A prose heading written as an ATX heading at the level it takes in the canonical shape.
    fn relevelled_heading(&self, block: &Block) -> String {
        let BlockKind::Heading { level } = block.kind else { return block.span.slice(self.source).to_string() };
        let heading = heading_text(self.source, block);
        let mut text = heading_string(heading.text.slice(self.source));
        if heading.bold {
            text = format!("**{text}**");
        }
        let level = (level + QUESTION_LEVEL).saturating_sub(self.level).min(6);
        format!("{} {text}", "#".repeat(level as usize)).trim_end().to_string()
    }
}

/// Whether `text`, alone after a blank line, would start something other than a paragraph
/// of prose or a list or quote (which keep its text as it is): a heading, a code block, an HTML
/// block, a thematic break, a table, or a bold label.
fn starts_other_block(text: &str) -> bool {
    if !text.starts_with(['#', '<', '`', '~', '-', '*', '_', '|', '+', '=']) {
        return false;
    }
    if (text.starts_with("**") || text.starts_with("__")) && label(text, Span::new(0, text.len())).is_some() {
        return true;
    }
    let blocks = crate::blocks::parse_text_blocks(text);
    match blocks.top.first().map(|b| b.kind) {
        Some(BlockKind::Paragraph) | None => false,
        Some(BlockKind::Other) => blocks.code.first().is_some_and(|c| c.span.start == 0),
        Some(BlockKind::Table) => text.starts_with('|'),
        Some(BlockKind::List) => false,
        Some(_) => true,
    }
}

/// The text a label introduces: the rest of its paragraph, then its blocks.
fn content_span(label: &Label, blocks: &[Span]) -> Option<Span> {
    let start = if label.rest.is_empty() { blocks.first()?.start } else { label.rest.start };
    let end = blocks.last().map_or(label.rest.end, |b| b.end);
    Some(Span::new(start, end.max(start)))
}

/// Read the metadata comment at `span` (`<!-- id: …; difficulty: … -->`) into `q`; entries that
/// are not `key: value`, and keys written twice, are parse issues.
pub(crate) fn read_metadata(source: &str, q: &mut Question, span: Span, issues: &mut Vec<ParseIssue>) {
    q.spans.metadata = Some(span);
    let raw = span.slice(source);
    let inner_start = span.start + raw.find("<!--").map_or(0, |i| i + 4);
    let inner_end = span.start + raw.rfind("-->").unwrap_or(raw.len());
    let inner = &source[inner_start..inner_end.max(inner_start)];
    let mut bounds = Vec::new();
    let mut entry_start = 0;
    for (i, c) in inner.char_indices() {
        if c == ';' || c == '·' {
            bounds.push((entry_start, i));
            entry_start = i + c.len_utf8();
        }
    }
    bounds.push((entry_start, inner.len()));
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (from, to) in bounds {
        let entry_span = trim_both(source, Span::new(inner_start + from, inner_start + to));
        let text = entry_span.slice(source);
        if text.is_empty() {
            continue;
        }
        let Some((key, value)) = text.split_once(':') else {
            issues.push(ParseIssue {
                kind: IssueKind::BadMetadata,
                span: entry_span,
                message: format!("metadata entry `{text}` is not `key: value`"),
            });
            continue;
        };
        let key = key.trim();
        let value_trimmed = value.trim();
        // A key written twice: tags add up; of other values the last one is kept, said
        // aloud (the same value too: `fmt` writes the key once).
        if let Some(earlier) = seen.insert(key, value_trimmed)
            && key != "tags"
        {
            issues.push(ParseIssue {
                kind: IssueKind::BadMetadata,
                span: entry_span,
                message: if earlier == value_trimmed {
                    format!("metadata key `{key}` is written twice with the same value; it is kept once")
                } else {
                    format!(
                        "metadata key `{key}` is written twice; only the last value is kept (`{earlier}` is dropped)"
                    )
                },
            });
        }
        match key {
            "id" => {
                q.id = value_trimmed.to_string();
                let value_start = entry_span.start + key.len() + 1 + (value.len() - value.trim_start().len());
                q.spans.id = Some(Span::new(value_start, value_start + value_trimmed.len()));
            }
            "difficulty" => match Difficulty::parse(value_trimmed) {
                Some(d) => q.difficulty = Some(d),
                None => {
                    issues.push(ParseIssue {
                        kind: IssueKind::BadMetadata,
                        span: entry_span,
                        message: format!("difficulty `{value_trimmed}` is not one of easy, medium, hard"),
                    });
                    q.extra.insert(key.to_string(), value_trimmed.to_string());
                }
            },
            "tags" => q.tags.extend(parse_list(value_trimmed)),
            _ => {
                q.extra.insert(key.to_string(), value_trimmed.to_string());
            }
        }
    }
}

/// The comment right under a question heading that holds its metadata: `<!-- key: value; … -->`
/// (not a `qbank-disable…` suppression, not a single comment holding several).
pub(crate) fn is_metadata_comment(text: &str) -> bool {
    let t = text.trim();
    let Some(inner) = t.strip_prefix("<!--").and_then(|r| r.strip_suffix("-->")) else { return false };
    if inner.contains("<!--") || inner.contains("-->") {
        return false;
    }
    let inner = inner.trim_start();
    let key = inner.split(':').next().unwrap_or("");
    !inner.starts_with("qbank-")
        && inner.contains(':')
        && !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_')
}
