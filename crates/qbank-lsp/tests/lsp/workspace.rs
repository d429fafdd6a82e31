//! The workspace index: what it indexes (qbank.toml includes/excludes, .gitignore), how it
//! follows disk and edits, and the two commands the VS Code extension calls.

use serde_json::{Value, json};

use crate::client::{Workspace, editor_capabilities, start};
use crate::{OPS, OTHER, README, codes};

/// Polls `workspace/symbol` until `query` finds `want` (watched-file changes are applied in the
/// background, after the notification returns).
async fn eventually_finds(client: &crate::client::TestClient, query: &str, want: &[&str]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let found = client.request("workspace/symbol", json!({ "query": query })).await;
        let names: Vec<&str> = found.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        if names == want {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{query}: still {names:?}, want {want:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn published_uris(notifications: &[Value]) -> Vec<String> {
    let mut uris: Vec<String> = notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| n["params"]["uri"].as_str().unwrap().to_string())
        .collect();
    uris.sort();
    uris.dedup();
    uris
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_workspace_indexes_what_qbank_toml_and_gitignore_allow() {
    let workspace = Workspace::new(&[
        (
            "qbank.toml",
            "include = [\"banks/**/*.md\", \"drafts/**/*.md\", \"ignored/**/*.md\"]\nexclude = [\"drafts/**\"]\n",
        ),
        (".gitignore", "ignored/\n"),
        ("banks/ops.md", OPS),
        ("banks/nested/other.md", OTHER),
        ("drafts/draft.md", OPS),
        ("ignored/old.md", OPS),
        ("README.md", README),
    ]);
    let (client, init) = start(&workspace, editor_capabilities()).await;
    let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
    assert_eq!(commands, &json!(["qbank.checkWorkspace", "qbank.duplicates", "qbank.showLocation"]));
    // The server asked to watch banks and qbank.toml (the client offered dynamic registration).
    let registrations = client.server_requests();
    assert!(registrations.iter().any(|r| r["method"] == "client/registerCapability"), "{registrations:?}");

    let from = client.mark();
    let summary =
        client.request("workspace/executeCommand", json!({ "command": "qbank.checkWorkspace", "arguments": [] })).await;
    // ops.md: QB012, QB016 and QB301 (its question 1 repeats other.md's, which sorts first);
    // other.md: QB103 (the doubled space in its heading). Drafts and ignored files do not count.
    assert_eq!(summary, json!({ "files": 2, "findings": 4 }));
    let ops = client.diagnostics(from, &workspace.uri("banks/ops.md"), None).await;
    let mut found = codes(&ops["diagnostics"]);
    found.sort();
    assert_eq!(found, ["QB012", "QB016", "QB301"]);
    let duplicate = ops["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "QB301").unwrap();
    let related = &duplicate["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], workspace.uri("banks/nested/other.md"));
    assert_eq!(related["range"]["start"]["line"], 8, "other.md's question 1");
    client.diagnostics(from, &workspace.uri("banks/nested/other.md"), None).await;
    assert_eq!(
        published_uris(&client.notifications_since(from)),
        [workspace.uri("banks/nested/other.md"), workspace.uri("banks/ops.md")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_returns_questions_with_the_same_normalised_text() {
    let workspace = Workspace::new(&[("ops.md", OPS), ("other.md", OTHER)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = workspace.uri("ops.md");
    let line = OPS.lines().position(|l| l.starts_with("### 1.")).unwrap();
    let position = json!({ "line": line + 3, "character": 2 }); // inside question 1's answer
    let found = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "qbank.duplicates", "arguments": [{ "uri": uri, "position": position }] }),
        )
        .await;
    insta::assert_snapshot!("duplicates", workspace.redact(&found));
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["uri"], workspace.uri("other.md"));

    let position = json!({ "line": OPS.lines().position(|l| l.starts_with("### 3.")).unwrap(), "character": 0 });
    let none = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "qbank.duplicates", "arguments": [{ "uri": uri, "position": position }] }),
        )
        .await;
    assert_eq!(none, json!([]));

    // An unsaved edit counts: rename other.md's question in the editor and the duplicate is gone.
    let other = workspace.uri("other.md");
    client.open(&other, &OTHER.replace("roll out  a change SAFELY", "ship a hotfix")).await;
    client.diagnostics(0, &other, Some(1)).await;
    let position = json!({ "line": line, "character": 0 });
    let found = client
        .request(
            "workspace/executeCommand",
            json!({ "command": "qbank.duplicates", "arguments": [{ "uri": uri, "position": position }] }),
        )
        .await;
    assert_eq!(found, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_follows_disk_changes_and_edits_recheck_one_document() {
    let workspace = Workspace::new(&[("ops.md", OPS)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let names = |found: Value| -> Vec<String> {
        found.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
    };

    workspace.write("new.md", &OTHER.replace("roll out  a change SAFELY", "page the on-call engineer"));
    client.file_changed(workspace.uri("new.md"), 1).await;
    eventually_finds(&client, "on-call", &["1. How do you page the on-call engineer?"]).await;

    std::fs::remove_file(workspace.path("new.md")).unwrap();
    client.file_changed(workspace.uri("new.md"), 3).await;
    eventually_finds(&client, "on-call", &[]).await;

    // After a workspace check, an edit republishes only the edited document.
    client.request("workspace/executeCommand", json!({ "command": "qbank.checkWorkspace", "arguments": [] })).await;
    let uri = workspace.uri("ops.md");
    client.open(&uri, OPS).await;
    client.diagnostics(0, &uri, Some(1)).await;
    let from = client.mark();
    client.change(&uri, 2, json!([{ "text": OPS.replace("What is a rollback?", "What is a roll-forward?") }])).await;
    let published = client.diagnostics(from, &uri, Some(2)).await;
    assert_eq!(codes(&published["diagnostics"]).len(), 2);
    let found = client.request("workspace/symbol", json!({ "query": "roll-forward" })).await;
    assert_eq!(names(found), ["3. What is a roll-forward?"], "the unsaved buffer is what the index holds");
    assert_eq!(published_uris(&client.notifications_since(from)), [uri]);
}
