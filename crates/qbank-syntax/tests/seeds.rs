//! Every fenced block in the seed banks checks clean and resolves to a known language.

use qbank_syntax::{CheckOutcome, check, resolve_language};

/// A fenced code block: its info string, its dedented content, its opening line.
struct Fence {
    info: String,
    code: String,
    line: usize,
}

/// Backtick fences, including ones indented inside list items (dedented by the opening
/// fence's indentation, as a Markdown parser would).
fn fences(markdown: &str) -> Vec<Fence> {
    let mut fences = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((line, text)) = lines.next() {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let Some(info) = text[indent..].strip_prefix("```") else {
            continue;
        };
        let mut code = String::new();
        for (_, body) in lines.by_ref() {
            if body.trim() == "```" {
                break;
            }
            let strip = (body.len() - body.trim_start_matches(' ').len()).min(indent);
            code.push_str(&body[strip..]);
            code.push('\n');
        }
        fences.push(Fence { info: info.trim().to_string(), code, line });
    }
    fences
}

fn seed(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn seed_blocks_check_clean() {
    let mut resolved = Vec::new();
    let mut failures = Vec::new();
    for name in ["003_0e0736c5a99eb0fc.txt", "004_1adafc59de9fa9f4.txt"] {
        for fence in fences(&seed(name)) {
            let Some(language) = resolve_language(&fence.info) else {
                failures.push(format!("{name}:{}: unknown `{}`", fence.line + 1, fence.info));
                continue;
            };
            resolved.push(language.id);
            let outcome = check(language, &fence.code);
            if outcome != CheckOutcome::Checked(Vec::new()) {
                failures.push(format!("{name}:{}: {}\n{}{outcome:?}", fence.line + 1, fence.info, fence.code));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        resolved,
        [
            // 003: Python, YAML, shell, JavaScript (js, jsx), Dockerfile, SQL.
            "python",
            "yaml",
            "python",
            "bash",
            "python",
            "yaml",
            "javascript",
            "dockerfile",
            "python",
            "python",
            "javascript",
            "sql",
            "javascript",
            "bash",
            "python",
            "python",
            "python",
            "python",
            "python",
            // 004: fences indented inside list items.
            "yaml",
            "yaml",
            "yaml",
            "hcl",
            "yaml",
            "go",
        ],
        "the seeds hold 25 fences"
    );
}

#[test]
fn fence_scanner_dedents_list_fences() {
    let markdown = "- item:\n  ```yaml\n  a:\n    b: 1\n  ```\n";
    let fences = fences(markdown);
    assert_eq!(fences.len(), 1);
    assert_eq!(fences[0].info, "yaml");
    assert_eq!(fences[0].code, "a:\n  b: 1\n");
}
