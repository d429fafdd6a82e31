//! `first-diagnostics`: spawn a server, open one file and time its first `publishDiagnostics`
//! (from `didOpen`, and from spawn), with the server's peak memory — the stress suite's measure
//! of a server on a big or adversarial bank.

use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::client::{self, Server};
use crate::proc::Memory;

#[derive(Debug, clap::Args)]
pub struct FirstArgs {
    /// The server's command line, split on whitespace (e.g. "qbank lsp").
    #[arg(long)]
    server: String,
    /// The file to open.
    file: PathBuf,
    /// Give up after this many milliseconds.
    #[arg(long, default_value_t = 300_000)]
    timeout_ms: u64,
    /// Write the server's stderr here.
    #[arg(long)]
    server_log: Option<PathBuf>,
    /// Also print the result as one JSON line.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &FirstArgs) -> io::Result<()> {
    let path = client::absolute(&args.file);
    let text = std::fs::read_to_string(&path)?;
    let uri = client::file_uri(&path);
    let timeout = Duration::from_millis(args.timeout_ms);

    let spawned = Instant::now();
    let mut server = Server::spawn(&args.server, args.server_log.as_deref())?;
    client::initialize(&mut server, None, false, timeout)?;
    let opened = server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
    )?;
    let pid = server.pid();
    let mut memory = Memory::default();
    // Sample memory while waiting: the peak (VmHWM) survives, but a server may exit early.
    let mut found = None;
    while found.is_none() && opened.elapsed() < timeout {
        memory.sample(pid);
        let step = (Instant::now() + Duration::from_millis(100)).min(opened + timeout);
        found = server.wait_for(step, |m| {
            if m.method() != Some("textDocument/publishDiagnostics") {
                return None;
            }
            let params = &m.message["params"];
            (params["uri"].as_str() == Some(uri.as_str()))
                .then(|| (m.at, params["diagnostics"].as_array().map_or(0, Vec::len)))
        });
    }
    memory.sample(pid);
    server.shutdown();
    let Some((at, count)) = found else {
        return Err(io::Error::new(io::ErrorKind::TimedOut, "no diagnostics after didOpen"));
    };
    let from_open = at.saturating_duration_since(opened).as_secs_f64() * 1000.0;
    let from_spawn = at.saturating_duration_since(spawned).as_secs_f64() * 1000.0;
    let peak_mb = memory.hwm_kb as f64 / 1024.0;
    println!("server: {}", args.server);
    println!("file: {} ({} bytes)", path.display(), text.len());
    println!(
        "didOpen → first diagnostics: {from_open:.0} ms ({count} diagnostics); from spawn {from_spawn:.0} ms; server peak RSS (VmHWM): {peak_mb:.0} MB"
    );
    if args.json {
        let result = json!({
            "server": args.server,
            "bytes": text.len(),
            "open_ms": from_open,
            "spawn_ms": from_spawn,
            "diagnostics": count,
            "peak_rss_mb": peak_mb,
        });
        println!("{result}");
    }
    Ok(())
}
