//! The qbank language server (`qbank lsp`): live diagnostics, completion, hover, code actions,
//! symbols, folding and formatting for Markdown question banks, over stdio.
//!
//! It calls the same library functions as the CLI (`qbank_lint::check::check_source_parsed`,
//! `qbank_core::format_source`, `qbank_lint::fix::fix_until_stable`), so a file shows the same
//! findings in the editor and in `qbank check` — cross-file duplicates included
//! (`qbank_lint::corpus::check_corpus`, run debounced over the workspace index: [`corpus`]).
//! This crate only loads, calls and converts: positions through one module ([`convert`]), in
//! the encoding negotiated with the client.
//!
//! # Why `tower-lsp-server`
//!
//! It is the maintained community fork of `tower-lsp` (used by harper and biome): current
//! `ls-types`, LSP 3.17 pull diagnostics, and a small async trait per request. `tower-lsp`
//! runs handlers concurrently, which is why ruff left it (a `didChange` could be handled after a
//! later request). We keep its ergonomics and close that gap ourselves: handlers start in
//! arrival order, every document mutation happens before a handler's first `.await`, versions
//! are checked on every change, and results for a superseded version are dropped (see
//! [`server`]).
//!
//! Logs go to stderr (and `window/logMessage`); stdout carries only the protocol.

#![deny(clippy::print_stdout)]

pub mod analysis;
pub mod convert;
pub mod corpus;
pub mod features;
pub mod index;
pub mod links;
pub mod metadata;
pub mod server;
pub mod settings;
pub mod transport;

pub use server::{Backend, CHECK_WORKSPACE, CORPUS_DEBOUNCE, DUPLICATES, SHOW_LOCATION, TestHooks};

/// Serves the protocol on stdin/stdout until the client sends `exit`.
pub async fn serve_stdio() {
    let (service, socket) = tower_lsp_server::LspService::new(Backend::new);
    let input = transport::filtered(tokio::io::stdin());
    tower_lsp_server::Server::new(input, tokio::io::stdout(), socket).serve(service).await;
}

/// [`serve_stdio`] on a multi-threaded tokio runtime of its own: what `qbank lsp` runs.
pub fn run_stdio() -> std::io::Result<()> {
    // A few blocking threads suffice (stdin, an analysis, the duplicate pass, freeing old
    // analyses); tokio's default of 512 lets bursts of edits spread freed memory over many
    // threads' heaps, which then stays resident.
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().max_blocking_threads((2 * cores).max(6)).enable_all().build()?;
    runtime.block_on(serve_stdio());
    // The stdin reader blocks on a thread of its own until the client closes the pipe; after
    // `exit` the process must end without waiting for that.
    runtime.shutdown_background();
    Ok(())
}
