//! QB105 `unfinished-answer`: an answer whose last paragraph stops mid-sentence.

use pulldown_cmark::{Event, Options as MarkdownOptions, Parser, Tag};
use qbank_core::{Question, Span};

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB105",
        name: "unfinished-answer",
        summary: "Answer ends mid-sentence",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags an answer whose last block is a paragraph that does not end like a sentence. A paragraph
ends like a sentence when, after closing quotes, brackets and emphasis markers (`"`, `’`, `)`,
`]`, `*`, `_`), its last character is `.`, `!`, `?`, `…` or `:` (a colon may introduce the
example that follows). A paragraph that ends with inline code or a URL is accepted too: a
command or a link is often left without a full stop so it can be copied.

Answers that end with a list, a code block, a table, a quote or HTML are not checked: list
items are often fragments.

## Why is this bad?
Scrapers cut text at page breaks and length limits; an answer that stops mid-sentence has
usually lost its end.

## Example
```markdown
**Answer:**

The "green" environment is updated while the "blue" environment continues to handle traffic
```

## Fix
Restore the missing text from the source, or finish the sentence."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        let Some(region) = own_answer(q) else {
            continue;
        };
        let Some(paragraph) = last_block_paragraph(ctx.source, region) else {
            continue;
        };
        let text = paragraph.slice(ctx.source).trim_end();
        if ends_like_sentence(text) {
            continue;
        }
        let last_line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let last_line = &text[last_line_start..];
        let indent = last_line.len() - last_line.trim_start().len();
        let span = Span::new(paragraph.start + last_line_start + indent, paragraph.start + text.len());
        let message =
            format!("answer ends mid-sentence (`{}`); restore the missing text or finish the sentence", tail(text));
        out.push(ctx.diagnostic(&RULE.meta, span, message));
    }
}

/// The answer's span up to the first example or TL;DR inside it (text after the TL;DR is
/// folded into the answer span by the parser; its end is not where the answer stopped).
fn own_answer(q: &Question) -> Option<Span> {
    let answer = q.spans.answer?;
    let cut = q
        .spans
        .examples
        .iter()
        .copied()
        .chain(q.spans.tldr)
        .map(|s| s.start)
        .filter(|&s| s > answer.start && s < answer.end)
        .min();
    Some(Span::new(answer.start, cut.unwrap_or(answer.end)))
}

/// The span of the answer's last top-level block when it is a paragraph.
fn last_block_paragraph(source: &str, region: Span) -> Option<Span> {
    let text = region.slice(source);
    let mut depth = 0usize;
    let mut last: Option<(bool, std::ops::Range<usize>)> = None;
    for (event, range) in Parser::new_ext(text, MarkdownOptions::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    last = Some((matches!(tag, Tag::Paragraph), range));
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule | Event::Html(_) if depth == 0 => last = Some((false, range)),
            _ => {}
        }
    }
    match last {
        Some((true, range)) => Some(Span::from(range).shift(region.start)),
        _ => None,
    }
}

fn ends_like_sentence(text: &str) -> bool {
    if text.ends_with('`') || text.ends_with('>') {
        return true;
    }
    let last_word = text.rsplit(char::is_whitespace).next().unwrap_or("");
    if last_word.contains("://") || last_word.starts_with("www.") {
        return true;
    }
    let stripped = text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_', '~']);
    stripped.ends_with(['.', '!', '?', '…', ':', '。', '！', '？'])
}

/// The last few words of the text, for the message.
fn tail(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let from = words.len().saturating_sub(4);
    let prefix = if from > 0 { "…" } else { "" };
    format!("{prefix}{}", words[from..].join(" "))
}
