//! Links between questions at protocol level: document links and their resolution, go to
//! definition, references across banks, completion of ids and bank files, rename of an id
//! (every link updated, nothing else), and link updates when a bank file is renamed or moved.

use serde_json::{Value, json};

use crate::client::{TestClient, Workspace, editor_capabilities, start};

/// Three banks that link to each other; `ops.md` has a non-ASCII question before the links so
/// UTF-16 columns differ from bytes.
const OPS: &str = "# Operations

## Deployments

### 1. Wie rollt man sicher aus — „canary“?
<!-- id: safe-rollout -->

**Answer:**

Canary first; see [rollback](#rollback) and [probes](team/k8s.md#readiness).

### 2. What is a rollback?
<!-- id: rollback -->

**Answer:**

Going back. Not a link: `[code](#rollback)`.
";

const K8S: &str = "# Kubernetes

### 1. What is a readiness probe?
<!-- id: readiness -->

**Answer:**

A check before traffic; compare [rollback](../ops.md#rollback) and [the bank](../ops.md).
";

const NOTES: &str = "# Notes

### 1. Why roll back?
<!-- id: why-rollback -->

**Answer:**

Because of [Q2](ops.md#rollback), [again](./ops.md#rollback) and [a rollback word](#why-rollback).
";

fn files() -> Vec<(&'static str, &'static str)> {
    vec![("ops.md", OPS), ("team/k8s.md", K8S), ("notes.md", NOTES)]
}

/// The LSP position (UTF-16) of the start of the `nth` occurrence of `needle` in `text`, plus
/// `shift` characters.
fn at(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let offset = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} #{nth} not in text")).0;
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..offset].encode_utf16().count() + shift;
    json!({ "line": line, "character": character })
}

async fn open_all(workspace: &Workspace) -> TestClient {
    let (client, _) = start(workspace, editor_capabilities()).await;
    for (name, text) in files() {
        let uri = workspace.uri(name);
        let from = client.mark();
        client.open(&uri, text).await;
        client.diagnostics(from, &uri, Some(1)).await;
    }
    client
}

/// Applies a `WorkspaceEdit`'s `changes` for `uri` to `text` (UTF-16 positions).
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let Some(edits) = edit["changes"][uri].as_array() else { return text.to_string() };
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = p["character"].as_u64().unwrap() as usize;
        let mut bytes = start;
        for c in text[start..].chars() {
            if units == 0 {
                break;
            }
            units -= c.len_utf16();
            bytes += c.len_utf8();
        }
        bytes
    };
    let mut out = text.to_string();
    let mut sorted = edits.clone();
    sorted.sort_by_key(|e| {
        std::cmp::Reverse((e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64()))
    });
    for e in sorted {
        let (a, b) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
        out.replace_range(a..b, e["newText"].as_str().unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_links_resolve_to_the_question_heading() {
    let workspace = Workspace::new(&files());
    let client = open_all(&workspace).await;
    let uri = workspace.uri("ops.md");
    let links = client.request("textDocument/documentLink", json!({ "textDocument": { "uri": uri } })).await;
    assert_eq!(links.as_array().unwrap().len(), 2, "the code span is not a link: {links}");
    let mut resolved = Vec::new();
    for link in links.as_array().unwrap() {
        resolved.push(client.request("documentLink/resolve", link.clone()).await);
    }
    insta::assert_snapshot!("document_links", workspace.redact(&json!({ "links": links, "resolved": resolved })));
    assert_eq!(resolved[0]["target"], format!("{}#L12", workspace.uri("ops.md")));
    assert_eq!(resolved[1]["target"], format!("{}#L3", workspace.uri("team/k8s.md")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definition_of_a_link_is_the_question_in_the_other_bank() {
    let workspace = Workspace::new(&files());
    let client = open_all(&workspace).await;
    let uri = workspace.uri("team/k8s.md");
    let found = client
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": uri }, "position": at(K8S, "../ops.md#rollback", 0, 12) }),
        )
        .await;
    assert_eq!(found["uri"], workspace.uri("ops.md"));
    assert_eq!(found["range"]["start"], json!({ "line": 11, "character": 0 }));
    // A link to a whole bank goes to its start.
    let found = client
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": uri }, "position": at(K8S, "[the bank]", 0, 2) }),
        )
        .await;
    assert_eq!(
        found,
        json!({ "uri": workspace.uri("ops.md"), "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } } })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_of_a_question_are_the_links_to_it_in_every_bank() {
    let workspace = Workspace::new(&files());
    let client = open_all(&workspace).await;
    let uri = workspace.uri("ops.md");
    let found = client
        .request(
            "textDocument/references",
            json!({
                "textDocument": { "uri": uri },
                "position": at(OPS, "### 2. What is a rollback?", 0, 8),
                "context": { "includeDeclaration": false }
            }),
        )
        .await;
    insta::assert_snapshot!("references", workspace.redact(&found));
    let files: Vec<&str> = found.as_array().unwrap().iter().map(|l| l["uri"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 4, "one in ops.md, one in k8s.md, two in notes.md: {found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_offers_ids_after_the_hash_and_banks_after_the_parenthesis() {
    let workspace = Workspace::new(&files());
    let client = open_all(&workspace).await;
    let uri = workspace.uri("notes.md");
    let text = format!("{NOTES}\nSee [x](#\nSee [y](\nSee [z](ops.md#\n");
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": text }] }),
        )
        .await;
    let labels = |items: &Value| -> Vec<String> {
        items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
    };
    let complete = |position: Value| {
        client.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": position }))
    };
    let ids = complete(at(&text, "See [x](#", 0, 9)).await;
    assert_eq!(labels(&ids), ["why-rollback"]);
    let banks = complete(at(&text, "See [y](", 0, 8)).await;
    assert_eq!(labels(&banks), ["ops.md", "team/k8s.md"]);
    let other = complete(at(&text, "See [z](ops.md#", 0, 15)).await;
    assert_eq!(labels(&other), ["safe-rollout", "rollback"]);
    insta::assert_snapshot!("completion_link_ids", workspace.redact(&other));
}

/// Issue 14's acceptance: renaming an id across 3 banks updates every link and nothing else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_of_an_id_updates_every_link_in_three_banks_and_nothing_else() {
    let workspace = Workspace::new(&files());
    let client = open_all(&workspace).await;
    let uri = workspace.uri("ops.md");
    let position = at(OPS, "<!-- id: rollback", 0, 10);
    let prepared = client
        .request("textDocument/prepareRename", json!({ "textDocument": { "uri": uri }, "position": position }))
        .await;
    assert_eq!(prepared["placeholder"], "rollback");
    assert_eq!(
        prepared["range"],
        json!({ "start": { "line": 12, "character": 9 }, "end": { "line": 12, "character": 17 } })
    );

    let edit = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": position, "newName": "roll-back" }),
        )
        .await;
    insta::assert_snapshot!("rename_id", workspace.redact(&edit));
    let renamed = |name: &str, text: &str| apply(text, &edit, &workspace.uri(name));
    assert_eq!(
        renamed("ops.md", OPS),
        OPS.replace("[rollback](#rollback)", "[rollback](#roll-back)").replace("id: rollback", "id: roll-back")
    );
    assert_eq!(renamed("team/k8s.md", K8S), K8S.replace("ops.md#rollback", "ops.md#roll-back"));
    assert_eq!(renamed("notes.md", NOTES), NOTES.replace("ops.md#rollback", "ops.md#roll-back"));
    assert!(renamed("ops.md", OPS).contains("`[code](#rollback)`"), "code is not touched");
    assert!(renamed("notes.md", NOTES).contains("(#why-rollback)"), "another question's link is not touched");

    // From a link, the same rename; to an id the bank already has, an error.
    let from_link = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": workspace.uri("notes.md") }, "position": at(NOTES, "ops.md#rollback", 0, 8), "newName": "roll-back" }),
        )
        .await;
    assert_eq!(from_link, edit);
    let taken = client
        .request_raw(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": position, "newName": "safe-rollout" }),
        )
        .await;
    assert!(taken["error"]["message"].as_str().unwrap().contains("already has"), "{taken}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renaming_or_moving_a_bank_file_updates_the_links() {
    let workspace = Workspace::new(&files());
    let client = open_all(&workspace).await;
    let edit = client
        .request(
            "workspace/willRenameFiles",
            json!({ "files": [{ "oldUri": workspace.uri("ops.md"), "newUri": workspace.uri("archive/operations.md") }] }),
        )
        .await;
    insta::assert_snapshot!("will_rename_files", workspace.redact(&edit));
    let renamed = |name: &str, text: &str| apply(text, &edit, &workspace.uri(name));
    assert_eq!(renamed("team/k8s.md", K8S), K8S.replace("../ops.md", "../archive/operations.md"));
    assert_eq!(
        renamed("notes.md", NOTES),
        NOTES.replace("(ops.md#", "(archive/operations.md#").replace("(./ops.md#", "(archive/operations.md#")
    );
    // The moved bank's own links to other banks follow it; its `#id` links stay.
    assert_eq!(renamed("ops.md", OPS), OPS.replace("(team/k8s.md#", "(../team/k8s.md#"));

    // Moving a folder moves the banks in it.
    let edit = client
        .request(
            "workspace/willRenameFiles",
            json!({ "files": [{ "oldUri": workspace.uri("team"), "newUri": workspace.uri("platform/team") }] }),
        )
        .await;
    let renamed = |name: &str, text: &str| apply(text, &edit, &workspace.uri(name));
    assert_eq!(renamed("ops.md", OPS), OPS.replace("(team/k8s.md#", "(platform/team/k8s.md#"));
    assert_eq!(renamed("team/k8s.md", K8S), K8S.replace("../ops.md", "../../ops.md"));
    assert_eq!(renamed("notes.md", NOTES), NOTES);
}

/// A broken link is a `broken-question-link` (QB401) finding from the corpus pass, at the link
/// target, with the near miss suggested — as `qbank check` reports it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_links_are_reported_with_the_near_miss() {
    let broken =
        NOTES.replace("ops.md#rollback), [again]", "ops.md#rolback), [again]").replace("(./ops.md#", "(./gone.md#");
    let workspace = Workspace::new(&[("ops.md", OPS), ("team/k8s.md", K8S), ("notes.md", &broken)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = workspace.uri("notes.md");
    client.open(&uri, &broken).await;
    let published = client
        .wait(0, |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && n["params"]["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "QB401"))
        })
        .await;
    let found: Vec<(Value, Value)> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "QB401")
        .map(|d| (d["range"]["start"].clone(), d["message"].clone()))
        .collect();
    let path = workspace.path("ops.md").display().to_string();
    assert_eq!(
        found,
        [
            (
                at(&broken, "ops.md#rolback", 0, 0),
                json!(format!("no question `rolback` in `{path}`; did you mean `rollback`?"))
            ),
            (at(&broken, "./gone.md#", 0, 0), json!("no bank `./gone.md` among the checked files; check the path")),
        ]
    );
}
