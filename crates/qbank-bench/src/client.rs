//! A minimal LSP client over a child process's stdio: framing, requests, notifications and a
//! reader thread that stamps every incoming message with the time it was read.
//!
//! Requests the server sends to the client (`workspace/configuration`,
//! `window/workDoneProgress/create`, `client/registerCapability` …) are answered at once by the
//! reader thread with an empty result, so a server never waits on us; they are still passed on.

use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One message from the server, with the instant the reader thread finished reading it.
#[derive(Debug)]
pub struct Incoming {
    pub at: Instant,
    pub message: Value,
}

impl Incoming {
    pub fn method(&self) -> Option<&str> {
        self.message.get("method").and_then(Value::as_str)
    }

    /// The id of a response (a message without a method).
    pub fn response_id(&self) -> Option<i64> {
        if self.method().is_some() { None } else { self.message.get("id").and_then(Value::as_i64) }
    }
}

/// A language server running as a child process.
pub struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Incoming>,
    next_id: i64,
    /// When the process was spawned.
    pub spawned: Instant,
}

/// Splits a command line on whitespace (no quoting: paths with spaces are not supported).
pub fn split_command(command: &str) -> Vec<String> {
    command.split_whitespace().map(String::from).collect()
}

impl Server {
    /// Spawns `command` (split on whitespace) with piped stdin/stdout; stderr goes to
    /// `stderr_log` when given, else nowhere.
    pub fn spawn(command: &str, stderr_log: Option<&Path>) -> io::Result<Server> {
        let words = split_command(command);
        let Some((program, args)) = words.split_first() else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty server command"));
        };
        let stderr = match stderr_log {
            Some(path) => Stdio::from(std::fs::File::create(path)?),
            None => Stdio::null(),
        };
        let spawned = Instant::now();
        let mut child =
            Command::new(program).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(stderr).spawn()?;
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("piped stdin")));
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, incoming) = mpsc::channel();
        let replies = stdin.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(message)) = read_message(&mut reader) {
                let at = Instant::now();
                if let (Some(method), Some(id)) = (message.get("method").and_then(Value::as_str), message.get("id")) {
                    let result = reply_to(method, message.get("params"));
                    let _ = write_message(&replies, &json!({ "jsonrpc": "2.0", "id": id, "result": result }));
                }
                if tx.send(Incoming { at, message }).is_err() {
                    break;
                }
            }
        });
        Ok(Server { child, stdin, incoming, next_id: 0, spawned })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a notification; returns the instant just before it was written.
    pub fn notify(&self, method: &str, params: Value) -> io::Result<Instant> {
        let sent = Instant::now();
        write_message(&self.stdin, &json!({ "jsonrpc": "2.0", "method": method, "params": params }))?;
        Ok(sent)
    }

    /// Sends a request; returns its id and the instant just before it was written.
    pub fn request(&mut self, method: &str, params: Value) -> io::Result<(i64, Instant)> {
        self.next_id += 1;
        let id = self.next_id;
        let sent = Instant::now();
        write_message(&self.stdin, &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))?;
        Ok((id, sent))
    }

    /// The next message, waiting at most until `deadline`; `None` on time-out or when the
    /// server has closed its stdout.
    pub fn recv_until(&self, deadline: Instant) -> Option<Incoming> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.incoming.recv_timeout(left).ok()
    }

    /// Reads messages until `pick` returns a value or `deadline` passes; every message is
    /// shown to `pick`, and the ones it declines are dropped.
    pub fn wait_for<T>(&self, deadline: Instant, mut pick: impl FnMut(&Incoming) -> Option<T>) -> Option<T> {
        while let Some(message) = self.recv_until(deadline) {
            if let Some(found) = pick(&message) {
                return Some(found);
            }
        }
        None
    }

    /// Sends a request and waits for its response (other messages are dropped).
    pub fn request_and_wait(&mut self, method: &str, params: Value, timeout: Duration) -> io::Result<Incoming> {
        let (id, _) = self.request(method, params)?;
        let deadline = Instant::now() + timeout;
        while let Some(message) = self.recv_until(deadline) {
            if message.response_id() == Some(id) {
                return Ok(message);
            }
        }
        Err(io::Error::new(io::ErrorKind::TimedOut, format!("no response to {method} within {timeout:?}")))
    }

    /// Drops every message already received.
    pub fn drain(&self) -> usize {
        self.incoming.try_iter().count()
    }

    /// `shutdown`, `exit`, then waits a little for the process and kills it if it lingers.
    pub fn shutdown(mut self) {
        if self.request_and_wait("shutdown", Value::Null, Duration::from_secs(5)).is_ok() {
            let _ = self.notify("exit", Value::Null);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What the client answers to a request from the server.
fn reply_to(method: &str, params: Option<&Value>) -> Value {
    match method {
        "workspace/configuration" => {
            let items = params.and_then(|p| p.get("items")).and_then(Value::as_array).map_or(0, Vec::len);
            Value::Array(vec![Value::Null; items])
        }
        "workspace/applyEdit" => json!({ "applied": false }),
        _ => Value::Null,
    }
}

fn write_message(stdin: &Mutex<ChildStdin>, message: &Value) -> io::Result<()> {
    let body = serde_json::to_vec(message)?;
    let mut stdin = stdin.lock().unwrap_or_else(PoisonError::into_inner);
    write!(stdin, "Content-Length: {}\r\n\r\n", body.len())?;
    stdin.write_all(&body)?;
    stdin.flush()
}

/// One framed message; `Ok(None)` at end of stream.
fn read_message(reader: &mut impl BufRead) -> io::Result<Option<Value>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "message without Content-Length"));
    };
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    serde_json::from_slice(&body).map(Some).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// `file://` uri of an absolute path (ASCII paths; others percent-encoded byte by byte).
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The absolute form of `path` (canonicalized when it exists).
pub fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(path))
}

/// Client capabilities: push diagnostics with versions, UTF-16, work-done progress; pull
/// diagnostics only when `pull` (some servers then stop pushing).
pub fn client_capabilities(pull: bool) -> Value {
    let mut text_document = json!({
        "synchronization": { "dynamicRegistration": false, "didSave": true },
        "publishDiagnostics": { "versionSupport": true, "relatedInformation": true },
    });
    if pull {
        text_document["diagnostic"] = json!({ "dynamicRegistration": false, "relatedDocumentSupport": false });
    }
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": text_document,
        "window": { "workDoneProgress": true },
        "workspace": { "workspaceFolders": true, "symbol": { "dynamicRegistration": false } },
    })
}

/// `initialize` (with `root` as the one workspace folder, if any), then `initialized`.
/// Returns the server's `InitializeResult` and when it arrived.
pub fn initialize(server: &mut Server, root: Option<&Path>, pull: bool, timeout: Duration) -> io::Result<Incoming> {
    let (root_uri, folders) = match root {
        Some(root) => {
            let uri = file_uri(root);
            let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (Value::String(uri.clone()), json!([{ "uri": uri, "name": name }]))
        }
        None => (Value::Null, Value::Null),
    };
    let params = json!({
        "processId": std::process::id(),
        "clientInfo": { "name": "qbank-bench" },
        "rootUri": root_uri,
        "workspaceFolders": folders,
        "capabilities": client_capabilities(pull),
    });
    let response = server.request_and_wait("initialize", params, timeout)?;
    if let Some(error) = response.message.get("error") {
        return Err(io::Error::other(format!("initialize failed: {error}")));
    }
    server.notify("initialized", json!({}))?;
    Ok(response)
}

/// `serverInfo.name version` from an `InitializeResult`, or "?".
pub fn server_name(initialize: &Incoming) -> String {
    let info = &initialize.message["result"]["serverInfo"];
    match (info["name"].as_str(), info["version"].as_str()) {
        (Some(name), Some(version)) => format!("{name} {version}"),
        (Some(name), None) => name.to_string(),
        _ => "?".into(),
    }
}
