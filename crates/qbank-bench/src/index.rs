//! `lsp-index`: start a server on a workspace folder and time how long until its workspace
//! index is ready, then let it settle and report its memory.
//!
//! Readiness signals, each timed from spawn when seen: a `window/logMessage` containing
//! `--ready-log` (qbank logs `qbank: indexed N banks in X ms`), the end of a `$/progress`
//! (rumdl reports its indexing so), and a `workspace/symbol` query (`--probe-query`) whose
//! results include a file matching `--probe-file` (polled every 100 ms). "Ready" is the probe
//! when one is given, else the log line, else the progress end. After that the server is left
//! until its CPU use stays under 5 % of a core for a second (the post-index passes are over),
//! with its resident memory sampled throughout; peak RSS is the kernel's VmHWM.

use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::{self, Incoming, Server};
use crate::proc::{Memory, TICKS_PER_SECOND, cpu_ticks};

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The server's command line, split on whitespace.
    #[arg(long)]
    server: String,
    /// The workspace folder.
    #[arg(long)]
    root: PathBuf,
    /// A `window/logMessage` containing this text means the index is ready.
    #[arg(long)]
    ready_log: Option<String>,
    /// Poll `workspace/symbol` with this query until a result is in `--probe-file`.
    #[arg(long)]
    probe_query: Option<String>,
    /// The probe's expected result: a uri ending with this (e.g. the last bank's file name).
    #[arg(long, requires = "probe_query")]
    probe_file: Option<String>,
    /// Give up waiting for readiness after this many seconds.
    #[arg(long, default_value_t = 300)]
    timeout_s: u64,
    /// Wait at most this many seconds after readiness for the server to go idle.
    #[arg(long, default_value_t = 60)]
    settle_max_s: u64,
    /// Write the server's stderr here.
    #[arg(long)]
    server_log: Option<PathBuf>,
    /// Also print the result as one JSON line.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &IndexArgs) -> io::Result<()> {
    let root = client::absolute(&args.root);
    let mut server = Server::spawn(&args.server, args.server_log.as_deref())?;
    let pid = server.pid();
    let spawned = server.spawned;
    let mut memory = Memory::default();
    let timeout = Duration::from_secs(args.timeout_s);
    let init = client::initialize(&mut server, Some(&root), false, timeout)?;
    let name = client::server_name(&init);
    let initialized_ms = since(spawned, init.at);

    let mut signals = Signals::default();
    let mut probes = 0;
    let mut outstanding: Option<i64> = None;
    let mut next_probe = Instant::now();
    let deadline = spawned + timeout;
    let ready = loop {
        memory.sample(pid);
        let ready = match (&args.probe_query, &args.ready_log) {
            (Some(_), _) => signals.probe,
            (None, Some(_)) => signals.log.as_ref().map(|(at, _)| *at),
            (None, None) => signals.progress_end,
        };
        if ready.is_some() || Instant::now() >= deadline {
            break ready;
        }
        if let Some(query) = &args.probe_query
            && outstanding.is_none()
            && Instant::now() >= next_probe
        {
            outstanding = Some(server.request("workspace/symbol", json!({ "query": query }))?.0);
            probes += 1;
        }
        let Some(message) = server.recv_until((Instant::now() + Duration::from_millis(100)).min(deadline)) else {
            continue;
        };
        signals.observe(&message, spawned, args.ready_log.as_deref());
        if message.response_id().is_some() && message.response_id() == outstanding {
            outstanding = None;
            next_probe = Instant::now() + Duration::from_millis(100);
            if probe_hit(&message.message["result"], args.probe_file.as_deref()) {
                signals.probe = Some(since(spawned, message.at));
            }
        }
    };

    // Let the server finish what follows indexing (qbank: the corpus-wide duplicate pass):
    // settled once its CPU time grew by at most 5 % of a core over the last second.
    let settle_deadline = Instant::now() + Duration::from_secs(args.settle_max_s);
    let mut ticks: Vec<u64> = Vec::new();
    let mut settled = None;
    while ready.is_some() && Instant::now() < settle_deadline {
        memory.sample(pid);
        ticks.push(cpu_ticks(pid).unwrap_or(0));
        if ticks.len() > 4 && ticks[ticks.len() - 1] - ticks[ticks.len() - 5] <= (0.05 * TICKS_PER_SECOND) as u64 {
            settled = Some(since(spawned, Instant::now()));
            break;
        }
        let until = Instant::now() + Duration::from_millis(250);
        while let Some(message) = server.recv_until(until) {
            signals.observe(&message, spawned, args.ready_log.as_deref());
        }
    }
    let Signals { log, logs, progress_end, progress_message, probe } = signals;
    memory.sample(pid);
    let cpu_s = cpu_ticks(pid).map(|t| t as f64 / TICKS_PER_SECOND);
    let rss_now = memory.rss_kb;
    server.shutdown();

    let seconds = |ms: Option<f64>| ms.map_or("-".into(), |ms| format!("{:.2} s", ms / 1000.0));
    println!("server: {} ({name}), workspace {}", args.server, root.display());
    println!("initialize answered: {:.2} s after spawn", initialized_ms / 1000.0);
    for (at, text) in &logs {
        println!("log at {:.2} s: {text}", at / 1000.0);
    }
    match &progress_message {
        Some(text) => println!("progress end: {} (last progress message: {text})", seconds(progress_end)),
        None => println!("progress end: {}", seconds(progress_end)),
    }
    if args.probe_query.is_some() {
        println!("workspace/symbol probe hit: {} ({probes} queries)", seconds(probe));
    }
    match ready {
        Some(at) => println!("ready: {:.2} s after spawn", at / 1000.0),
        None => println!("ready: not within {} s", args.timeout_s),
    }
    println!(
        "settled (CPU idle): {}; server CPU time {}",
        settled.map_or(format!("not within {} s", args.settle_max_s), |ms| format!("{:.2} s", ms / 1000.0)),
        cpu_s.map_or("-".into(), |s| format!("{s:.2} s"))
    );
    println!("peak RSS (VmHWM): {:.0} MB; RSS after settling: {:.0} MB", mb(memory.hwm_kb), mb(rss_now));
    if args.json {
        let result = json!({
            "server": args.server,
            "name": name,
            "initialize_ms": initialized_ms,
            "ready_log_ms": log.as_ref().map(|(at, _)| *at),
            "ready_log": log.as_ref().map(|(_, text)| text.clone()),
            "logs": logs,
            "progress_end_ms": progress_end,
            "progress_message": progress_message,
            "probe_ms": probe,
            "ready_ms": ready,
            "settled_ms": settled,
            "cpu_s": cpu_s,
            "peak_rss_mb": mb(memory.hwm_kb),
            "rss_mb": mb(rss_now),
        });
        println!("{result}");
    }
    Ok(())
}

/// When each readiness signal was first seen, in ms after spawn.
#[derive(Debug, Default)]
struct Signals {
    log: Option<(f64, String)>,
    /// Every `window/logMessage` seen (the first 50), for what the server says it did.
    logs: Vec<(f64, String)>,
    progress_end: Option<f64>,
    /// The latest `$/progress` begin or report text (e.g. "Indexed 100/100 files").
    progress_message: Option<String>,
    probe: Option<f64>,
}

impl Signals {
    fn observe(&mut self, message: &Incoming, spawned: Instant, ready_log: Option<&str>) {
        match message.method() {
            Some("window/logMessage") => {
                let text = message.message["params"]["message"].as_str().unwrap_or_default();
                if self.logs.len() < 50 {
                    self.logs.push((since(spawned, message.at), text.to_string()));
                }
                if self.log.is_none() && ready_log.is_some_and(|wanted| text.contains(wanted)) {
                    self.log = Some((since(spawned, message.at), text.to_string()));
                }
            }
            Some("$/progress") => {
                let value = &message.message["params"]["value"];
                if let Some(text) = value["message"].as_str().filter(|_| value["kind"] != "end") {
                    self.progress_message = Some(text.to_string());
                }
                if self.progress_end.is_none() && value["kind"] == "end" {
                    self.progress_end = Some(since(spawned, message.at));
                }
            }
            _ => {}
        }
    }
}

fn since(start: Instant, at: Instant) -> f64 {
    at.saturating_duration_since(start).as_secs_f64() * 1000.0
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Whether a `workspace/symbol` result is non-empty and (when `file` is given) has a location
/// whose uri ends with `file`.
fn probe_hit(result: &Value, file: Option<&str>) -> bool {
    let Some(symbols) = result.as_array() else { return false };
    match file {
        None => !symbols.is_empty(),
        Some(file) => symbols.iter().any(|s| s["location"]["uri"].as_str().is_some_and(|uri| uri.ends_with(file))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_needs_a_result_in_the_expected_file() {
        let result = json!([{ "name": "q", "location": { "uri": "file:///c/bank-0099.md" } }]);
        assert!(probe_hit(&result, Some("bank-0099.md")));
        assert!(!probe_hit(&result, Some("bank-0001.md")));
        assert!(probe_hit(&result, None));
        assert!(!probe_hit(&json!([]), None));
        assert!(!probe_hit(&Value::Null, None));
    }
}
