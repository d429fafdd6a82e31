//! Fuzz target `lsp_document_store`: a document and a sequence of `didChange` content changes
//! (ranges in UTF-8, UTF-16 or UTF-32 columns; positions exact, near the text, past its end,
//! between the halves of a surrogate pair, reversed; whole-text replacements), applied with
//! `qbank_lsp::convert::apply_change`. It never panics and after every change the text equals
//! a reference model written over `Vec<char>` with the documented clamping rules
//! (`qbank_fuzz::ReferenceDocument`). On the final text, every character position converts to
//! a `Position` and back to the same offset in every encoding.
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use qbank_core::{Encoding, LineIndex};
use qbank_fuzz::{ReferenceDocument, pieces_text};
use qbank_lsp::convert::{TextView, apply_change};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

#[derive(Debug)]
struct Session {
    initial: String,
    changes: Vec<Change>,
}

#[derive(Debug)]
struct Change {
    encoding: Encoding,
    /// `None`: the whole text is replaced.
    range: Option<(PositionGen, PositionGen)>,
    text: String,
}

/// How a position is picked: anywhere in `u32` space, or near the lines and columns of a text
/// of a few hundred characters (where clamping and surrogate halves matter).
#[derive(Debug, Arbitrary)]
enum PositionGen {
    Anywhere(u32, u32),
    Near(u8, u8),
    LineEnd(u8),
}

impl PositionGen {
    fn position(&self) -> Position {
        match *self {
            PositionGen::Anywhere(line, col) => Position::new(line, col),
            PositionGen::Near(line, col) => Position::new(u32::from(line % 16), u32::from(col % 48)),
            PositionGen::LineEnd(line) => Position::new(u32::from(line % 16), u32::MAX),
        }
    }
}

impl<'a> Arbitrary<'a> for Session {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let initial = pieces_text(u, 64)?;
        let mut changes = Vec::new();
        while changes.len() < 32 && !u.is_empty() {
            let encoding = *u.choose(&ENCODINGS)?;
            let range = if u.ratio(1, 16)? { None } else { Some((u.arbitrary()?, u.arbitrary()?)) };
            let text = pieces_text(u, 12)?;
            changes.push(Change { encoding, range, text });
        }
        Ok(Session { initial, changes })
    }
}

fuzz_target!(|session: Session| {
    let mut text = session.initial.clone();
    let mut reference = ReferenceDocument::new(&text);
    for change in &session.changes {
        let range = change.range.as_ref().map(|(a, b)| (a.position(), b.position()));
        reference.apply(
            range.map(|(a, b)| ((a.line, a.character), (b.line, b.character))),
            &change.text,
            change.encoding,
        );
        let event = TextDocumentContentChangeEvent {
            range: range.map(|(a, b)| Range::new(a, b)),
            range_length: None,
            text: change.text.clone(),
        };
        apply_change(&mut text, event, change.encoding);
        assert_eq!(text, reference.text(), "after {change:?}");
    }

    let index = LineIndex::new(&text);
    for encoding in ENCODINGS {
        let view = TextView::new(&text, &index, encoding);
        // Offsets inside line terminators clamp to the line's end (documented), so skip them.
        for (offset, _) in text.char_indices().filter(|(_, c)| !matches!(c, '\r' | '\n')) {
            assert_eq!(view.offset(view.position(offset)), offset, "{offset} {encoding:?} in {text:?}");
        }
        if !text.ends_with('\r') {
            // (A final lone `\r` counts as the last line's terminator, so its end clamps before it.)
            assert_eq!(view.offset(view.position(text.len())), text.len());
        }
    }
});
