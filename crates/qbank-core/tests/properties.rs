//! Property tests over generated banks in the seed shapes: the parser finds every question,
//! `fmt` is idempotent, and `parse(fmt(x))` equals `parse(x)`.

use std::collections::HashSet;

use proptest::prelude::*;
use qbank_core::{assign_ids, format_bank, parse};

const WORDS: &[&str] = &[
    "deploy",
    "rollback",
    "cache",
    "latency",
    "Kubernetes",
    "pod",
    "café",
    "naïve",
    "isn’t",
    "â€™s",
    "日本",
    "🚀",
    "metrics",
    "alerts",
    "`kubectl`",
    "p99",
    "SLO",
    "queue",
    "retry",
    "TLS",
];

fn sentence(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), min..max).prop_map(|w| w.join(" "))
}

#[derive(Clone, Debug)]
struct GenQuestion {
    text: String,
    answer: Vec<String>,
    bullets: bool,
    code: Option<(String, String)>,
    tldr: Option<String>,
}

#[derive(Clone, Debug)]
struct Shape {
    question_hashes: usize,
    label: &'static str,
    separators: bool,
    restart_numbers: bool,
}

fn question() -> impl Strategy<Value = GenQuestion> {
    (
        sentence(2, 10),
        prop::collection::vec(sentence(1, 12), 1..4),
        any::<bool>(),
        prop::option::of((prop::sample::select(&["python", "yaml", "bash", ""][..]), sentence(1, 6))),
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
        prop::sample::select(&[2usize, 3][..]),
        prop::sample::select(&["", "**Answer:**", "**Approach:**"][..]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(question_hashes, label, separators, restart_numbers)| Shape {
            question_hashes,
            label,
            separators,
            restart_numbers,
        })
}

fn render(title: &str, sections: &[(String, Vec<GenQuestion>)], shape: &Shape) -> String {
    let mut out = format!("# {title}\n\nSome intro prose.\n");
    let mut n = 0;
    for (s, (section, questions)) in sections.iter().enumerate() {
        if shape.question_hashes == 3 {
            out.push_str(&format!("\n## {} {section}\n", s + 1));
        }
        if shape.restart_numbers {
            n = 0;
        }
        for q in questions {
            n += 1;
            out.push_str(&format!("\n{} {n}. {}\n", "#".repeat(shape.question_hashes), q.text));
            if !shape.label.is_empty() {
                out.push_str(&format!("{}\n", shape.label));
            } else {
                out.push('\n');
            }
            for paragraph in &q.answer {
                if q.bullets {
                    out.push_str(&format!("- {paragraph}\n"))
                } else {
                    out.push_str(&format!("{paragraph}\n\n"))
                }
            }
            if let Some((lang, code)) = &q.code {
                out.push_str(&format!("\n**Example ({lang} demo):**\n```{lang}\n{code}\n```\n"));
            }
            if let Some(tldr) = &q.tldr {
                out.push_str(&format!("\n**TL;DR:**  {tldr}\n"));
            }
            if shape.separators {
                out.push_str("\n---\n");
            }
        }
    }
    out
}

fn bank() -> impl Strategy<Value = (String, Vec<(String, Vec<GenQuestion>)>, Shape)> {
    let section = ("[A-Z][a-z]{3,8} [A-Z][a-z]{3,8}", prop::collection::vec(question(), 1..5));
    ("[A-Z][a-z]{2,10}", prop::collection::vec(section, 1..4), shape())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_fmt_round_trip((title, sections, shape) in bank()) {
        let text = render(&title, &sections, &shape);
        let mut first = parse(&text);
        let expected: usize = sections.iter().map(|(_, q)| q.len()).sum();
        prop_assert_eq!(first.bank.question_count(), expected, "{}", text);
        if shape.question_hashes == 3 {
            prop_assert_eq!(first.bank.sections.len(), sections.len());
        }
        assign_ids(&mut first.bank, "gen", &mut HashSet::new());
        let formatted = format_bank(&first.bank);
        let second = parse(&formatted);
        prop_assert!(second.shapes.is_empty(), "{:?}", second.shapes);
        prop_assert_eq!(serde_json::to_value(&second.bank).unwrap(), serde_json::to_value(&first.bank).unwrap());
        prop_assert_eq!(format_bank(&second.bank), formatted);
        let tldrs = sections.iter().flat_map(|(_, q)| q).filter(|q| q.tldr.is_some()).count();
        prop_assert_eq!(second.bank.questions().filter(|q| q.tldr.is_some()).count(), tldrs);
    }

    #[test]
    fn parser_never_panics(text in "(#{1,4} |[0-9]{1,3}\\. |\\*\\*|```|---|\n|[a-zé🚀 ]{0,8}|<!-- id: x -->){0,60}") {
        let parsed = parse(&text);
        let _ = format_bank(&parsed.bank);
    }
}
