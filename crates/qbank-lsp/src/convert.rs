//! The one place where byte offsets meet LSP positions: offsets ⇄ `Position`/`Range` through
//! [`qbank_core::LineIndex`] in the negotiated encoding, incremental text edits, and library
//! values (diagnostics, fix edits) → `ls_types`.
//!
//! Nothing else in the server does column arithmetic: every other module works on [`Span`]s.

use qbank_core::{Encoding, LineCol, LineIndex, Span};
use qbank_lint::{Applicability, Severity};
use tower_lsp_server::ls_types::{
    self as lsp, ClientCapabilities, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent, TextEdit, Uri,
};

/// Picks the position encoding: UTF-8 when the client offers it (no conversion at all), else
/// the protocol's mandatory UTF-16.
pub fn negotiate_encoding(capabilities: &ClientCapabilities) -> Encoding {
    let offered = capabilities.general.as_ref().and_then(|general| general.position_encodings.as_ref());
    if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// The `positionEncoding` the server announces for `encoding`.
pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// One text with its line index, seen in one encoding: the unit every conversion needs.
#[derive(Clone, Copy, Debug)]
pub struct TextView<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl<'a> TextView<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> Self {
        TextView { text, index, encoding }
    }

    pub fn position(&self, offset: usize) -> Position {
        let LineCol { line, col } = self.index.position(self.text, offset, self.encoding);
        Position::new(line, col)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end.max(span.start)))
    }

    /// The byte offset of a position; out-of-range positions clamp (see [`LineIndex::offset`]).
    pub fn offset(&self, position: Position) -> usize {
        self.index.offset(self.text, LineCol { line: position.line, col: position.character }, self.encoding)
    }

    /// The byte span of a range; a reversed range is read as its mirror image.
    pub fn span(&self, range: Range) -> Span {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        Span::new(a.min(b), a.max(b))
    }

    /// The range covering the whole text.
    pub fn full_range(&self) -> Range {
        Range::new(Position::new(0, 0), self.position(self.text.len()))
    }

    pub fn text_edit(&self, edit: &qbank_lint::Edit) -> TextEdit {
        TextEdit::new(self.range(edit.span), edit.replacement.clone())
    }
}

/// Applies one `didChange` content change to `text` in `encoding`: a range edit, or the whole
/// text when the change has no range. Ranges past the end clamp; nothing here can panic.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let index = LineIndex::new(text);
    let span = TextView::new(text, &index, encoding).span(range);
    text.replace_range(span.range(), &change.text);
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Where a diagnostic's related location points: this document (its own path) or another
/// indexed file, by path.
pub trait RelatedFiles {
    /// The uri and a view of the text for `path` as the checker named it.
    fn resolve(&self, path: &str) -> Option<(Uri, TextView<'_>)>;
}

/// The LSP form of one library diagnostic: rule code as `code`, its docs as
/// `codeDescription`, `source: "qbank"`, and related places that can be resolved to a uri.
pub fn diagnostic(view: &TextView<'_>, d: &qbank_lint::Diagnostic, related: &dyn RelatedFiles) -> lsp::Diagnostic {
    let related_information: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (uri, other) = related.resolve(&r.path)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, other.range(r.span)),
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: view.range(d.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: qbank_lint::docs_url(d.code).parse().ok().map(|href| CodeDescription { href }),
        source: Some("qbank".to_string()),
        message: d.message.clone(),
        related_information: (!related_information.is_empty()).then_some(related_information),
        tags: None,
        data: d
            .fix
            .as_ref()
            .map(|f| serde_json::json!({ "fixable": true, "safe": f.applicability == Applicability::Safe })),
    }
}

/// A uri for a file path (`None` when the path cannot be made absolute).
pub fn file_uri(path: &std::path::Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// The file path behind a `file:` uri.
pub fn uri_path(uri: &Uri) -> Option<std::path::PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mojibake, an emoji (a UTF-16 surrogate pair) and CJK on the same lines as the edits.
    const TEXT: &str = "### 1. Youâ€™ve 🚀 shipped 日本語 code?\nline two 🚀 end\n";

    fn change(range: Range, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent { range: Some(range), range_length: None, text: text.to_string() }
    }

    fn range_of(text: &str, needle: &str, encoding: Encoding) -> Range {
        let start = text.find(needle).unwrap();
        let index = LineIndex::new(text);
        TextView::new(text, &index, encoding).range(Span::new(start, start + needle.len()))
    }

    #[test]
    fn positions_count_in_the_negotiated_encoding() {
        let index = LineIndex::new(TEXT);
        let cjk = TEXT.find("日本語").unwrap();
        // "### 1. You" 10 + "â€™" (3 chars, 7 bytes) + "ve " 3 + rocket (2 units, 4 bytes) + " shipped " 9
        let utf16 = TextView::new(TEXT, &index, Encoding::Utf16).position(cjk);
        assert_eq!(utf16, Position::new(0, 10 + 3 + 3 + 2 + 9));
        let utf8 = TextView::new(TEXT, &index, Encoding::Utf8).position(cjk);
        assert_eq!(utf8, Position::new(0, cjk as u32));
        assert_ne!(utf8, utf16, "the encodings differ on this line");
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let view = TextView::new(TEXT, &index, encoding);
            assert_eq!(view.offset(view.position(cjk)), cjk, "{encoding:?}");
        }
    }

    #[test]
    fn range_edits_after_non_ascii_text_land_in_both_encodings() {
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let mut text = TEXT.to_string();
            // Replace "日本語" (after mojibake and an emoji on the same line) with ASCII.
            let range = range_of(&text, "日本語", encoding);
            apply_change(&mut text, change(range, "Rust"), encoding);
            assert_eq!(text, TEXT.replace("日本語", "Rust"), "{encoding:?}");
        }
    }

    #[test]
    fn range_edits_covering_non_ascii_text_land_in_both_encodings() {
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let mut text = TEXT.to_string();
            // The edited range itself holds mojibake and the emoji; the new text is non-ASCII.
            let range = range_of(&text, "â€™ve 🚀", encoding);
            apply_change(&mut text, change(range, "’ve ✅"), encoding);
            assert_eq!(text, TEXT.replace("â€™ve 🚀", "’ve ✅"), "{encoding:?}");
            // A second edit on the next line, after another emoji, uses the new text's index.
            let range = range_of(&text, "end", encoding);
            apply_change(&mut text, change(range, "終わり"), encoding);
            assert!(text.ends_with("line two 🚀 終わり\n"), "{encoding:?}: {text}");
        }
    }

    #[test]
    fn a_utf16_column_inside_a_surrogate_pair_never_splits_the_emoji() {
        let mut text = TEXT.to_string();
        let rocket = range_of(&text, "🚀", Encoding::Utf16);
        let inside = Position::new(rocket.start.line, rocket.start.character + 1);
        apply_change(&mut text, change(Range::new(inside, inside), "x"), Encoding::Utf16);
        assert!(text.contains("x🚀"), "{text}");
    }

    #[test]
    fn out_of_range_and_reversed_edits_clamp() {
        let mut text = "ab\ncd".to_string();
        apply_change(&mut text, change(Range::new(Position::new(9, 9), Position::new(99, 0)), "!"), Encoding::Utf16);
        assert_eq!(text, "ab\ncd!");
        apply_change(&mut text, change(Range::new(Position::new(0, 2), Position::new(0, 0)), "X"), Encoding::Utf8);
        assert_eq!(text, "X\ncd!");
        apply_change(
            &mut text,
            TextDocumentContentChangeEvent { range: None, range_length: None, text: "new".into() },
            Encoding::Utf8,
        );
        assert_eq!(text, "new");
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let offered: ClientCapabilities = serde_json::from_value(serde_json::json!({
            "general": { "positionEncodings": ["utf-16", "utf-8"] }
        }))
        .unwrap();
        assert_eq!(negotiate_encoding(&offered), Encoding::Utf8);
        let utf32_only: ClientCapabilities =
            serde_json::from_value(serde_json::json!({ "general": { "positionEncodings": ["utf-32"] } })).unwrap();
        assert_eq!(negotiate_encoding(&utf32_only), Encoding::Utf16);
        assert_eq!(negotiate_encoding(&ClientCapabilities::default()), Encoding::Utf16);
    }
}
