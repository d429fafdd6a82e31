//! A test client: drives the real `Backend` through `tower_lsp_server::Server` over in-memory
//! duplex streams (framing included), answers the server's own requests, and records every
//! notification (`publishDiagnostics`, `logMessage`…) for the tests to wait on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qbank_lsp::{Backend, TestHooks};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::{Notify, oneshot};
use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::{LspService, Server};

const TIMEOUT: Duration = Duration::from_secs(20);

pub struct TestClient {
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    pending: Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>,
    notifications: Arc<Mutex<Vec<Value>>>,
    server_requests: Arc<Mutex<Vec<Value>>>,
    notify: Arc<Notify>,
    next_id: AtomicI64,
}

async fn write_message(writer: &tokio::sync::Mutex<WriteHalf<DuplexStream>>, body: &str) {
    let mut w = writer.lock().await;
    let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    w.write_all(frame.as_bytes()).await.unwrap();
    w.flush().await.unwrap();
}

impl TestClient {
    pub fn start(hooks: TestHooks) -> TestClient {
        let (client_io, server_io) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server_io);
        let (client_read, client_write) = tokio::io::split(client_io);
        let (service, socket) = LspService::new(|client| Backend::with_hooks(client, hooks));
        // The same input guard as `qbank lsp`.
        let server_read = qbank_lsp::transport::filtered(server_read);
        tokio::spawn(Server::new(server_read, server_write, socket).serve(service));

        let client = TestClient {
            writer: Arc::new(tokio::sync::Mutex::new(client_write)),
            pending: Arc::default(),
            notifications: Arc::default(),
            server_requests: Arc::default(),
            notify: Arc::new(Notify::new()),
            next_id: AtomicI64::new(1),
        };
        let (writer, pending, notifications, server_requests, notify) = (
            client.writer.clone(),
            client.pending.clone(),
            client.notifications.clone(),
            client.server_requests.clone(),
            client.notify.clone(),
        );
        tokio::spawn(async move {
            let mut reader = BufReader::new(client_read);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).await.unwrap();
                let message: Value = serde_json::from_slice(&body).unwrap();
                match (message.get("id"), message.get("method")) {
                    (Some(id), Some(_)) => {
                        let reply = json!({ "jsonrpc": "2.0", "id": id, "result": null });
                        server_requests.lock().unwrap().push(message.clone());
                        write_message(&writer, &reply.to_string()).await;
                        notify.notify_waiters();
                    }
                    (Some(id), None) => {
                        let sender = id.as_i64().and_then(|id| pending.lock().unwrap().remove(&id));
                        if let Some(sender) = sender {
                            let _ = sender.send(message);
                        }
                    }
                    _ => {
                        notifications.lock().unwrap().push(message);
                        notify.notify_waiters();
                    }
                }
            }
        });
        client
    }

    /// Sends raw bytes as one framed message (for malformed-input tests).
    pub async fn send_raw(&self, body: &str) {
        write_message(&self.writer, body).await;
    }

    /// A request's whole response (`result` or `error`).
    pub async fn request_raw(&self, method: &str, params: Value) -> Value {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        write_message(&self.writer, &message.to_string()).await;
        tokio::time::timeout(TIMEOUT, rx).await.unwrap_or_else(|_| panic!("no response to {method}")).unwrap()
    }

    /// A request's `result`; panics on an error response.
    pub async fn request(&self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params).await;
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    pub async fn notify(&self, method: &str, params: Value) {
        let message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        write_message(&self.writer, &message.to_string()).await;
    }

    /// `initialize` + `initialized`; returns the server's capabilities.
    pub async fn initialize(&self, root: &Path, capabilities: Value, options: Value) -> Value {
        let root_uri = uri(root);
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": root_uri,
                    "workspaceFolders": [{ "uri": root_uri, "name": "root" }],
                    "capabilities": capabilities,
                    "initializationOptions": options,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    /// Waits until indexing has finished (the server logs it).
    pub async fn indexed(&self, from: usize) -> Value {
        self.wait(from, |n| {
            n["method"] == "window/logMessage" && n["params"]["message"].as_str().is_some_and(|m| m.contains("indexed"))
        })
        .await
    }

    /// Tells the server that `uri` changed on disk (`type`: 1 created, 2 changed, 3 deleted),
    /// as an editor's file watcher does; returns the mark to read what follows from.
    pub async fn file_changed(&self, uri: String, kind: u8) -> usize {
        let from = self.mark();
        self.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri, "type": kind }] })).await;
        from
    }

    pub fn mark(&self) -> usize {
        self.notifications.lock().unwrap().len()
    }

    pub fn notifications_since(&self, from: usize) -> Vec<Value> {
        self.notifications.lock().unwrap()[from..].to_vec()
    }

    pub fn server_requests(&self) -> Vec<Value> {
        self.server_requests.lock().unwrap().clone()
    }

    /// The first notification at or after `from` that matches.
    pub async fn wait(&self, from: usize, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = self.notifications.lock().unwrap()[from..].iter().find(|n| matches(n)) {
                return found.clone();
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let seen: Vec<Value> = self.notifications_since(from);
                panic!("timed out waiting for a notification; saw {seen:#?}");
            }
        }
    }

    /// The `publishDiagnostics` params for `uri` at `version` (any version when `None`).
    pub async fn diagnostics(&self, from: usize, uri: &str, version: Option<i64>) -> Value {
        let found = self
            .wait(from, |n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri
                    && version.is_none_or(|v| n["params"]["version"] == v)
            })
            .await;
        found["params"].clone()
    }

    pub async fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        )
        .await;
    }

    pub async fn change(&self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        )
        .await;
    }
}

pub fn uri(path: &Path) -> String {
    Uri::from_file_path(path).unwrap().as_str().to_string()
}

/// A temporary workspace with files (relative path → text).
pub struct Workspace {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Workspace {
    pub fn new(files: &[(&str, &str)]) -> Workspace {
        let dir = tempfile::Builder::new().prefix("qbank-lsp-test").tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let workspace = Workspace { _dir: dir, root };
        for (path, text) in files {
            workspace.write(path, text);
        }
        workspace
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    pub fn path(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }

    pub fn uri(&self, path: &str) -> String {
        uri(&self.root.join(path))
    }

    /// `value` as JSON text with the workspace root replaced by `[ROOT]`, for snapshots.
    pub fn redact(&self, value: &Value) -> String {
        let text = serde_json::to_string_pretty(value).unwrap();
        text.replace(&uri(&self.root), "file://[ROOT]").replace(&self.root.display().to_string(), "[ROOT]")
    }
}

/// Client capabilities of a modern editor (push diagnostics).
pub fn editor_capabilities() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": {
            "completion": { "completionItem": { "snippetSupport": true } },
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
            "codeAction": { "resolveSupport": { "properties": ["edit"] } }
        },
        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
    })
}

/// Starts a server on `workspace` with `capabilities`, waits for indexing.
pub async fn start(workspace: &Workspace, capabilities: Value) -> (TestClient, Value) {
    start_with(workspace, capabilities, json!(null), TestHooks::default()).await
}

pub async fn start_with(
    workspace: &Workspace,
    capabilities: Value,
    options: Value,
    hooks: TestHooks,
) -> (TestClient, Value) {
    let client = TestClient::start(hooks);
    let init = client.initialize(&workspace.root, capabilities, options).await;
    client.indexed(0).await;
    (client, init)
}
