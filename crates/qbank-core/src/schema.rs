//! The JSON Schema of the bank model (generated from the Rust types, committed as
//! `schema/qbank.schema.json`) and validation of exported JSON against it.

use serde_json::Value;

use crate::model::Bank;

/// The schema's `$id`.
pub const SCHEMA_ID: &str = "https://qbank.dev/schema/qbank.schema.json";

/// The bank JSON Schema (draft 2020-12), generated from [`Bank`].
pub fn bank_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<Bank>();
    let mut value = serde_json::to_value(schema).expect("a schema serialises");
    if let Value::Object(map) = &mut value {
        map.insert("$id".into(), Value::String(SCHEMA_ID.into()));
        map.insert("title".into(), Value::String("qbank question bank".into()));
    }
    value
}

/// The schema as the committed file holds it: pretty JSON with a final newline.
pub fn bank_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&bank_schema()).expect("a schema serialises");
    text.push('\n');
    text
}

/// One way an instance breaks the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON pointer into the instance, e.g. `/sections/0/questions/3/id`.
    pub instance_path: String,
    pub message: String,
}

/// Validate a JSON value against the bank schema.
pub fn validate_bank_json(instance: &Value) -> Vec<SchemaViolation> {
    let schema = bank_schema();
    let validator = match jsonschema::draft202012::new(&schema) {
        Ok(v) => v,
        Err(e) => {
            return vec![SchemaViolation { instance_path: String::new(), message: format!("invalid schema: {e}") }];
        }
    };
    validator
        .iter_errors(instance)
        .map(|e| SchemaViolation { instance_path: e.instance_path().to_string(), message: e.to_string() })
        .collect()
}
