//! Shared pieces of the fuzz targets: input decoding, span checks, a generator of banks in the
//! seed shapes (driven by `arbitrary`), and a reference model of the language server's
//! incremental edits.

use arbitrary::{Result, Unstructured};
use qbank_core::{Encoding, Parsed, Span};
pub use qbank_testkit::GenBank;
use qbank_testkit::{GenQuestion, LABELS, LANGUAGES, LAYOUTS, QUESTION_HASHES, Shape, WORDS};

/// The text a fuzz input stands for: itself when it is UTF-8, else its lossy decoding.
pub fn text_from_bytes(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Panics unless `span` is a forward range inside `source` on character boundaries.
pub fn assert_span(source: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what}: reversed span {span:?}");
    assert!(span.end <= source.len(), "{what}: span {span:?} past the end ({})", source.len());
    assert!(
        source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

/// Every span the parser reports, checked with [`assert_span`].
pub fn assert_parsed_spans(source: &str, parsed: &Parsed) {
    let check = |span: Span, what: &str| assert_span(source, span, what);
    for issue in &parsed.issues {
        check(issue.span, "issue");
    }
    for shape in &parsed.shapes {
        check(shape.span, "shape note");
    }
    for (span, what) in
        [(parsed.front_matter, "front matter"), (parsed.title_span, "title"), (parsed.intro_span, "intro")]
    {
        if let Some(span) = span {
            check(span, what);
        }
    }
    for section in &parsed.bank.sections {
        check(section.span, "section");
        if let Some(span) = section.title_span {
            check(span, "section title");
        }
        for q in &section.questions {
            let s = &q.spans;
            for (span, what) in
                [(s.whole, "question"), (s.heading, "heading"), (s.question, "question text"), (s.number, "number")]
            {
                check(span, what);
            }
            for (span, what) in [
                (s.metadata, "metadata"),
                (s.id, "id"),
                (s.answer, "answer"),
                (s.answer_label, "answer label"),
                (s.tldr, "tldr"),
                (s.tldr_text, "tldr text"),
            ] {
                if let Some(span) = span {
                    check(span, what);
                }
            }
            for span in &s.examples {
                check(*span, "example");
            }
            for code in &s.code_blocks {
                check(code.span, "code block");
                check(code.content, "code content");
                if let Some(span) = code.info_span {
                    check(span, "code info");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generated banks in every layout qbank-testkit writes (the seed shapes, <details>, labelled
// headings, Q:/A: lines, list items): its model, drawn from fuzz bytes (the property
// tests of crates/qbank-core/tests/properties.rs draw the same model with proptest).

const TITLE_WORDS: &[&str] = &["Deployment", "Operations", "Kubernetes", "Reliability", "Security", "Caching"];

fn sentence(u: &mut Unstructured<'_>, min: usize, max: usize) -> Result<String> {
    let len = u.int_in_range(min..=max)?;
    let mut words = Vec::with_capacity(len);
    for _ in 0..len {
        words.push(*u.choose(WORDS)?);
    }
    Ok(words.join(" "))
}

fn gen_question(u: &mut Unstructured<'_>) -> Result<GenQuestion> {
    let text = format!("{}?", sentence(u, 2, 9)?);
    let paragraphs = u.int_in_range(1..=3)?;
    let mut answer = Vec::with_capacity(paragraphs);
    for _ in 0..paragraphs {
        answer.push(sentence(u, 1, 11)?);
    }
    let bullets = u.arbitrary()?;
    let code = if u.arbitrary()? { Some((u.choose(LANGUAGES)?.to_string(), sentence(u, 1, 5)?)) } else { None };
    let tldr = if u.arbitrary()? { Some(sentence(u, 2, 9)?) } else { None };
    Ok(GenQuestion { text, answer, bullets, code, tldr })
}

/// A bank in the seed shapes drawn from fuzz bytes (the model and writer of
/// `qbank-testkit`, which the property tests draw from with proptest).
pub fn gen_bank(u: &mut Unstructured<'_>) -> Result<GenBank> {
    let title = u.choose(TITLE_WORDS)?.to_string();
    let section_count = u.int_in_range(1..=3)?;
    let mut sections = Vec::with_capacity(section_count);
    for _ in 0..section_count {
        let name = format!("{} {}", u.choose(TITLE_WORDS)?, u.choose(TITLE_WORDS)?);
        let count = u.int_in_range(1..=4)?;
        let mut questions = Vec::with_capacity(count);
        for _ in 0..count {
            questions.push(gen_question(u)?);
        }
        sections.push((name, questions));
    }
    let shape = Shape {
        layout: *u.choose(LAYOUTS)?,
        question_hashes: *u.choose(QUESTION_HASHES)?,
        label: u.choose(LABELS)?,
        separators: u.arbitrary()?,
        restart_numbers: u.arbitrary()?,
    };
    Ok(GenBank { title, sections, shape })
}

// ---------------------------------------------------------------------------------------------
// The language server's document store: a reference model of `convert::apply_change`.

/// A document as characters, edited the way `convert::apply_change` documents it, written
/// without `LineIndex`: lines split at `\n`; a line's end excludes its `\n` and then one `\r`;
/// a line past the last clamps to the end of the text; a column past the line's end clamps to
/// it; a column inside a character (between UTF-16 surrogates, inside a UTF-8 sequence) rounds
/// down to that character; a reversed range is read as its mirror image.
#[derive(Clone, Debug, Default)]
pub struct ReferenceDocument {
    pub chars: Vec<char>,
}

impl ReferenceDocument {
    pub fn new(text: &str) -> Self {
        ReferenceDocument { chars: text.chars().collect() }
    }

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// The character index a (line, column) position stands for.
    pub fn char_index(&self, line: u32, col: u32, encoding: Encoding) -> usize {
        let mut start = 0;
        for _ in 0..line {
            match self.chars[start..].iter().position(|&c| c == '\n') {
                Some(newline) => start += newline + 1,
                None => return self.chars.len(),
            }
        }
        let mut end = self.chars[start..].iter().position(|&c| c == '\n').map_or(self.chars.len(), |i| start + i);
        if end > start && self.chars[end - 1] == '\r' {
            end -= 1;
        }
        let wanted = col as usize;
        let mut units = 0;
        for (i, &c) in self.chars[start..end].iter().enumerate() {
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf32 => 1,
            };
            if units + width > wanted {
                return start + i;
            }
            units += width;
        }
        end
    }

    /// Replace the range between two positions (either order), or everything without a range.
    pub fn apply(&mut self, range: Option<((u32, u32), (u32, u32))>, text: &str, encoding: Encoding) {
        let Some(((l1, c1), (l2, c2))) = range else {
            self.chars = text.chars().collect();
            return;
        };
        let a = self.char_index(l1, c1, encoding);
        let b = self.char_index(l2, c2, encoding);
        self.chars.splice(a.min(b)..a.max(b), text.chars());
    }
}

/// Pieces documents and edits are made of: line breaks of every kind, multi-byte characters,
/// an astral character (a UTF-16 surrogate pair), a BOM, Markdown punctuation.
pub const PIECES: &[&str] =
    &["a", "b", " ", "\n", "\r\n", "\r", "é", "日", "🚀", "\u{feff}", "#", "1. ", "**", "`", "\t", "z\n\n"];

/// Text made of [`PIECES`].
pub fn pieces_text(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    let len = u.int_in_range(0..=max)?;
    let mut out = String::new();
    for _ in 0..len {
        out.push_str(u.choose(PIECES)?);
    }
    Ok(out)
}
