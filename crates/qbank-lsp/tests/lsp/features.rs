//! Completion, hover, code actions, symbols, folding, formatting and position encodings, at
//! protocol level.

use qbank_core::Encoding;
use serde_json::{Value, json};

use crate::client::{TestClient, Workspace, editor_capabilities, start};
use crate::diagnostics::expected;
use crate::{OPS, OTHER, codes_and_ranges, seeds};

/// The LSP position of the end of the last `needle` in `text` (ASCII lines).
fn after(text: &str, needle: &str) -> Value {
    let offset = text.rfind(needle).unwrap_or_else(|| panic!("{needle:?} not in text")) + needle.len();
    let line = text[..offset].matches('\n').count();
    let character = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": character })
}

async fn open_ops(text: &str) -> (Workspace, TestClient, String) {
    let workspace = Workspace::new(&[("ops.md", OPS), ("other.md", OTHER)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = workspace.uri("ops.md");
    client.open(&uri, text).await;
    client.diagnostics(0, &uri, Some(1)).await;
    (workspace, client, uri)
}

async fn complete(client: &TestClient, uri: &str, position: Value) -> Vec<Value> {
    let result = client
        .request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": position }))
        .await;
    result.as_array().cloned().unwrap_or_default()
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_offers_a_new_question_with_the_next_number_and_a_fresh_id() {
    let text = format!("{OPS}\n###");
    let (workspace, client, uri) = open_ops(&text).await;
    let items = complete(&client, &uri, after(&text, "\n\n###")).await;
    let snippet = items.iter().find(|i| i["kind"] == 15).expect("a snippet item");
    insta::assert_snapshot!("completion_new_question", workspace.redact(snippet));
    let new_text = snippet["textEdit"]["newText"].as_str().unwrap();
    assert!(new_text.starts_with("### 4. ${1:Question?}\n<!-- id: ${2:ops-4} -->"), "{new_text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_offers_labels_languages_and_metadata() {
    let text = format!(
        "{}\n**\n\n```py\n",
        OPS.replace("<!-- id: rollback -->", "<!-- id: rollback;  -->\n<!-- difficulty:  -->\n<!-- tags: ops, -->")
    );
    let (_workspace, client, uri) = open_ops(&text).await;

    let items = complete(&client, &uri, after(&text, "\n**")).await;
    assert_eq!(labels(&items), ["**Answer:**", "**TL;DR:**", "**Example (…):**"]);

    let items = complete(&client, &uri, after(&text, "```py")).await;
    let python = items.iter().find(|i| i["label"] == "python").expect("python is offered");
    assert_eq!(python["textEdit"]["newText"], "python");
    assert_eq!(python["textEdit"]["range"]["start"]["character"], 3, "replaces what was typed after the fence");
    assert!(labels(&items).contains(&"yaml"));
    assert_eq!(items.len(), qbank_syntax::known_languages().len());

    let items = complete(&client, &uri, after(&text, "<!-- id: rollback; ")).await;
    assert_eq!(labels(&items), ["id", "difficulty", "tags"]);
    let id_doc = items[0]["documentation"]["value"].as_str().unwrap();
    assert_eq!(Some(id_doc.to_string()), qbank_lsp::metadata::key_description("id"), "docs come from the schema");

    let items = complete(&client, &uri, after(&text, "<!-- difficulty: ")).await;
    assert_eq!(labels(&items), ["easy", "medium", "hard"]);
    assert_eq!(items[1]["documentation"]["value"], "Expected of a practitioner.");

    let items = complete(&client, &uri, after(&text, "<!-- tags: ops,")).await;
    let mut tags = labels(&items);
    tags.sort();
    assert_eq!(tags, ["deployments", "k8s", "releases"], "the workspace's tags, other.md's included");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_question_metadata_key_docs_and_rule_docs() {
    let (workspace, client, uri) = open_ops(OPS).await;
    // Once the corpus pass has seen the document (`qbank.duplicates` waits for it), question 1
    // shows its exact duplicate in other.md.
    let line = OPS.lines().position(|l| l.starts_with("### 1.")).unwrap();
    let position = json!({ "line": line, "character": 0 });
    let arguments = json!([{ "uri": uri, "position": position }]);
    client.request("workspace/executeCommand", json!({ "command": "qbank.duplicates", "arguments": arguments })).await;
    let hover = |position: Value| {
        client.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": position }))
    };
    let heading = hover(after(OPS, "### 1. How")).await;
    insta::assert_snapshot!("hover_heading", workspace.redact(&heading));
    let key = hover(after(OPS, "; diffi")).await;
    let value = key["contents"]["value"].as_str().unwrap();
    assert!(value.contains(&qbank_lsp::metadata::key_description("difficulty").unwrap()), "{value}");
    // On question 3's number: QB016's docs.
    let line = OPS.lines().position(|l| l.starts_with("### 3.")).unwrap();
    let docs = hover(json!({ "line": line, "character": 4 })).await;
    let value = docs["contents"]["value"].as_str().unwrap();
    let broken_numbering = qbank_lint::registry::find("QB016").unwrap().meta.docs;
    assert!(value.contains(broken_numbering), "{value}");
    assert!(value.contains(&qbank_lint::docs_url("QB016")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_offer_fixes_fix_all_and_renumbering() {
    let (workspace, client, uri) = open_ops(OPS).await;
    let line = OPS.lines().position(|l| l.starts_with("### 3.")).unwrap();
    let at = json!({ "start": { "line": line, "character": 4 }, "end": { "line": line, "character": 4 } });
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": at, "context": { "diagnostics": [] } }),
        )
        .await;
    insta::assert_snapshot!("code_actions", workspace.redact(&actions));
    let actions = actions.as_array().unwrap();
    let quick = actions.iter().find(|a| a["kind"] == "quickfix").unwrap();
    assert_eq!(quick["isPreferred"], true);
    assert_eq!(quick["diagnostics"][0]["code"], "QB016");
    assert!(
        actions
            .iter()
            .any(|a| a["kind"] == "refactor.rewrite"
                && a["title"].as_str().unwrap().starts_with("Renumber this section"))
    );

    let fix_all = actions.iter().find(|a| a["kind"] == "source.fixAll.qbank").unwrap();
    assert!(fix_all.get("edit").is_none(), "computed on resolve");
    let resolved = client.request("codeAction/resolve", fix_all.clone()).await;
    let edit = &resolved["edit"]["changes"][&uri][0];
    assert!(edit["newText"].as_str().unwrap().contains("### 2. What is a rollback?"), "{edit}");

    // In a section whose numbering is fine, no renumbering.
    let line = OPS.lines().position(|l| l.starts_with("### 1.")).unwrap();
    let at = json!({ "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 0 } });
    let other_uri = workspace.uri("other.md");
    client.open(&other_uri, OTHER).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": other_uri }, "range": at, "context": { "diagnostics": [] } }),
        )
        .await;
    assert!(!actions.as_array().unwrap().iter().any(|a| a["kind"] == "refactor.rewrite"), "{actions}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formatting_and_the_canonical_action_are_qbank_fmt() {
    let (name, seed) = seeds().into_iter().next().unwrap();
    let workspace = Workspace::new(&[(name.as_str(), seed.as_str()), ("ops.md", OPS), ("README.md", crate::README)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = workspace.uri(&name);
    client.open(&uri, &seed).await;
    let stem = name.trim_end_matches(".txt");
    let (canonical, _) = qbank_core::format_source(&seed, stem, &mut Default::default()).unwrap();

    let format = |uri: String| {
        client.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } }),
        )
    };
    let edits = format(uri.clone()).await;
    assert_eq!(edits.as_array().unwrap().len(), 1);
    assert_eq!(edits[0]["newText"], canonical);
    assert_eq!(edits[0]["range"]["start"], json!({ "line": 0, "character": 0 }));

    let everything = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    let actions = client
        .request("textDocument/codeAction", json!({ "textDocument": { "uri": uri }, "range": everything, "context": { "diagnostics": [], "only": ["source"] } }))
        .await;
    let convert =
        actions.as_array().unwrap().iter().find(|a| a["title"] == "Convert this bank to the canonical shape").unwrap();
    assert_eq!(convert["edit"]["changes"][&uri][0]["newText"], canonical);
    assert!(
        actions.as_array().unwrap().iter().all(|a| a["kind"].as_str().unwrap().starts_with("source")),
        "only: source"
    );

    for already in ["ops.md", "README.md"] {
        let uri = workspace.uri(already);
        let text = std::fs::read_to_string(workspace.path(already)).unwrap();
        client.open(&uri, &text).await;
        assert_eq!(format(uri).await, Value::Null, "{already}: nothing to format");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symbols_and_folding() {
    let (workspace, client, uri) = open_ops(OPS).await;
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    insta::assert_snapshot!("document_symbols", workspace.redact(&symbols));
    let folding = client.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri } })).await;
    insta::assert_snapshot!("folding_ranges", workspace.redact(&folding));

    let search = |query: &str| client.request("workspace/symbol", json!({ "query": query }));
    let names = |found: Value| -> Vec<String> {
        found.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
    };
    let both = ["1. How do you roll out a change safely?", "1. How do you roll out  a change SAFELY?"];
    assert_eq!(names(search("ROLL OUT").await), both, "case-insensitive substring, in uri order");
    assert_eq!(names(search("rlbk").await), ["3. What is a rollback?"], "fuzzy");
    let everything = search("").await;
    assert_eq!(everything.as_array().unwrap().len(), 3);
    assert!(everything.as_array().unwrap().iter().any(|s| s["location"]["uri"] == workspace.uri("other.md")));
}

/// A line with mojibake, an emoji and CJK before and inside the edited ranges.
const NON_ASCII: &str = "How do you roll out Youâ€™ve 🚀 changes to 日本語 users?";

fn column(line: &str, needle: &str, encoding: Encoding) -> usize {
    let prefix = &line[..line.find(needle).unwrap()];
    match encoding {
        Encoding::Utf8 => prefix.len(),
        _ => prefix.encode_utf16().count(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_edits_land_in_the_negotiated_encoding() {
    for (encoding, offered) in [(Encoding::Utf16, json!(["utf-16"])), (Encoding::Utf8, json!(["utf-8"]))] {
        let text = OPS.replace("How do you roll out a change safely?", NON_ASCII);
        let workspace = Workspace::new(&[]);
        let (client, _) = start(&workspace, json!({ "general": { "positionEncodings": offered } })).await;
        let uri = workspace.uri("ops.md");
        client.open(&uri, &text).await;
        let line_no = text.lines().position(|l| l.contains("日本語")).unwrap();
        let line = text.lines().nth(line_no).unwrap();
        // Edit 1: after the mojibake and the emoji, replace the CJK word.
        let (a, b) = (column(line, "日本語", encoding), column(line, " users", encoding));
        // Edit 2 (same notification, applied after edit 1): a range holding the emoji itself.
        let after_first = line.replace("日本語", "all");
        let (c, d) = (column(&after_first, "🚀", encoding), column(&after_first, " changes", encoding));
        let from = client.mark();
        client
            .change(
                &uri,
                2,
                json!([
                    { "range": { "start": { "line": line_no, "character": a }, "end": { "line": line_no, "character": b } }, "text": "all" },
                    { "range": { "start": { "line": line_no, "character": c }, "end": { "line": line_no, "character": d } }, "text": "✅" },
                ]),
            )
            .await;
        let published = client.diagnostics(from, &uri, Some(2)).await;
        let edited = text.replace("🚀 changes to 日本語", "✅ changes to all");
        let path = workspace.path("ops.md").display().to_string();
        let want = expected(&path, "ops.md", &edited, encoding);
        assert!(want.iter().any(|(code, _)| code == "QB101"), "the mojibake finding is after the edits");
        assert_eq!(codes_and_ranges(&published["diagnostics"]), want, "{encoding:?}");
    }
}

/// The shape fixtures (tests/fixtures/shapes/): one the parser is sure of, one it is not.
const COLLAPSIBLE: &str = include_str!("../../../../tests/fixtures/shapes/collapsible.md");
const AMBIGUOUS: &str = include_str!("../../../../tests/fixtures/shapes/ambiguous.md");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_title_hover_and_the_outline_show_how_the_bank_was_read() {
    let workspace = Workspace::new(&[("exercises.md", COLLAPSIBLE), ("notes.md", AMBIGUOUS)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let hover = |uri: String, text: &'static str| {
        let client = &client;
        async move {
            client.open(&uri, text).await;
            client.diagnostics(0, &uri, Some(1)).await;
            let position = json!({ "line": 0, "character": 3 });
            let hover = client
                .request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": position }))
                .await;
            hover["contents"]["value"].as_str().unwrap_or_default().to_string()
        }
    };

    // The same reading `qbank inspect` prints: shape, question count, sure.
    let uri = workspace.uri("exercises.md");
    let value = hover(uri.clone(), COLLAPSIBLE).await;
    let parsed = qbank_core::parse(COLLAPSIBLE);
    let questions = parsed.bank.question_count();
    assert!(value.starts_with(&format!("**Read as** `collapsible` · {questions} questions · sure")), "{value}");
    // The outline lists every question of the collapsible bank, under its topic heading.
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    let names: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["children"].as_array().cloned().unwrap_or_default())
        .map(|q| q["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), questions, "{names:?}");
    assert_eq!(names[0], "1. What is a pod?");

    // An unsure reading says so, with the doubt's line.
    let doubts = qbank_core::parse(AMBIGUOUS).reading.doubts;
    assert!(!doubts.is_empty(), "the ambiguous fixture is unsure");
    let value = hover(workspace.uri("notes.md"), AMBIGUOUS).await;
    assert!(value.contains("**unsure**"), "{value}");
    let line = AMBIGUOUS[..doubts[0].span.start].matches('\n').count() + 1;
    assert!(value.contains(&format!("doubt, line {line}: {}", doubts[0].message)), "{value}");
}
