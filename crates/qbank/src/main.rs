//! The `qbank` binary: parses arguments, runs one command, maps the outcome to an exit code.
//!
//! Exit codes: 0 success, 1 findings or files that would change, 2 usage, config or I/O error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

/// `println!` that ignores a closed stdout (`qbank export | head` must not panic).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` that ignores a closed stdout.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[derive(Parser, Debug)]
#[command(name = "qbank", version, about = "Tools for Markdown interview question banks", propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Rewrite banks in the canonical shape (assigns missing question ids).
    Fmt {
        /// Files (any extension) or directories (walked for *.md).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write nothing; list files that would change and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Parse banks in any supported shape and write them canonically into a directory.
    Import {
        /// Bank files to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The directory to write canonical banks into (created if missing).
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// Replace banks that already exist in the target directory.
        #[arg(long)]
        force: bool,
    },
    /// Print banks as JSON (one bank for a file, an array for a directory).
    Export {
        /// A bank file or a directory of banks.
        path: PathBuf,
    },
    /// Print the JSON Schema of the bank model (or of qbank.toml with --config).
    Schema {
        /// Print the schema of `qbank.toml` instead.
        #[arg(long)]
        config: bool,
    },
    /// Check banks: structure, content and code examples.
    Check(commands::check::CheckArgs),
    /// Merge new banks into a corpus directory without duplicates and without losing text.
    Merge(commands::merge::MergeArgs),
    /// Find duplicate and near-duplicate questions across banks.
    Dedup(commands::dedup::DedupArgs),
    /// Write one self-contained HTML page about banks: coverage, findings, duplicates.
    Report(commands::report::ReportArgs),
    /// List the rules, or explain one (`qbank rules QB101`, `qbank rules mojibake`).
    Rules {
        /// A rule code or name.
        rule: Option<String>,
        /// Print the rule table as Markdown (as in the README).
        #[arg(long, conflicts_with = "docs")]
        markdown: bool,
        /// Print every rule's documentation as Markdown (docs/rules.md).
        #[arg(long)]
        docs: bool,
    },
    /// Show how qbank reads each file: its shape, how sure, every question, what is structure.
    Inspect(commands::inspect::InspectArgs),
    /// Run the language server over stdin/stdout (editors start it as `qbank lsp`).
    Lsp,
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings, or files that would change.
    Failure,
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Fmt { paths, check } => commands::fmt::run(&paths, check),
        Command::Import { files, into, force } => commands::import::run(&files, &into, force),
        Command::Export { path } => commands::export::run(&path),
        Command::Schema { config } => commands::schema::run(config),
        Command::Check(args) => commands::check::run(&args),
        Command::Dedup(args) => commands::dedup::run(&args),
        Command::Merge(args) => commands::merge::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Rules { rule, markdown, docs } => commands::rules::run(rule.as_deref(), markdown, docs),
        Command::Inspect(args) => commands::inspect::run(&args),
        Command::Lsp => qbank_lsp::run_stdio().map(|()| Outcome::Clean).map_err(Errors::from),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Failure) => ExitCode::from(1),
        Err(errors) => {
            for error in errors.0 {
                eprintln!("error: {error}");
            }
            ExitCode::from(2)
        }
    }
}

/// One or more errors that end a command with exit code 2.
#[derive(Debug)]
pub struct Errors(pub Vec<String>);

impl<E: std::fmt::Display> From<E> for Errors {
    fn from(error: E) -> Self {
        Errors(vec![error.to_string()])
    }
}
