//! Diagnostics: push on open/change/save, pull when the client supports it (never both), the
//! same findings as `qbank check`, stale versions dropped, configuration picked up live.

use std::time::Duration;

use qbank_core::{Encoding, LineIndex};
use qbank_lint::Config;
use qbank_lint::check::{FileInfo, check_source};
use qbank_lint::corpus::{CorpusFile, check_corpus, corpus_questions};
use qbank_lsp::TestHooks;
use serde_json::{Value, json};

use crate::client::{Workspace, editor_capabilities, start, start_with};
use crate::{ALPHA, BETA, OPS, OTHER, README, codes, codes_and_ranges, seeds};

/// What `qbank check` reports for `text`, as (code, LSP range) in `encoding`.
pub fn expected(path: &str, name: &str, text: &str, encoding: Encoding) -> Vec<(String, Value)> {
    let report = check_source(FileInfo { path, relative_path: name }, text, &Config::default());
    if !qbank_core::parse(text).is_bank() {
        return Vec::new(); // not-a-bank files stay quiet in the editor
    }
    let index = LineIndex::new(text);
    let pos = |offset| {
        let p = index.position(text, offset, encoding);
        json!({ "line": p.line, "character": p.col })
    };
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| json!({ "code": d.code, "range": { "start": pos(d.span.start), "end": pos(d.span.end) } }))
        .collect();
    codes_and_ranges(&Value::Array(diagnostics))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_get_the_same_diagnostics_as_check_source_in_both_encodings() {
    for (encoding, offered) in [(Encoding::Utf16, json!(["utf-16"])), (Encoding::Utf8, json!(["utf-8", "utf-16"]))] {
        let seeds = seeds();
        let files: Vec<(&str, &str)> = seeds.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        let workspace = Workspace::new(&files);
        let (client, init) = start(&workspace, json!({ "general": { "positionEncodings": offered } })).await;
        let negotiated = if encoding == Encoding::Utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(init["capabilities"]["positionEncoding"], negotiated);
        let mut total = 0;
        for (name, text) in &seeds {
            let from = client.mark();
            client.open(&workspace.uri(name), text).await;
            let published = client.diagnostics(from, &workspace.uri(name), Some(1)).await;
            let path = workspace.path(name).display().to_string();
            let want = expected(&path, name, text, encoding);
            assert_eq!(codes_and_ranges(&published["diagnostics"]), want, "{name} in {negotiated}");
            total += want.len();
        }
        assert!(total > 20, "the seeds have findings to compare: {total}");
    }
}

/// What `qbank check` reports for every file of `files` run together (`check_source` per file,
/// then the cross-file pass, mode and thresholds from the first file's config), as (code,
/// LSP range) per file.
pub fn expected_corpus(workspace: &Workspace, files: &[(&str, &str)]) -> Vec<Vec<(String, Value)>> {
    let paths: Vec<String> = files.iter().map(|(name, _)| workspace.path(name).display().to_string()).collect();
    let parsed: Vec<qbank_core::Parsed> = files.iter().map(|(_, text)| qbank_core::parse(text)).collect();
    let config = Config::default();
    let corpus: Vec<CorpusFile<'_>> = files
        .iter()
        .zip(&paths)
        .zip(&parsed)
        .map(|(((name, text), path), parsed)| CorpusFile {
            path,
            relative_path: name,
            source: text,
            questions: corpus_questions(parsed),
            config: &config,
        })
        .collect();
    let thresholds = qbank_lint::corpus::thresholds(&config).unwrap();
    let found = check_corpus(&corpus, &qbank_dedup::Mode::Lexical, &thresholds).unwrap();
    files
        .iter()
        .zip(&paths)
        .zip(found)
        .map(|(((name, text), path), cross)| {
            let index = LineIndex::new(text);
            let pos = |offset| {
                let p = index.position(text, offset, Encoding::Utf16);
                json!({ "line": p.line, "character": p.col })
            };
            let own = check_source(FileInfo { path, relative_path: name }, text, &config).diagnostics;
            let all: Vec<Value> = own
                .iter()
                .chain(&cross)
                .map(|d| json!({ "code": d.code, "range": { "start": pos(d.span.start), "end": pos(d.span.end) } }))
                .collect();
            codes_and_ranges(&Value::Array(all))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_file_near_duplicates_match_qbank_check_and_follow_edits_in_other_documents() {
    let files = [("alpha.md", ALPHA), ("beta.md", BETA)];
    let workspace = Workspace::new(&files);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let want = expected_corpus(&workspace, &files);
    assert!(want[1].iter().any(|(code, _)| code == "QB302"), "the fixture has a near duplicate: {want:?}");
    assert!(want[0].iter().all(|(code, _)| code != "QB302"), "reported on the later file only");

    let (alpha, beta) = (workspace.uri("alpha.md"), workspace.uri("beta.md"));
    let is_near = |uri: &str| {
        let uri = uri.to_string();
        move |n: &Value| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && codes(&n["params"]["diagnostics"]).iter().any(|c| c == "QB302")
        }
    };
    client.open(&alpha, ALPHA).await;
    client.open(&beta, BETA).await;
    let published = client.wait(0, is_near(&beta)).await["params"].clone();
    assert_eq!(codes_and_ranges(&published["diagnostics"]), want[1], "beta.md as `qbank check` reports it");
    let near = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "QB302").unwrap().clone();
    assert_eq!(near["severity"], 2, "warning");
    let related = &near["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], alpha, "points at the earlier question in the other file");
    let alpha_heading = ALPHA.lines().position(|l| l.starts_with("### 1.")).unwrap();
    assert_eq!(related["range"]["start"]["line"], alpha_heading);
    let alpha_published = client.diagnostics(0, &alpha, Some(1)).await;
    assert_eq!(codes_and_ranges(&alpha_published["diagnostics"]), want[0]);

    // Editing alpha.md's question away clears beta.md's finding: beta.md is re-published.
    let from = client.mark();
    let renamed = ALPHA.replace("configure Kubernetes autoscaling", "page the on-call engineer");
    client.change(&alpha, 2, json!([{ "text": renamed }])).await;
    let cleared = client
        .wait(from, |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == beta
                && !codes(&n["params"]["diagnostics"]).iter().any(|c| c == "QB302")
        })
        .await;
    let want = expected_corpus(&workspace, &[("alpha.md", &renamed), ("beta.md", BETA)]);
    assert_eq!(codes_and_ranges(&cleared["params"]["diagnostics"]), want[1]);
    assert_eq!(cleared["params"]["version"], 1, "the other document's own version");

    // And back: the finding returns on beta.md.
    let from = client.mark();
    client.change(&alpha, 3, json!([{ "text": ALPHA }])).await;
    client.wait(from, is_near(&beta)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_include_cross_file_findings() {
    let files = [("alpha.md", ALPHA), ("beta.md", BETA)];
    let workspace = Workspace::new(&files);
    let capabilities = json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostics": { "refreshSupport": true } }
    });
    let (client, _) = start(&workspace, capabilities).await;
    let beta = workspace.uri("beta.md");
    client.open(&workspace.uri("alpha.md"), ALPHA).await;
    client.open(&beta, BETA).await;
    let want = expected_corpus(&workspace, &files);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let report = loop {
        let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": beta } })).await;
        if codes(&report["items"]).iter().any(|c| c == "QB302") {
            break report;
        }
        assert!(std::time::Instant::now() < deadline, "no QB302 pulled: {report}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(codes_and_ranges(&report["items"]), want[1]);
    assert!(
        client.server_requests().iter().any(|r| r["method"] == "workspace/diagnostic/refresh"),
        "the client is told to pull again when cross-file findings change"
    );
    let workspace_report = client.request("workspace/diagnostic", json!({ "previousResultIds": [] })).await;
    let item = workspace_report["items"].as_array().unwrap().iter().find(|i| i["uri"] == beta).unwrap();
    assert_eq!(codes_and_ranges(&item["items"]), want[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_publishes_at_once_and_runs_the_duplicate_pass_once_per_pause() {
    let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let hooks = TestHooks { corpus_runs: Some(runs.clone()), ..TestHooks::default() };
    let files = [("alpha.md", ALPHA), ("beta.md", BETA)];
    let workspace = Workspace::new(&files);
    let (client, _) = start_with(&workspace, editor_capabilities(), json!(null), hooks).await;
    let beta = workspace.uri("beta.md");
    client.open(&beta, BETA).await;
    let near = |n: &Value| {
        n["method"] == "textDocument/publishDiagnostics"
            && n["params"]["uri"] == beta
            && codes(&n["params"]["diagnostics"]).iter().any(|c| c == "QB302")
    };
    client.wait(0, near).await;

    // Ten edits 30 ms apart (a character appended to the last answer each time): the latest version's
    // own findings are published at once, the whole-workspace pass waits for the pause.
    let before = runs.load(std::sync::atomic::Ordering::SeqCst);
    let from = client.mark();
    let mut text = BETA.to_string();
    for version in 2..=11 {
        text.push('x');
        client.change(&beta, version, json!([{ "text": text }])).await;
        tokio::time::sleep(Duration::from_millis(30)).await; // typing: well under the debounce
    }
    let own = client.diagnostics(from, &beta, Some(11)).await;
    assert!(codes(&own["diagnostics"]).iter().all(|c| c != "QB302"), "published before the pass: {own}");
    let published = client.wait(from, near).await;
    assert_eq!(published["params"]["version"], 11, "the pass's findings land on the latest version");
    let during = runs.load(std::sync::atomic::Ordering::SeqCst) - before;
    assert!(during <= 3, "the duplicate pass ran {during} times for 10 quick edits");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_diagnostics_on_open_change_and_save() {
    let workspace = Workspace::new(&[("ops.md", OPS)]);
    let (client, init) = start(&workspace, editor_capabilities()).await;
    assert!(init["capabilities"].get("diagnosticProvider").is_none(), "push clients get no pull provider");
    let uri = workspace.uri("ops.md");

    let from = client.mark();
    client.open(&uri, OPS).await;
    let opened = client.diagnostics(from, &uri, Some(1)).await;
    insta::assert_snapshot!("push_on_open", workspace.redact(&opened));

    // Fix the numbering with an incremental edit: `3` → `2` on question 3's heading.
    let line = OPS.lines().position(|l| l.starts_with("### 3.")).unwrap();
    let from = client.mark();
    client
        .change(&uri, 2, json!([{ "range": { "start": { "line": line, "character": 4 }, "end": { "line": line, "character": 5 } }, "text": "2" }]))
        .await;
    let changed = client.diagnostics(from, &uri, Some(2)).await;
    assert_eq!(codes(&changed["diagnostics"]), ["QB012"], "QB016 is gone after the edit");

    let from = client.mark();
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri } })).await;
    let saved = client.diagnostics(from, &uri, Some(2)).await;
    assert_eq!(saved["diagnostics"], changed["diagnostics"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_when_the_client_supports_them_and_never_push() {
    // No cross-file duplicate here, so the result does not depend on when the corpus pass runs
    // (`pull_diagnostics_include_cross_file_findings` covers that).
    let other = OTHER.replace("roll out  a change SAFELY", "ship a hotfix");
    let workspace = Workspace::new(&[("ops.md", OPS), ("other.md", &other)]);
    let capabilities = json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } });
    let (client, init) = start(&workspace, capabilities).await;
    assert_eq!(init["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"], true);
    let uri = workspace.uri("ops.md");
    client.open(&uri, OPS).await;

    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } })).await;
    assert_eq!(report["kind"], "full");
    let mut found = codes(&report["items"]);
    found.sort();
    assert_eq!(found, ["QB012", "QB016"]);
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri }, "previousResultId": report["resultId"] }),
        )
        .await;
    assert_eq!(again["kind"], "unchanged", "same version, same result id");

    let workspace_report = client.request("workspace/diagnostic", json!({ "previousResultIds": [] })).await;
    let mut uris: Vec<String> =
        workspace_report["items"].as_array().unwrap().iter().map(|i| i["uri"].as_str().unwrap().to_string()).collect();
    uris.sort();
    assert_eq!(uris, [workspace.uri("ops.md"), workspace.uri("other.md")]);
    let ops = workspace_report["items"].as_array().unwrap().iter().find(|i| i["uri"] == uri).unwrap();
    assert_eq!(ops["version"], 1, "open documents report their version");

    tokio::time::sleep(Duration::from_millis(300)).await;
    let pushed =
        client.notifications_since(0).into_iter().filter(|n| n["method"] == "textDocument/publishDiagnostics").count();
    assert_eq!(pushed, 0, "a pull client never gets pushed diagnostics");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_carry_code_docs_severity_and_related_information() {
    let duplicate = OPS.replace("What is a rollback?", "How do you roll out a change safely?");
    let workspace = Workspace::new(&[("ops.md", &duplicate)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = workspace.uri("ops.md");
    client.open(&uri, &duplicate).await;
    let published = client.diagnostics(0, &uri, Some(1)).await;
    let qb108 = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "QB108").unwrap().clone();
    assert_eq!(qb108["source"], "qbank");
    assert_eq!(qb108["severity"], 1, "error");
    assert_eq!(qb108["codeDescription"]["href"], qbank_lint::docs_url("QB108"));
    let related = &qb108["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri);
    let first_heading = duplicate.lines().position(|l| l.starts_with("### 1.")).unwrap();
    assert_eq!(related["location"]["range"]["start"]["line"], first_heading);
    assert_eq!(related["message"], "first asked here");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_markdown_file_that_is_not_a_bank_gets_an_empty_list_unless_configured() {
    let workspace = Workspace::new(&[("README.md", README)]);
    let (client, _) = start(&workspace, editor_capabilities()).await;
    let uri = workspace.uri("README.md");
    client.open(&uri, README).await;
    let published = client.diagnostics(0, &uri, Some(1)).await;
    assert_eq!(published["diagnostics"], json!([]));

    // Asking for `not-a-bank` in qbank.toml brings QB001 back (picked up without a restart).
    workspace.write("qbank.toml", "[rules]\nnot-a-bank = \"warning\"\n");
    let from = client.file_changed(workspace.uri("qbank.toml"), 1).await;
    let published = client.diagnostics(from, &uri, Some(1)).await;
    assert_eq!(codes(&published["diagnostics"]), ["QB001"]);
    assert_eq!(published["diagnostics"][0]["severity"], 2, "the configured severity");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_for_a_stale_version_are_dropped() {
    let hooks =
        TestHooks { slow_marker: Some(("SLOW-MARKER".into(), Duration::from_millis(600))), ..TestHooks::default() };
    let workspace = Workspace::new(&[]);
    let (client, _) = start_with(&workspace, editor_capabilities(), json!(null), hooks).await;
    let uri = workspace.uri("ops.md");
    let slow = format!("{OPS}\nSLOW-MARKER\n");
    client.open(&uri, &slow).await;
    // Let version 1's analysis start (it takes 600 ms), then supersede it.
    tokio::time::sleep(Duration::from_millis(150)).await;
    client.change(&uri, 2, json!([{ "text": OPS }])).await;
    let first = client.wait(0, |n| n["method"] == "textDocument/publishDiagnostics").await;
    assert_eq!(first["params"]["version"], 2, "the fast, newer version is published");
    tokio::time::sleep(Duration::from_millis(900)).await;
    let versions: Vec<Value> = client
        .notifications_since(0)
        .into_iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| n["params"]["version"].clone())
        .collect();
    assert_eq!(versions, [json!(2)], "version 1's late result is never published");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qbank_toml_and_client_settings_apply_without_a_restart() {
    let workspace = Workspace::new(&[("ops.md", OPS)]);
    let options = json!({ "rules": { "missing-tldr": "error" }, "dedup": { "mode": "lexical", "model": null } });
    let (client, _) = start_with(&workspace, editor_capabilities(), options, TestHooks::default()).await;
    let uri = workspace.uri("ops.md");
    client.open(&uri, OPS).await;
    let published = client.diagnostics(0, &uri, Some(1)).await;
    let qb012 = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "QB012").unwrap().clone();
    assert_eq!(qb012["severity"], 1, "initializationOptions raised missing-tldr to error");

    // qbank.toml turns broken-numbering off.
    workspace.write("qbank.toml", "[rules]\nbroken-numbering = \"off\"\n");
    let from = client.file_changed(workspace.uri("qbank.toml"), 1).await;
    let published = client.diagnostics(from, &uri, Some(1)).await;
    assert_eq!(codes(&published["diagnostics"]), ["QB012"]);

    // The client's settings change: missing-tldr off too, and the toml stays in force.
    let from = client.mark();
    client
        .notify("workspace/didChangeConfiguration", json!({ "settings": { "qbank": { "rules": { "QB012": "off" } } } }))
        .await;
    let published = client.diagnostics(from, &uri, Some(1)).await;
    assert_eq!(published["diagnostics"], json!([]));
}

/// Issue 13: 300 one-character edits sent without waiting are coalesced. Every analysis takes
/// 30 ms here, so checking each version in turn would take 9 s; the server checks the version
/// it has when a check starts and, when edits came in meanwhile, only the newest one after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_edits_checks_only_the_newest_version() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let analyses = Arc::new(AtomicUsize::new(0));
    let hooks = TestHooks {
        slow_marker: Some(("# Operations".into(), Duration::from_millis(30))),
        analyses: Some(analyses.clone()),
        ..TestHooks::default()
    };
    let workspace = Workspace::new(&[]);
    let (client, _) = start_with(&workspace, editor_capabilities(), json!(null), hooks).await;
    let uri = workspace.uri("ops.md");
    client.open(&uri, OPS).await;
    client.diagnostics(0, &uri, Some(1)).await;
    let before = analyses.load(Ordering::SeqCst);

    let from = client.mark();
    let started = std::time::Instant::now();
    let mut text = OPS.to_string();
    let line_start = OPS.find("Use canary").unwrap();
    for version in 2..=301 {
        text.insert(line_start + 3, 'x');
        let at = json!({ "line": 13, "character": 3 });
        client.change(&uri, version, json!([{ "range": { "start": at, "end": at }, "text": "x" }])).await;
    }
    let published = client.diagnostics(from, &uri, Some(301)).await;
    let elapsed = started.elapsed();
    let path = workspace.path("ops.md").display().to_string();
    assert_eq!(codes_and_ranges(&published["diagnostics"]), expected(&path, "ops.md", &text, Encoding::Utf16));
    let burst = analyses.load(Ordering::SeqCst) - before;
    assert!(burst <= 6, "{burst} analyses for a burst of 300 edits (one per version would be 300)");
    assert!(elapsed < Duration::from_secs(4), "the last version's diagnostics took {elapsed:?}");
    let published: Vec<Value> = client
        .notifications_since(from)
        .into_iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .map(|n| n["params"]["version"].clone())
        .collect();
    assert!(published.len() <= burst, "only checked versions are published: {published:?}");
}
