//! `qbank.toml`: parsing, located errors, validation against the rule table, the resolved view
//! the checker asks, discovery, and the committed JSON Schema.

use std::path::{Path, PathBuf};

use qbank_lint::config::{Config, ConfigError, DedupMode, RuleConfig, RuleLevel};
use qbank_lint::{RuleMeta, RuleSetting, Severity};

const VALID: &str = include_str!("fixtures/config/qbank.toml");

const RULES: &[RuleMeta] = &[
    rule("QB101", "missing-tldr", Severity::Error),
    rule("QB102", "tldr-too-long", Severity::Warning),
    rule("QB103", "empty-answer", Severity::Warning),
    rule("QB104", "mojibake", Severity::Warning),
    rule("QB105", "tab-indentation", Severity::Hint),
];

const fn rule(code: &'static str, name: &'static str, default_severity: Severity) -> RuleMeta {
    RuleMeta { code, name, summary: "", default_severity, docs: "", fixable: false }
}

fn meta(code: &str) -> &'static RuleMeta {
    RULES.iter().find(|rule| rule.code == code).unwrap()
}

/// Parses and validates; the error as `line:column: message`.
fn error(text: &str) -> String {
    match Config::parse(text).and_then(|config| config.validate(RULES)) {
        Ok(()) => panic!("expected an error for:\n{text}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn valid_config_parses_and_resolves() {
    let config = Config::parse(VALID).unwrap();
    config.validate(RULES).unwrap();
    assert_eq!(config.fail_on, Severity::Warning);
    assert_eq!(config.dedup.mode, DedupMode::Semantic);
    assert_eq!(config.dedup.model.as_deref(), Some("models/all-MiniLM-L6-v2"));
    assert_eq!(config.dedup.allow, vec![["question-id-a".to_owned(), "question-id-b".to_owned()]]);
    assert_eq!(config.dedup.thresholds["semantic"], 0.85);

    let off = config.rule_setting(meta("QB104"));
    assert_eq!(off, RuleSetting { severity: None, options: toml::Table::new() });
    assert_eq!(config.rule_setting(meta("QB101")).severity, Some(Severity::Warning));
    let too_long = config.rule_setting(meta("QB102"));
    assert_eq!(too_long.severity, Some(Severity::Info));
    assert_eq!(too_long.options["max-words"].as_integer(), Some(40));
    let empty_answer = config.rule_setting(meta("QB103"));
    assert_eq!(empty_answer.severity, Some(Severity::Warning), "a table without severity keeps the default");
    assert_eq!(empty_answer.options["min-words"].as_integer(), Some(3));
    assert_eq!(config.rule_setting(meta("QB105")).severity, Some(Severity::Hint), "unconfigured: default");
}

#[test]
fn valid_config_round_trips() {
    let config = Config::parse(VALID).unwrap();
    let written = config.to_toml();
    let again = Config::parse(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(again, config);
    assert_eq!(again.to_toml(), written);
}

#[test]
fn empty_config_is_the_default() {
    let config = Config::parse("").unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.fail_on, Severity::Error);
    assert!(config.includes("banks/ops.md"));
    assert!(config.includes("top.md"));
    assert!(!config.includes("notes.txt"));
    assert_eq!(Config::default().to_toml(), "include = [\"**/*.md\"]\nfail-on = \"error\"\n");
}

#[test]
fn include_exclude_and_per_file_ignores() {
    let config = Config::parse(VALID).unwrap();
    assert!(config.includes("banks/ops.md"));
    assert!(config.includes("./banks/ops.md"));
    assert!(config.includes("banks\\windows.md"));
    assert!(!config.includes("drafts/new.md"));
    assert!(!config.includes("drafts/deep/new.md"));
    assert!(!config.includes("archive/old.md"), "a folder excludes what is under it");
    assert!(config.includes("archived.md"));

    assert!(config.is_ignored("legacy/old.md", "QB105", "tab-indentation"));
    assert!(config.is_ignored("legacy/old.md", "QB104", "mojibake"), "by name");
    assert!(!config.is_ignored("legacy/old.md", "QB101", "missing-tldr"));
    assert!(!config.is_ignored("legacy/deeper/old.md", "QB105", "tab-indentation"), "`*` stays in one folder");
    assert!(!config.is_ignored("banks/old.md", "QB105", "tab-indentation"));
}

#[test]
fn bad_toml_names_the_line() {
    assert_eq!(error("include = [\"a\"]\nexclude = [\n"), "2:12: unclosed array, expected `]`");
    assert_eq!(error("fail-on = 'error'\n[rules\n"), "2:7: unclosed table, expected `]`");
}

#[test]
fn unknown_keys_are_errors() {
    assert_eq!(
        error("include = [\"*.md\"]\nexcludes = []\n"),
        "2:1: unknown field `excludes`, expected one of `include`, `exclude`, `fail-on`, `rules`, `per-file-ignores`, `dedup`, `shape`, `question-level`"
    );
    assert_eq!(
        error("[dedup]\nmode = \"lexical\"\nmodle = \"x\"\n"),
        "3:1: unknown field `modle`, expected one of `mode`, `model`, `allow`, `thresholds`"
    );
}

#[test]
fn unknown_rules_suggest_the_closest() {
    assert_eq!(
        error("[rules]\nmissing-tldr = \"off\"\nmising-tldr = \"warning\"\n"),
        "3:1: unknown rule `mising-tldr`; did you mean `missing-tldr`?"
    );
    assert_eq!(error("[rules]\nQB10 = \"off\"\n"), "2:1: unknown rule `QB10`; did you mean `QB101`?");
    assert_eq!(
        error("[rules]\nsomething-else = \"off\"\n"),
        "2:1: unknown rule `something-else`; `qbank rules` lists them"
    );
    assert_eq!(
        error("[per-file-ignores]\n\"a/*.md\" = [\"QB101\", \"mojibak\"]\n"),
        "2:22: unknown rule `mojibak`; did you mean `mojibake`?"
    );
}

#[test]
fn a_rule_configured_twice_is_an_error() {
    assert_eq!(
        error("[rules]\nQB101 = \"off\"\nmissing-tldr = \"error\"\n"),
        "3:1: rule `missing-tldr` is configured twice: as `QB101` on line 2 and as `missing-tldr`; keep one"
    );
}

#[test]
fn bad_severities_name_the_value() {
    assert_eq!(error("[rules]\nQB101 = \"warn\"\n"), "2:9: unknown severity `warn`; did you mean `warning`?");
    assert_eq!(
        error("[rules]\nQB101 = { severity = \"loud\", max = 1 }\n"),
        "2:22: unknown severity `loud`; expected one of `off`, `hint`, `info`, `warning`, `error`"
    );
    assert_eq!(error("fail-on = \"eror\"\n"), "1:11: unknown severity `eror`; did you mean `error`?");
    assert_eq!(
        error("fail-on = \"off\"\n"),
        "1:11: unknown severity `off`; expected one of `hint`, `info`, `warning`, `error`"
    );
    assert!(error("[rules]\nQB101 = 3\n").starts_with("2:9: invalid type: integer `3`, expected a severity"));
}

#[test]
fn bad_globs_name_the_line() {
    assert_eq!(
        error("include = [\"**/*.md\", \"a/[b.md\"]\n"),
        "1:23: invalid glob `a/[b.md`: unclosed character class; missing ']'"
    );
    assert_eq!(
        error("[per-file-ignores]\n\"ok/*.md\" = []\n\"bad/{a\" = [\"QB101\"]\n"),
        "3:1: invalid glob `bad/{a`: unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)"
    );
}

#[test]
fn errors_carry_span_line_and_column() {
    let text = "# é comment\n[rules]\n  mising-tldr = \"off\"\n";
    let config = Config::parse(text).unwrap();
    let error = config.validate(RULES).unwrap_err();
    assert_eq!(
        error,
        ConfigError {
            message: "unknown rule `mising-tldr`; did you mean `missing-tldr`?".into(),
            span: qbank_core::Span::new(23, 34),
            line: 3,
            column: 3,
        }
    );
    assert_eq!(config.problems(RULES).len(), 1);
}

#[test]
fn rule_config_forms() {
    let config = Config::parse("[rules]\nQB101 = \"hint\"\nQB102 = { severity = \"off\" }\n").unwrap();
    let forms: Vec<&RuleConfig> = config.rules.values().map(|v| v.get_ref()).collect();
    assert_eq!(
        forms,
        [
            &RuleConfig::Level(RuleLevel::Hint),
            &RuleConfig::Table { severity: Some(RuleLevel::Off), options: toml::Table::new() }
        ]
    );
    assert_eq!(config.rule_setting(meta("QB102")).severity, None);
}

#[test]
fn discovery_walks_up_to_the_first_config() {
    let present = [PathBuf::from("/work/repo/qbank.toml"), PathBuf::from("/work/qbank.toml")];
    let exists = |path: &Path| present.iter().any(|p| p == path);
    assert_eq!(Config::discover_with(Path::new("/work/repo/banks/deep/ops.md"), exists), Some(present[0].clone()));
    assert_eq!(Config::discover_with(Path::new("/work/repo"), exists), Some(present[0].clone()));
    assert_eq!(Config::discover_with(Path::new("/work/other/x.md"), exists), Some(present[1].clone()));
    assert_eq!(Config::discover_with(Path::new("/elsewhere/x.md"), exists), None);
}

#[test]
fn discovery_on_the_file_system() {
    let root = tempfile::tempdir().unwrap();
    let nested = root.path().join("banks/deep");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(root.path().join("qbank.toml"), "").unwrap();
    std::fs::write(nested.join("ops.md"), "").unwrap();
    assert_eq!(Config::discover(&nested.join("ops.md")), Some(root.path().join("qbank.toml")));
    std::fs::create_dir(root.path().join("banks/qbank.toml")).unwrap();
    assert_eq!(
        Config::discover(&nested),
        Some(root.path().join("qbank.toml")),
        "a folder named qbank.toml is no config"
    );
}

const SCHEMA_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/qbank-config.schema.json");

#[test]
fn committed_schema_is_current() {
    let generated = Config::json_schema_text();
    if std::env::var_os("QBANK_UPDATE_SCHEMA").is_some_and(|v| v == "1") {
        std::fs::write(SCHEMA_PATH, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(SCHEMA_PATH).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/qbank-config.schema.json is stale; regenerate it with `QBANK_UPDATE_SCHEMA=1 cargo test -p qbank-lint --test config_model`"
    );
}

#[test]
fn schema_describes_every_property_and_accepts_the_example() {
    let schema = Config::json_schema();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(schema["$id"].as_str().unwrap().ends_with("schema/qbank-config.schema.json"));
    let mut missing = Vec::new();
    check_descriptions(&schema, "", &mut missing);
    assert!(missing.is_empty(), "properties without a description: {missing:?}");

    let validator = jsonschema::validator_for(&schema).unwrap();
    let example: serde_json::Value = serde_json::to_value(toml::from_str::<toml::Table>(VALID).unwrap()).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&example).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let bad: serde_json::Value = serde_json::json!({ "rules": { "QB101": "loud" }, "extra": 1 });
    assert!(!validator.is_valid(&bad));
}

fn check_descriptions(value: &serde_json::Value, path: &str, missing: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                for (name, property) in properties {
                    if property.get("description").is_none() {
                        missing.push(format!("{path}/{name}"));
                    }
                }
            }
            for (key, child) in map {
                check_descriptions(child, &format!("{path}/{key}"), missing);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_descriptions(item, &format!("{path}/{i}"), missing);
            }
        }
        _ => {}
    }
}
