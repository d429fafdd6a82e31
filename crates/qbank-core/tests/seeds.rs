//! The parser on the five real seed banks: counts, snapshots of the model, round trips.

use std::collections::HashSet;

use qbank_core::{IssueKind, assign_ids, format_bank, format_source, parse};

fn seed(prefix: &str) -> (String, String) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seeds");
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix} missing"));
    let stem = entry.file_stem().unwrap().to_string_lossy().into_owned();
    (stem, std::fs::read_to_string(entry).unwrap())
}

const BANKS: [&str; 4] = ["000", "001", "003", "004"];

#[test]
fn seed_000_has_16_questions_without_sections() {
    let parsed = parse(&seed("000").1);
    assert_eq!(parsed.bank.question_count(), 16);
    assert_eq!(parsed.bank.sections.len(), 1);
    assert_eq!(parsed.bank.sections[0].title, None);
    let numbers: Vec<u32> = parsed.bank.questions().map(|q| q.number).collect();
    assert_eq!(numbers, (1..=16).collect::<Vec<_>>());
    assert!(parsed.bank.questions().all(|q| !q.answer.is_empty() && q.tldr.is_none()));
}

#[test]
fn seed_001_numbers_31_to_45_with_answer_labels() {
    let parsed = parse(&seed("001").1);
    let bank = &parsed.bank;
    assert_eq!(bank.question_count(), 15);
    assert_eq!(bank.title, "Interview Questions - Part 3: DevOps & Performance");
    let numbers: Vec<u32> = bank.questions().map(|q| q.number).collect();
    assert_eq!(numbers, (31..=45).collect::<Vec<_>>());
    let first = bank.questions().next().unwrap();
    assert!(first.answer.starts_with("GitHub Actions triggers on push"), "{}", first.answer);
    assert!(bank.questions().all(|q| !q.answer.starts_with("**")));
    assert_eq!(bank.sections[0].title.as_deref(), Some("DevOps & CI/CD Questions (31-45)"));
}

#[test]
fn seed_003_has_30_questions_in_3_sections_with_tldrs_and_19_code_examples() {
    let parsed = parse(&seed("003").1);
    let bank = &parsed.bank;
    assert_eq!(bank.question_count(), 30);
    assert_eq!(bank.sections.len(), 3);
    assert!(bank.sections.iter().all(|s| s.questions.len() == 10));
    assert_eq!(bank.questions().filter(|q| q.tldr.is_some()).count(), 30);
    let code: Vec<&str> = bank
        .questions()
        .flat_map(|q| q.examples.iter())
        .filter(|e| e.code.is_some())
        .map(|e| e.language.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(code.len(), 19, "{code:?}");
    assert!(code.iter().all(|l| !l.is_empty()), "{code:?}");
    for language in ["python", "yaml", "bash", "js", "dockerfile", "sql"] {
        assert!(code.contains(&language), "{language} missing from {code:?}");
    }
    // `**Example:**` followed by bullets or a quote is a text example.
    assert!(bank.questions().flat_map(|q| q.examples.iter()).any(|e| e.text.is_some()));
}

#[test]
fn seed_004_has_50_questions_in_8_bare_sections() {
    let parsed = parse(&seed("004").1);
    let bank = &parsed.bank;
    assert_eq!(bank.question_count(), 50);
    let titles: Vec<&str> = bank.sections.iter().map(|s| s.title.as_deref().unwrap_or("")).collect();
    assert_eq!(titles.len(), 8, "{titles:?}");
    assert_eq!(titles[0], "Incident Response & Troubleshooting");
    assert_eq!(titles[7], "Security, Chaos Engineering, and DevOps");
    // Numbered steps inside answers are not questions; the step-style answers stay whole.
    let first = bank.questions().next().unwrap();
    assert!(first.answer.contains("1. **Check Monitoring and Logs**"));
    assert!(first.answer.contains("8. **Mitigation and Resolution**"));
    let code_blocks: usize = bank.questions().map(|q| q.spans.code_blocks.len()).sum();
    assert_eq!(code_blocks, 6);
}

#[test]
fn seed_002_is_not_a_bank() {
    let parsed = parse(&seed("002").1);
    assert_eq!(parsed.bank.question_count(), 0);
    assert_eq!(parsed.issues[0].kind, IssueKind::NotABank);
    assert!(format_source(&seed("002").1, "002", &mut HashSet::new()).is_err());
}

#[test]
fn snapshots_of_every_seed_model() {
    for prefix in BANKS {
        let (stem, text) = seed(prefix);
        let mut parsed = parse(&text);
        assign_ids(&mut parsed.bank, &stem, &mut HashSet::new());
        insta::assert_json_snapshot!(format!("model_{prefix}"), parsed.bank);
    }
}

#[test]
fn round_trip_idempotent_and_stable_model() {
    for prefix in BANKS {
        let (stem, text) = seed(prefix);
        let (formatted, parsed) = format_source(&text, &stem, &mut HashSet::new()).unwrap();
        let mut model = parsed.bank;
        assign_ids(&mut model, &stem, &mut HashSet::new());
        let reparsed = parse(&formatted);
        assert!(reparsed.shapes.is_empty(), "{prefix}: canonical output has shape notes: {:?}", reparsed.shapes);
        assert!(reparsed.issues.is_empty(), "{prefix}: {:?}", reparsed.issues);
        assert_eq!(
            serde_json::to_value(&reparsed.bank).unwrap(),
            serde_json::to_value(&model).unwrap(),
            "{prefix}: parse(fmt(x)) != parse(x)"
        );
        let (again, _) = format_source(&formatted, &stem, &mut HashSet::new()).unwrap();
        assert_eq!(again, formatted, "{prefix}: fmt is not idempotent");
        assert_eq!(format_bank(&reparsed.bank), formatted);
    }
}
