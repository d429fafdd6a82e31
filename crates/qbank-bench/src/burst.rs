//! `lsp-burst`: open one bank, time a few single edits (each waited for), then send a burst of
//! one-character edits without waiting and time the burst's last version's diagnostics — what
//! fast typing, a paste or an undo looks like. A server that checks every version in turn takes
//! about burst × one edit; one that coalesces, about one or two edits (issue 13: ≤ 2×).

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use crate::client::{self, Server};
use crate::latency::{Document, ms, publish_for};
use crate::stats::Summary;

#[derive(Debug, clap::Args)]
pub struct BurstArgs {
    /// The server's command line, split on whitespace (e.g. "qbank lsp").
    #[arg(long)]
    server: String,
    /// The bank to open.
    #[arg(long)]
    file: PathBuf,
    /// One-character edits in the burst.
    #[arg(long, default_value_t = 300)]
    edits: usize,
    /// Single edits timed first (each waited for), for the one-edit latency.
    #[arg(long, default_value_t = 20)]
    singles: usize,
    /// Give up after this many milliseconds.
    #[arg(long, default_value_t = 60_000)]
    timeout_ms: u64,
    /// Also print the result as one JSON line.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &BurstArgs) -> io::Result<()> {
    let path = client::absolute(&args.file);
    let text = std::fs::read_to_string(&path)?;
    let uri = client::file_uri(&path);
    let timeout = Duration::from_millis(args.timeout_ms);
    let mut server = Server::spawn(&args.server, None)?;
    let init = client::initialize(&mut server, None, false, timeout)?;
    let name = client::server_name(&init);
    let opened = server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    )?;
    server
        .wait_for(opened + timeout, |m| publish_for(m, &uri).map(|_| ()))
        .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "no diagnostics after didOpen"))?;

    let mut document = Document::new(&text);
    let places = document.places(1);
    let Some(&(line, column)) = places.first() else {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "no answer text to type into"));
    };
    let mut version = 1i64;
    let mut edit = |server: &Server, version: i64, k: usize| -> io::Result<std::time::Instant> {
        let change = document.insert(line, column + k, "x");
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        )
    };
    let wait_version = |server: &Server, version: i64, since: std::time::Instant| {
        server.wait_for(since + timeout, |m| {
            let p = publish_for(m, &uri)?;
            p["version"].as_i64().is_some_and(|v| v >= version).then_some(m.at)
        })
    };
    let mut singles = Vec::new();
    for k in 0..args.singles {
        version += 1;
        server.drain();
        let sent = edit(&server, version, k)?;
        let at = wait_version(&server, version, sent)
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "no diagnostics for a single edit"))?;
        singles.push(ms(at.saturating_duration_since(sent)));
    }
    server.drain();
    let first = version + 1;
    let mut started = None;
    for k in 0..args.edits {
        version += 1;
        let sent = edit(&server, version, args.singles + k)?;
        started.get_or_insert(sent);
    }
    let started = started.unwrap_or_else(std::time::Instant::now);
    let last_sent = std::time::Instant::now();
    let mut published = 0usize;
    let done = server.wait_for(started + timeout, |m| {
        let p = publish_for(m, &uri)?;
        published += 1;
        (p["version"].as_i64() == Some(version)).then_some(m.at)
    });
    server.shutdown();
    let done =
        done.ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "no diagnostics for the burst's last version"))?;
    let single = Summary::of(&singles);
    let burst_ms = ms(done.saturating_duration_since(last_sent));
    let ratio = burst_ms / single.p50.max(0.001);
    println!("server: {} ({name})", args.server);
    println!("file: {} ({} bytes)", path.display(), text.len());
    println!("single edits: {}", single.line("ms"));
    println!(
        "burst of {} edits (versions {first}–{version}): sending took {:.1} ms; last version's diagnostics {burst_ms:.1} ms after the last edit was sent ({ratio:.2}× one edit's p50); {published} publications seen",
        args.edits,
        ms(last_sent.saturating_duration_since(started)),
    );
    if args.json {
        let result = json!({
            "server": args.server,
            "name": name,
            "edits": args.edits,
            "single_ms": single.json(),
            "burst_ms": burst_ms,
            "ratio": ratio,
            "publications": published,
        });
        println!("{result}");
    }
    Ok(())
}
