//! `qbank report`: one self-contained HTML page about a set of banks, for a CI artifact or a
//! pull-request review: per bank its questions, TL;DR and code-example coverage, shape and
//! findings by rule; duplicate clusters with word diffs; new vs baselined findings.

mod html;

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use qbank_core::{LineIndex, Parsed};
use qbank_dedup::{Item, explain, find_duplicates};
use qbank_lint::FileReport;
use qbank_lint::check::{FileInfo, check_source_parsed};
use qbank_lint::corpus::QuestionRecord;
use qbank_workspace::{read_source, write_atomic};
use rayon::prelude::*;

pub use html::{BankRow, ClusterMember, ClusterView, Page};

use super::check::{Input, add_corpus_findings, select_inputs};
use crate::{Errors, Outcome};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Files (any extension) or directories (walked for *.md). Defaults to the current directory.
    pub paths: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,
    /// Split findings into new ones and those this baseline accepts.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Use this config file for every input instead of discovering `qbank.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The shape the parser read a bank in, as the report shows it.
///
/// Placeholder: every bank reads as `heading` (numbered question headings) until qbank-core's
/// `Parsed` carries the detected shape; then this returns that field.
pub fn detected_shape(parsed: &Parsed) -> String {
    let _ = parsed;
    "heading".to_owned()
}

/// One checked bank: its report, its numbers, and its questions for the duplicate passes.
struct Checked {
    report: FileReport,
    row: BankRow,
    questions: Vec<QuestionRecord>,
    /// Each question's heading line (one-based), in order.
    lines: Vec<usize>,
}

pub fn run(args: &ReportArgs) -> Result<Outcome, Errors> {
    let (inputs, walked) = select_inputs(&args.paths, args.config.as_deref())?;
    let results: Vec<Result<Option<Checked>, String>> =
        inputs.par_iter().map(|input| check_one(input, walked.contains(&input.path))).collect();
    let mut checked = Vec::new();
    let mut kept_inputs: Vec<Input> = Vec::new();
    let mut errors = Vec::new();
    for (input, result) in inputs.iter().zip(results) {
        match result {
            Ok(Some(c)) => {
                checked.push(c);
                kept_inputs.push(input.clone());
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    let mut reports: Vec<FileReport> = checked.iter().map(|c| c.report.clone()).collect();
    let questions: Vec<Vec<QuestionRecord>> = checked.iter_mut().map(|c| std::mem::take(&mut c.questions)).collect();
    let owned_inputs = kept_inputs;
    add_corpus_findings(&mut reports, &questions, &owned_inputs)?;
    let mut stale = None;
    if let Some(path) = &args.baseline {
        let baseline = super::check::read_baseline(path)?;
        let run = baseline.apply(reports);
        reports = run.reports;
        stale = Some(run.stale.len());
    }
    let clusters = clusters(&owned_inputs, &checked, &questions)?;
    let page = Page {
        version: env!("CARGO_PKG_VERSION"),
        banks: checked.iter().map(|c| c.row.clone()).collect(),
        reports: &reports,
        clusters,
        baseline: args.baseline.as_ref().map(|p| (p.display().to_string(), stale.unwrap_or(0))),
    };
    write_atomic(&args.output, &html::page(&page))?;
    eprintln!("wrote {} ({} bank(s))", args.output.display(), page.banks.len());
    Ok(Outcome::Clean)
}

fn check_one(input: &Input, walked: bool) -> Result<Option<Checked>, String> {
    let source = read_source(&input.path).map_err(|e| e.to_string())?;
    let info = FileInfo { path: &input.display, relative_path: &input.relative };
    let (report, parsed) = check_source_parsed(info, &source.text, &input.config.config);
    if walked && !parsed.is_bank() {
        return Ok(None);
    }
    let index = LineIndex::new(&source.text);
    let lines = parsed.bank.questions().map(|q| index.human_position(&source.text, q.spans.heading.start).0).collect();
    let all: Vec<_> = parsed.bank.questions().collect();
    let row = BankRow {
        path: input.display.clone(),
        bank_id: report.bank_id.clone().unwrap_or_default(),
        shape: detected_shape(&parsed),
        questions: all.len(),
        with_tldr: all.iter().filter(|q| q.tldr.as_deref().is_some_and(|t| !t.trim().is_empty())).count(),
        with_code: all.iter().filter(|q| !q.examples.is_empty()).count(),
    };
    Ok(Some(Checked { report, row, questions: QuestionRecord::take_all(parsed), lines }))
}

/// Duplicate clusters over every bank, each member with its word diff against the cluster's
/// first question (the same search and clustering as `qbank dedup`).
fn clusters(
    inputs: &[Input],
    checked: &[Checked],
    questions: &[Vec<QuestionRecord>],
) -> Result<Vec<ClusterView>, Errors> {
    let Some(first) = inputs.first() else { return Ok(Vec::new()) };
    let (mode, thresholds) = super::dedup::mode_and_thresholds(&first.config, None, false)?;
    let mut items = Vec::new();
    let mut origins = Vec::new();
    for (bank, records) in questions.iter().enumerate() {
        for (position, q) in records.iter().enumerate() {
            items.push(Item {
                key: format!("{}/{}", checked[bank].row.bank_id, q.id).into(),
                question: q.question.as_str().into(),
                answer: q.answer.as_str().into(),
                tldr: q.tldr.as_str().into(),
            });
            origins.push((bank, position));
        }
    }
    let found = find_duplicates(&items, &mode, &thresholds).map_err(|e| e.to_string())?;
    let allowed: HashSet<(String, String)> = first
        .config
        .config
        .dedup
        .allow
        .iter()
        .flat_map(|[a, b]| [(a.clone(), b.clone()), (b.clone(), a.clone())])
        .collect();
    let id = |i: usize| questions[origins[i].0][origins[i].1].id.clone();
    let pairs: Vec<_> = found.pairs.iter().filter(|p| !allowed.contains(&(id(p.a), id(p.b)))).copied().collect();
    let member = |i: usize| {
        let (bank, position) = origins[i];
        let q = &questions[bank][position];
        ClusterMember {
            path: checked[bank].row.path.clone(),
            line: checked[bank].lines.get(position).copied().unwrap_or(1),
            number: q.number,
            id: q.id.clone(),
            question: q.question.clone(),
            word_diff: None,
            score: None,
        }
    };
    let mut views = Vec::new();
    for cluster in qbank_dedup::clusters(&pairs) {
        let rep = cluster.representative;
        let mut members = vec![member(rep)];
        let listed: BTreeSet<usize> = cluster.members.iter().copied().filter(|&m| m != rep).collect();
        for m in listed {
            let mut view = member(m);
            if let Some(pair) = pairs.iter().find(|p| (p.a, p.b) == (rep.min(m), rep.max(m))) {
                view.word_diff = Some(explain(&items[rep], &items[m], pair, &thresholds).word_diff);
                view.score = Some(pair.scores.combined);
            }
            members.push(view);
        }
        views.push(ClusterView { exact: cluster.kind == qbank_dedup::PairKind::Exact, members });
    }
    Ok(views)
}
