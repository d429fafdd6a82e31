//! The rule catalogue is well-formed, and the README table and docs/rules.md generated from it
//! are up to date (`QBANK_UPDATE_DOCS=1 cargo test -p qbank-lint --test catalogue` rewrites them).

use std::collections::HashSet;
use std::path::Path;

use qbank_lint::catalogue::{rules_document, splice_table};
use qbank_lint::registry::{RULES, find};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn up_to_date(path: &Path, generated: &str) {
    if std::env::var_os("QBANK_UPDATE_DOCS").is_some() {
        std::fs::write(path, generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `QBANK_UPDATE_DOCS=1 cargo test -p qbank-lint --test catalogue`",
        path.display()
    );
}

#[test]
fn readme_rule_table_is_up_to_date() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let spliced = splice_table(&readme).expect("README.md has the rules:start/rules:end markers");
    up_to_date(&path, &spliced);
    for rule in RULES {
        assert!(spliced.contains(&format!("`{}`", rule.meta.name)));
    }
}

#[test]
fn rules_document_is_up_to_date() {
    up_to_date(&root().join("docs/rules.md"), &rules_document());
}

#[test]
fn codes_and_names_are_unique_sorted_and_documented() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    let mut previous = "";
    for rule in RULES {
        let m = &rule.meta;
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(m.code > previous, "{} is out of code order", m.code);
        previous = m.code;
        assert!(
            m.code.len() == 5 && m.code.starts_with("QB") && m.code[2..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            m.code
        );
        assert!(m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{} is not kebab-case", m.name);
        assert!(
            !m.name.starts_with("no-") && !m.name.starts_with("disallow-"),
            "{}: names describe the pattern flagged",
            m.name
        );
        for section in ["## What it does", "## Why is this bad?", "## Example", "## Fix"] {
            assert!(m.docs.contains(section), "{} docs lack `{section}`", m.code);
        }
        assert!(find(m.code).is_some() && find(m.name).is_some() && find(&m.code.to_lowercase()).is_some());
    }
}
