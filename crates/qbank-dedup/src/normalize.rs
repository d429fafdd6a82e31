//! Text normalisation: Markdown stripping, NFKC, case folding, tokenising, stop words, stemming.
//!
//! Every later stage (exact hashes, candidate features, TF-IDF scores) sees text only through
//! [`stems`], so two texts that normalise alike are indistinguishable to the rest of the crate.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Normalises a question (or any Markdown snippet) for comparison.
///
/// Steps, in order: drop fenced code blocks and HTML comments; unwrap links and images to their
/// text; drop URLs and HTML tags; NFKC; lower-case; split into words (letters and digits, with
/// `c++`/`c#`-style suffixes kept); expand `n't` to `not`; drop English stop words (negations
/// are kept: "with" and "without" must stay different); stem with the Snowball English stemmer.
/// The stems are joined with single spaces.
///
/// Inline code and emphasis keep their text: `` `kubectl rollout undo` `` is content.
///
/// ```
/// assert_eq!(
///     qbank_dedup::normalize("How do you handle **rollbacks** in [production](https://x.io)?"),
///     "handl rollback product"
/// );
/// ```
pub fn normalize(text: &str) -> String {
    stems(text).join(" ")
}

/// The normalised words of `text` in reading order (see [`normalize`]).
pub(crate) fn stems(text: &str) -> Vec<String> {
    stemmed_words(text).into_iter().map(|(_, stem)| stem).collect()
}

/// Each stem of `text` in reading order, with the lower-cased word it came from.
pub(crate) fn stemmed_words(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for word in words(&plain_text(text)) {
        push_stems(&word, &mut out);
    }
    out
}

/// Markdown reduced to its visible prose, whitespace collapsed; case and punctuation are kept.
///
/// This is what the sentence-embedding model sees, and what [`stems`] tokenises.
pub(crate) fn plain_text(text: &str) -> String {
    let without_blocks = strip_blocks(text);
    let inline = strip_inline(&without_blocks);
    let mut out = String::with_capacity(inline.len());
    for word in inline.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Drops fenced code blocks and HTML comments, line by line.
fn strip_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match (fence, marker) {
            (None, Some(m)) if run >= 3 => fence = Some((m, run)),
            (Some((m, open)), Some(c)) if c == m && run >= open && trimmed[run..].trim().is_empty() => {
                fence = None;
            }
            (None, _) => {
                out.push_str(line);
                out.push('\n');
            }
            (Some(_), _) => {}
        }
    }
    remove_html_comments(&out)
}

fn remove_html_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Unwraps `[text](url)`, `![alt](url)` and `[text][ref]`; drops `<tags>`, `<autolinks>`, bare
/// URLs, emphasis markers and backticks (their text stays: inline code is content).
fn strip_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let rest = &text[i..];
        let next = rest[c.len_utf8()..].chars().next();
        let skip_to = |end: usize| i + end;
        let resume = match c {
            ']' => link_target_end(rest).map(skip_to),
            '<' if next.is_some_and(|d| d.is_ascii_alphabetic() || d == '/') => {
                rest.find('>').map(|end| skip_to(end + 1))
            }
            'h' | 'w' if !prev.is_some_and(char::is_alphanumeric) && is_url_start(rest) => {
                let end = rest
                    .find(|d: char| d.is_whitespace() || d == ')')
                    .unwrap_or(rest.len());
                Some(skip_to(end))
            }
            _ => None,
        };
        if let Some(resume) = resume {
            out.push(' ');
            while iter.peek().is_some_and(|(j, _)| *j < resume) {
                iter.next();
            }
            prev = Some(' ');
            continue;
        }
        let emphasis = c == '*'
            || c == '`'
            || (c == '_'
                && !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)));
        if !emphasis {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// For `](url)` or `][ref]` at the start of `rest`, the byte length up to and including the
/// closing bracket.
fn link_target_end(rest: &str) -> Option<usize> {
    let close = match rest.as_bytes().get(1) {
        Some(b'(') => ')',
        Some(b'[') => ']',
        _ => return None,
    };
    rest[2..].find(close).map(|end| end + 3)
}

fn is_url_start(rest: &str) -> bool {
    ["http://", "https://", "www."]
        .iter()
        .any(|p| rest.starts_with(p))
}

/// NFKC + lower-case, then maximal runs of letters and digits. Apostrophes inside a word are
/// kept so that contractions can be expanded; a trailing `+`/`#` run is kept (`c++`, `c#`).
fn words(text: &str) -> Vec<String> {
    let folded: Vec<char> = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        if !folded[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut word = String::new();
        while i < folded.len() {
            let c = folded[i];
            let apostrophe = matches!(c, '\'' | '’');
            if c.is_alphanumeric() {
                word.push(c);
            } else if apostrophe && folded.get(i + 1).is_some_and(|n| n.is_alphanumeric()) {
                word.push('\'');
            } else {
                break;
            }
            i += 1;
        }
        let suffix_len = folded[i..]
            .iter()
            .take_while(|c| matches!(c, '+' | '#'))
            .count();
        let followed_by_word = folded
            .get(i + suffix_len)
            .is_some_and(|c| c.is_alphanumeric());
        if (1..=2).contains(&suffix_len) && !followed_by_word {
            word.extend(&folded[i..i + suffix_len]);
            i += suffix_len;
        }
        words.push(word);
    }
    words
}

fn push_stems(word: &str, out: &mut Vec<(String, String)>) {
    let (base, negated) = match word {
        "can't" => ("can", true),
        "won't" => ("will", true),
        "shan't" => ("shall", true),
        _ => match word.strip_suffix("n't") {
            Some(base) => (base, true),
            // Possessives and other clitics ('s, 're, 'll, 've, 'd, 'm) carry no content.
            None => (word.split('\'').next().unwrap_or(word), false),
        },
    };
    if !base.is_empty() && !is_stop_word(base) {
        out.push((base.to_owned(), STEMMER.stem(base).into_owned()));
    }
    if negated {
        out.push(("not".to_owned(), "not".to_owned()));
    }
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// English function words (the NLTK list without its negations, plus a few question
/// auxiliaries). Sorted: looked up by binary search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "etc", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "let", "me", "might", "more", "most", "must", "my", "myself", "of", "off",
    "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over",
    "own", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your", "yours", "yourself", "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn strips_markdown_and_stems() {
        assert_eq!(
            normalize("How do you handle *rollbacks* in `production`?"),
            "handl rollback product"
        );
        assert_eq!(
            normalize("See [the **docs**](https://example.com/a_b) or <https://x.io> now"),
            "see doc now"
        );
        assert_eq!(normalize("Visit https://example.com/path today"), "visit today");
    }

    #[test]
    fn fenced_code_and_comments_are_dropped() {
        let text = "Use a rolling update.\n<!-- id: x -->\n```yaml\nstrategy: RollingUpdate\n```\nDone";
        assert_eq!(normalize(text), "use roll updat done");
        let nested = "Text\n    ~~~~\n    code ``` still code\n    ~~~~\nlater";
        assert_eq!(normalize(nested), "text later");
    }

    #[test]
    fn nfkc_and_case_folding() {
        assert_eq!(normalize("ＫＵＢＥＲＮＥＴＥＳ ﬁle"), normalize("Kubernetes file"));
        assert_eq!(normalize("ÉCOLE Straße"), normalize("école straße"));
    }

    #[test]
    fn negations_and_contractions() {
        assert_eq!(normalize("Why don't you cache?"), "not cach");
        assert_eq!(normalize("Deploy without downtime"), "deploy without downtim");
        assert_eq!(normalize("The team's on-call rota"), "team call rota");
    }

    #[test]
    fn language_names_keep_their_suffix() {
        assert_eq!(normalize("C++ vs C# vs C"), "c++ vs c# vs c");
        assert_eq!(normalize("a+b"), "b");
    }

    #[test]
    fn plain_text_collapses_whitespace() {
        assert_eq!(
            plain_text("  How do you\n handle **rollbacks**?\n```\ncode\n```"),
            "How do you handle rollbacks?"
        );
    }
}
