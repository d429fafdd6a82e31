//! The committed schema matches the model, and every seed's model validates against it.

use std::collections::HashSet;

use qbank_core::export::bank_to_json;
use qbank_core::schema::{bank_schema_text, validate_bank_json};
use qbank_core::{assign_ids, parse};

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/qbank.schema.json");

#[test]
fn committed_schema_is_up_to_date() {
    let generated = bank_schema_text();
    if std::env::var_os("QBANK_UPDATE_SCHEMA").is_some() {
        std::fs::write(COMMITTED, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/qbank.schema.json is stale: run `QBANK_UPDATE_SCHEMA=1 cargo test -p qbank-core --test schema`"
    );
}

#[test]
fn every_property_has_a_description() {
    let schema: serde_json::Value = serde_json::from_str(&bank_schema_text()).unwrap();
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    assert!(missing.is_empty(), "properties without description: {missing:?}");
}

fn walk(value: &serde_json::Value, path: &str, missing: &mut Vec<String>) {
    if let Some(props) = value.get("properties").and_then(|p| p.as_object()) {
        for (name, prop) in props {
            if prop.get("description").is_none() {
                missing.push(format!("{path}/{name}"));
            }
        }
    }
    if let Some(obj) = value.as_object() {
        for (key, child) in obj {
            walk(child, &format!("{path}/{key}"), missing);
        }
    }
}

#[test]
fn every_seed_model_validates() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seeds");
    let mut validated = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut parsed = parse(&text);
        if !parsed.is_bank() {
            continue;
        }
        assign_ids(&mut parsed.bank, "seed", &mut HashSet::new());
        let violations = validate_bank_json(&bank_to_json(&parsed.bank));
        assert!(violations.is_empty(), "{violations:?}");
        validated += 1;
    }
    assert_eq!(validated, 4);
}

#[test]
fn a_broken_instance_is_rejected_with_its_path() {
    let mut parsed = parse("### 1. Q?\n\nA.\n");
    assign_ids(&mut parsed.bank, "x", &mut HashSet::new());
    let mut json = bank_to_json(&parsed.bank);
    json["sections"][0]["questions"][0]["number"] = serde_json::json!("one");
    json["sections"][0]["questions"][0]["difficulty"] = serde_json::json!("extreme");
    let violations = validate_bank_json(&json);
    let paths: Vec<&str> = violations.iter().map(|v| v.instance_path.as_str()).collect();
    assert!(paths.contains(&"/sections/0/questions/0/number"), "{paths:?}");
    assert!(paths.contains(&"/sections/0/questions/0/difficulty"), "{paths:?}");
}
