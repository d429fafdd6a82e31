//! The bank shapes public banks are written in (tests/fixtures/shapes/, written by the team):
//! each reads into the model with the exact questions and answers, no question is invented,
//! `fmt` is lossless and idempotent and `parse(fmt(x))` keeps the model; an ambiguous file is
//! read but never restructured.

use std::collections::HashSet;

use qbank_core::{FormatError, Parsed, Shape, format_source, parse, roundtrip};

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/shapes/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn questions(parsed: &Parsed) -> Vec<String> {
    parsed.bank.questions().map(|q| q.question.clone()).collect()
}

/// Parse a fixture, check its shape, that the reading is sure, and the formatter's promises.
fn read(name: &str, shape: Shape) -> Parsed {
    let source = fixture(name);
    let parsed = parse(&source);
    assert_eq!(parsed.reading.shape, shape, "{name}: {:?}", parsed.reading);
    assert!(parsed.reading.is_sure(), "{name}: unsure: {:?}", parsed.reading.doubts);
    let (formatted, first) = format_source(&source, "fixture", &mut HashSet::new()).expect("formats");
    let second = roundtrip::check(&source, &formatted, &first).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(questions(&second), questions(&parsed), "{name}: parse(fmt(x)) questions");
    parsed
}

#[test]
fn collapsible_details() {
    let parsed = read("collapsible.md", Shape::Collapsible);
    assert_eq!(
        questions(&parsed),
        [
            "What is a pod?",
            "How do you list pods in every namespace?",
            "Explain the following: * Deployment * ReplicaSet",
            "What does a Service of type ClusterIP expose?",
            "Why would you use a headless Service?",
        ]
    );
    let qs: Vec<_> = parsed.bank.questions().collect();
    assert!(qs[0].answer.starts_with("The smallest deployable unit"), "{}", qs[0].answer);
    assert!(!qs[0].answer.contains("</b>"), "decorations are not answer text: {}", qs[0].answer);
    assert!(qs[1].answer.contains("kubectl get pods -A -o wide"));
    assert!(qs[1].answer.contains("# every namespace"), "a `#` comment in code is code");
    assert_eq!(qs[3].answer, "", "an empty answer is read as empty, not as a failure");
    assert!(qs[4].answer.contains("<summary>Hint</summary>"), "a hint <details> stays in its answer");
    assert_eq!(parsed.bank.title, "Kubernetes Exercises");
    let sections: Vec<_> = parsed.bank.sections.iter().map(|s| s.title.clone().unwrap_or_default()).collect();
    assert_eq!(sections, ["Pods", "Networking"]);
    assert_eq!(qs.iter().map(|q| q.number).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
}

#[test]
fn labelled_headings_keep_numbered_answer_structure() {
    let parsed = read("labelled-headings.md", Shape::LabelledHeadings);
    assert_eq!(
        questions(&parsed),
        [
            "How would you design a rate limiter for a public API?",
            "What is the difference between a cache-aside and a write-through cache?",
        ]
    );
    let first = parsed.bank.questions().next().unwrap();
    for part in ["1. Overview", "2. Key Differences", "3. Example", "tokens = min(capacity"] {
        assert!(first.answer.contains(part), "{part} belongs to the answer: {}", first.answer);
    }
    assert!(first.answer.contains("#### 1. Overview"), "answer headings move below the question level");
}

#[test]
fn question_and_answer_lines() {
    let parsed = read("qa-lines.md", Shape::QaLines);
    assert_eq!(
        questions(&parsed),
        [
            "What is the difference between TCP and UDP?",
            "What does DNS do?",
            "Why use a CDN?",
            "What is a subnet mask?",
        ]
    );
    let answers: Vec<_> = parsed.bank.questions().map(|q| q.answer.clone()).collect();
    assert!(answers[0].starts_with("TCP is connection-oriented"), "{}", answers[0]);
    assert!(answers[2].starts_with("To serve static content"), "{}", answers[2]);
    assert!(answers[3].starts_with("It marks which bits"), "{}", answers[3]);
    assert_eq!(parsed.bank.questions().nth(3).unwrap().number, 4);
}

#[test]
fn one_question_per_file() {
    let parsed = read("single-question.md", Shape::SingleQuestion);
    assert_eq!(questions(&parsed), ["Design a URL shortener"]);
    let q = parsed.bank.questions().next().unwrap();
    assert_eq!(q.difficulty, Some(qbank_core::Difficulty::Medium));
    assert_eq!(q.extra.get("company").map(String::as_str), Some("Example Corp"));
    for part in ["Scenario", "Task", "Solution", "Key takeaways", "base62"] {
        assert!(q.answer.contains(part), "{part} is answer structure: {}", q.answer);
    }
}

#[test]
fn unnumbered_and_decorated_headings() {
    let parsed = read("unnumbered-headings.md", Shape::Headings);
    assert_eq!(
        questions(&parsed),
        [
            "What is a container image?",
            "How do you shrink an image?",
            "Why are layers cached?",
            "What is the difference between CMD and ENTRYPOINT?",
        ]
    );
    assert_eq!(parsed.bank.questions().map(|q| q.number).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let first = parsed.bank.questions().next().unwrap();
    assert!(first.answer.contains("Example"), "`### Example` is answer structure");
    assert!(first.answer.contains("# a minimal image"));
}

#[test]
fn list_items_as_questions() {
    let parsed = read("list.md", Shape::List);
    assert_eq!(
        questions(&parsed),
        ["What is the difference between VARCHAR and TEXT?", "What does VACUUM do?", "How does MVCC work?"]
    );
    let mvcc = parsed.bank.questions().nth(2).unwrap();
    assert!(mvcc.answer.starts_with("Each transaction sees a snapshot"), "{}", mvcc.answer);
    assert!(mvcc.answer.contains("SELECT xmin, xmax"), "{}", mvcc.answer);
    assert_eq!(parsed.bank.sections.len(), 2);
}

#[test]
fn question_answer_tables() {
    let parsed = read("table.md", Shape::Table);
    assert_eq!(questions(&parsed), ["What is hoisting?", "What is a closure?", "What does `===` compare?"]);
    assert_eq!(
        parsed.bank.questions().nth(1).unwrap().answer,
        "A function together with the variables of the scope it was created in."
    );
}

#[test]
fn questions_in_any_script() {
    let parsed = read("scripts.md", Shape::Headings);
    assert_eq!(questions(&parsed), ["什么是闭包？", "Что такое замыкание?", "DOCTYPE は何のためにありますか？"]);
}

#[test]
fn an_ambiguous_file_is_read_but_never_restructured() {
    let source = fixture("ambiguous.md");
    let parsed = parse(&source);
    assert!(!parsed.reading.is_sure(), "{:?}", parsed.reading);
    assert!(parsed.is_bank());
    match format_source(&source, "fixture", &mut HashSet::new()) {
        Err(FormatError::Unsure { message, .. }) => assert!(message.contains("level"), "{message}"),
        other => panic!("fmt must refuse an unsure file, got {:?}", other.map(|(s, _)| s)),
    }
}

#[test]
fn prose_files_are_not_banks() {
    for text in [
        "# qbank\n\nA toolkit.\n\n## Install\n\n```sh\ncargo install qbank\n```\n",
        "# Notes\n\n- apples\n- pears\n- plums\n",
        "| Feature | ES5 | ES6 |\n|---|---|---|\n| Modules | none | yes |\n",
    ] {
        let parsed = parse(text);
        assert!(!parsed.is_bank(), "{text}: {:?}", questions(&parsed));
    }
}

#[test]
fn mkdocs_question_admonitions_in_a_reference_page() {
    let parsed = read("admonitions.md", Shape::Admonitions);
    assert_eq!(
        questions(&parsed),
        [
            "What is the difference between SIGTERM and SIGKILL?",
            "Why can a zombie process not be killed?",
            "Qué señal envía `Ctrl+C`？",
            "How do you send a signal to every process in a group?",
        ],
        "the reference headings (`Send SIGTERM`, `Force a Kill`) and the `!!! note` are not questions"
    );
    let qs: Vec<_> = parsed.bank.questions().collect();
    assert!(qs[0].answer.starts_with("SIGTERM asks the process to exit"), "{}", qs[0].answer);
    assert!(qs[0].answer.contains("```bash\nkill -TERM 1234"), "the body is dedented: {}", qs[0].answer);
    assert!(!qs[0].answer.contains("    SIGTERM"), "{}", qs[0].answer);
    assert_eq!(
        qs[1].answer,
        "It has already exited; only its parent's `wait()` removes its entry from the process table."
    );
    assert_eq!(qs[2].answer, "SIGINT.");
    assert_eq!(qs[3].answer, "", "an admonition without a body is an empty answer");
    // The reference part stays prose: the section intro and its headings are not lost.
    let source = fixture("admonitions.md");
    let formatted = format_source(&source, "fixture", &mut HashSet::new()).unwrap().0;
    for words in ["Send SIGTERM", "kill -9 1234", "SIGKILL cannot be caught", "pkill"] {
        assert!(formatted.contains(words), "{words} lost:\n{formatted}");
    }
}

#[test]
fn question_and_answer_label_lines_under_id_headings() {
    let parsed = read("bare-labels.md", Shape::LabelledHeadings);
    assert_eq!(
        questions(&parsed),
        [
            "What is a closure?",
            "Why does a closure in a `for (var …)` loop see the last value?",
            "How do closures cause memory leaks?",
        ],
        "the `CL-Q001` id headings and the `Difficulty` lines are not questions"
    );
    let qs: Vec<_> = parsed.bank.questions().collect();
    assert!(qs[0].answer.starts_with("A function together with"), "{}", qs[0].answer);
    assert!(qs[0].answer.contains("// counter keeps `n` alive"), "{}", qs[0].answer);
    assert!(!qs[0].answer.contains("CL-Q002"), "an answer ends at the next id heading: {}", qs[0].answer);
    assert!(qs[2].answer.contains("Why is this asked?"), "without an `Answer` line the rest is the answer");
}

#[test]
fn a_numbered_heading_among_q_prefixed_questions_is_a_section() {
    let parsed = read("q-prefixed-headings.md", Shape::Headings);
    assert_eq!(
        questions(&parsed),
        [
            "What is a goroutine?",
            "`sync.WaitGroup`?",
            "Explain buffered channels.",
            "Scenario: a goroutine leak shows up in the heap profile. What is it?",
            "Scenario: `context.WithTimeout` does not stop the work?",
            "Scenario: 数据竞争 (data race) in a map?",
        ]
    );
    let sections: Vec<_> = parsed.bank.sections.iter().filter_map(|s| s.title.clone()).collect();
    assert!(sections.iter().any(|t| t == "4. Real-World Scenarios"), "{sections:?}");
    let qs: Vec<_> = parsed.bank.questions().collect();
    assert!(
        qs[1].answer.contains("wg.Wait() // # blocks until Done")
            || qs[1].examples.iter().any(|e| e.code.as_deref().is_some_and(|c| c.contains("wg.Wait()")))
    );
    assert!(qs[3].answer.contains("1. Find it") && qs[3].answer.contains("2. Fix it"), "{}", qs[3].answer);
    assert_eq!(qs.iter().map(|q| q.number).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
}

#[test]
fn one_heading_that_asks_among_prose_headings_is_no_bank() {
    let parsed = parse(&fixture("readme-one-question.md"));
    assert!(!parsed.is_bank(), "{:?}", questions(&parsed));
    // The same heading among others that ask is a question.
    let bank =
        "# FAQ\n\n## Как прислать свой вопрос?\n\nPull request.\n\n## Где лицензия?\n\nMIT.\n\n## Notes\n\nNone.\n";
    assert_eq!(parse(bank).bank.question_count(), 2);
}
