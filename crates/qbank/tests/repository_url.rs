//! The repository URL has one source, the workspace `repository` key of Cargo.toml (issue 15:
//! SARIF rule links pointed elsewhere). SARIF, rule docs links and the config schema read it at
//! compile time; the files that cannot (package.json, pyproject.toml, docs) are checked here.

mod common;

use common::{qbank, root};

const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

#[test]
fn the_repository_url_is_a_real_https_url() {
    assert!(REPOSITORY.starts_with("https://github.com/"), "{REPOSITORY}");
    assert!(!REPOSITORY.ends_with('/'), "{REPOSITORY}");
}

#[test]
fn sarif_rule_links_and_tool_uri_come_from_cargo_toml() {
    let dir = tempfile::tempdir().unwrap();
    // Two findings from two rules: a missing TL;DR and a missing answer.
    std::fs::write(
        dir.path().join("bank.md"),
        "# Bank\n\n## 1. Wie geht's?\n\nAntwort ohne Zusammenfassung.\n\n## 2. Why?\n",
    )
    .unwrap();
    let out = qbank(&["check", "--format", "sarif", "bank.md"], dir.path());
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], REPOSITORY);
    let rules = driver["rules"].as_array().unwrap();
    assert!(!rules.is_empty(), "no rules in {driver}");
    for rule in rules {
        let help = rule["helpUri"].as_str().unwrap();
        assert!(help.starts_with(&format!("{REPOSITORY}/")), "{help}");
        assert!(help.ends_with(&format!("#{}", rule["id"].as_str().unwrap().to_ascii_lowercase())), "{help}");
    }
}

#[test]
fn the_config_schema_id_comes_from_cargo_toml() {
    let out = qbank(&["schema", "--config"], &root());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["$id"].as_str().unwrap().starts_with(&format!("{REPOSITORY}/")), "{}", schema["$id"]);
}

#[test]
fn the_vscode_extension_names_the_same_repository() {
    let text = std::fs::read_to_string(root().join("editors/vscode/package.json")).unwrap();
    let package: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(package["repository"]["url"], REPOSITORY);
}

/// Every URL into a qbank repository in the files users read is under the one URL.
#[test]
fn docs_and_packaging_files_link_to_the_same_repository() {
    let root = root();
    let mut files =
        vec![root.join("README.md"), root.join("editors/vscode/README.md"), root.join("editors/vscode/package.json")];
    // The wheel's Project-URL (scripts/test-wheel.sh also checks the built wheel's metadata).
    files.push(root.join("pyproject.toml"));
    for dir in ["docs", "editors/neovim/doc"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            // Text documents only (docs/images holds the screenshots).
            if path.is_file() && path.extension().is_some_and(|e| e == "md" || e == "txt") {
                files.push(path);
            }
        }
    }
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(!text.contains("example.invalid"), "{} names example.invalid", file.display());
        for url in repository_urls(&text) {
            assert!(url.starts_with(REPOSITORY), "{}: {url} is not under {REPOSITORY}", file.display());
            checked += 1;
        }
    }
    assert!(checked > 0, "no repository URL found in {files:?}");
}

/// URLs on GitHub hosts whose repository segment is `qbank`.
fn repository_urls(text: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    for (start, _) in text.match_indices("https://") {
        let rest = &text[start..];
        let end = rest.find(|c: char| c.is_whitespace() || "\"'()<>`".contains(c)).unwrap_or(rest.len());
        let url = &rest[..end];
        let mut parts = url["https://".len()..].split('/');
        let host = parts.next().unwrap_or("");
        let _owner = parts.next();
        let repo = parts.next().unwrap_or("");
        if (host.ends_with("github.com") || host.ends_with("githubusercontent.com")) && repo == "qbank" {
            urls.push(url);
        }
    }
    urls
}
