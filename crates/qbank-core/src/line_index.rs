//! Conversion between byte offsets and line/column positions (UTF-8 bytes, UTF-16 code units, chars).
//!
//! Everything inside qbank works on byte offsets; the CLI and the language server convert at
//! their edges through this one type.

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8 (LSP `utf-8`).
    Utf8,
    /// UTF-16 code units (LSP `utf-16`, the protocol default).
    Utf16,
    /// Unicode scalar values (LSP `utf-32`; what people call "characters").
    Utf32,
}

/// A zero-based line and column; the column is counted in the [`Encoding`] asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of one text, for offset ⇄ position conversion in O(log lines).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    line_starts: Vec<usize>,
    len: usize,
    /// Whether the text is pure ASCII, so all encodings agree and no scan is needed.
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { line_starts, len: text.len(), ascii: text.is_ascii() }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset of the start of `line` (zero-based); the text's end past the last line.
    pub fn line_start(&self, line: u32) -> usize {
        self.line_starts.get(line as usize).copied().unwrap_or(self.len)
    }

    /// The byte span of a whole line, without its line terminator.
    pub fn line_span(&self, text: &str, line: u32) -> crate::Span {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1).min(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        crate::Span::new(start, end)
    }

    /// The zero-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.len);
        (self.line_starts.partition_point(|&start| start <= offset) - 1) as u32
    }

    /// Position of a byte offset. An offset inside a multi-byte character is treated as the
    /// start of that character.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize];
        let col = if self.ascii || encoding == Encoding::Utf8 {
            offset - start
        } else {
            let prefix = &text[start..offset];
            match encoding {
                Encoding::Utf16 => prefix.encode_utf16().count(),
                Encoding::Utf32 => prefix.chars().count(),
                Encoding::Utf8 => unreachable!("handled above"),
            }
        };
        LineCol { line, col: col as u32 }
    }

    /// Byte offset of a position. Columns past the end of the line clamp to the line's end
    /// (before its terminator); lines past the end clamp to the text's end; a column that falls
    /// inside a character (e.g. between UTF-16 surrogates) rounds down to that character.
    pub fn offset(&self, text: &str, position: LineCol, encoding: Encoding) -> usize {
        if position.line as usize >= self.line_starts.len() {
            return self.len;
        }
        let line = self.line_span(text, position.line);
        let wanted = position.col as usize;
        if self.ascii || encoding == Encoding::Utf8 {
            return floor_char_boundary(text, line.start + wanted.min(line.len()));
        }
        let mut units = 0usize;
        for (i, ch) in line.slice(text).char_indices() {
            let width = match encoding {
                Encoding::Utf16 => ch.len_utf16(),
                _ => 1,
            };
            if units + width > wanted {
                return line.start + i;
            }
            units += width;
        }
        line.end
    }

    /// One-based line and column (in chars), the form people read in CLI output.
    pub fn human_position(&self, text: &str, offset: usize) -> (usize, usize) {
        let pos = self.position(text, offset, Encoding::Utf32);
        (pos.line as usize + 1, pos.col as usize + 1)
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes)
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\nYouâ€™ve 🚀 x\r\nlast";

    #[test]
    fn positions_in_every_encoding() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_count(), 3);
        let x = TEXT.find(" x").unwrap() + 1;
        assert_eq!(index.position(TEXT, x, Encoding::Utf8), LineCol { line: 1, col: (x - 3) as u32 });
        // "Youâ€™ve 🚀 " = 3 + 3 (â€™ are three chars, one UTF-16 unit each) + 2 + 1 + 1 rocket + 1
        assert_eq!(index.position(TEXT, x, Encoding::Utf32), LineCol { line: 1, col: 11 });
        assert_eq!(index.position(TEXT, x, Encoding::Utf16), LineCol { line: 1, col: 12 });
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let pos = index.position(TEXT, x, enc);
            assert_eq!(index.offset(TEXT, pos, enc), x, "{enc:?}");
        }
    }

    #[test]
    fn round_trips_every_char_boundary() {
        let index = LineIndex::new(TEXT);
        // Every offset outside line terminators (positions inside a CRLF clamp to the line end).
        for (offset, _) in TEXT.char_indices().filter(|(_, c)| !matches!(c, '\r' | '\n')) {
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let pos = index.position(TEXT, offset, enc);
                assert_eq!(index.offset(TEXT, pos, enc), offset, "{offset} {enc:?}");
            }
        }
    }

    #[test]
    fn clamps_out_of_range_positions() {
        let index = LineIndex::new(TEXT);
        let line1 = index.line_span(TEXT, 1);
        assert_eq!(index.offset(TEXT, LineCol { line: 1, col: 999 }, Encoding::Utf16), line1.end);
        assert!(line1.slice(TEXT).ends_with(" x"), "line span excludes CRLF");
        assert_eq!(index.offset(TEXT, LineCol { line: 9, col: 0 }, Encoding::Utf16), TEXT.len());
        // Inside the rocket's surrogate pair: rounds down to the rocket.
        let rocket = TEXT.find('🚀').unwrap();
        let pos = index.position(TEXT, rocket, Encoding::Utf16);
        let inside = LineCol { line: pos.line, col: pos.col + 1 };
        assert_eq!(index.offset(TEXT, inside, Encoding::Utf16), rocket);
        // An offset inside a multi-byte char maps to that char's position.
        assert_eq!(index.position(TEXT, rocket + 1, Encoding::Utf16), pos);
    }

    #[test]
    fn human_positions_are_one_based() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.human_position(TEXT, 0), (1, 1));
        assert_eq!(index.human_position(TEXT, TEXT.len()), (3, 5));
    }
}
