//! `lsp-latency`: open one bank, type one character at a time into answer text spread over the
//! file, and time each `didChange` → diagnostics for that version.
//!
//! Push servers are matched on the diagnostics' `version` when they send one; a server that
//! sends none is timed to its first `publishDiagnostics` after the change (messages already
//! waiting are dropped before each edit). A server that does not push is asked with
//! `textDocument/diagnostic` right after each change, and the request's round trip is timed.

use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{self, Incoming, Server};
use crate::proc::{Memory, TICKS_PER_SECOND, cpu_ticks};
use crate::stats::Summary;

#[derive(Debug, clap::Args)]
pub struct LatencyArgs {
    /// The server's command line, split on whitespace (e.g. "qbank lsp", "rumdl server --no-config").
    #[arg(long)]
    server: String,
    /// The bank to open.
    #[arg(long)]
    file: PathBuf,
    /// Timed edits.
    #[arg(long, default_value_t = 200)]
    edits: usize,
    /// Edits made first and not timed.
    #[arg(long, default_value_t = 20)]
    warmup: usize,
    /// Characters typed at each place before moving to the next one.
    #[arg(long, default_value_t = 5)]
    burst: usize,
    /// Pause between an edit's diagnostics and the next edit, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pause_ms: u64,
    /// A workspace folder to initialize with (default: none, the file alone).
    #[arg(long)]
    root: Option<PathBuf>,
    /// How diagnostics are obtained: `auto` (push; pull when the server pushes nothing after
    /// opening and offers `textDocument/diagnostic`), `push` or `pull` (advertises pull support).
    #[arg(long, default_value = "auto", value_parser = ["auto", "push", "pull"])]
    mode: String,
    /// Give up on one edit's diagnostics after this many milliseconds.
    #[arg(long, default_value_t = 30_000)]
    timeout_ms: u64,
    /// Write the server's stderr here.
    #[arg(long)]
    server_log: Option<PathBuf>,
    /// Also print the result as one JSON line.
    #[arg(long)]
    json: bool,
}

/// How one edit's diagnostics were matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Matching {
    /// `publishDiagnostics` carrying the edit's version.
    PushVersioned,
    /// The first `publishDiagnostics` after the change (the server sends no version).
    PushFirstAfter,
    /// The `textDocument/diagnostic` response sent right after the change.
    Pull,
}

impl Matching {
    fn describe(self) -> &'static str {
        match self {
            Matching::PushVersioned => "push, matched on version",
            Matching::PushFirstAfter => "push without version: first publishDiagnostics after the change",
            Matching::Pull => "pull: textDocument/diagnostic after each change",
        }
    }
}

pub fn run(args: &LatencyArgs) -> io::Result<()> {
    let path = client::absolute(&args.file);
    let text = std::fs::read_to_string(&path)?;
    let uri = client::file_uri(&path);
    let root = args.root.as_deref().map(client::absolute);
    let timeout = Duration::from_millis(args.timeout_ms);
    let open_timeout = timeout.max(Duration::from_secs(120));

    let mut server = Server::spawn(&args.server, args.server_log.as_deref())?;
    let init = client::initialize(&mut server, root.as_deref(), args.mode == "pull", open_timeout)?;
    let name = client::server_name(&init);
    let capabilities = &init.message["result"]["capabilities"];
    let offers_pull = !capabilities["diagnosticProvider"].is_null();
    let full_sync = sync_kind(capabilities) == Some(1);

    let opened = server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    )?;
    // `since`: when the first diagnostics were asked for (the didOpen, or the first pull).
    let (matching, since, first) = if args.mode == "pull" {
        (Matching::Pull, opened, pull(&mut server, &uri, open_timeout)?)
    } else {
        // A server that also offers pull may be waiting to be asked: do not wait long for a push.
        let wait = if args.mode == "auto" && offers_pull { Duration::from_secs(5) } else { open_timeout };
        match server.wait_for(opened + wait, |m| publish_for(m, &uri).map(|p| (m.at, p))) {
            Some((at, p)) => {
                let matching = if p.get("version").is_some_and(|v| !v.is_null()) {
                    Matching::PushVersioned
                } else {
                    Matching::PushFirstAfter
                };
                (matching, opened, (at, diagnostic_count(&p)))
            }
            None if args.mode == "auto" && offers_pull => {
                let asked = Instant::now();
                (Matching::Pull, asked, pull(&mut server, &uri, open_timeout)?)
            }
            None => return Err(io::Error::new(io::ErrorKind::TimedOut, "no diagnostics after didOpen")),
        }
    };
    let open_ms = ms(first.0.saturating_duration_since(since));

    let mut document = Document::new(&text);
    let total = args.warmup + args.edits;
    let places = document.places(total.div_ceil(args.burst.max(1)));
    if places.is_empty() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "no answer text to type into"));
    }
    let pid = server.pid();
    let mut memory = Memory::default();
    let mut cpu_from = None;
    let mut samples = Vec::with_capacity(args.edits);
    let mut timeouts = 0;
    let mut last_count = first.1;
    for edit in 0..total {
        if edit == args.warmup {
            cpu_from = cpu_ticks(pid);
        }
        let (line, column) = places[(edit / args.burst.max(1)) % places.len()];
        let typed = TYPED[edit % TYPED.len()];
        let version = 2 + edit as i64;
        let change = document.insert(line, column + edit % args.burst.max(1), typed);
        let change = if full_sync { json!({ "text": document.text() }) } else { change };
        server.drain();
        let sent = server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        )?;
        let received = match matching {
            Matching::Pull => pull(&mut server, &uri, timeout).ok(),
            Matching::PushVersioned | Matching::PushFirstAfter => server.wait_for(sent + timeout, |m| {
                let p = publish_for(m, &uri)?;
                let fresh = matching == Matching::PushFirstAfter || p["version"].as_i64().is_some_and(|v| v >= version);
                fresh.then(|| (m.at, diagnostic_count(&p)))
            }),
        };
        match received {
            Some((at, count)) => {
                last_count = count;
                if edit >= args.warmup {
                    samples.push(ms(at.saturating_duration_since(sent)));
                }
            }
            None => timeouts += 1,
        }
        if args.pause_ms > 0 {
            std::thread::sleep(Duration::from_millis(args.pause_ms));
        }
    }
    // Server CPU per timed edit: independent of other load on the machine, unlike wall time.
    let cpu_per_edit_ms = match (cpu_from, cpu_ticks(pid)) {
        (Some(from), Some(to)) if !samples.is_empty() => {
            Some((to - from) as f64 / TICKS_PER_SECOND * 1000.0 / samples.len() as f64)
        }
        _ => None,
    };
    memory.sample(pid);
    server.shutdown();

    let summary = Summary::of(&samples);
    println!("server: {} ({name})", args.server);
    println!("file: {} ({} bytes, {} lines)", path.display(), text.len(), text.lines().count());
    println!("diagnostics: {}{}", matching.describe(), if full_sync { "; full-text sync" } else { "" });
    println!("didOpen → first diagnostics: {open_ms:.1} ms ({} diagnostics)", first.1);
    println!(
        "edits: {} timed after {} warm-up, {} timed out (> {} ms); diagnostics after the last edit: {last_count}",
        samples.len(),
        args.warmup,
        timeouts,
        args.timeout_ms
    );
    println!("{}", summary.line("ms"));
    println!(
        "server CPU per timed edit: {}; server peak RSS (VmHWM): {:.0} MB",
        cpu_per_edit_ms.map_or("-".into(), |ms| format!("{ms:.1} ms")),
        memory.hwm_kb as f64 / 1024.0
    );
    if args.json {
        let result = json!({
            "server": args.server,
            "name": name,
            "mode": match matching { Matching::Pull => "pull", _ => "push" },
            "versioned": matching == Matching::PushVersioned,
            "full_sync": full_sync,
            "bytes": text.len(),
            "open_ms": open_ms,
            "open_diagnostics": first.1,
            "edits": samples.len(),
            "timeouts": timeouts,
            "latency_ms": summary.json(),
            "cpu_per_edit_ms": cpu_per_edit_ms,
            "peak_rss_mb": memory.hwm_kb as f64 / 1024.0,
        });
        println!("{result}");
    }
    Ok(())
}

/// Typed one at a time; a word and a space, so the text stays prose.
const TYPED: [&str; 5] = ["f", "a", "s", "t", " "];

/// `textDocumentSync` change kind: 1 full, 2 incremental.
fn sync_kind(capabilities: &Value) -> Option<i64> {
    let sync = &capabilities["textDocumentSync"];
    sync.as_i64().or_else(|| sync["change"].as_i64())
}

/// The params of a `publishDiagnostics` for `uri`.
pub(crate) fn publish_for(message: &Incoming, uri: &str) -> Option<Value> {
    if message.method() != Some("textDocument/publishDiagnostics") {
        return None;
    }
    let params = &message.message["params"];
    (params["uri"].as_str() == Some(uri)).then(|| params.clone())
}

pub(crate) fn diagnostic_count(params: &Value) -> usize {
    params["diagnostics"].as_array().map_or(0, Vec::len)
}

/// Asks for the document's diagnostics; returns when the answer arrived and how many.
fn pull(server: &mut Server, uri: &str, timeout: Duration) -> io::Result<(Instant, usize)> {
    let response =
        server.request_and_wait("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }), timeout)?;
    if let Some(error) = response.message.get("error") {
        return Err(io::Error::other(format!("textDocument/diagnostic failed: {error}")));
    }
    Ok((response.at, response.message["result"]["items"].as_array().map_or(0, Vec::len)))
}

pub(crate) fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The client's copy of the document, as lines (edits never add or remove a line).
pub(crate) struct Document {
    lines: Vec<String>,
    /// Each line's terminator (`"\n"`, `"\r\n"` or `""` for the last).
    endings: Vec<&'static str>,
}

impl Document {
    pub(crate) fn new(text: &str) -> Document {
        let mut lines = Vec::new();
        let mut endings = Vec::new();
        for raw in text.split_inclusive('\n') {
            let (line, ending) = match raw.strip_suffix("\r\n") {
                Some(line) => (line, "\r\n"),
                None => raw.strip_suffix('\n').map_or((raw, ""), |line| (line, "\n")),
            };
            lines.push(line.to_string());
            endings.push(ending);
        }
        Document { lines, endings }
    }

    fn text(&self) -> String {
        self.lines.iter().zip(&self.endings).map(|(line, ending)| format!("{line}{ending}")).collect()
    }

    /// `count` places to type at (line, UTF-16 column just after a space near the middle of an
    /// answer line), spread evenly over the file.
    pub(crate) fn places(&self, count: usize) -> Vec<(usize, usize)> {
        let mut candidates = Vec::new();
        let mut fence: Option<&str> = None;
        for (number, line) in self.lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if let Some(marker) = fence {
                if trimmed.starts_with(marker) {
                    fence = None;
                }
                continue;
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = Some(&trimmed[..3]);
                continue;
            }
            let structural = ["#", "<!--", "**", "---", "|", ">", "```"].iter().any(|p| trimmed.starts_with(p));
            if structural || line.len() < 20 || !line.is_ascii() {
                continue;
            }
            let middle = line.len() / 2;
            if let Some(space) = line[middle..].find(' ') {
                candidates.push((number, middle + space + 1));
            }
        }
        if candidates.is_empty() || count == 0 {
            return Vec::new();
        }
        let step = candidates.len() as f64 / count as f64;
        (0..count).map(|i| candidates[((i as f64 * step) as usize).min(candidates.len() - 1)]).collect()
    }

    /// Inserts `text` at (line, column) — the column clamped to the line — and returns the LSP
    /// content change. Lines chosen by [`Document::places`] are ASCII, so UTF-16 columns are bytes.
    pub(crate) fn insert(&mut self, line: usize, column: usize, text: &str) -> Value {
        let current = &mut self.lines[line];
        let column = column.min(current.len());
        current.insert_str(column, text);
        let position = json!({ "line": line, "character": column });
        json!({ "range": { "start": position, "end": position }, "text": text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANK: &str = "# Bank\n\n### 1. How do you scale Kafka?\n<!-- id: q1 -->\n\n**Answer:**\n\n- Measure the lag and shard the topics under heavy load.\n\n```yaml\nspec: replicas of the service are set here\n```\n\n**TL;DR:** Measure first, then shard it.\n";

    #[test]
    fn places_are_in_answer_text_after_a_space() {
        let document = Document::new(BANK);
        let places = document.places(3);
        assert_eq!(places.len(), 3);
        for (line, column) in places {
            assert!(document.lines[line].starts_with("- Measure"));
            assert_eq!(&document.lines[line][column - 1..column], " ");
        }
    }

    #[test]
    fn insert_keeps_the_text_in_step() {
        let mut document = Document::new(BANK);
        let change = document.insert(7, 2, "x");
        assert_eq!(change["range"]["start"]["character"], 2);
        assert!(document.text().contains("- xMeasure the lag"));
        assert_eq!(document.text().len(), BANK.len() + 1);
    }
}
