//! No input and no request sequence takes the server down: malformed messages, requests out of
//! order or out of range, panics inside library calls, random edits.

use std::time::Duration;

use qbank_core::Encoding;
use qbank_lsp::TestHooks;
use serde_json::{Value, json};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::OPS;
use crate::client::{TestClient, Workspace, editor_capabilities, start, start_with};

async fn still_alive(client: &TestClient, uri: &str) {
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    assert!(symbols.is_array() || symbols.is_null(), "{symbols}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_and_out_of_order_requests_get_answers_not_crashes() {
    let workspace = Workspace::new(&[("ops.md", OPS)]);
    let client = TestClient::start(TestHooks::default());
    // Before initialize: an error, not a crash.
    let early = client
        .request_raw(
            "textDocument/hover",
            json!({ "textDocument": { "uri": "file:///x.md" }, "position": { "line": 0, "character": 0 } }),
        )
        .await;
    assert!(early.get("error").is_some(), "{early}");
    client.initialize(&workspace.root, editor_capabilities(), json!({ "rules": "not an object", "dedup": 7 })).await;
    client.indexed(0).await;
    let uri = workspace.uri("ops.md");

    client.send_raw("{ this is not json").await;
    client.send_raw(r#"{"valid json": "but not JSON-RPC"}"#).await;
    client.send_raw(r#"{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":{"nonsense":true}}"#).await;
    client
        .notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": [{ "text": "x" }] }),
        )
        .await;
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": "file:///never/opened.md" } })).await;
    client.open(&uri, OPS).await;
    client.change(&uri, 1, json!([{ "text": "stale version, ignored" }])).await;
    let far = json!({ "start": { "line": 1_000_000, "character": 5 }, "end": { "line": 2, "character": 4_000_000 } });
    client.change(&uri, 2, json!([{ "range": far, "text": "🚀" }])).await;
    for (method, params) in [
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 999_999, "character": 999_999 } }),
        ),
        (
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 3, "character": 999 } }),
        ),
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": "untitled:Untitled-1" }, "position": { "line": 0, "character": 0 } }),
        ),
        (
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": far, "context": { "diagnostics": [] } }),
        ),
        (
            "textDocument/formatting",
            json!({ "textDocument": { "uri": "file:///nowhere.md" }, "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
        ("workspace/executeCommand", json!({ "command": "qbank.duplicates", "arguments": ["junk", 3] })),
        (
            "workspace/executeCommand",
            json!({ "command": "qbank.duplicates", "arguments": [{ "uri": "file:///nowhere.md", "position": { "line": 0, "character": 0 } }] }),
        ),
        ("workspace/executeCommand", json!({ "command": "qbank.nope", "arguments": [] })),
        ("codeAction/resolve", json!({ "title": "x", "data": { "uri": 5 } })),
        ("workspace/symbol", json!({ "query": "🚀\u{0}" })),
        ("qbank/unknownMethod", json!({})),
    ] {
        let response = client.request_raw(method, params).await;
        assert!(response.get("result").is_some() || response.get("error").is_some(), "{method}: {response}");
    }
    let published = client.diagnostics(0, &uri, Some(2)).await;
    assert!(published["diagnostics"].is_array());
    still_alive(&client, &uri).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_the_library_is_a_json_rpc_error_and_the_server_goes_on() {
    let hooks = TestHooks { panic_marker: Some("PANIC-MARKER".into()), ..TestHooks::default() };
    let workspace = Workspace::new(&[("ops.md", OPS)]);
    let (client, _) = start_with(&workspace, editor_capabilities(), json!(null), hooks).await;
    let bad = workspace.uri("bad.md");
    client.open(&bad, &format!("{OPS}\nPANIC-MARKER\n")).await;
    let response = client
        .request_raw(
            "textDocument/hover",
            json!({ "textDocument": { "uri": bad }, "position": { "line": 8, "character": 6 } }),
        )
        .await;
    assert_eq!(response["error"]["code"], -32603, "{response}");
    assert!(response["error"]["message"].as_str().unwrap().contains("injected fault"), "{response}");

    // Other documents work, and fixing the text brings diagnostics back.
    let uri = workspace.uri("ops.md");
    client.open(&uri, OPS).await;
    client.diagnostics(0, &uri, Some(1)).await;
    client.change(&bad, 2, json!([{ "text": OPS }])).await;
    let published = client.diagnostics(0, &bad, Some(2)).await;
    assert_eq!(published["diagnostics"].as_array().unwrap().len(), 2);
}

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_edits_keep_server_and_client_texts_in_step() {
    let pieces = ["", "x", "🚀", "â€™", "日本", "\n", "### 9. Q?\n", "**Answer:**", "```py\n", "\r\n"];
    for (encoding, offered) in [(Encoding::Utf16, "utf-16"), (Encoding::Utf8, "utf-8")] {
        let workspace = Workspace::new(&[]);
        let (client, _) = start(&workspace, json!({ "general": { "positionEncodings": [offered] } })).await;
        let uri = workspace.uri("fuzz.md");
        let mut text = OPS.replace("safely", "safely 🚀 â€™ 日本");
        client.open(&uri, &text).await;
        let mut rng = Lcg(7);
        for version in 2..=80 {
            let lines = text.lines().count() as u64 + 2;
            let start = Position::new(rng.next(lines) as u32, rng.next(40) as u32);
            let end = Position::new(start.line + rng.next(3) as u32, rng.next(40) as u32);
            let insert = pieces[rng.next(pieces.len() as u64) as usize];
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(start, end)),
                range_length: None,
                text: insert.into(),
            };
            qbank_lsp::convert::apply_change(&mut text, change.clone(), encoding);
            client.change(&uri, version, json!([change])).await;
        }
        let published = client.diagnostics(0, &uri, Some(80)).await;
        // The server's text equals the client's: formatting returns the whole text's canonical
        // form, or nothing when it is not a bank, exactly as `qbank fmt` would for this text.
        let format = client
            .request(
                "textDocument/formatting",
                json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
            )
            .await;
        let want = qbank_core::format_source(&text, "fuzz", &mut Default::default())
            .ok()
            .map(|(t, _)| t)
            .filter(|t| *t != text);
        let got = format.as_array().map(|edits| edits[0]["newText"].as_str().unwrap().to_string());
        assert_eq!(got, want, "{offered}");
        assert!(published["diagnostics"].is_array());
        tokio::time::sleep(Duration::from_millis(10)).await;
        still_alive(&client, &uri).await;
        let _: Value = client.request("shutdown", Value::Null).await;
    }
}
