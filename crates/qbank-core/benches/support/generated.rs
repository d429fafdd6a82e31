//! The generated bank the parse, format, check and edit-latency benches share:
//! canonical, with ids, metadata, list answers, TL;DRs
//! and code examples (every second question Python, every third YAML).

/// A canonical bank of `n` questions in sections of 50. `salt` goes into every code block, so
/// two salts give banks whose code was never seen before (a cold code-check memo).
pub fn bank(n: usize, salt: u64) -> String {
    let mut text = String::from("---\nid: generated\n---\n\n# Generated\n");
    for i in 1..=n {
        if i % 50 == 1 {
            text.push_str(&format!("\n## Operations {}\n", i / 50 + 1));
        }
        text.push_str(&format!(
            "\n### {i}. How do you handle incident number {i} in a production system?\n\
             <!-- id: incident-{i}; difficulty: medium; tags: ops, incidents -->\n\n\
             **Answer:**\n\n- Page the on-call engineer for incident {i}.\n- Roll back, then write the review.\n"
        ));
        if i % 2 == 0 {
            text.push_str(&format!(
                "\n**Example (Python):**\n\n```python\ndef handle_{i}(event):\n    return event.id + {i} + {salt}\n```\n"
            ));
        }
        if i % 3 == 0 {
            text.push_str(&format!(
                "\n**Example (YAML):**\n\n```yaml\nreplicas: {i}\nsalt: {salt}\nstrategy:\n  type: RollingUpdate\n```\n"
            ));
        }
        text.push_str("\n**TL;DR:** Page, roll back, review.\n");
    }
    text
}

/// The seed fixtures (raw banks as found on the web), by file name.
#[allow(dead_code)] // not every bench uses them
pub fn seeds() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut all: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("tests/fixtures/seeds")
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    all.sort();
    all
}
