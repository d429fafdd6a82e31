//! Property tests over generated banks in the seed shapes: the parser finds every question,
//! `fmt` is idempotent, and `parse(fmt(x))` equals `parse(x)`.

use std::collections::HashSet;

use proptest::prelude::*;
use qbank_core::{assign_ids, format_bank, parse};
use qbank_testkit::{GenBank, GenQuestion, LABELS, LANGUAGES, LAYOUTS, QUESTION_HASHES, Shape, WORDS};

fn sentence(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), min..max).prop_map(|w| w.join(" "))
}

fn question() -> impl Strategy<Value = GenQuestion> {
    (
        sentence(2, 10),
        prop::collection::vec(sentence(1, 12), 1..4),
        any::<bool>(),
        prop::option::of((prop::sample::select(LANGUAGES), sentence(1, 6))),
        prop::option::of(sentence(2, 10)),
    )
        .prop_map(|(text, answer, bullets, code, tldr)| GenQuestion {
            text: format!("{text}?"),
            answer,
            bullets,
            code: code.map(|(l, c)| (l.to_string(), c)),
            tldr,
        })
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        prop::sample::select(LAYOUTS),
        prop::sample::select(QUESTION_HASHES),
        prop::sample::select(LABELS),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(layout, question_hashes, label, separators, restart_numbers)| Shape {
            layout,
            question_hashes,
            label,
            separators,
            restart_numbers,
        })
}

fn bank() -> impl Strategy<Value = GenBank> {
    let section = ("[A-Z][a-z]{3,8} [A-Z][a-z]{3,8}", prop::collection::vec(question(), 1..5));
    ("[A-Z][a-z]{2,10}", prop::collection::vec(section, 1..4), shape()).prop_map(|(title, sections, shape)| GenBank {
        title,
        sections,
        shape,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_fmt_round_trip(generated in bank()) {
        let text = generated.render();
        let mut first = parse(&text);
        prop_assert_eq!(first.bank.question_count(), generated.question_count(), "{}", text);
        if generated.shape.question_hashes == 3 {
            prop_assert_eq!(first.bank.sections.len(), generated.sections.len());
        }
        assign_ids(&mut first.bank, "gen", &mut HashSet::new());
        let formatted = format_bank(&first.bank);
        let second = parse(&formatted);
        prop_assert!(second.shapes.is_empty(), "{:?}", second.shapes);
        prop_assert_eq!(serde_json::to_value(&second.bank).unwrap(), serde_json::to_value(&first.bank).unwrap());
        prop_assert_eq!(format_bank(&second.bank), formatted);
        prop_assert_eq!(second.bank.questions().filter(|q| q.tldr.is_some()).count(), generated.tldr_count());
    }

    #[test]
    fn parser_never_panics(text in "(#{1,4} |[0-9]{1,3}\\. |\\*\\*|```|---|\n|[a-zé🚀 ]{0,8}|<!-- id: x -->){0,60}") {
        let parsed = parse(&text);
        let _ = format_bank(&parsed.bank);
    }
}
