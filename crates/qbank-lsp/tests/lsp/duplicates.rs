//! Cross-file duplicates beyond diagnostics: hover on a heading, `qbank.duplicates`, the
//! "Go to duplicate" code action and go to definition.

use serde_json::{Value, json};

use crate::client::{TestClient, Workspace, editor_capabilities, start};
use crate::{ALPHA, BETA, codes};

/// alpha.md and beta.md open, after the corpus pass reported beta.md's near duplicate.
async fn open_both() -> (Workspace, TestClient, String, String) {
    let workspace = Workspace::new(&[("alpha.md", ALPHA), ("beta.md", BETA)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let (alpha, beta) = (workspace.uri("alpha.md"), workspace.uri("beta.md"));
    client.open(&alpha, ALPHA).await;
    client.open(&beta, BETA).await;
    let uri = beta.clone();
    client
        .wait(0, move |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && codes(&n["params"]["diagnostics"]).iter().any(|c| c == "QB302")
        })
        .await;
    (workspace, client, alpha, beta)
}

fn heading(text: &str, prefix: &str) -> Value {
    json!({ "line": text.lines().position(|l| l.starts_with(prefix)).unwrap(), "character": 5 })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_a_heading_shows_near_duplicates_with_score_and_word_diff() {
    let (workspace, client, alpha, beta) = open_both().await;
    let hover = client
        .request("textDocument/hover", json!({ "textDocument": { "uri": beta }, "position": heading(BETA, "### 1.") }))
        .await;
    insta::assert_snapshot!("hover_near_duplicate", workspace.redact(&hover));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("near duplicate, score "), "{value}");
    assert!(value.contains("(question text "), "{value}");
    assert!(
        value.contains("`How do you configure [-Kubernetes autoscaling?-]{+Kubernates autoscalling?+}`"),
        "{value}"
    );
    assert!(value.contains(&format!("({alpha}#L9)")), "links to alpha.md's question: {value}");

    // Question 2 of alpha.md has no duplicate: no section.
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": alpha }, "position": heading(ALPHA, "### 2.") }),
        )
        .await;
    assert!(!hover["contents"]["value"].as_str().unwrap().contains("Duplicates"), "{hover}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_command_returns_near_duplicates_with_scores() {
    let (_workspace, client, alpha, beta) = open_both().await;
    let found = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "qbank.duplicates", "arguments": [{ "uri": alpha, "position": heading(ALPHA, "### 1.") }] }),
        )
        .await;
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["uri"], beta);
    assert_eq!(found[0]["kind"], "near");
    assert_eq!(found[0]["question"], "How do you configure Kubernates autoscalling?");
    let (score, question) = (found[0]["score"].as_f64().unwrap(), found[0]["questionScore"].as_f64().unwrap());
    // Not exact, yet typo-tolerant: the scores reach the near threshold.
    assert!(score >= 0.5 && question >= 0.5 && score <= 1.0, "{score} {question}");
    assert!(found[0]["wordDiff"].as_str().unwrap().contains("{+Kubernates"), "{found:?}");
    assert_eq!(found[0]["range"]["start"]["line"], 8);

    // After an edit the command waits for a pass that has seen it (no stale answer).
    let renamed = BETA.replace("configure Kubernates autoscalling", "page the on-call engineer");
    client.change(&beta, 2, json!([{ "text": renamed }])).await;
    let found = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "qbank.duplicates", "arguments": [{ "uri": alpha, "position": heading(ALPHA, "### 1.") }] }),
        )
        .await;
    assert_eq!(found, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_to_duplicate_action_and_definition_open_the_other_question() {
    let (_workspace, client, alpha, beta) = open_both().await;
    let line = BETA.lines().position(|l| l.starts_with("### 1.")).unwrap();
    let at = json!({ "start": { "line": line, "character": 8 }, "end": { "line": line, "character": 8 } });
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": beta }, "range": at, "context": { "diagnostics": [] } }),
        )
        .await;
    let go = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Go to duplicate"))
        .unwrap_or_else(|| panic!("no Go to duplicate action: {actions}"))
        .clone();
    assert_eq!(go["diagnostics"][0]["code"], "QB302");
    assert_eq!(go["command"]["command"], "qbank.showLocation");
    let location = go["command"]["arguments"][0].clone();
    assert_eq!(location["uri"], alpha);
    assert_eq!(location["range"]["start"]["line"], 8);

    // Running the command makes the server ask the client to show the location.
    client
        .request("workspace/executeCommand", json!({ "command": "qbank.showLocation", "arguments": [location] }))
        .await;
    let shown: Vec<Value> =
        client.server_requests().into_iter().filter(|r| r["method"] == "window/showDocument").collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0]["params"]["uri"], alpha);
    assert_eq!(shown[0]["params"]["takeFocus"], true);
    assert_eq!(shown[0]["params"]["selection"]["start"]["line"], 8);

    // Definition on either heading: the other question; on a question without duplicates: none.
    let definition = |uri: &str, position: Value| {
        client.request("textDocument/definition", json!({ "textDocument": { "uri": uri }, "position": position }))
    };
    let found = definition(&beta, heading(BETA, "### 1.")).await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["uri"], alpha);
    assert_eq!(found[0]["range"]["start"]["line"], 8);
    let found = definition(&alpha, heading(ALPHA, "### 1.")).await;
    assert_eq!(found[0]["uri"], beta);
    assert_eq!(definition(&alpha, heading(ALPHA, "### 2.")).await, Value::Null);
}
