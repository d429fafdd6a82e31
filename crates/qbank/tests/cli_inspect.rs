//! `qbank inspect` on every shape fixture (tests/fixtures/shapes/): snapshots of what a user
//! reads before a merge — the shape, how sure, every question with its line, the answer
//! structure and the prose — and the JSON agreeing with the parser; the `qbank.toml` override.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn qbank(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qbank")).args(args).current_dir(cwd).output().expect("qbank runs")
}

fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/shapes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
}

#[test]
fn inspect_reads_every_shape_fixture_as_the_snapshots_say() {
    let names = fixtures();
    assert!(names.len() >= 9, "{names:?}");
    for name in names {
        let path = format!("tests/fixtures/shapes/{name}");
        let out = qbank(&["inspect", &path], &root());
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        insta::assert_snapshot!(format!("inspect_{}", name.trim_end_matches(".md")), text);
    }
}

#[test]
fn inspect_json_lists_the_questions_the_parser_reads() {
    let names = fixtures();
    let paths: Vec<String> = names.iter().map(|n| format!("tests/fixtures/shapes/{n}")).collect();
    let mut args = vec!["inspect", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let out = qbank(&args, &root());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let values: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let values = values.as_array().unwrap();
    assert_eq!(values.len(), paths.len());
    for (value, path) in values.iter().zip(&paths) {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let parsed = qbank_core::parse(&text);
        assert_eq!(value["path"], path.as_str());
        assert_eq!(value["shape"], parsed.reading.shape.as_str(), "{path}");
        assert_eq!(value["sure"], parsed.reading.is_sure(), "{path}");
        let questions = value["questions"].as_array().unwrap();
        assert_eq!(questions.len(), parsed.bank.question_count(), "{path}");
        for (q, parsed_q) in questions.iter().zip(parsed.bank.questions()) {
            let line = text[..parsed_q.spans.heading.start].matches('\n').count() + 1;
            assert_eq!(q["line"], line, "{path}");
            assert_eq!(q["number"], parsed_q.number, "{path}");
        }
    }
}

#[test]
fn inspect_follows_the_qbank_toml_shape_override() {
    let dir = tempfile::tempdir().unwrap();
    let ambiguous = std::fs::read_to_string(root().join("tests/fixtures/shapes/ambiguous.md")).unwrap();
    std::fs::write(dir.path().join("notes.md"), &ambiguous).unwrap();
    let read = |dir: &Path| -> serde_json::Value {
        let out = qbank(&["inspect", "--format", "json", "notes.md"], dir);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()[0].clone()
    };
    let before = read(dir.path());
    assert_eq!(before["sure"], false, "{before}");
    // The author settles it: questions are the level-3 headings.
    std::fs::write(dir.path().join("qbank.toml"), "question-level = 3\n").unwrap();
    let after = read(dir.path());
    assert_eq!(after["sure"], true, "{after}");
    assert_eq!(after["question_level"], 3);
    let texts: Vec<&str> =
        after["questions"].as_array().unwrap().iter().map(|q| q["question"].as_str().unwrap()).collect();
    assert_eq!(texts, ["What is a cache?", "Why invalidate a cache?"]);
}
