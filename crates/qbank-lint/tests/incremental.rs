//! The cached check the language server runs per keystroke gives exactly what a fresh check
//! gives, and re-checks only the questions an edit touched.

use proptest::prelude::*;
use qbank_core::{ParseCache, parse, parse_with};
use qbank_lint::Config;
use qbank_lint::check::{CheckCache, FileInfo, check_parsed, check_parsed_cached};

const FILE: FileInfo<'static> = FileInfo { path: "bank.md", relative_path: "bank.md" };

fn banks() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut texts = Vec::new();
    for dir in ["tests/fixtures/seeds", "corpus"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
            .collect();
        paths.sort();
        texts.extend(paths.iter().map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()));
    }
    assert_eq!(texts.len(), 9, "the five seeds and the four corpus banks");
    texts
}

/// Text an author might type: words, a new question, a label, a fence, paywall text, mojibake,
/// invisible characters, a heading at another level, a suppression comment.
const INSERTS: &[&str] = &[
    "x",
    " ",
    "\n",
    "\n\n",
    "é",
    "😀",
    "\n### 99. A new question?\n",
    "\n## New section\n",
    "\n**Answer:**\n",
    "\n**TL;DR:** Short.\n",
    "\n```python\ndef f(:\n```\n",
    "\n```\n",
    "Sign in to continue reading",
    "Ã©tÃ©",
    "\u{200b}",
    "\u{a0}",
    "\n#### 7. Buried question?\n",
    "<!-- qbank-disable-next-line missing-tldr -->\n",
    "<!-- id: dup -->",
    "I think ",
];

fn snap_to_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cached_check_equals_fresh_check(
        bank in 0usize..9,
        edits in proptest::collection::vec((any::<u16>(), 0usize..INSERTS.len(), 0usize..40), 1..12),
    ) {
        let mut text = banks()[bank].clone();
        let config = Config::default();
        let mut parses = ParseCache::new();
        let mut cache = CheckCache::new();
        for (position, insert, delete) in edits {
            let at = snap_to_char(&text, usize::from(position) * text.len() / usize::from(u16::MAX));
            let end = snap_to_char(&text, at + delete);
            if delete % 2 == 0 {
                text.replace_range(at..end, "");
            } else {
                text.insert_str(at, INSERTS[insert]);
            }
            let parsed = parse_with(&text, &mut parses);
            prop_assert_eq!(&parsed, &parse(&text));
            let cached = check_parsed_cached(FILE, &text, &parsed, &config, &mut cache);
            let fresh = check_parsed(FILE, &text, &parsed, &config);
            prop_assert_eq!(cached, fresh, "after an edit at byte {}", at);
        }
    }
}

#[test]
fn an_edit_inside_one_question_rechecks_only_that_question() {
    let config = Config::default();
    for original in banks() {
        let parsed = parse(&original);
        if parsed.bank.question_count() < 3 {
            continue; // the paywall page
        }
        let mut cache = CheckCache::new();
        check_parsed_cached(FILE, &original, &parsed, &config, &mut cache);
        assert_eq!(cache.last_misses(), parsed.bank.question_count() - duplicate_texts(&original, &parsed));
        check_parsed_cached(FILE, &original, &parsed, &config, &mut cache);
        assert_eq!(cache.last_misses(), 0, "an unchanged text re-checks nothing");

        // Type a word into the middle of the second question's answer.
        let second = parsed.bank.questions().nth(1).unwrap();
        let at = second.spans.answer.map_or(second.spans.heading.end, |a| a.start + a.len() / 2);
        let at = snap_to_char(&original, at);
        let mut edited = original.clone();
        edited.insert_str(at, " word ");
        let parsed = parse(&edited);
        let cached = check_parsed_cached(FILE, &edited, &parsed, &config, &mut cache);
        assert_eq!(cache.last_misses(), 1);
        assert_eq!(cached, check_parsed(FILE, &edited, &parsed, &config));
    }
}

/// Questions whose text repeats an earlier one's in the file (checked once per check).
fn duplicate_texts(source: &str, parsed: &qbank_core::Parsed) -> usize {
    let mut seen = std::collections::HashSet::new();
    parsed.bank.questions().filter(|q| !seen.insert(q.spans.whole.slice(source))).count()
}
