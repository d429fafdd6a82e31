//! A soak test of the real language server (`qbank lsp` over stdio): a bank opened in push mode
//! takes 2,000 random incremental edits (characters, lines, whole question blocks, non-ASCII
//! text, positions in UTF-16) in 40 bursts of 50. After each burst the diagnostics published
//! for the latest version are those of a fresh `qbank check --format json` of the same text
//! (code, UTF-16 range and message), and the server's memory stays flat: its resident set grows
//! by less than 20 MB from the warm-up to the end (about 7 MB measured; keeping one copy of the
//! text per version would add about 35 MB).

mod common;

use common::{seed, text};

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BURSTS: usize = 40;
const EDITS_PER_BURST: usize = 50;
/// The burst after which memory is first measured (allocator pools and caches are warm).
const WARM_UP: usize = 5;
/// How much the server's resident memory may grow from the warm-up to the end.
const RSS_GROWTH_LIMIT_KIB: u64 = 20 * 1024;
const SEED: u64 = 0x5eed_50a6;
const TIMEOUT: Duration = Duration::from_secs(30);

/// SplitMix64: small, fast and the same everywhere, so a failure replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

/// What a user types: ASCII, accents, CJK, an emoji (a UTF-16 surrogate pair), a combining
/// accent, Markdown punctuation, and text some rules look for (mojibake, a zero-width space,
/// first person, a paywall phrase).
const SNIPPETS: &[&str] = &[
    "a",
    "e",
    " ",
    "x",
    "the ",
    "é",
    "ü",
    "日本語",
    "🚀",
    "e\u{301}",
    "—",
    "’",
    "â€™",
    "\u{200b}",
    "**",
    "`",
    "#",
    "1. ",
    "TL;DR",
    "I think ",
    "Unlock Full Question Bank",
    "\n",
    "\n\n",
];

/// Whole lines inserted at the start of a line.
const LINES: &[&str] = &[
    "\n",
    "- a list item ✓\n",
    "**TL;DR:** Short and sweet.\n",
    "**Answer:**\n",
    "```\n",
    "```python\n",
    "print('héllo 🚀')\n",
    "**Example (Bash):**\n",
    "### 99. A question typed in a hurry?\n",
    "## A section ✓\n",
    "<!-- id: typed-id -->\n",
    "> a quote 日本語\n",
];

/// A question block written here (non-ASCII, a code example), besides copies of the bank's own.
const NEW_QUESTION: &str = "### 7. Comment gérez-vous un déploiement raté 🚀?\n<!-- id: deploiement-rate -->\n\n\
**Answer:**\n\nOn revient à la version précédente, puis on cherche la cause — calmement.\n\n\
**Example (Bash):**\n\n```bash\nkubectl rollout undo deployment/web\n```\n\n**TL;DR:** Revenir en arrière d'abord.\n\n";

/// The LSP position (UTF-16 code units) of a byte offset.
fn position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() as u64, before[line_start..].encode_utf16().count() as u64)
}

fn lsp_position(text: &str, offset: usize) -> Value {
    let (line, character) = position(text, offset);
    json!({ "line": line, "character": character })
}

fn char_boundary_at_or_before(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn random_offset(rng: &mut Rng, text: &str) -> usize {
    char_boundary_at_or_before(text, rng.below(text.len() + 1))
}

/// The offsets where lines start, the end of the text included.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    starts.dedup();
    starts
}

/// The byte ranges of the question blocks (`### ` heading to the next one or the end).
fn question_blocks(text: &str) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = line_starts(text).into_iter().filter(|&s| text[s..].starts_with("### ")).collect();
    starts.iter().enumerate().map(|(i, &s)| (s, starts.get(i + 1).copied().unwrap_or(text.len()))).collect()
}

#[derive(Clone, Copy)]
enum Kind {
    Type,
    Delete,
    InsertLine,
    DeleteLine,
    PasteBlock,
    CutBlock,
    Overwrite,
}

/// What a user does, by weight (out of 100).
const KINDS: [(Kind, usize); 7] = [
    (Kind::Type, 30),
    (Kind::Delete, 20),
    (Kind::InsertLine, 12),
    (Kind::DeleteLine, 10),
    (Kind::PasteBlock, 8),
    (Kind::CutBlock, 6),
    (Kind::Overwrite, 14),
];

/// One random edit of `text`: the byte range it replaces and the new text. The document stays
/// within ¾ to 1½ times its initial size (memory is only comparable between similar texts).
fn random_edit(rng: &mut Rng, text: &str, initial_len: usize) -> (usize, usize, String) {
    let kind = if text.len() > initial_len * 3 / 2 {
        [Kind::CutBlock, Kind::CutBlock, Kind::DeleteLine, Kind::Delete][rng.below(4)]
    } else if text.len() < initial_len * 3 / 4 {
        Kind::PasteBlock
    } else {
        let mut roll = rng.below(100);
        KINDS
            .iter()
            .find(|(_, weight)| {
                let hit = roll < *weight;
                roll = roll.saturating_sub(*weight);
                hit
            })
            .map_or(Kind::Type, |(kind, _)| *kind)
    };
    match kind {
        Kind::Type => {
            let at = random_offset(rng, text);
            (at, at, rng.pick(SNIPPETS).to_string())
        }
        // Backspace and delete, a few characters at a time.
        Kind::Delete => {
            let start = random_offset(rng, text);
            let count = 1 + rng.below(12);
            let end = text[start..].char_indices().nth(count).map_or(text.len(), |(i, _)| start + i);
            (start, end, String::new())
        }
        Kind::InsertLine => {
            let starts = line_starts(text);
            let at = starts[rng.below(starts.len())];
            (at, at, rng.pick(LINES).to_string())
        }
        Kind::DeleteLine => {
            let starts = line_starts(text);
            let i = rng.below(starts.len());
            let end = text[starts[i]..].find('\n').map_or(text.len(), |n| starts[i] + n + 1);
            (starts[i], end, String::new())
        }
        // A copy of one of the bank's questions (an exact duplicate) or a new one.
        Kind::PasteBlock => {
            let blocks = question_blocks(text);
            let block = if blocks.is_empty() || rng.below(3) == 0 {
                NEW_QUESTION.to_string()
            } else {
                let (s, e) = blocks[rng.below(blocks.len())];
                let mut copy = text[s..e].to_string();
                if !copy.ends_with('\n') {
                    copy.push('\n');
                }
                copy
            };
            let at = blocks.get(rng.below(blocks.len() + 1)).map_or(text.len(), |&(s, _)| s);
            let prefix = if at == text.len() && !text.ends_with('\n') { "\n" } else { "" };
            (at, at, format!("{prefix}{block}"))
        }
        Kind::CutBlock => match question_blocks(text) {
            blocks if blocks.is_empty() => {
                let at = random_offset(rng, text);
                (at, (at + 1).min(text.len()).max(at), String::new())
            }
            blocks => {
                let (s, e) = blocks[rng.below(blocks.len())];
                (s, e, String::new())
            }
        },
        // A selection overwritten.
        Kind::Overwrite => {
            let start = random_offset(rng, text);
            let count = 1 + rng.below(30);
            let end = text[start..].char_indices().nth(count).map_or(text.len(), |(i, _)| start + i);
            (start, end, rng.pick(SNIPPETS).to_string())
        }
    }
}

/// Messages from the server, in arrival order.
type Inbox = Arc<(Mutex<Vec<Value>>, Condvar)>;

/// `qbank lsp` as a child process, spoken to with Content-Length framed JSON-RPC.
struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    inbox: Inbox,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
}

fn send(stdin: &Mutex<ChildStdin>, message: &Value) {
    let body = message.to_string();
    let mut stdin = stdin.lock().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

impl Server {
    fn start(cwd: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qbank"))
            .arg("lsp")
            .current_dir(cwd)
            .env_remove("QBANK_FAILPOINT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("qbank lsp starts");
        let stdin = Arc::new(Mutex::new(child.stdin.take().unwrap()));
        let inbox: Inbox = Arc::default();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let (replies, messages) = (stdin.clone(), inbox.clone());
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return; // the server exited
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("every message has a Content-Length")];
                reader.read_exact(&mut body).unwrap();
                let message: Value = serde_json::from_slice(&body).unwrap();
                if message.get("id").is_some() && message.get("method").is_some() {
                    // A request from the server (registrations and the like): accept it.
                    send(&replies, &json!({ "jsonrpc": "2.0", "id": message["id"], "result": null }));
                }
                let (list, arrived) = &*messages;
                list.lock().unwrap().push(message);
                arrived.notify_all();
            }
        });
        let mut err = child.stderr.take().unwrap();
        let log = stderr.clone();
        std::thread::spawn(move || {
            let mut chunk = [0; 4096];
            while let Ok(n @ 1..) = err.read(&mut chunk) {
                log.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        Server { child, stdin, inbox, stderr, next_id: 1 }
    }

    fn notify(&self, method: &str, params: Value) {
        send(&self.stdin, &json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let from = self.mark();
        send(&self.stdin, &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let response = self
            .wait(from, TIMEOUT, |m| m["id"] == id && m.get("method").is_none())
            .unwrap_or_else(|_| panic!("no response to {method}; stderr: {}", self.stderr()));
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    fn mark(&self) -> usize {
        self.inbox.0.lock().unwrap().len()
    }

    /// The first message at or after `from` that matches, or every message since `from` when
    /// none did within `timeout`.
    fn wait(&self, from: usize, timeout: Duration, matches: impl Fn(&Value) -> bool) -> Result<Value, Vec<Value>> {
        let deadline = Instant::now() + timeout;
        let (list, arrived) = &*self.inbox;
        let mut messages = list.lock().unwrap();
        let mut seen = from;
        loop {
            if let Some(found) = messages[seen..].iter().find(|m| matches(m)) {
                return Ok(found.clone());
            }
            seen = messages.len();
            let now = Instant::now();
            if now >= deadline {
                return Err(messages[from..].to_vec());
            }
            messages = arrived.wait_timeout(messages, deadline - now).unwrap().0;
        }
    }

    fn messages_since(&self, from: usize) -> Vec<Value> {
        self.inbox.0.lock().unwrap()[from..].to_vec()
    }

    fn stderr(&self) -> String {
        let log = self.stderr.lock().unwrap();
        log[log.len().saturating_sub(4000)..].to_string()
    }

    /// Resident memory of the server process, from `/proc/<pid>/status`.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS in /proc/<pid>/status");
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A diagnostic as (code, [start line, start character, end line, end character], message).
type Finding = (String, [u64; 4], String);

fn published(diagnostics: &Value) -> Vec<Finding> {
    let mut all: Vec<Finding> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let at = |p: &Value| [p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap()];
            let (start, end) = (at(&d["range"]["start"]), at(&d["range"]["end"]));
            let code = d["code"].as_str().unwrap_or_default().to_string();
            (code, [start[0], start[1], end[0], end[1]], d["message"].as_str().unwrap().to_string())
        })
        .collect();
    all.sort();
    all
}

/// What `qbank check --format json` says about `text` (saved as `dir/name`), with its byte
/// offsets turned into UTF-16 positions. A text that is not a bank gets nothing in the editor.
fn checked(dir: &Path, name: &str, source: &str) -> Vec<Finding> {
    std::fs::write(dir.join(name), source).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qbank"))
        .args(["check", "--format", "json", "--no-progress", name])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("QBANK_FAILPOINT")
        .output()
        .expect("qbank check runs");
    assert!(matches!(out.status.code(), Some(0 | 1)), "qbank check: {:?} {}", out.status, text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &report["files"][0];
    if file["bank_id"].is_null() {
        return Vec::new();
    }
    let mut all: Vec<Finding> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let offset = |p: &Value| p["offset"].as_u64().unwrap() as usize;
            let (start, end) =
                (position(source, offset(&d["range"]["start"])), position(source, offset(&d["range"]["end"])));
            let code = d["code"].as_str().unwrap().to_string();
            (code, [start.0, start.1, end.0, end.1], d["message"].as_str().unwrap().to_string())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn thousands_of_random_edits_keep_diagnostics_equal_to_qbank_check_and_memory_flat() {
    let started = Instant::now();
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path().canonicalize().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let name = "soak.md";
    let initial = std::fs::read_to_string(seed("003")).unwrap();
    std::fs::write(root.join(name), &initial).unwrap();
    let uri = format!("file://{}", root.join(name).display());
    let root_uri = format!("file://{}", root.display());

    let mut server = Server::start(&root);
    let init = server.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "soak" }],
            "capabilities": { "general": { "positionEncodings": ["utf-16"] } },
        }),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let from = server.mark();
    server.notify("initialized", json!({}));
    server
        .wait(from, TIMEOUT, |m| {
            m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|t| t.contains("indexed"))
        })
        .unwrap_or_else(|seen| panic!("the workspace was not indexed: {seen:#?}"));

    let mut doc = initial.clone();
    let mut version = 1;
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": doc } }),
    );
    let mut rng = Rng(SEED);
    let mut edits = 0;
    let mut warm_rss = 0;
    let mut compared = 0;
    let first_message = server.mark();
    for burst in 0..BURSTS {
        let from = server.mark();
        let mut sent = 0;
        while sent < EDITS_PER_BURST {
            // Most notifications carry one change; every tenth carries a few, applied in order.
            let count = if version % 10 == 0 { 1 + rng.below(3) } else { 1 };
            let mut changes = Vec::new();
            for _ in 0..count {
                let (start, end, insert) = random_edit(&mut rng, &doc, initial.len());
                changes.push(json!({
                    "range": { "start": lsp_position(&doc, start), "end": lsp_position(&doc, end) },
                    "text": insert,
                }));
                doc.replace_range(start..end, &insert);
            }
            version += 1;
            server.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
            );
            sent += count;
        }
        edits += sent;

        let want = checked(scratch.path(), name, &doc);
        compared += want.len();
        // The first publication of a version has the file's own findings; duplicates within the
        // file follow from the debounced corpus pass, so wait for the version to settle.
        let settled = server.wait(from, TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
                && published(&m["params"]["diagnostics"]) == want
        });
        if settled.is_err() {
            let last = server
                .messages_since(from)
                .into_iter()
                .rfind(|m| m["params"]["uri"] == uri && m["params"]["version"] == version)
                .map(|m| published(&m["params"]["diagnostics"]));
            // Outside the temporary folders, which are removed as the panic unwinds.
            let saved = std::env::temp_dir().join(format!("qbank-lsp-soak-{SEED:x}-burst-{burst}.md"));
            std::fs::write(&saved, &doc).unwrap();
            panic!(
                "burst {burst} (seed {SEED:#x}), version {version}: the server's diagnostics differ from qbank check \
                 (text saved as {}).\nserver: {last:#?}\ncheck: {want:#?}\nstderr: {}",
                saved.display(),
                server.stderr()
            );
        }
        if burst == WARM_UP {
            warm_rss = server.rss_kib();
        }
    }
    let end_rss = server.rss_kib();

    // No handler panicked or failed along the way (they are caught and logged as errors).
    let errors: Vec<Value> = server
        .messages_since(first_message)
        .into_iter()
        .filter(|m| m["method"] == "window/logMessage" && m["params"]["type"] == 1)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(edits >= BURSTS * EDITS_PER_BURST);
    assert!(compared > 0, "the edits left findings to compare");
    assert!(
        end_rss < warm_rss + RSS_GROWTH_LIMIT_KIB,
        "resident memory grew from {warm_rss} KiB after burst {WARM_UP} to {end_rss} KiB after {edits} edits"
    );
    server.request("shutdown", json!(null));
    server.notify("exit", json!(null));
    let deadline = Instant::now() + TIMEOUT;
    while server.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.child.try_wait().unwrap().unwrap().success(), "{}", server.stderr());
    eprintln!(
        "lsp soak: {edits} edits in {BURSTS} bursts, {compared} findings compared, RSS {warm_rss} → {end_rss} KiB, {:?}",
        started.elapsed()
    );
}
