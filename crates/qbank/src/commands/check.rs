//! `qbank check`: run the validator over files and directories, apply fixes, filter by a
//! baseline, and render for people or CI.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use qbank_lint::check::{FileInfo, check_parsed, check_source_parsed};
use qbank_lint::corpus::{CorpusFile, QuestionRecord, check_corpus_with_suppressed};
use qbank_lint::fix::fix_until_stable;
use qbank_lint::registry::all_meta;
use qbank_lint::render::{self, HumanOptions, SarifOptions};
use qbank_lint::{Applicability, Baseline, FileReport, Severity, unified_diff};
use qbank_workspace::{discover, read_source, write_atomic};
use rayon::prelude::*;

use super::config::{Configs, relative_to};
use crate::{Errors, Outcome};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets (colour on a terminal).
    Human,
    /// Stable JSON (see docs/output.md).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// GitLab Code Quality report (JSON array).
    Gitlab,
    /// JUnit XML: a test suite per file, a failed test case per finding.
    Junit,
    /// One JSON object per finding per line.
    JsonLines,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files (any extension) or directories (walked for *.md). Defaults to the current directory,
    /// limited to what the nearest `qbank.toml`'s `include`/`exclude` select.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding is at least this severe (default: the config's `fail-on`, else error).
    #[arg(long, value_parser = ["error", "warning", "info", "hint"])]
    pub fail_on: Option<String>,
    /// Apply safe fixes, atomically, then report what is left.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Show the safe fixes as a unified diff without writing; exit 1 if there are any.
    #[arg(long)]
    pub diff: bool,
    /// Also apply fixes marked unsafe (with --fix or --diff).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the number of findings per rule after the report.
    #[arg(long)]
    pub statistics: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// With --baseline: rewrite that file keeping only its entries that still occur (stale
    /// ones are dropped, new findings are not added and are still reported).
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Use this config file for every input instead of discovering `qbank.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// One checked file: its report, the fixed text when `--fix`/`--diff` changed it, and the
/// questions of the text the report describes (kept for the cross-file pass; the parse itself
/// is dropped as soon as the file is checked).
struct Checked {
    report: FileReport,
    fixed: Option<String>,
    questions: Vec<QuestionRecord>,
}

/// One file to check: where it is, how to show it, its path for config globs, its config.
#[derive(Clone)]
pub(crate) struct Input {
    pub path: PathBuf,
    pub display: String,
    pub relative: String,
    pub config: Arc<super::config::Loaded>,
}

/// Check texts that are not (yet) on disk — `texts[i]` is the content `inputs[i]` would have —
/// the way `qbank check` checks files: every rule per file, then the corpus pass over them all.
/// `qbank merge` checks what it is about to write with it.
pub(crate) fn check_texts(inputs: &[Input], texts: &[String]) -> Result<Vec<FileReport>, Errors> {
    let checked: Vec<(FileReport, Vec<QuestionRecord>)> = inputs
        .par_iter()
        .zip(texts)
        .map(|(input, text)| {
            let info = FileInfo { path: &input.display, relative_path: &input.relative };
            let (report, parsed) = check_source_parsed(info, text, &input.config.config);
            (report, QuestionRecord::take_all(parsed))
        })
        .collect();
    let (mut reports, questions): (Vec<FileReport>, Vec<Vec<QuestionRecord>>) = checked.into_iter().unzip();
    add_corpus_findings(&mut reports, &questions, inputs)?;
    Ok(reports)
}

/// The files `paths` select, each with its config (walked files outside the config's `include`
/// are left out), and the set of files that were found by walking a directory.
pub(crate) fn select_inputs(
    paths: &[PathBuf],
    config: Option<&std::path::Path>,
) -> Result<(Vec<Input>, std::collections::BTreeSet<PathBuf>), Errors> {
    let no_paths = paths.is_empty();
    let paths = if no_paths { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let found = discover(&paths)?;
    let mut configs = Configs::new(config)?;
    // Without paths, the project's config decides what is checked: the one nearest the current
    // directory (or --config) selects the walked files, before each file's own config applies.
    let selection = if no_paths { configs.for_dir(Path::new("."))? } else { None };
    let mut inputs = Vec::new();
    for path in &found.files {
        if let Some(selection) = &selection
            && !selection.config.includes(&relative_to(path, &selection.root))
        {
            continue;
        }
        let config = configs.for_file(path)?;
        let relative = relative_to(path, &config.root);
        if found.walked.contains(path) && !config.config.includes(&relative) {
            continue;
        }
        inputs.push(Input { display: path.display().to_string(), path: path.clone(), relative, config });
    }
    Ok((inputs, found.walked))
}

pub fn run(args: &CheckArgs) -> Result<Outcome, Errors> {
    let (inputs, walked) = select_inputs(&args.paths, args.config.as_deref())?;
    let found = Found { walked };
    let progress = progress_bar(inputs.len(), args.no_progress);
    let level = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
    let results: Vec<Result<Option<Checked>, String>> = inputs
        .par_iter()
        .map(|input| {
            let result = check_one(input, found.walked.contains(&input.path), args.fix || args.diff, level);
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            result
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut reports = Vec::new();
    let mut questions = Vec::new();
    let mut fixed = Vec::new();
    let mut errors = Vec::new();
    for (input, result) in inputs.iter().zip(results) {
        match result {
            Ok(Some(checked)) => {
                if let Some(text) = checked.fixed {
                    fixed.push((input.path.clone(), input.display.clone(), text));
                }
                reports.push(checked.report);
                questions.push(checked.questions);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    // A file that cannot be read fails the run (exit 2) after the others are reported; with
    // --fix, --diff or --write-baseline nothing is written or shown unless every file was read.
    if !errors.is_empty() && (args.fix || args.diff || args.write_baseline.is_some() || args.update_baseline) {
        return Err(Errors(errors));
    }
    if args.diff {
        for (path, display, after) in &fixed {
            let before = std::fs::read_to_string(path).unwrap_or_default();
            crate::out!("{}", unified_diff(display, &before, after));
        }
        if !fixed.is_empty() {
            eprintln!("{} file(s) would be changed by --fix", fixed.len());
            return Ok(Outcome::Failure);
        }
    }
    if args.fix {
        // All fixes are computed before any write: a failed check writes nothing.
        for (path, display, text) in &fixed {
            write_atomic(path, text)?;
            eprintln!("fixed {display}");
        }
    }
    add_corpus_findings(&mut reports, &questions, &inputs)?;
    drop(questions);
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_reports(&reports);
        write_atomic(path, &baseline.to_json())?;
        eprintln!("wrote {} finding(s) to baseline {}", baseline.len(), path.display());
        return Ok(Outcome::Clean);
    }
    let mut stale = None;
    if let Some(path) = &args.baseline {
        let baseline = read_baseline(path)?;
        let run = baseline.apply(reports);
        reports = run.reports;
        if args.update_baseline {
            // Unread files fail the run above, before anything is written.
            if run.matched != baseline {
                write_atomic(path, &run.matched.to_json())?;
                eprintln!(
                    "updated baseline {}: dropped {} stale finding(s), {} left",
                    path.display(),
                    run.stale.len(),
                    run.matched.len()
                );
            }
            stale = Some(Baseline::default());
        } else {
            stale = Some(run.stale);
        }
    }
    let summary = render::Summary::of(&reports);
    let stale_count = stale.as_ref().map_or(0, Baseline::len);
    let output = match args.format {
        Format::Human => {
            let mut text = render::human(&reports, HumanOptions { color: color_enabled(), show_fix: false });
            if let Some(line) = render::baseline_line(&summary, stale_count) {
                text.push_str(&line);
                text.push('\n');
            }
            text
        }
        Format::Json => render::json_with(&reports, stale.as_ref()),
        Format::Sarif => render::sarif_with(
            &reports,
            &all_meta(),
            SarifOptions { tool_version: env!("CARGO_PKG_VERSION"), baseline: args.baseline.is_some() },
        ),
        Format::Github => render::github(&reports),
        Format::Gitlab => render::gitlab(&reports),
        Format::Junit => render::junit(&reports),
        Format::JsonLines => render::json_lines(&reports),
    };
    crate::out!("{output}");
    if args.format != Format::Human
        && let Some(line) = render::baseline_line(&summary, stale_count)
    {
        eprintln!("{line}");
    }
    if args.statistics {
        crate::out!("{}", render::statistics(&reports));
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    let fail_on = fail_on(args, &inputs)?;
    let failed = reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.severity >= fail_on);
    Ok(if failed { Outcome::Failure } else { Outcome::Clean })
}

/// Check one file; `None` for a walked file that is not a bank. With `fix`, also returns the
/// fixed text when it differs (the report then describes the fixed text).
fn check_one(input: &Input, walked: bool, fix: bool, level: Applicability) -> Result<Option<Checked>, String> {
    let source = read_source(&input.path).map_err(|e| e.to_string())?;
    let info = FileInfo { path: &input.display, relative_path: &input.relative };
    let config = &input.config.config;
    let (report, parsed) = check_source_parsed(info, &source.text, config);
    // A walked file that is not a bank stays quiet (a README, an index page) unless a
    // qbank.toml selects it, which says it is meant to be a bank, or it holds paywall or teaser
    // text (a scraped page dropped into a corpus folder must fail CI, not pass silently).
    if walked && !parsed.is_bank() {
        let selected = !config.source.trim().is_empty();
        let paywall = report.diagnostics.iter().any(|d| d.code == "QB106");
        if !selected && !paywall {
            return Ok(None);
        }
    }
    if !fix || !report.diagnostics.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.applies_at(level))) {
        return Ok(Some(Checked { report, fixed: None, questions: QuestionRecord::take_all(parsed) }));
    }
    let fixed = fix_until_stable(&source.text, level, |text| {
        check_parsed(info, text, &qbank_core::parse_hinted(text, &config.shape_hint()), config)
    });
    if fixed.output == source.text {
        return Ok(Some(Checked { report, fixed: None, questions: QuestionRecord::take_all(parsed) }));
    }
    let (report, parsed) = check_source_parsed(info, &fixed.output, config);
    Ok(Some(Checked { report, fixed: Some(fixed.output), questions: QuestionRecord::take_all(parsed) }))
}

/// The cross-file pass: duplicates and near duplicates among every bank of the run, added to
/// the reports (sorted again); `questions` are the reports' questions, in the same order. Mode
/// and thresholds come from the first file's config.
pub(crate) fn add_corpus_findings(
    reports: &mut [FileReport],
    questions: &[Vec<QuestionRecord>],
    inputs: &[Input],
) -> Result<(), Errors> {
    let Some(first) = inputs.first() else { return Ok(()) };
    let (mode, thresholds) = super::dedup::mode_and_thresholds(&first.config, None, false)?;
    let by_path: std::collections::HashMap<&str, &Input> = inputs.iter().map(|i| (i.display.as_str(), i)).collect();
    let banks: Vec<(usize, &[QuestionRecord])> = reports
        .iter()
        .zip(questions)
        .enumerate()
        .filter(|(_, (r, _))| r.bank_id.is_some())
        .map(|(i, (_, q))| (i, q.as_slice()))
        .collect();
    let files: Vec<CorpusFile<'_>> = banks
        .iter()
        .map(|(i, questions)| {
            let input = by_path[reports[*i].path.as_str()];
            CorpusFile {
                path: &reports[*i].path,
                relative_path: &input.relative,
                source: &reports[*i].source,
                questions: questions.iter().map(QuestionRecord::corpus).collect(),
                config: &input.config.config,
            }
        })
        .collect();
    let (found, suppressed) = check_corpus_with_suppressed(&files, &mode, &thresholds).map_err(|e| e.to_string())?;
    let targets: Vec<usize> = banks.iter().map(|(i, _)| *i).collect();
    drop(files);
    for ((index, diagnostics), suppressed) in targets.into_iter().zip(found).zip(suppressed) {
        let report = &mut reports[index];
        report.diagnostics.extend(diagnostics);
        report.diagnostics.sort_by(|a, b| (a.span.start, a.code, a.span.end).cmp(&(b.span.start, b.code, b.span.end)));
        report.suppressed.extend(suppressed);
    }
    Ok(())
}

fn fail_on(args: &CheckArgs, inputs: &[Input]) -> Result<Severity, Errors> {
    if let Some(text) = &args.fail_on {
        return Ok(Severity::parse(text).unwrap_or(Severity::Error));
    }
    // The strictest `fail-on` among the configs in play.
    Ok(inputs.iter().map(|i| i.config.config.fail_on).min().unwrap_or(Severity::Error))
}

fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

fn progress_bar(len: usize, disabled: bool) -> Option<indicatif::ProgressBar> {
    if disabled || len < 200 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}").ok()?);
    Some(bar)
}

/// The walked files of a selection.
struct Found {
    walked: std::collections::BTreeSet<PathBuf>,
}

/// The baseline file at `path`, or an error naming it.
pub(crate) fn read_baseline(path: &Path) -> Result<Baseline, Errors> {
    let text = read_source(path)?.text;
    Ok(Baseline::from_json(&text).map_err(|e| format!("{}: invalid baseline: {e}", path.display()))?)
}
