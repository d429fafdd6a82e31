//! QB101 `mojibake`: UTF-8 text that was decoded as Windows-1252 or Latin-1 (`isnâ€™t`).

use encoding_rs::WINDOWS_1252;
use pulldown_cmark::{Event, Options as MarkdownOptions, Parser, Tag};
use qbank_core::Span;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB101",
        name: "mojibake",
        summary: "UTF-8 text decoded as Windows-1252 (`â€™` for `’`)",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags runs of characters that are UTF-8 bytes read as Windows-1252 or Latin-1: `â€™` for `’`,
`â€œ` for `“`, `â€` and U+009D for `”`, `â€”` for `—`, `Ã©` for `é`, `Â` and a no-break
space for a no-break space. A run is flagged when its characters, written back as
Windows-1252 bytes, form valid UTF-8 that reads as a plausible character (Latin, Greek,
Cyrillic, punctuation, symbols…). Text mis-decoded twice (`Ã¢â‚¬â„¢`) is repaired in one go.

Legitimate accented text is not flagged: one Latin-1 character (`café`, `naïve`, `Ångström`,
`£5`, `©`) never forms valid UTF-8 on its own, and the pairs that could (`ß“`) decode to
scripts nobody writes that way, so they are left alone. Code blocks and inline code are
skipped: a bank about encodings may show mojibake on purpose.

## Why is this bad?
Readers see garbage where punctuation should be, search misses the words around it, and
exports carry the damage everywhere.

## Example
```markdown
### 18. Youâ€™ve rolled out a new observability platform. How do you validate itâ€™s useful?
```

## Fix
Safe: replaces the run with the text it was meant to be (`Re-decode as UTF-8`). A lone `â€`
(a `”` whose last byte was dropped) gets an unsafe fix to `”`: the lost byte is a guess."#,
        fixable: true,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for &region in ctx.regions() {
        check_region(ctx, region, out);
    }
}

fn check_region(ctx: &Context<'_>, region: Span, out: &mut Vec<Diagnostic>) {
    let text = region.slice(ctx.source);
    if text.is_ascii() {
        return;
    }
    // A region starts a top-level block, so its code spans are the same parsed alone.
    let code = code_ranges(text);
    let mut next_code = 0;
    let mut run_start: Option<usize> = None;
    for (offset, c) in text.char_indices().chain(std::iter::once((text.len(), '\n'))) {
        // Code ranges come in document order and do not overlap.
        while code.get(next_code).is_some_and(|r| r.end <= offset) {
            next_code += 1;
        }
        let inside_code = code.get(next_code).is_some_and(|r| r.contains(&offset));
        if windows_1252_byte(c).is_some() && !inside_code {
            run_start.get_or_insert(offset);
        } else if let Some(start) = run_start.take() {
            report_run(ctx, Span::new(start, offset).shift(region.start), out);
        }
    }
}

/// Byte ranges of inline code and code blocks.
fn code_ranges(source: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    for (event, range) in Parser::new_ext(source, MarkdownOptions::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// One diagnostic per stretch of mojibake inside a run of Windows-1252-encodable characters.
fn report_run(ctx: &Context<'_>, run: Span, out: &mut Vec<Diagnostic>) {
    for piece in mojibake_pieces(run.slice(ctx.source)) {
        let span = piece.span.shift(run.start);
        let found = span.slice(ctx.source);
        let shown = visible(found);
        let diagnostic = match piece.kind {
            PieceKind::Decodes => {
                let fixed = redecode_fully(found);
                let message =
                    format!("mojibake `{shown}` (UTF-8 read as Windows-1252); it should read `{}`", visible(&fixed));
                let fix = Fix::safe("Re-decode as UTF-8", vec![Edit::replace(span, fixed)]);
                ctx.diagnostic_with_fix(&RULE.meta, span, message, fix)
            }
            PieceKind::TruncatedQuote => {
                let message = format!("mojibake `{shown}`, probably `”` with its last byte lost; write `”`");
                let fix = Fix::unsafe_("Replace with `”`", vec![Edit::replace(span, "”")]);
                ctx.diagnostic_with_fix(&RULE.meta, span, message, fix)
            }
        };
        out.push(diagnostic);
    }
}

/// Text for a message, with invisible characters spelled as code points (`U+00A0`).
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            let invisible = c.is_control()
                || (c.is_whitespace() && c != ' ')
                || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}');
            if invisible { format!("<U+{:04X}>", u32::from(c)) } else { c.to_string() }
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PieceKind {
    /// The bytes form valid UTF-8.
    Decodes,
    /// `â€` not followed by a third byte: a `”` (`E2 80 9D`) whose `9D`, undefined in
    /// Windows-1252, was dropped.
    TruncatedQuote,
}

#[derive(Clone, Copy, Debug)]
struct Piece {
    /// Byte span inside the run.
    span: Span,
    kind: PieceKind,
}

/// The mojibake stretches of a run (every character of which encodes to one Windows-1252
/// byte), as byte spans inside the run. Adjacent decodable sequences merge into one stretch.
fn mojibake_pieces(run: &str) -> Vec<Piece> {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let bytes: Vec<u8> = chars.iter().map(|&(_, c)| windows_1252_byte(c).unwrap_or(b'?')).collect();
    let char_start = |i: usize| chars.get(i).map_or(run.len(), |&(o, _)| o);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(len) = decodable_sequence(&bytes[i..]) {
            let span = Span::new(char_start(i), char_start(i + len));
            match pieces.last_mut() {
                Some(last) if last.kind == PieceKind::Decodes && last.span.end == span.start => {
                    last.span.end = span.end
                }
                _ => pieces.push(Piece { span, kind: PieceKind::Decodes }),
            }
            i += len;
        } else if bytes[i] == 0xE2
            && bytes.get(i + 1) == Some(&0x80)
            && !bytes.get(i + 2).is_some_and(|&b| is_continuation(b))
        {
            pieces.push(Piece { span: Span::new(char_start(i), char_start(i + 2)), kind: PieceKind::TruncatedQuote });
            i += 2;
        } else {
            i += 1;
        }
    }
    pieces
}

/// The length of the valid, plausible multi-byte UTF-8 sequence at the start of `bytes`.
fn decodable_sequence(bytes: &[u8]) -> Option<usize> {
    let len = match bytes.first()? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let decoded = std::str::from_utf8(bytes.get(..len)?).ok()?;
    let c = decoded.chars().next()?;
    plausible(c).then_some(len)
}

/// Whether a re-decoded character is one people write. Two-byte sequences must land in
/// Latin, Greek or Cyrillic: legitimate pairs such as `ß“` decode to NKo or Hebrew points.
fn plausible(c: char) -> bool {
    match u32::from(c) {
        0xA0..=0x24F | 0x370..=0x52F => true,
        0x80..=0x7FF => false,
        0xE000..=0xF8FF => false,
        _ => !c.is_control(),
    }
}

fn is_continuation(byte: u8) -> bool {
    (0x80..=0xBF).contains(&byte)
}

/// The Windows-1252 byte a non-ASCII character encodes to, if it is one of the 128 upper
/// characters. U+0080–U+009F map to themselves (Latin-1 reading), so bytes that
/// Windows-1252 leaves undefined (`0x9D` in `”`) round-trip too.
fn windows_1252_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x80..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    // The Windows-1252 specials (`€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ`) lie in U+0152–U+2122.
    if !(0x152..=0x2122).contains(&code) {
        return None;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    match *bytes {
        [b] if !had_errors && b >= 0x80 => Some(b),
        _ => None,
    }
}

/// Re-decode every mojibake stretch of `text`, repeatedly, for text mis-decoded more than once.
fn redecode_fully(text: &str) -> String {
    let mut current = text.to_string();
    for _ in 0..4 {
        let next = redecode_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

fn redecode_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest_start = 0;
    let mut run_start: Option<usize> = None;
    for (offset, c) in text.char_indices().chain(std::iter::once((text.len(), '\n'))) {
        if windows_1252_byte(c).is_some() {
            run_start.get_or_insert(offset);
            continue;
        }
        let Some(start) = run_start.take() else {
            continue;
        };
        let run = &text[start..offset];
        for piece in mojibake_pieces(run).into_iter().filter(|p| p.kind == PieceKind::Decodes) {
            let bytes: Vec<u8> = piece.span.slice(run).chars().filter_map(windows_1252_byte).collect();
            out.push_str(&text[rest_start..start + piece.span.start]);
            out.push_str(std::str::from_utf8(&bytes).unwrap_or(piece.span.slice(run)));
            rest_start = start + piece.span.end;
        }
    }
    out.push_str(&text[rest_start..]);
    out
}
