//! Re-parsing an edited text with a [`ParseCache`] gives what a fresh parse gives, and parses
//! only what the edit touched.

use qbank_core::{ParseCache, parse, parse_with};

fn bank(n: usize) -> String {
    let mut text = String::from("---\nid: generated\n---\n\n# Generated\n\n## Operations\n");
    for i in 1..=n {
        text.push_str(&format!(
            "\n### {i}. How do you handle incident {i}?\n<!-- id: incident-{i}; tags: ops -->\n\n\
             **Answer:**\n\nPage the on-call engineer for incident {i}.\n\n\
             **Example (Python):**\n\n```python\n# handle it\ndef handle_{i}(event):\n    return {i}\n```\n\n\
             **TL;DR:** Page, roll back, review.\n"
        ));
        if i % 10 == 0 {
            text.push_str(&format!("\n## Part {}\n", i / 10 + 1));
        }
    }
    text
}

#[test]
fn typing_in_one_answer_rebuilds_one_question() {
    let mut text = bank(200);
    let mut cache = ParseCache::new();
    assert_eq!(parse_with(&text, &mut cache), parse(&text));
    assert_eq!(cache.last_question_misses(), 200);

    let at = text.find("incident 120.").unwrap();
    for (i, c) in "more words ".chars().enumerate() {
        text.insert(at + i, c);
        let parsed = parse_with(&text, &mut cache);
        assert_eq!(cache.last_segment_misses(), 1, "one segment re-parsed");
        assert_eq!(cache.last_question_misses(), 1, "one question rebuilt");
        assert_eq!(parsed, parse(&text));
    }
}

#[test]
fn structural_edits_match_a_fresh_parse() {
    let original = bank(30);
    let mut cache = ParseCache::new();
    parse_with(&original, &mut cache);
    let edits: Vec<(&str, &str)> = vec![
        // A fence left open swallows the rest.
        ("```python\n# handle it\ndef handle_7", "```python\n# handle it\n```\n```\ndef handle_7"),
        // A question heading becomes prose, then a section.
        ("### 12. How", "12. How"),
        ("### 13. How", "## 13. How"),
        // Front matter closed differently, a title removed, a heading level changed everywhere.
        ("---\n\n# Generated", "\n# Generated"),
        ("# Generated\n", ""),
        ("<!-- id: incident-3; tags: ops -->", "<!-- id: incident-3; tags: ops"),
        // Same text, other blocks: a no-break space after `---` makes the separator a
        // paragraph (found by the qbank-lint incremental property test).
        ("review.\n\n### 9. How", "review.\n\n---\n\n### 9. How"),
    ];
    for (from, to) in edits {
        let edited = original.replacen(from, to, 1);
        assert_ne!(edited, original, "edit {from:?} applies");
        assert_eq!(parse_with(&edited, &mut cache), parse(&edited), "after replacing {from:?}");
        assert_eq!(parse_with(&original, &mut cache), parse(&original), "after undoing {from:?}");
    }
    let separated = original.replacen("review.\n\n### 9. How", "review.\n\n---\n\n### 9. How", 1);
    parse_with(&separated, &mut cache);
    let paragraph = separated.replacen("---\n\n### 9. How", "---\u{a0}\n\n### 9. How", 1);
    assert_eq!(parse_with(&paragraph, &mut cache), parse(&paragraph), "`---` followed by a no-break space");
    let levels = original.replace("\n### ", "\n#### ");
    assert_eq!(parse_with(&levels, &mut cache), parse(&levels));
}
