//! Property test of the document store's incremental edits: random `didChange` sequences (UTF-8,
//! UTF-16 and UTF-32 columns; positions exact, past line and text ends, between surrogate
//! halves, reversed; whole-text replacements) applied with `convert::apply_change` give the
//! same text as a reference model over `Vec<char>` that follows the documented clamping rules.
//! The `lsp_document_store` fuzz target (fuzz/) checks the same without a bound.

use proptest::prelude::*;
use qbank_core::Encoding;
use qbank_lsp::convert::apply_change;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// Line breaks of every kind, multi-byte characters, an astral character (a surrogate pair in
/// UTF-16), a BOM, Markdown punctuation.
const PIECES: &[&str] = &["a", "b", " ", "\n", "\r\n", "\r", "é", "日", "🚀", "\u{feff}", "#", "1. ", "**", "\t"];

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

/// The reference: lines split at `\n`; a line ends before its `\n` and then one `\r`; a line past
/// the last means the end of the text; a column past the line's end clamps to it; a column
/// inside a character rounds down to the character's start.
fn char_index(chars: &[char], line: u32, col: u32, encoding: Encoding) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match chars[start..].iter().position(|&c| c == '\n') {
            Some(newline) => start += newline + 1,
            None => return chars.len(),
        }
    }
    let mut end = chars[start..].iter().position(|&c| c == '\n').map_or(chars.len(), |i| start + i);
    if end > start && chars[end - 1] == '\r' {
        end -= 1;
    }
    let mut units = 0;
    for (i, &c) in chars[start..end].iter().enumerate() {
        let width = match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        };
        if units + width > col as usize {
            return start + i;
        }
        units += width;
    }
    end
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|pieces| pieces.concat())
}

fn position() -> impl Strategy<Value = Position> {
    prop_oneof![
        4 => (0u32..10, 0u32..30).prop_map(|(line, col)| Position::new(line, col)),
        1 => (0u32..10).prop_map(|line| Position::new(line, u32::MAX)),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(line, col)| Position::new(line, col)),
    ]
}

#[derive(Clone, Debug)]
struct Change {
    encoding: Encoding,
    range: Option<(Position, Position)>,
    text: String,
}

fn change() -> impl Strategy<Value = Change> {
    (prop::sample::select(&ENCODINGS[..]), prop::option::weighted(0.95, (position(), position())), text())
        .prop_map(|(encoding, range, text)| Change { encoding, range, text })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn apply_change_matches_the_reference_model(initial in text(), changes in prop::collection::vec(change(), 1..16)) {
        let mut text = initial.clone();
        let mut reference: Vec<char> = initial.chars().collect();
        for change in changes {
            match change.range {
                Some((a, b)) => {
                    let from = char_index(&reference, a.line, a.character, change.encoding);
                    let to = char_index(&reference, b.line, b.character, change.encoding);
                    reference.splice(from.min(to)..from.max(to), change.text.chars());
                }
                None => reference = change.text.chars().collect(),
            }
            let event = TextDocumentContentChangeEvent {
                range: change.range.map(|(a, b)| Range::new(a, b)),
                range_length: None,
                text: change.text.clone(),
            };
            apply_change(&mut text, event, change.encoding);
            prop_assert_eq!(&text, &reference.iter().collect::<String>(), "after {:?}", change);
        }
    }
}
