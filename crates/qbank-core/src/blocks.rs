//! The block layer under the parser: pulldown-cmark's top-level blocks and code blocks, with
//! byte spans, parsed one *segment* at a time so that an edited text re-parses only the segments
//! that changed.
//!
//! A segment runs from one column-0 ATX heading line (`# …` to `###### …`) to the next. Such a
//! line always starts a new top-level block — an ATX heading interrupts a paragraph and closes
//! any list or block quote that is not continued by indentation or `>` — unless the text before
//! it leaves a fenced code block or an HTML block open. So each segment is parsed on its own and,
//! when its last top-level block is an unclosed fence or an HTML block that might still be open,
//! it is joined with the next one and parsed again. The result equals one pulldown-cmark pass
//! over the whole text (property-tested against [`blocks_unsegmented`]); link reference
//! definitions, the one thing that crosses blocks, change inline links, never block structure.
//!
//! [`BlockCache`] keeps each segment's blocks keyed by a 128-bit hash of its text, relative to its
//! start.

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::RandomState;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag};

use crate::Span;
use crate::model::CodeBlock;
use crate::text::{Fence, dedent};

/// One top-level block of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Heading {
        level: u8,
    },
    Paragraph,
    ThematicBreak,
    Html,
    /// A bullet or ordered list.
    List,
    /// A GFM table.
    Table,
    /// Code blocks, block quotes and anything else.
    Other,
}

/// An item of a top-level list, with its first block (what a list-shaped bank writes the
/// question in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListItem {
    /// The whole item, marker included.
    pub span: Span,
    /// The item's first block and its kind, if it has one.
    pub first: Option<(BlockKind, Span)>,
}

/// The blocks of a text: top-level blocks and every code block (at any depth), both in
/// document order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Blocks {
    pub top: Vec<Block>,
    pub code: Vec<CodeBlock>,
    /// The items of top-level lists, in document order.
    pub items: Vec<ListItem>,
}

/// Parsed segments by text, so re-parsing an edited document parses only what changed.
/// Holds the segments of the last parse that used it (older ones are dropped).
#[derive(Debug, Default)]
pub struct BlockCache {
    segments: HashMap<u128, Arc<Segment>, RandomState>,
    /// Segments parsed (not found in the cache) by the last parse: for tests and benchmarks.
    misses: usize,
}

impl BlockCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many segments the last parse had to parse (the rest came from the cache).
    pub fn last_misses(&self) -> usize {
        self.misses
    }
}

/// One parsed segment, spans relative to its start.
#[derive(Debug)]
struct Segment {
    len: usize,
    blocks: Blocks,
    /// Whether nothing stays open at its end ([`ends_closed`]).
    closed: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// The blocks of `source[start..]`, segment by segment, reusing `cache` and leaving in it the
/// segments of this text.
///
/// With `keep` false (a parse whose cache is thrown away) the segments are neither looked up
/// nor kept, which saves hashing them, sharing them and dropping them again.
pub(crate) fn blocks(source: &str, start: usize, cache: &mut BlockCache, keep: bool) -> Blocks {
    let mut out = Blocks::default();
    let mut kept: HashMap<u128, Arc<Segment>, RandomState> = HashMap::default();
    let mut misses = 0;
    let cuts = cut_points(source, start);
    let mut from = start;
    let mut next_cut = 0;
    while from < source.len() {
        // Grow the segment until it ends where a new top-level block surely starts, taking
        // twice as many cut points each time so a block that never closes costs linear time.
        let mut to_index = next_cut;
        let mut step = 1;
        let (segment, key) = loop {
            let to = cuts.get(to_index).copied().unwrap_or(source.len());
            let text = &source[from..to];
            let key = if keep { xxhash_rust::xxh3::xxh3_128(text.as_bytes()) } else { 0 };
            let found = if keep { kept.get(&key).or_else(|| cache.segments.get(&key)).cloned() } else { None };
            let segment = found.unwrap_or_else(|| {
                misses += 1;
                let blocks = parse_blocks(text);
                let closed = ends_closed(text, &blocks);
                Arc::new(Segment { len: text.len(), blocks, closed })
            });
            if to == source.len() || segment.closed {
                break (segment, key);
            }
            to_index += step;
            step *= 2;
        };
        push_shifted(&mut out, &segment.blocks, from);
        from += segment.len;
        next_cut = to_index + 1;
        if keep {
            kept.insert(key, segment);
        }
    }
    cache.segments = kept;
    cache.misses = misses;
    out
}

/// One pulldown-cmark pass over `source[start..]`: what [`blocks`] must equal.
#[cfg(test)]
pub(crate) fn blocks_unsegmented(source: &str, start: usize) -> Blocks {
    let mut out = Blocks::default();
    push_shifted(&mut out, &parse_blocks(&source[start..]), start);
    out
}

fn push_shifted(out: &mut Blocks, blocks: &Blocks, by: usize) {
    out.top.extend(blocks.top.iter().map(|b| Block { kind: b.kind, span: b.span.shift(by) }));
    out.code.extend(blocks.code.iter().map(|c| c.moved(0, by)));
    out.items.extend(
        blocks
            .items
            .iter()
            .map(|i| ListItem { span: i.span.shift(by), first: i.first.map(|(kind, span)| (kind, span.shift(by))) }),
    );
}

/// Offsets of the lines after `start` that may open a segment: column-0 ATX headings, skipping
/// those inside what looks like a top-level fenced code block (a hint that saves re-parses;
/// correctness comes from [`ends_closed`]).
fn cut_points(source: &str, start: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut fence: Option<Fence> = None;
    let mut offset = start;
    for line in source[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        if let Some(open) = fence {
            if open.closed_by(text) && text.len() - text.trim_start().len() < 4 {
                fence = None;
            }
            continue;
        }
        if line_start > start && is_atx_heading(text) {
            cuts.push(line_start);
        } else if let Some(f) = Fence::opened_by(text)
            && f.indent < 4
        {
            fence = Some(f);
        }
    }
    cuts
}

/// `#`–`######` at column 0, then a space, a tab or the end of the line.
fn is_atx_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

/// Whether nothing of the segment stays open into a following column-0 ATX heading line: its
/// last top-level block is not an unclosed fence nor an HTML block that might be open (only a
/// `<!-- … -->` comment closed within the block counts as closed).
fn ends_closed(text: &str, blocks: &Blocks) -> bool {
    let Some(last) = blocks.top.last() else { return true };
    match last.kind {
        BlockKind::Html => {
            let html = last.span.slice(text).trim_start();
            html.starts_with("<!--") && html.contains("-->")
        }
        BlockKind::Other => match blocks.code.last() {
            Some(code) if code.span == last.span && code.fenced => fence_closed(last.span.slice(text)),
            _ => true,
        },
        _ => true,
    }
}

/// Whether a fenced code block's last line is a closing fence by CommonMark's rule (at most three
/// spaces of indentation, at least as many fence characters as the opening, nothing after).
fn fence_closed(raw: &str) -> bool {
    let Some((first, rest)) = raw.split_once('\n') else { return false };
    let Some(open) = Fence::opened_by(first) else { return false };
    let last = rest.rsplit('\n').next().unwrap_or(rest);
    let indent = last.bytes().take_while(|&b| b == b' ').count();
    indent < 4 && !last[..indent].contains('\t') && !last[indent..].starts_with('\t') && open.closed_by(last)
}

/// The blocks of a short text on its own (no cache).
pub(crate) fn parse_text_blocks(text: &str) -> Blocks {
    parse_blocks(text)
}

/// Top-level blocks and code blocks of `text`, spans relative to it: one pulldown-cmark pass,
/// then the text no block covers read again on its own.
///
/// pulldown-cmark drops text in a few cases: everything after an indented code block that a
/// lone `\r` line break follows (`"    code\n\rtext"` yields the code block and nothing else),
/// and link reference definitions (`[x]: https://…`, consumed as definitions). Non-blank text
/// outside every block is parsed as a text of its own (after a code block and a line break,
/// that is how CommonMark reads it), and what still yields no block is a paragraph, so nothing
/// written is lost from the model.
fn parse_blocks(text: &str) -> Blocks {
    let mut out = pulldown_blocks(text);
    let gaps = uncovered(text, &out.top);
    if gaps.is_empty() {
        return out;
    }
    for gap in gaps {
        let inner = if gap.len() < text.len() { parse_blocks(gap.slice(text)) } else { Blocks::default() };
        if inner.top.is_empty() {
            let start = gap.start + (gap.len() - gap.slice(text).trim_start().len());
            out.top.push(Block { kind: BlockKind::Paragraph, span: trim_span(text, Span::new(start, gap.end)) });
        } else {
            push_shifted(&mut out, &inner, gap.start);
        }
    }
    out.top.sort_by_key(|b| b.span.start);
    out.code.sort_by_key(|c| c.span.start);
    out.items.sort_by_key(|i| i.span.start);
    out
}

/// The stretches of `text` between `blocks` (in order) that hold more than whitespace.
fn uncovered(text: &str, blocks: &[Block]) -> Vec<Span> {
    let mut gaps = Vec::new();
    let mut from = 0;
    let ends = blocks.iter().map(|b| (b.span.start, b.span.end)).chain(std::iter::once((text.len(), text.len())));
    for (start, end) in ends {
        if start > from && !text[from..start].trim().is_empty() {
            gaps.push(Span::new(from, start));
        }
        from = from.max(end);
    }
    gaps
}

/// One pulldown-cmark pass: top-level blocks and code blocks of `text`, spans relative to it.
fn pulldown_blocks(text: &str) -> Blocks {
    let mut out = Blocks::default();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let span = trim_span(text, Span::from(range));
        match event {
            Event::Start(tag) => {
                if let Tag::CodeBlock(kind) = &tag {
                    out.code.push(code_block(text, span, kind));
                }
                if depth == 1 && matches!(tag, Tag::Item) && last_is_list(&out) {
                    out.items.push(ListItem { span, first: None });
                } else if depth == 2 {
                    note_item_start(&mut out, text, &tag, span);
                }
                if depth == 0 {
                    // pulldown-cmark starts an indented code block after its indentation; the
                    // block starts at the line start, or its text would lose the indentation
                    // that makes it code (and an insertion at its start would land inside it).
                    let span = match tag {
                        Tag::CodeBlock(CodeBlockKind::Indented) => {
                            Span::new(indented_line_start(text, span.start), span.end)
                        }
                        _ => span,
                    };
                    out.top.push(Block { kind: inner_kind(&tag), span });
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule if depth == 0 => out.top.push(Block { kind: BlockKind::ThematicBreak, span }),
            Event::Html(_) | Event::Text(_) if depth == 0 => {
                out.top.push(Block { kind: BlockKind::Html, span });
            }
            Event::Text(_) | Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) if depth == 2 => {
                note_item_start(&mut out, text, &Tag::Paragraph, span);
            }
            _ => {}
        }
    }
    out
}

fn last_is_list(out: &Blocks) -> bool {
    out.top.last().is_some_and(|b| b.kind == BlockKind::List)
}

/// Record the first block of the current top-level list item. A tight item has no paragraph:
/// its first inline (text, `**bold**`…) starts a paragraph that runs to the end of its line.
fn note_item_start(out: &mut Blocks, text: &str, tag: &Tag<'_>, span: Span) {
    let in_list = last_is_list(out);
    let Some(item) = out.items.last_mut() else { return };
    if item.first.is_some() || !in_list || span.start < item.span.start || span.end > item.span.end {
        return;
    }
    let kind = inner_kind(tag);
    let inline = !matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Table(_)
    );
    let span = if inline {
        let line_end = text[span.start..item.span.end].find(['\n', '\r']).map_or(item.span.end, |i| span.start + i);
        Span::new(span.start, line_end)
    } else {
        span
    };
    item.first = Some((if inline { BlockKind::Paragraph } else { kind }, span));
}

fn inner_kind(tag: &Tag<'_>) -> BlockKind {
    match tag {
        Tag::Heading { level, .. } => BlockKind::Heading { level: level_u8(*level) },
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::HtmlBlock => BlockKind::Html,
        Tag::List(_) => BlockKind::List,
        Tag::Table(_) => BlockKind::Table,
        _ => BlockKind::Other,
    }
}

/// The start of the line `at` is on, when only spaces and tabs come before `at` on it.
fn indented_line_start(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if text[line_start..at].bytes().all(|b| b == b' ' || b == b'\t') { line_start } else { at }
}

fn level_u8(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Drop trailing whitespace (and line breaks) from a span.
fn trim_span(source: &str, span: Span) -> Span {
    let end = span.start + source[span.range()].trim_end().len();
    Span::new(span.start, end.max(span.start))
}

fn code_block(source: &str, span: Span, kind: &CodeBlockKind<'_>) -> CodeBlock {
    let raw = span.slice(source);
    match kind {
        CodeBlockKind::Fenced(info) => {
            let first_end = raw.find('\n').unwrap_or(raw.len());
            let first = &raw[..first_end];
            let fence = Fence::opened_by(first);
            let indent = fence.map_or(0, |f| f.indent);
            let info_text = info.trim().to_string();
            let info_span = (!info_text.is_empty())
                .then(|| {
                    first.find(info_text.as_str()).map(|i| Span::new(span.start + i, span.start + i + info_text.len()))
                })
                .flatten();
            let rest = if first_end < raw.len() { &raw[first_end + 1..] } else { "" };
            let (content, closed) = match (fence, rest.rfind('\n')) {
                (Some(f), Some(last_nl)) if f.closed_by(&rest[last_nl + 1..]) => (&rest[..last_nl], true),
                (Some(f), None) if !rest.is_empty() && f.closed_by(rest) => ("", true),
                _ => (rest, false),
            };
            // The line break before the closing fence is not code, `\r` of a CRLF included (kept,
            // `fmt` wrote `\r\r\n` there in a CRLF file, one `\r` more each run).
            let content = if closed { content.strip_suffix('\r').unwrap_or(content) } else { content };
            let content_start = span.start + (first_end + 1).min(raw.len());
            let content_span = Span::new(content_start.min(span.end), (content_start + content.len()).min(span.end));
            let code = dedent(&content.replace("\r\n", "\n"), indent);
            CodeBlock { span, content: content_span, info: info_text, info_span, fenced: true, closed, code }
        }
        CodeBlockKind::Indented => {
            let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
            let line_start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let col = span.start - line_start;
            let code = dedent(&raw.replace("\r\n", "\n"), 4usize.saturating_sub(col).max(indent.min(4)));
            CodeBlock { span, content: span, info: String::new(), info_span: None, fenced: false, closed: true, code }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) {
        let mut cache = BlockCache::new();
        assert_eq!(
            blocks(text, 0, &mut cache, true),
            blocks_unsegmented(text, 0),
            "segmented parse differs for {text:?}"
        );
        let mut unused = BlockCache::default();
        assert_eq!(
            blocks(text, 0, &mut unused, false),
            blocks_unsegmented(text, 0),
            "one-off parse differs for {text:?}"
        );
        assert!(unused.segments.is_empty(), "a one-off parse keeps nothing");
    }

    #[test]
    fn segments_equal_one_pass_on_tricky_boundaries() {
        check("# T\n\n### 1. Q?\n\nAnswer\n### 2. R?\n");
        check("### 1. Q?\n\n```bash\n# a comment\necho\n```\n\n### 2. R?\n");
        check("### 1. Q?\n\n```bash\n# never closed\n### 2. R?\n");
        check("### 1. Q?\n\n<div>\n# inside html\n</div>\n\n### 2. R?\n");
        check("### 1. Q?\n\n<!-- open\n# inside comment\n-->\n### 2. R?\n");
        check("### 1. Q?\n\n- item\n  ```\n# x\n```\n# y\n");
        check("### 1. Q?\n\n> quote\n# heading\n> more\n");
        check("### 1. Q?\n\n| a | b |\n|---|---|\n| 1 | 2 |\n# x\n");
        check("### 1. Q?\n<script>\n# x\n</script>\n# y\n");
        check("### 1. Q?\n\n    indented code\n# x\n");
        check("#\n#\tx\n####### not a heading\n# a\r\n# b");
        check("[ref]: /url\n# x\n[ref]\n");
    }

    #[test]
    fn an_edit_reparses_only_its_segment() {
        let mut text = String::from("# Bank\n");
        for i in 1..=50 {
            text.push_str(&format!(
                "\n### {i}. Question {i}?\n\n**Answer:** text {i}.\n\n```python\n# c\nx = {i}\n```\n"
            ));
        }
        let mut cache = BlockCache::new();
        let first = blocks(&text, 0, &mut cache, true);
        assert_eq!(cache.last_misses(), 51);
        let at = text.find("text 25").unwrap();
        text.insert(at, 'x');
        let second = blocks(&text, 0, &mut cache, true);
        assert_eq!(cache.last_misses(), 1);
        assert_eq!(second, blocks_unsegmented(&text, 0));
        assert_ne!(first, second);
    }

    #[test]
    fn segments_equal_one_pass_on_every_seed_and_corpus_bank() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let mut seen = 0;
        for dir in ["tests/fixtures/seeds", "corpus"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "md" || e == "txt") {
                    check(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
                    seen += 1;
                }
            }
        }
        assert!(seen >= 9, "expected the seeds and the corpus, found {seen} files");
    }

    /// Lines that open, close or interrupt blocks, for the property below.
    const LINES: &[&str] = &[
        "# Title",
        "## Section",
        "### 1. Question?",
        "###### 6",
        "####### 7",
        "#no-space",
        " # indented",
        "#",
        "```",
        "```python",
        "~~~",
        "~~~~",
        "````",
        "   ```",
        "    ```",
        "\t```",
        "# comment in code",
        "<!--",
        "-->",
        "<!-- id: q-1; tags: a -->",
        "<!-- open",
        "<div>",
        "</div>",
        "<script>",
        "</script>",
        "<?php",
        "?>",
        "<![CDATA[",
        "]]>",
        "- item",
        "  - nested",
        "1. item",
        "   continued",
        "> quote",
        ">",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "text",
        "**Answer:**",
        "",
        "",
        "    indented code",
        "Title Line",
        "---",
        "===",
        "[ref]: /url",
        "[ref]",
        "é ü 😀",
        "\r",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn segments_equal_one_pass(lines in proptest::collection::vec(0..LINES.len(), 0..40), crlf: bool) {
            let text = lines.iter().map(|&i| LINES[i]).collect::<Vec<_>>().join(if crlf { "\r\n" } else { "\n" });
            let mut cache = BlockCache::new();
            proptest::prop_assert_eq!(blocks(&text, 0, &mut cache, true), blocks_unsegmented(&text, 0));
            // And again from the cache, after an edit elsewhere.
            let edited = format!("{text}\n### 9. Added?\n");
            proptest::prop_assert_eq!(blocks(&edited, 0, &mut cache, true), blocks_unsegmented(&edited, 0));
        }
    }
}
