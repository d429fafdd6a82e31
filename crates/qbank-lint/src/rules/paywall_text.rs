//! QB106 `paywall-text`: sign-in prompts, teasers and marketing copy scraped along with a bank.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use qbank_core::Span;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB106",
        name: "paywall-text",
        summary: "Paywall, teaser or sign-in text from the source site",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags lines with paywall and teaser text: "Sign in to continue", "Unlock Full Question Bank",
"Explore all 40 answers", "Get access to hundreds of…", "Join thousands of developers",
"Subscribe to read the full answer", "Upgrade to Premium", "Create a free account to…",
"This content is for members only", "Premium answer". Matching ignores case and punctuation
and splits words glued together by scraping (`ContinueJoin`). Every line is checked, in banks
and in other files alike, except code blocks, the front matter, questions' metadata comments
(`<!-- id: … -->`) and URLs. One finding per line.

## Why is this bad?
It is page furniture, not content: it promises answers the bank does not have, and it means
the scrape stopped at a paywall, so text is usually missing too.

## Example
```markdown
Unlock Full Question Bank
Sign in to ContinueJoin thousands of developers preparing for their dream job.
```

## Fix
Unsafe: deletes the line. Check first that nothing else on it is worth keeping, and whether
the answers around it were cut off by the paywall. A line that is a question heading, a section
title or the bank's title gets no fix: deleting it would lose the question or the title with
the furniture, so remove the phrase by hand."#,
        fixable: true,
    },
    scope: Scope::Question,
    check,
};

/// The phrase table. Words match whole words, case-insensitively; `(a|b c|)` is a choice,
/// tried in order, so longer choices come first (an empty choice makes the group optional);
/// `#` is a number (`40`, `1,000+`).
const PHRASES: &[&str] = &[
    "(sign|log) (in|up) to (continue reading|continue|keep reading|read more)",
    "(sign|log) (in|up) to (see|view|read|unlock|access) (the|this|all|full|more|our|every) (full |complete |premium |)(answer|answers|solution|solutions|question|questions|content|bank|guide|article)",
    "create a free account to",
    "unlock (the |)full (question bank|questions|question|answers|answer|solutions|solution|guide|list|bank|content|access|version)",
    "unlock all (# |)(interview |premium |)(questions|answers|solutions|content)",
    "(explore|see|view|browse) all # (interview |premium |)(questions|answers|solutions)",
    "(get|gain) (full |unlimited |instant |)access to (hundreds|thousands|millions) of",
    "(get|gain) (full |unlimited |instant |)access to # (more |)(interview |premium |)(questions|answers|solutions)",
    "join (thousands|hundreds|millions|#) (of |)(other |)(developers|engineers|candidates|learners|students|professionals|users)",
    "subscribe to (continue reading|continue|keep reading|read more|unlock)",
    "subscribe to (see|view|read|access|get) (the|this|all|full|more|our|every) (full |complete |premium |)(answer|answers|solution|solutions|question|questions|content|bank|guide|article)",
    "upgrade to premium",
    "upgrade to (pro|plus) to (see|view|read|unlock|access|continue)",
    "this (content|answer|question|article|page|post|section) is (for|only for|available to|available only to|reserved for) (premium |paid |)(members|subscribers)",
    "premium (answer|answers|solution|solutions)",
    "start your free trial",
];

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    static COMPILED: LazyLock<Vec<Phrase>> = LazyLock::new(|| PHRASES.iter().map(|p| Phrase::parse(p)).collect());
    let source = ctx.source;
    for &region in ctx.regions() {
        let mut line_start = region.start;
        while line_start < region.end {
            let next = source[line_start..region.end].find('\n').map_or(region.end, |i| line_start + i + 1);
            let line = Span::new(line_start, next);
            let skip = ctx.parsed.front_matter.is_some_and(|f| f.contains(line_start))
                || ctx.in_code(line_start)
                || !may_match(line.slice(source));
            if !skip {
                check_line(ctx, &COMPILED, region, line, out);
            }
            line_start = next;
        }
    }
}

/// A quick filter: every phrase holds one of these words, as a word of its own (as [`words`]
/// splits a line: between characters that are not letters or digits, or where a lowercase
/// letter meets an uppercase one), so a line without one cannot match. A line with characters
/// whose lowercase is ASCII (the Kelvin sign, `İ`) always gets the full match.
fn may_match(line: &str) -> bool {
    static ANCHORS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        let words = [
            "sign",
            "log",
            "account",
            "unlock",
            "all",
            "access",
            "join",
            "subscribe",
            "premium",
            "upgrade",
            "members",
            "subscribers",
            "trial",
        ];
        AhoCorasick::builder().ascii_case_insensitive(true).build(words).expect("fixed patterns build")
    });
    if !line.is_ascii() && line.chars().any(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii())) {
        return true;
    }
    let bytes = line.as_bytes();
    ANCHORS.find_overlapping_iter(line).any(|m| {
        let (start, end) = (m.start(), m.end());
        let before = line[..start].chars().next_back();
        let after = line[end..].chars().next();
        let first = bytes[start];
        let last = bytes[end - 1];
        let starts = before.is_none_or(|c| !c.is_alphanumeric() || (c.is_lowercase() && first.is_ascii_uppercase()));
        let ends = after.is_none_or(|c| !c.is_alphanumeric() || (last.is_ascii_lowercase() && c.is_uppercase()));
        starts && ends
    })
}

fn check_line(ctx: &Context<'_>, phrases: &[Phrase], region: Span, line: Span, out: &mut Vec<Diagnostic>) {
    let text = line.slice(ctx.source);
    let words = words(text);
    if words.is_empty() {
        return;
    }
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = 0;
    while at < words.len() {
        match phrases.iter().find_map(|p| p.match_at(&words, at)) {
            Some(end) => {
                found.push(words[at].range.start..words[end - 1].range.end);
                at = end;
            }
            None => at += 1,
        }
    }
    // A question's metadata comment (`<!-- id: … -->`) is not page text, and its id may well
    // be made of the heading's words, paywall and all.
    if found.is_empty() || ctx.parsed.bank.questions().filter_map(|q| q.spans.metadata).any(|m| m.contains(line.start))
    {
        return;
    }
    let quoted: Vec<String> = found.iter().map(|r| format!("`{}`", &text[r.clone()])).collect();
    let content = text.trim_end_matches(['\n', '\r']);
    let indent = content.len() - content.trim_start().len();
    let span = Span::new(line.start + indent, line.start + content.trim_end().len());
    if holds_heading(ctx, line) {
        let message = format!(
            "paywall text {} in a heading: page furniture from the source site; remove it from the heading (deleting the line would lose the heading)",
            quoted.join(", ")
        );
        out.push(ctx.diagnostic(&RULE.meta, span, message));
        return;
    }
    let message = format!(
        "paywall text {}: page furniture from the source site, not bank content; delete the line",
        quoted.join(", ")
    );
    let fix = Fix::unsafe_("Delete the line", vec![Edit::delete(deletion(ctx.source, region, line))]);
    out.push(ctx.diagnostic_with_fix(&RULE.meta, span, message, fix));
}

/// Whether `line` holds a heading of the model: a question's, a section title or the bank's
/// title.
fn holds_heading(ctx: &Context<'_>, line: Span) -> bool {
    let parsed = ctx.parsed;
    let on_line = |span: Span| span.start < line.end && line.start < span.end.max(span.start + 1);
    parsed.title_span.is_some_and(on_line)
        || parsed.bank.sections.iter().any(|s| s.title_span.is_some_and(on_line))
        || parsed.bank.questions().any(|q| on_line(q.spans.heading))
}

/// What deleting `line` (terminator included) removes so that no extra blank line is left:
/// also the blank line after it when it stood between blank lines, or the blank line before it
/// when it was last. Looks no further than `region` (the start and end of a question count as
/// the start and end of the text), so the fix depends only on the question's own lines.
fn deletion(source: &str, region: Span, line: Span) -> Span {
    let blank = |span: Span| span.slice(source).trim().is_empty();
    let before = &source[region.start..line.start];
    let before = before.strip_suffix('\n').unwrap_or(before);
    let previous = before.rfind('\n').map_or(region.start, |i| region.start + i + 1);
    let previous_blank = line.start == region.start || blank(Span::new(previous, line.start));
    if line.end == region.end {
        return if previous_blank && line.start > region.start { Span::new(previous, line.end) } else { line };
    }
    let following_end = source[line.end..region.end].find('\n').map_or(region.end, |i| line.end + i + 1);
    if previous_blank && blank(Span::new(line.end, following_end)) {
        return Span::new(line.start, following_end);
    }
    line
}

/// A word of a line: lowercase text and its byte range in the line.
#[derive(Debug)]
struct Word {
    text: String,
    range: std::ops::Range<usize>,
}

/// The words of a line: runs of letters and digits, also split where a lowercase letter meets
/// an uppercase one (`ContinueJoin`, glued by scraping). URLs are skipped.
fn words(line: &str) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<usize> = None;
    let mut previous: Option<char> = None;
    let url_ranges: Vec<std::ops::Range<usize>> = line
        .split_whitespace()
        .filter(|w| w.contains("://") || w.starts_with("www."))
        .map(|w| {
            let start = w.as_ptr() as usize - line.as_ptr() as usize;
            start..start + w.len()
        })
        .collect();
    let push = |words: &mut Vec<Word>, start: usize, end: usize| {
        if !url_ranges.iter().any(|r| r.contains(&start)) {
            words.push(Word { text: line[start..end].to_lowercase(), range: start..end });
        }
    };
    for (i, c) in line.char_indices() {
        let glued = previous.is_some_and(char::is_lowercase) && c.is_uppercase();
        match current {
            Some(start) if !c.is_alphanumeric() || glued => {
                push(&mut words, start, i);
                current = c.is_alphanumeric().then_some(i);
            }
            None if c.is_alphanumeric() => current = Some(i),
            _ => {}
        }
        previous = Some(c);
    }
    if let Some(start) = current {
        push(&mut words, start, line.len());
    }
    words
}

/// A compiled phrase: a sequence of slots, each a choice between word sequences.
#[derive(Debug)]
struct Phrase {
    slots: Vec<Vec<Vec<Token>>>,
}

#[derive(Debug)]
enum Token {
    Word(String),
    /// One or more words of digits (`1,000` is two words).
    Number,
}

impl Phrase {
    fn parse(pattern: &str) -> Phrase {
        let mut slots = Vec::new();
        let mut rest = pattern.trim();
        while !rest.is_empty() {
            if let Some(group) = rest.strip_prefix('(') {
                let close = group.find(')').unwrap_or(group.len());
                slots.push(group[..close].split('|').map(tokens).collect());
                rest = group.get(close + 1..).unwrap_or("").trim_start();
            } else {
                let end = rest.find([' ', '(']).unwrap_or(rest.len());
                slots.push(vec![tokens(&rest[..end])]);
                rest = rest[end..].trim_start();
            }
        }
        Phrase { slots }
    }

    /// The index past the last word matched, when the phrase matches at word `at`.
    fn match_at(&self, words: &[Word], at: usize) -> Option<usize> {
        match_slots(&self.slots, words, at)
    }
}

fn tokens(text: &str) -> Vec<Token> {
    text.split_whitespace().map(|w| if w == "#" { Token::Number } else { Token::Word(w.to_string()) }).collect()
}

fn match_slots(slots: &[Vec<Vec<Token>>], words: &[Word], at: usize) -> Option<usize> {
    let Some((first, rest)) = slots.split_first() else {
        return Some(at);
    };
    first.iter().find_map(|choice| match_tokens(choice, words, at).and_then(|next| match_slots(rest, words, next)))
}

fn match_tokens(tokens: &[Token], words: &[Word], mut at: usize) -> Option<usize> {
    for token in tokens {
        match token {
            Token::Word(w) => {
                if words.get(at)?.text != *w {
                    return None;
                }
                at += 1;
            }
            Token::Number => {
                let digits = words[at.min(words.len())..]
                    .iter()
                    .take_while(|w| w.text.bytes().all(|b| b.is_ascii_digit()))
                    .count();
                if digits == 0 {
                    return None;
                }
                at += digits;
            }
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_filter_wants_an_anchor_as_a_word_of_its_own() {
        for line in [
            "Sign in to continue reading",
            "ContinueJoin thousands of developers",
            "Unlock ALL 500 interview questions",
            "— Upgrade to Premium —",
            "Start your free trial.",
            "\u{212A}elvin", // the Kelvin sign lowercases to an ASCII `k`
            "İ",
        ] {
            assert!(may_match(line), "{line}");
        }
        for line in [
            "Install the logging agent and call it for small batches.",
            "Accessible signatures, joins and trials-and-errors are fine: recall everything.",
            "Кэш — это быстрое хранилище перед медленным.",
            "",
        ] {
            assert!(!may_match(line), "{line}");
        }
    }
}
