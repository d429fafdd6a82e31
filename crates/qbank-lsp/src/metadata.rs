//! The metadata comment under a question heading (`<!-- id: …; difficulty: …; tags: … -->`):
//! its keys and their descriptions, read from the bank JSON Schema
//! ([`qbank_core::schema::bank_schema`]) so editors and the schema never disagree, and where a
//! cursor sits inside one.

use std::sync::LazyLock;

use serde_json::Value;

/// The keys the metadata comment holds, in canonical order.
pub const KEYS: [&str; 3] = ["id", "difficulty", "tags"];

static SCHEMA: LazyLock<Value> = LazyLock::new(qbank_core::schema::bank_schema);

/// The schema's description of a question property (`id`, `difficulty`, `tags`…).
pub fn key_description(key: &str) -> Option<String> {
    let text = SCHEMA.pointer(&format!("/$defs/Question/properties/{key}/description"))?.as_str()?;
    Some(flow(text))
}

/// The difficulty values with their descriptions, from the schema's `Difficulty` definition.
pub fn difficulty_values() -> Vec<(String, String)> {
    let Some(choices) = SCHEMA.pointer("/$defs/Difficulty/oneOf").and_then(Value::as_array) else { return Vec::new() };
    choices
        .iter()
        .filter_map(|choice| {
            let value = choice.get("const")?.as_str()?;
            let description = choice.get("description").and_then(Value::as_str).unwrap_or_default();
            Some((value.to_string(), flow(description)))
        })
        .collect()
}

/// Doc-comment line breaks inside a paragraph joined, as the committed schema has them.
fn flow(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Where in a metadata comment a cursor is, from the line's text up to the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot<'a> {
    /// Typing a key; holds what is typed so far.
    Key(&'a str),
    /// Typing the value of `key`; `typed` is the part of the value (for lists, of the current
    /// item) before the cursor.
    Value { key: &'a str, typed: &'a str },
}

/// The slot at the end of `before` (the line up to the cursor), if the cursor is inside an open
/// `<!--` metadata comment.
pub fn slot(before: &str) -> Option<Slot<'_>> {
    let open = before.rfind("<!--")?;
    let inside = &before[open + 4..];
    if inside.contains("-->") {
        return None;
    }
    let entry_start = inside.rfind([';', '·']).map_or(0, |i| i + inside[i..].chars().next().map_or(1, char::len_utf8));
    let entry = inside[entry_start..].trim_start();
    match entry.split_once(':') {
        None => Some(Slot::Key(entry)),
        Some((key, value)) => {
            let key = key.trim();
            let typed = if key == "tags" { value.rsplit(',').next().unwrap_or(value) } else { value };
            Some(Slot::Value { key, typed: typed.trim_start() })
        }
    }
}

/// The metadata key under `offset` in `line` (a line holding a metadata comment).
pub fn key_at(line: &str, offset: usize) -> Option<&str> {
    let open = line.find("<!--")? + 4;
    let close = line[open..].find("-->").map_or(line.len(), |i| open + i);
    if offset < open || offset > close {
        return None;
    }
    let mut start = open;
    for entry in line[open..close].split_inclusive([';', '·']) {
        let end = start + entry.len();
        if offset <= end {
            let (key, _) = entry.split_once(':')?;
            let key_start = start + (key.len() - key.trim_start().len());
            let key = key.trim();
            return (offset >= key_start && offset <= key_start + key.len()).then_some(key);
        }
        start = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_come_from_the_schema() {
        assert!(key_description("id").unwrap().contains("Stable identifier"));
        assert!(key_description("difficulty").unwrap().contains("difficulty:"));
        assert!(key_description("nope").is_none());
        let values: Vec<String> = difficulty_values().into_iter().map(|(v, _)| v).collect();
        assert_eq!(values, ["easy", "medium", "hard"]);
    }

    #[test]
    fn slots() {
        assert_eq!(slot("<!-- "), Some(Slot::Key("")));
        assert_eq!(slot("<!-- id: a; dif"), Some(Slot::Key("dif")));
        assert_eq!(slot("<!-- id: a · difficulty: me"), Some(Slot::Value { key: "difficulty", typed: "me" }));
        assert_eq!(slot("<!-- tags: ops, kub"), Some(Slot::Value { key: "tags", typed: "kub" }));
        assert_eq!(slot("<!-- id: a --> text"), None);
        assert_eq!(slot("plain text"), None);
    }

    #[test]
    fn keys_under_the_cursor() {
        let line = "<!-- id: zero-downtime; difficulty: medium -->";
        assert_eq!(key_at(line, line.find("id").unwrap() + 1), Some("id"));
        assert_eq!(key_at(line, line.find("difficulty").unwrap()), Some("difficulty"));
        assert_eq!(key_at(line, line.find("medium").unwrap()), None);
        assert_eq!(key_at(line, 0), None);
    }
}
