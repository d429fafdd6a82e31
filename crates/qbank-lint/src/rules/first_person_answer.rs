//! QB107 `first-person-answer`: an answer told as a personal anecdote ("I use…", "In my
//! experience…") rather than as a reference answer.

use pulldown_cmark::{Event, Options as MarkdownOptions, Parser, Tag, TagEnd};
use qbank_core::{Question, Span};

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

/// Default for the `min-sentences` option.
pub const MIN_SENTENCES: usize = 2;

/// Share of first-person sentences (in percent) that flags an answer whatever its length.
const MIN_SHARE_PERCENT: usize = 40;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB107",
        name: "first-person-answer",
        summary: "Answer is written in the first person",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags an answer with at least `min-sentences` sentences in the first person (default 2), or
in which 40% or more of the sentences are. A sentence is in the first person when it has `I`,
`I'm`, `I've`, `I'd`, `I'll`, `my`, `me`, `myself`, `we`, `we're`, `we've`, `we'd`, `we'll`,
`our`, `ours` or `ourselves` as a whole word. List items count as sentences.

Not counted: code blocks, inline code, block quotes and text in double quotes (a quoted
sample reply), examples and the TL;DR; `I/O`, `I.e.`, a roman numeral `I.` opening a list,
and `Type I`, `Phase I` and the like; hyphenated names such as `my-app`.

## Why is this bad?
A question bank answers for every reader. "I have used Git for several years" is one
candidate's résumé: it says nothing about the question and cannot be checked.

## Options
```toml
[rules.first-person-answer]
min-sentences = 3
```

## Example
```markdown
**Answer:**

I handle rollbacks by keeping a separate environment. I use Ansible to automate it.
```

## Fix
Rewrite as a reference answer: "Keep the previous release deployable; automate the switch
back (Ansible, Terraform)." Keep personal stories for an `**Example (…):**`."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, options: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let min = options.usize("min-sentences", MIN_SENTENCES).max(1);
    for q in ctx.questions() {
        let Some(region) = q.spans.answer else {
            continue;
        };
        if !may_be_first_person(region.slice(ctx.source)) {
            continue;
        }
        let (prose, block_ends) = prose_of(ctx.source, q, region);
        let sentences = sentences(&prose, &block_ends);
        let first_person: Vec<&Span> = sentences.iter().filter(|s| is_first_person(s.slice(&prose))).collect();
        let (count, total) = (first_person.len(), sentences.len());
        if count == 0 || (count < min && count * 100 < total * MIN_SHARE_PERCENT) {
            continue;
        }
        let span = first_person[0].shift(region.start);
        let sentences_word = if total == 1 { "sentence" } else { "sentences" };
        let message = format!(
            "answer is a personal account ({count} of {total} {sentences_word} in the first person); state the reference answer instead"
        );
        out.push(ctx.diagnostic(&RULE.meta, span, message));
    }
}

/// The answer's prose and where its blocks end. Everything that is not the answer's own prose
/// (code, quotes, examples, the TL;DR, Markdown syntax) is blanked to spaces, so offsets stay
/// those of the answer span.
fn prose_of(source: &str, q: &Question, region: Span) -> (String, Vec<usize>) {
    let text = region.slice(source);
    let excluded: Vec<Span> = q.spans.examples.iter().copied().chain(q.spans.tldr).collect();
    let mut prose = vec![b' '; text.len()];
    let mut block_ends = Vec::new();
    let mut quote_depth = 0usize;
    let mut code_depth = 0usize;
    for (event, range) in Parser::new_ext(text, MarkdownOptions::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Text(_) if quote_depth == 0 && code_depth == 0 => {
                let absolute = Span::from(range.clone()).shift(region.start);
                if !excluded.iter().any(|e| e.contains(absolute.start)) {
                    prose[range.clone()].copy_from_slice(&text.as_bytes()[range]);
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell) => {
                block_ends.push(range.end)
            }
            _ => {}
        }
    }
    // Every byte is either copied from `text` in whole characters or an ASCII space.
    let prose = String::from_utf8(prose).unwrap_or_default();
    block_ends.sort_unstable();
    (blank_quotations(&prose, &block_ends), block_ends)
}

/// Blank text between double quotes that open and close in one block: a quoted sample reply
/// is not the answer's own voice.
fn blank_quotations(prose: &str, block_ends: &[usize]) -> String {
    let mut bytes = prose.as_bytes().to_vec();
    let mut open: Option<(usize, char)> = None;
    let mut next_block_end = 0;
    for (i, c) in prose.char_indices() {
        if block_ends.get(next_block_end).is_some_and(|&end| end <= i) {
            while block_ends.get(next_block_end).is_some_and(|&end| end <= i) {
                next_block_end += 1;
            }
            open = None;
        }
        match open {
            Some((start, quote)) if (quote == '"' && c == '"') || (quote == '“' && c == '”') => {
                bytes[start..i + c.len_utf8()].fill(b' ');
                open = None;
            }
            None if c == '"' || c == '“' => open = Some((i, c)),
            _ => {}
        }
    }
    // Whole characters were replaced by ASCII spaces.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Sentence spans (trimmed, with at least one letter): split at block ends and at `.`, `!`,
/// `?` followed by whitespace, except after `e.g.`-style abbreviations and single letters.
fn sentences(prose: &str, block_ends: &[usize]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut next_block_end = 0;
    let chars: Vec<(usize, char)> = prose.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if block_ends.get(next_block_end).is_some_and(|&end| end <= i) {
            while block_ends.get(next_block_end).is_some_and(|&end| end <= i) {
                next_block_end += 1;
            }
            push_sentence(prose, Span::new(start, i), &mut spans);
            start = i;
        }
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let ends =
            matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) && !abbreviation(&prose[start..i]);
        if ends {
            push_sentence(prose, Span::new(start, i + c.len_utf8()), &mut spans);
            start = i + c.len_utf8();
        }
    }
    push_sentence(prose, Span::new(start, prose.len()), &mut spans);
    spans
}

fn push_sentence(prose: &str, span: Span, spans: &mut Vec<Span>) {
    let text = span.slice(prose);
    if !text.chars().any(char::is_alphabetic) {
        return;
    }
    let start = span.start + (text.len() - text.trim_start().len());
    spans.push(Span::new(start, span.start + text.trim_end().len()));
}

/// Whether text before a period ends with an abbreviation or a single letter (`e.g`, `U.S`).
fn abbreviation(before: &str) -> bool {
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("").trim_start_matches(['(', '[']);
    let lower = word.to_lowercase();
    word.chars().count() == 1
        || lower.ends_with("e.g")
        || lower.ends_with("i.e")
        || matches!(lower.as_str(), "etc" | "vs" | "approx" | "cf" | "mr" | "mrs" | "ms" | "dr" | "no" | "fig")
}

const FIRST_PERSON: &[&str] = &[
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "my",
    "me",
    "myself",
    "we",
    "we're",
    "we've",
    "we'd",
    "we'll",
    "our",
    "ours",
    "ourselves",
];

/// Words after which `I` is a roman numeral.
const NUMERAL_AFTER: &[&str] = &[
    "type", "phase", "tier", "level", "class", "part", "stage", "step", "section", "chapter", "grade", "category",
    "war",
];

fn is_first_person(sentence: &str) -> bool {
    first_person_in(sentence, true)
}

/// Whether `text` has a word that could be a first-person pronoun: [`is_first_person`] without
/// the roman-numeral exceptions, which depend on the sentence around the word, so it says yes
/// wherever that would. An answer's prose is its own text with everything else blanked to
/// spaces (and markup never joins a word to its neighbours: `*`, `` ` ``, `<`, `[` are not word
/// characters), so every word of the prose is a word of the text: an answer whose text has no
/// such word has no first-person sentence, and is not parsed again.
fn may_be_first_person(text: &str) -> bool {
    first_person_in(text, false)
}

/// A first-person word in `sentence`; `numerals`: a roman numeral `I` does not count.
fn first_person_in(sentence: &str, numerals: bool) -> bool {
    let mut previous_word = "";
    let mut word_start: Option<usize> = None;
    let bytes = sentence.as_bytes();
    let is_word_char = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' || c == '/';
    let check_word = |start: usize, end: usize, previous: &str| -> bool {
        let word = &sentence[start..end];
        let after = bytes.get(end).copied();
        if word == "I" {
            let numeral = numerals
                && (NUMERAL_AFTER.contains(&previous.to_lowercase().as_str())
                    || (after == Some(b'.') && sentence[end + 1..].starts_with(char::is_alphabetic))
                    || (start == 0 && matches!(after, Some(b'.' | b')'))));
            return !numeral;
        }
        // Every pronoun starts with one of these letters and is short: most words are ruled
        // out here, before anything is allocated.
        let pronoun_start = matches!(bytes[start], b'i' | b'I' | b'm' | b'M' | b'w' | b'W' | b'o' | b'O');
        if !pronoun_start || (word.len() > "ourselves".len() && !word.starts_with('I')) {
            return false;
        }
        let lower = word.replace('’', "'").to_lowercase();
        // All-caps words (`ME`, `WE`) are abbreviations more often than pronouns.
        let shouted = word.len() > 1 && word.chars().all(|c| !c.is_lowercase());
        let pronoun = FIRST_PERSON.contains(&lower.as_str()) || (lower.starts_with("i'") && word.starts_with('I'));
        pronoun && !shouted
    };
    for (i, c) in sentence.char_indices().chain(std::iter::once((sentence.len(), ' '))) {
        match (word_start, is_word_char(c)) {
            (None, true) => word_start = Some(i),
            (Some(start), false) => {
                let untrimmed = &sentence[start..i];
                let word = untrimmed.trim_matches(['\'', '’', '-', '/']);
                // Where the trimmed word starts: after what was trimmed off its front.
                let offset = start + untrimmed.len() - untrimmed.trim_start_matches(['\'', '’', '-', '/']).len();
                if !word.is_empty() && check_word(offset, offset + word.len(), previous_word) {
                    return true;
                }
                previous_word = &sentence[start..i];
                word_start = None;
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the rule's full reading (prose, sentences) finds a first-person sentence.
    fn found_in_prose(source: &str, q: &Question) -> bool {
        let Some(region) = q.spans.answer else { return false };
        let (prose, block_ends) = prose_of(source, q, region);
        sentences(&prose, &block_ends).iter().any(|s| is_first_person(s.slice(&prose)))
    }

    /// The quick look at the answer's own text never says no where the full reading says yes:
    /// on every seed and corpus bank, and on answers made of pronouns wrapped in every kind of
    /// markup the prose blanks (code, emphasis, links, HTML, quotes, lists, tables).
    #[test]
    fn the_quick_look_misses_no_first_person_answer() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let mut banks = Vec::new();
        for dir in ["tests/fixtures/seeds", "corpus"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                banks.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
            }
        }
        const PIECES: &[&str] = &[
            "I",
            "I'm",
            "I’ve",
            "me",
            "my",
            "We",
            "our",
            "ours",
            "type",
            "Phase",
            " ",
            " ",
            " ",
            ".",
            ". ",
            "!",
            "-",
            "/",
            "'",
            "’",
            "*",
            "**",
            "_",
            "`",
            "``",
            "[",
            "](my-link)",
            "<b>",
            "</b>",
            "<!-- me -->",
            "&amp;",
            "&#109;",
            "\\",
            "\n",
            "\n\n",
            "\n> ",
            "\n- ",
            "\n1. ",
            "| a | b |\n|---|---|\n| ",
            "\"",
            "“",
            "”",
            "(",
            ")",
            "x",
            "meet",
            "I.e.",
            "iOS",
            "ME",
            "e.g.",
        ];
        let mut seed = 0x853c_49e6_748f_ea9bu64;
        for _ in 0..4000 {
            let mut answer = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for _ in 0..(seed % 16) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                answer.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            banks.push(format!("### 1. What is it?\n\n**Answer:**\n\n{answer}\n\n**TL;DR:** It is.\n"));
        }
        let mut found = 0;
        for source in &banks {
            let parsed = qbank_core::parse(source);
            for q in parsed.bank.questions() {
                if found_in_prose(source, q) {
                    found += 1;
                    let region = q.spans.answer.expect("found in the answer");
                    assert!(may_be_first_person(region.slice(source)), "missed:\n{}", region.slice(source));
                }
            }
        }
        assert!(found > 500, "the generated answers exercise the rule: {found}");
    }
}
