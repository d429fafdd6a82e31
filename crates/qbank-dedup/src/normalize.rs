//! Text normalisation: Markdown stripping, NFKC, case folding, tokenising, stop words, stemming.
//!
//! Every later stage (exact hashes, candidate features, TF-IDF scores) sees text only through
//! [`stems`], so two texts that normalise alike are indistinguishable to the rest of the crate.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

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
    let mut out = Vec::new();
    for_each_stem(text, |_, stem| out.push(stem.to_owned()));
    out
}

/// Calls `visit(word, stem)` for every word of `text` that [`normalize`] keeps, in reading
/// order, without allocating per word: answers are most of the text a corpus has.
pub(crate) fn for_each_stem(text: &str, visit: impl FnMut(&str, &str)) {
    for_each_plain_stem(&plain_text(text), visit);
}

/// [`for_each_stem`] for text that is already [`plain_text`].
pub(crate) fn for_each_plain_stem(plain: &str, mut visit: impl FnMut(&str, &str)) {
    for_each_word(plain, |word| {
        let (base, negated) = split_clitics(word);
        if !base.is_empty() {
            with_stem(base, |stem| {
                if let Some(stem) = stem {
                    visit(base, stem);
                }
            });
        }
        if negated {
            visit("not", "not");
        }
    });
}

/// Markdown reduced to its visible prose, whitespace collapsed; case and punctuation are kept.
///
/// This is what the sentence-embedding model sees, and what [`stems`] tokenises.
pub(crate) fn plain_text(text: &str) -> String {
    strip_inline(&strip_blocks(text))
}

/// Drops fenced code blocks and HTML comments, line by line.
fn strip_blocks(text: &str) -> Cow<'_, str> {
    if !text.contains("```") && !text.contains("~~~") && !text.contains("<!--") {
        return Cow::Borrowed(text);
    }
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
    Cow::Owned(remove_html_comments(&out))
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
/// URLs, emphasis markers and backticks (their text stays: inline code is content); collapses
/// whitespace. One pass over the bytes: every answer of the corpus goes through here.
fn strip_inline(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut prev_alnum = false;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let byte = bytes[i];
        let next_alnum = || rest[1..].chars().next().is_some_and(char::is_alphanumeric);
        let skip = match byte {
            b']' => link_target_end(rest),
            b'<' if rest[1..].starts_with(|d: char| d.is_ascii_alphabetic() || d == '/') => {
                rest.find('>').map(|end| end + 1)
            }
            b'h' | b'w' if !prev_alnum && is_url_start(rest) => {
                Some(rest.find(|d: char| d.is_whitespace() || d == ')').unwrap_or(rest.len()))
            }
            _ => None,
        };
        if let Some(skip) = skip {
            pending_space = true;
            prev_alnum = false;
            i += skip;
            continue;
        }
        if byte == b'*' || byte == b'`' || (byte == b'_' && !(prev_alnum && next_alnum())) {
            prev_alnum = false;
            i += 1;
            continue;
        }
        let c = rest.chars().next().expect("i is a char boundary");
        if c.is_whitespace() {
            pending_space = true;
            prev_alnum = false;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
            prev_alnum = c.is_alphanumeric();
        }
        i += c.len_utf8();
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
    ["http://", "https://", "www."].iter().any(|p| rest.starts_with(p))
}

/// NFKC + lower-case (NFKC leaves ASCII alone, so ASCII text skips it), then maximal runs of
/// letters and digits. Apostrophes inside a word are kept so that contractions can be
/// expanded; a trailing `+`/`#` run is kept (`c++`, `c#`).
fn for_each_word(text: &str, visit: impl FnMut(&str)) {
    if text.is_ascii() {
        // Byte by byte, without first copying the text into characters (most banks are
        // ASCII, and this runs on every answer).
        return words_of(text.as_bytes(), visit);
    }
    let folded: Vec<char> = text.nfkc().flat_map(char::to_lowercase).collect();
    words_of(&folded, visit);
}

/// What [`words_of`] needs to know of a unit of text: a byte of ASCII text, or a character of
/// folded text.
trait Letter: Copy {
    fn is_word(self) -> bool;
    fn is_apostrophe(self) -> bool;
    fn is_suffix(self) -> bool;
    /// Appends the letter, lower-cased.
    fn push_to(self, word: &mut String);
}

impl Letter for u8 {
    fn is_word(self) -> bool {
        self.is_ascii_alphanumeric()
    }
    fn is_apostrophe(self) -> bool {
        self == b'\''
    }
    fn is_suffix(self) -> bool {
        matches!(self, b'+' | b'#')
    }
    fn push_to(self, word: &mut String) {
        word.push(char::from(self.to_ascii_lowercase()));
    }
}

impl Letter for char {
    fn is_word(self) -> bool {
        self.is_alphanumeric()
    }
    fn is_apostrophe(self) -> bool {
        matches!(self, '\'' | '’')
    }
    fn is_suffix(self) -> bool {
        matches!(self, '+' | '#')
    }
    fn push_to(self, word: &mut String) {
        word.push(self);
    }
}

/// The words of [`for_each_word`] in text that is ASCII or already folded.
fn words_of<L: Letter>(text: &[L], mut visit: impl FnMut(&str)) {
    let mut word = String::new();
    let mut i = 0;
    while i < text.len() {
        if !text[i].is_word() {
            i += 1;
            continue;
        }
        word.clear();
        while i < text.len() {
            let c = text[i];
            if c.is_word() {
                c.push_to(&mut word);
            } else if c.is_apostrophe() && text.get(i + 1).is_some_and(|n| n.is_word()) {
                word.push('\'');
            } else {
                break;
            }
            i += 1;
        }
        let suffix_len = text[i..].iter().take_while(|c| c.is_suffix()).count();
        let followed_by_word = text.get(i + suffix_len).is_some_and(|c| c.is_word());
        if (1..=2).contains(&suffix_len) && !followed_by_word {
            text[i..i + suffix_len].iter().for_each(|c| c.push_to(&mut word));
            i += suffix_len;
        }
        visit(&word);
    }
}

/// The word without its clitic, and whether it was negated (`n't`).
fn split_clitics(word: &str) -> (&str, bool) {
    match word {
        "can't" => ("can", true),
        "won't" => ("will", true),
        "shan't" => ("shall", true),
        _ => match word.strip_suffix("n't") {
            Some(base) => (base, true),
            // Possessives and other clitics ('s, 're, 'll, 've, 'd, 'm) carry no content.
            None => (word.split('\'').next().unwrap_or(word), false),
        },
    }
}

/// Words seen per thread, with their stems (`None`: a stop word): a corpus repeats its
/// vocabulary endlessly, and the Snowball stemmer costs more than a lookup.
const STEM_CACHE_LIMIT: usize = 1_000_000;

thread_local! {
    static STEM_CACHE: RefCell<HashMap<Box<str>, Option<Box<str>>, Xxh3DefaultBuilder>> =
        const { RefCell::new(HashMap::with_hasher(Xxh3DefaultBuilder)) };
}

fn with_stem<R>(word: &str, visit: impl FnOnce(Option<&str>) -> R) -> R {
    STEM_CACHE.with_borrow_mut(|cache| {
        if let Some(stem) = cache.get(word) {
            return visit(stem.as_deref());
        }
        if cache.len() >= STEM_CACHE_LIMIT {
            cache.clear();
        }
        let stem: Option<Box<str>> = (!is_stop_word(word)).then(|| STEMMER.stem(word).into());
        let result = visit(stem.as_deref());
        cache.insert(word.into(), stem);
        result
    })
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// English function words (the NLTK list without its negations, plus a few question
/// auxiliaries). Sorted: looked up by binary search.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "etc",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII path (bytes) finds exactly the words of the general one (folded characters),
    /// on text full of the cases they treat specially (apostrophes, `+`/`#` suffixes, digits,
    /// case, punctuation).
    #[test]
    fn ascii_words_are_the_general_words() {
        const PIECES: &[&str] = &[
            "C++", "c#", "C+++", "a+b", "don't", "it's", "'quoted'", "x'", "HTTP2", "e.g.", " ", "\n", "--", "##", "+",
            "#x", "Rust's", "o'clock", "A", "9", "_", "foo_bar", "won't", "C#.", "f#1", "''", "(c++)",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 9) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let (mut ascii, mut general) = (Vec::new(), Vec::new());
            words_of(text.as_bytes(), |w| ascii.push(w.to_string()));
            let folded: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
            words_of(&folded, |w| general.push(w.to_string()));
            assert_eq!(ascii, general, "{text:?}");
        }
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn strips_markdown_and_stems() {
        assert_eq!(normalize("How do you handle *rollbacks* in `production`?"), "handl rollback product");
        assert_eq!(normalize("See [the **docs**](https://example.com/a_b) or <https://x.io> now"), "see doc now");
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
        assert_eq!(plain_text("  How do you\n handle **rollbacks**?\n```\ncode\n```"), "How do you handle rollbacks?");
    }
}
