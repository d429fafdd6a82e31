//! `fmt` loses no words: every token of the input appears in the output at least as often,
//! except the non-canonical label words it rewrites (`Approach` → `Answer`).

use std::collections::HashSet;

use qbank_core::roundtrip::tokens;
use qbank_core::{ShapeKind, format_source};

#[test]
fn every_seed_keeps_every_word() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seeds");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok((output, parsed)) = format_source(&text, "seed", &mut HashSet::new()) else {
            continue; // 002 is not a bank: fmt refuses it and writes nothing.
        };
        checked += 1;
        let rewritten_labels: Vec<String> = parsed
            .shapes
            .iter()
            .filter(|n| n.kind == ShapeKind::AnswerLabel)
            .flat_map(|n| tokens(n.span.slice(&text)).into_keys())
            .collect();
        let before = tokens(&text);
        let after = tokens(&output);
        let mut lost = Vec::new();
        for (token, count) in &before {
            let kept = after.get(token).copied().unwrap_or(0);
            if kept < *count && !rewritten_labels.contains(token) {
                lost.push(format!("{token}: {count} → {kept}"));
            }
        }
        assert!(lost.is_empty(), "{}: lost tokens {lost:?}", path.display());
        // Code survives byte for byte (modulo indentation of fences inside list items).
        for q in parsed.bank.questions() {
            for example in &q.examples {
                if let Some(code) = &example.code {
                    assert!(output.contains(code.as_str()), "code lost: {code}");
                }
            }
        }
    }
    assert_eq!(checked, 4);
}
