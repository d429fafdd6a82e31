//! `qbank dedup`: duplicate and near-duplicate questions across banks, as clusters with scores
//! and word diffs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use qbank_core::{LineIndex, Question};
use qbank_dedup::{Item, Mode, PairKind, Thresholds, explain, find_duplicates};
use qbank_lint::config::DedupMode;
use serde_json::json;

use super::config::{Configs, Loaded as LoadedConfig};
use super::load::{Loaded, assign_all_ids, load};
use crate::{Errors, Outcome};

#[derive(Debug, clap::Args)]
pub struct DedupArgs {
    /// Files (any extension) or directories (walked for *.md).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// `human` clusters with word diffs, or `json`.
    #[arg(long, value_parser = ["human", "json"], default_value = "human")]
    pub format: String,
    /// Also compare meanings with sentence embeddings (needs a model: --model or `[dedup] model`).
    #[arg(long)]
    pub semantic: bool,
    /// Folder of the all-MiniLM-L6-v2 model (model.safetensors, tokenizer.json, config.json).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// Lowest combined lexical score of a near duplicate (0–1); overrides the config.
    #[arg(long, value_name = "SCORE")]
    pub near: Option<f32>,
    /// Use this config file instead of discovering `qbank.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Mode and thresholds from a config, overridden by command-line flags.
pub fn mode_and_thresholds(
    config: &LoadedConfig,
    model: Option<&Path>,
    semantic: bool,
) -> Result<(Mode, Thresholds), Errors> {
    let thresholds =
        qbank_lint::corpus::thresholds(&config.config).map_err(|e| Errors(vec![format!("invalid config: {e}")]))?;
    let semantic = semantic || config.config.dedup.mode == DedupMode::Semantic;
    if !semantic {
        return Ok((Mode::Lexical, thresholds));
    }
    let model_dir = match (model, &config.config.dedup.model) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(dir)) => config.root.join(dir),
        (None, None) => {
            return Err(Errors(vec![
                "semantic dedup needs a model: pass --model DIR or set `[dedup] model` in qbank.toml (scripts/setup-model.sh installs one)".into(),
            ]));
        }
    };
    let cache_file = Some(config.root.join(".qbank-cache").join("embeddings.bin"));
    if let Some(dir) = cache_file.as_ref().and_then(|f| f.parent()) {
        let _ = std::fs::create_dir_all(dir);
    }
    Ok((Mode::Semantic { model_dir, cache_file }, thresholds))
}

struct Origin<'a> {
    bank: &'a Loaded,
    question: &'a Question,
}

pub fn run(args: &DedupArgs) -> Result<Outcome, Errors> {
    let mut set = load(&args.paths)?;
    assign_all_ids(&mut set.banks, &mut HashSet::new());
    let mut configs = Configs::new(args.config.as_deref())?;
    let config = match set.banks.first() {
        Some(bank) => configs.for_file(&bank.file.path)?,
        None => return Err(Errors(vec!["no question banks found".into()])),
    };
    let (mode, mut thresholds) = mode_and_thresholds(&config, args.model.as_deref(), args.semantic)?;
    if let Some(near) = args.near {
        thresholds.near = near;
    }
    let mut items = Vec::new();
    let mut origins = Vec::new();
    for bank in &set.banks {
        for q in bank.parsed.bank.questions() {
            items.push(Item {
                key: format!("{}/{}", bank.parsed.bank.id, q.id).into(),
                question: q.question.as_str().into(),
                answer: q.answer.as_str().into(),
                tldr: q.tldr.as_deref().unwrap_or_default().into(),
            });
            origins.push(Origin { bank, question: q });
        }
    }
    let report = find_duplicates(&items, &mode, &thresholds).map_err(|e| e.to_string())?;
    let allowed: HashSet<(String, String)> =
        config.config.dedup.allow.iter().flat_map(|[a, b]| [(a.clone(), b.clone()), (b.clone(), a.clone())]).collect();
    let pairs: Vec<_> = report
        .pairs
        .iter()
        .filter(|p| !allowed.contains(&(origins[p.a].question.id.clone(), origins[p.b].question.id.clone())))
        .copied()
        .collect();
    let clusters = qbank_dedup::clusters(&pairs);
    let place = |i: usize| {
        let o = &origins[i];
        let index = LineIndex::new(&o.bank.file.text);
        let (line, _) = index.human_position(&o.bank.file.text, o.question.spans.heading.start);
        (o.bank.file.path.display().to_string(), line)
    };
    let pair_of = |a: usize, b: usize| pairs.iter().find(|p| (p.a, p.b) == (a.min(b), a.max(b)));
    let exact = pairs.iter().any(|p| p.kind == PairKind::Exact);
    let listed = listed_pairs(&clusters, &pair_of);
    if args.format == "json" {
        let clusters_json: Vec<_> = clusters
            .iter()
            .map(|c| {
                let rep = c.representative;
                let member = |i: usize| {
                    let (path, line) = place(i);
                    let q = origins[i].question;
                    let mut value =
                        json!({"path": path, "line": line, "number": q.number, "id": q.id, "question": q.question});
                    if i != rep
                        && let Some(pair) = pair_of(rep, i)
                    {
                        let e = explain(&items[rep], &items[i], pair, &thresholds);
                        value["kind"] = json!(format!("{:?}", pair.kind).to_lowercase());
                        value["scores"] = serde_json::to_value(pair.scores).unwrap_or_default();
                        value["word_diff"] = json!(e.word_diff);
                        value["explanation"] = json!(e.lines);
                    }
                    value
                };
                json!({
                    "kind": format!("{:?}", c.kind).to_lowercase(),
                    "representative": member(rep),
                    "duplicates": c.members.iter().filter(|&&m| m != rep).map(|&m| member(m)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let summary = json!({"questions": items.len(), "clusters": clusters.len(), "pairs": pairs.len(),
            "exact": pairs.iter().filter(|p| p.kind == PairKind::Exact).count(),
            "near": pairs.iter().filter(|p| p.kind == PairKind::Near).count(),
            "listed_pairs": listed.len()});
        crate::out!(
            "{}",
            qbank_core::export::to_pretty_json(&json!({"version": 1, "clusters": clusters_json, "summary": summary}))
        );
    } else {
        for (n, c) in clusters.iter().enumerate() {
            let rep = c.representative;
            let (path, line) = place(rep);
            let kind = if c.kind == PairKind::Exact { "exact duplicates (error)" } else { "near duplicates (warning)" };
            crate::outln!("cluster {} — {kind}", n + 1);
            crate::outln!(
                "  {path}:{line}  {}. {}  [{}]",
                origins[rep].question.number,
                origins[rep].question.question,
                origins[rep].question.id
            );
            for &m in c.members.iter().filter(|&&m| m != rep) {
                let (path, line) = place(m);
                let q = origins[m].question;
                crate::outln!("  {path}:{line}  {}. {}  [{}]", q.number, q.question, q.id);
                if let Some(pair) = pair_of(rep, m) {
                    let e = explain(&items[rep], &items[m], pair, &thresholds);
                    crate::outln!("      {}", e.word_diff);
                    for l in &e.lines {
                        crate::outln!("      {l}");
                    }
                }
            }
            crate::outln!();
        }
        let exact_listed = listed.iter().filter(|kind| **kind == PairKind::Exact).count();
        let mut line = format!(
            "{} question(s) compared: {} cluster(s) listing {} exact and {} near duplicate pair(s)",
            items.len(),
            clusters.len(),
            exact_listed,
            listed.len() - exact_listed
        );
        // Star clusters list each member against the cluster's first question; a pair between
        // two members, or with a question already in another cluster, is not listed.
        let unlisted = pairs.len() - listed.len();
        if unlisted > 0 {
            line.push_str(&format!("; {unlisted} more pair(s) between questions already listed (see --format json)"));
        }
        crate::outln!("{line}.");
    }
    Ok(if exact { Outcome::Failure } else { Outcome::Clean })
}

/// The kind of each pair the human output lists: every member of a cluster against the cluster's
/// first question.
fn listed_pairs<'p>(
    clusters: &[qbank_dedup::Cluster],
    pair_of: &impl Fn(usize, usize) -> Option<&'p qbank_dedup::Pair>,
) -> Vec<PairKind> {
    clusters
        .iter()
        .flat_map(|c| c.members.iter().filter(|&&m| m != c.representative).map(move |&m| (c.representative, m)))
        .filter_map(|(rep, m)| pair_of(rep, m).map(|pair| pair.kind))
        .collect()
}
