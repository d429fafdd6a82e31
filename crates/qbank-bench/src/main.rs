//! `qbank-bench`: a small LSP benchmark client, run against `qbank lsp` and its peers on the
//! same files (see `scripts/bench.sh`). It speaks plain JSON-RPC over the server's stdio with
//! std threads, so any server that takes a command line can be measured the same way.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod burst;
mod client;
mod first;
mod index;
mod latency;
mod proc;
mod stats;

#[derive(Parser, Debug)]
#[command(
    name = "qbank-bench",
    version,
    about = "Measure language servers: edit latency, workspace indexing, first diagnostics"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Time didChange → diagnostics over many one-character edits to one open bank.
    LspLatency(latency::LatencyArgs),
    /// Time a burst of edits sent without waiting: the last version's diagnostics against one
    /// edit's latency.
    LspBurst(burst::BurstArgs),
    /// Time a workspace index from spawn to ready, and the server's peak memory.
    LspIndex(index::IndexArgs),
    /// Time didOpen → the first diagnostics of one file, and the server's peak memory.
    FirstDiagnostics(first::FirstArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::LspLatency(args) => latency::run(&args),
        Command::LspIndex(args) => index::run(&args),
        Command::LspBurst(args) => burst::run(&args),
        Command::FirstDiagnostics(args) => first::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
