//! Code lenses, inlay hints, selection ranges, document highlights and semantic tokens at
//! protocol level.

use serde_json::{Value, json};

use crate::client::{TestClient, Workspace, editor_capabilities, start, start_with};
use crate::{ALPHA, BETA};

/// A bank with a numbering slip (3 after 1), a question without TL;DR, tags used twice and a
/// link within the bank; a non-ASCII heading first so UTF-16 columns differ from bytes.
const BANK: &str = "# Révision — Ops

## Deploys

### 1. Qu’est-ce qu’un canary ?
<!-- id: canary; tags: deploy, k8s -->

**Answer:**

A small share of traffic first; see [rollback](#rollback).

**TL;DR:** Small share first.

### 3. What is a rollback?
<!-- id: rollback; tags: deploy -->

**Answer:**

Going back to the last good version.

**Example (shell):**

```sh
kubectl rollout undo deploy/web
```
";

/// The LSP position (UTF-16) of the start of `needle` in `text` plus `shift` characters.
fn at(text: &str, needle: &str, shift: usize) -> Value {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": text[line_start..offset].encode_utf16().count() + shift })
}

async fn open(workspace: &Workspace, client: &TestClient, name: &str, text: &str) -> String {
    let uri = workspace.uri(name);
    let from = client.mark();
    client.open(&uri, text).await;
    client.diagnostics(from, &uri, Some(1)).await;
    uri
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_lenses_summarise_the_bank_and_point_at_duplicates() {
    let workspace = Workspace::new(&[("alpha.md", ALPHA), ("beta.md", BETA)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = open(&workspace, &client, "beta.md", BETA).await;
    // The cross-file pass runs after the debounce; a lens shows what it found.
    client.request("workspace/executeCommand", json!({ "command": "qbank.checkWorkspace", "arguments": [] })).await;
    let lenses = client.request("textDocument/codeLens", json!({ "textDocument": { "uri": uri } })).await;
    insta::assert_snapshot!("code_lenses", workspace.redact(&lenses));
    let titles: Vec<&str> =
        lenses.as_array().unwrap().iter().map(|l| l["command"]["title"].as_str().unwrap()).collect();
    assert_eq!(titles[0], "1 question · 0 without TL;DR · 1 duplicate");
    assert!(titles[1].starts_with("near duplicate of Q1 · alpha.md ("), "{titles:?}");
    assert_eq!(lenses[1]["command"]["command"], "qbank.showLocation");
    assert_eq!(lenses[1]["command"]["arguments"][0]["uri"], workspace.uri("alpha.md"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlay_hints_show_the_expected_number_only_when_asked() {
    let workspace = Workspace::new(&[]);
    let everything = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } });
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = open(&workspace, &client, "bank.md", BANK).await;
    let hints =
        client.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri }, "range": everything })).await;
    assert_eq!(hints, Value::Null, "off by default");

    let options = json!({ "inlayHints": { "numbers": true } });
    let (client, _) = start_with(&workspace, editor_capabilities(), options, Default::default()).await;
    let uri = open(&workspace, &client, "bank.md", BANK).await;
    let hints =
        client.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri }, "range": everything })).await;
    insta::assert_snapshot!("inlay_hints", workspace.redact(&hints));
    assert_eq!(hints.as_array().unwrap().len(), 1);
    assert_eq!(hints[0]["label"], "→ 2");
    assert_eq!(hints[0]["position"], at(BANK, "3. What is a rollback", 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn selection_grows_from_the_answer_to_the_question_section_and_bank() {
    let workspace = Workspace::new(&[]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = open(&workspace, &client, "bank.md", BANK).await;
    let ranges = client
        .request(
            "textDocument/selectionRange",
            json!({ "textDocument": { "uri": uri }, "positions": [at(BANK, "Going back", 3)] }),
        )
        .await;
    insta::assert_snapshot!("selection_range", workspace.redact(&ranges));
    let mut chain = Vec::new();
    let mut node = &ranges[0];
    while !node.is_null() {
        chain.push(node["range"].clone());
        node = &node["parent"];
    }
    assert_eq!(chain.len(), 4, "answer, question, section, bank: {chain:#?}");
    assert_eq!(chain[0]["start"], at(BANK, "Going back", 0), "the answer first");
    assert_eq!(chain[1]["start"], at(BANK, "### 3.", 0), "then the question");
    assert_eq!(chain[2]["start"], at(BANK, "## Deploys", 0), "then the section");
    assert_eq!(chain[3]["start"], json!({ "line": 0, "character": 0 }), "then the bank");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn highlight_marks_the_same_id_or_tag() {
    let workspace = Workspace::new(&[]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = open(&workspace, &client, "bank.md", BANK).await;
    let highlight = |position: Value| {
        client
            .request("textDocument/documentHighlight", json!({ "textDocument": { "uri": uri }, "position": position }))
    };
    let by_id = highlight(at(BANK, "#rollback)", 3)).await;
    assert_eq!(by_id.as_array().unwrap().len(), 2, "the id and the link: {by_id}");
    assert!(
        by_id
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["range"]["start"] == at(BANK, "rollback; tags", 0) && h["kind"] == 3)
    );
    let by_tag = highlight(at(BANK, "deploy, k8s", 2)).await;
    insta::assert_snapshot!("highlight_tag", workspace.redact(&by_tag));
    let starts: Vec<Value> = by_tag.as_array().unwrap().iter().map(|h| h["range"]["start"].clone()).collect();
    assert_eq!(starts, [at(BANK, "deploy, k8s", 0), at(BANK, "deploy -->", 0)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semantic_tokens_mark_labels_numbers_and_metadata_with_the_legend() {
    let workspace = Workspace::new(&[]);
    let (client, init) = start(&workspace, editor_capabilities()).await;
    let legend = &init["capabilities"]["semanticTokensProvider"]["legend"];
    assert_eq!(legend["tokenTypes"], json!(["keyword", "property", "string", "number"]));
    let uri = open(&workspace, &client, "bank.md", BANK).await;
    let tokens = client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } })).await;
    let data: Vec<u64> = tokens["data"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    // Decode back to (line, character, length, type) and read the text under each token.
    let lines: Vec<&str> = BANK.lines().collect();
    let (mut line, mut character) = (0u64, 0u64);
    let mut decoded = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            character = 0;
        }
        line += t[0];
        character += t[1];
        let units: Vec<u16> = lines[line as usize].encode_utf16().collect();
        let word = String::from_utf16(&units[character as usize..(character + t[2]) as usize]).unwrap();
        decoded.push(format!("{line}:{character} {} {word}", legend["tokenTypes"][t[3] as usize].as_str().unwrap()));
    }
    insta::assert_snapshot!("semantic_tokens", decoded.join("\n"));
    assert!(decoded.contains(&"7:0 keyword **Answer:**".to_string()), "{decoded:#?}");
    assert!(decoded.contains(&"11:0 keyword **TL;DR:**".to_string()), "{decoded:#?}");
    assert!(decoded.contains(&"20:0 keyword **Example (shell):**".to_string()), "{decoded:#?}");
    assert!(decoded.contains(&"5:5 property id".to_string()), "{decoded:#?}");
    assert!(decoded.contains(&"5:9 string canary".to_string()), "{decoded:#?}");
}
