//! JSON export of the model: what `qbank export` prints.

use serde_json::Value;

use crate::model::Bank;

/// A bank as JSON (validates against [`crate::schema::bank_schema`]).
pub fn bank_to_json(bank: &Bank) -> Value {
    serde_json::to_value(bank).expect("the model serialises")
}

/// Pretty JSON text for one bank or an array of banks, with a final newline.
pub fn to_pretty_json(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value serialises");
    text.push('\n');
    text
}
