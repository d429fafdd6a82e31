//! `qbank merge`: bring new banks (any supported shape) into a corpus directory without
//! duplicates and without losing text: every input question ends up in the corpus or is listed
//! as skipped with the question it duplicates. All files are written at once or not at all.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use qbank_core::{Bank, LineIndex, Question, Section, format_bank, parse};
use qbank_dedup::{Item, PairKind, find_duplicates};
use qbank_lint::Severity;
use qbank_workspace::{read_source, replace_in_dir};

use super::config::Configs;
use super::load::{Loaded, assign_all_ids, load, not_a_bank};
use super::relink;
use crate::{Errors, Outcome};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OnDuplicate {
    /// Leave near duplicates out (listed with the question they duplicate).
    Skip,
    /// Merge near duplicates anyway (listed).
    Keep,
    /// Stop and list them; nothing is written.
    Fail,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Bank files to merge (any supported shape).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The corpus directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// What to do with near duplicates; exact duplicates are always skipped.
    #[arg(long, value_enum, default_value_t = OnDuplicate::Fail)]
    pub on_duplicate: OnDuplicate,
    /// Print the plan; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Take banks whose shape the parser is unsure of, as `qbank inspect` reads them.
    #[arg(long)]
    pub force: bool,
    /// Write nothing and exit 1 when a bank the merge would write has a finding at least this
    /// severe (findings are reported either way).
    #[arg(long, value_parser = ["error", "warning", "info", "hint"])]
    pub fail_on: Option<String>,
}

/// Where a compared question lives.
#[derive(Clone)]
struct Origin {
    /// Index into the banks (corpus first, then new).
    bank: usize,
    section: usize,
    question: usize,
}

/// What happens to one new question.
enum Verdict {
    Add,
    Skip { of: usize, kind: PairKind, score: f32 },
    KeepNear { of: usize, score: f32 },
}

pub fn run(args: &MergeArgs) -> Result<Outcome, Errors> {
    let into = &args.into;
    if into.exists() && !into.is_dir() {
        return Err(Errors(vec![format!("{}: --into must be a directory", into.display())]));
    }
    let mut corpus: Vec<Loaded> =
        if into.is_dir() && has_markdown(into) { load(std::slice::from_ref(into))?.banks } else { Vec::new() };
    let mut fresh = Vec::new();
    let mut errors = Vec::new();
    for file in &args.files {
        if file.is_dir() {
            errors.push(format!("{}: is a directory; merge takes bank files", file.display()));
            continue;
        }
        match read_source(file) {
            Ok(source) => {
                let parsed = parse(&source.text);
                let loaded = Loaded { file: source, parsed };
                if !loaded.parsed.is_bank() {
                    errors.push(not_a_bank(&loaded));
                } else if let (false, Some(doubt)) = (args.force, loaded.parsed.reading.doubts.first()) {
                    errors.push(super::load::unsure(&loaded, doubt));
                } else {
                    fresh.push(loaded);
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    let mut taken = HashSet::new();
    assign_all_ids(&mut corpus, &mut taken);
    assign_all_ids(&mut fresh, &mut taken);

    let config = Configs::new(None)?.for_file(&into.join("qbank.toml"))?;
    let (mode, thresholds) = super::dedup::mode_and_thresholds(&config, None, false)?;
    let banks: Vec<&Loaded> = corpus.iter().chain(fresh.iter()).collect();
    let mut items = Vec::new();
    let mut origins = Vec::new();
    for (b, loaded) in banks.iter().enumerate() {
        for (s, section) in loaded.parsed.bank.sections.iter().enumerate() {
            for (q, question) in section.questions.iter().enumerate() {
                items.push(Item {
                    key: format!("{}/{}", loaded.parsed.bank.id, question.id).into(),
                    question: question.question.as_str().into(),
                    answer: question.answer.as_str().into(),
                    tldr: question.tldr.as_deref().unwrap_or_default().into(),
                });
                origins.push(Origin { bank: b, section: s, question: q });
            }
        }
    }
    let corpus_items = origins.iter().filter(|o| o.bank < corpus.len()).count();
    let report = find_duplicates(&items, &mode, &thresholds).map_err(|e| e.to_string())?;
    let question = |i: usize| -> &Question {
        let o = &origins[i];
        &banks[o.bank].parsed.bank.sections[o.section].questions[o.question]
    };
    let allowed: HashSet<(String, String)> =
        config.config.dedup.allow.iter().flat_map(|[a, b]| [(a.clone(), b.clone()), (b.clone(), a.clone())]).collect();

    // Decide for each new question, against the corpus and the new questions before it.
    let mut verdicts: Vec<Verdict> = (0..items.len()).map(|_| Verdict::Add).collect();
    for pair in &report.pairs {
        let (earlier, later) = (pair.a.min(pair.b), pair.a.max(pair.b));
        if later < corpus_items || allowed.contains(&(question(earlier).id.clone(), question(later).id.clone())) {
            continue;
        }
        // A question skipped itself cannot be what a later one duplicates.
        if matches!(verdicts[earlier], Verdict::Skip { .. }) {
            continue;
        }
        let score = pair.scores.combined;
        let verdict = match (pair.kind, args.on_duplicate) {
            (PairKind::Exact, _) | (PairKind::Near, OnDuplicate::Skip) | (PairKind::Near, OnDuplicate::Fail) => {
                Verdict::Skip { of: earlier, kind: pair.kind, score }
            }
            (PairKind::Near, OnDuplicate::Keep) => Verdict::KeepNear { of: earlier, score },
        };
        // Exact beats near; the first match found is kept otherwise.
        let replace = matches!(
            (&verdicts[later], &verdict),
            (Verdict::Add, _)
                | (
                    Verdict::Skip { kind: PairKind::Near, .. } | Verdict::KeepNear { .. },
                    Verdict::Skip { kind: PairKind::Exact, .. }
                )
        );
        if replace {
            verdicts[later] = verdict;
        }
    }

    let place = |i: usize| {
        let o = &origins[i];
        let loaded = banks[o.bank];
        let q = question(i);
        let (line, _) = LineIndex::new(&loaded.file.text).human_position(&loaded.file.text, q.spans.heading.start);
        format!("{}/{} ({}:{line})", loaded.parsed.bank.id, q.id, loaded.file.path.display())
    };
    let near_failures: Vec<String> = (corpus_items..items.len())
        .filter_map(|i| match verdicts[i] {
            Verdict::Skip { of, kind: PairKind::Near, score } if args.on_duplicate == OnDuplicate::Fail => {
                Some(format!(
                    "{}. {} — near duplicate (score {score:.2}) of {}: {}",
                    question(i).number,
                    question(i).question,
                    place(of),
                    qbank_dedup::word_diff(&question(of).question, &question(i).question)
                ))
            }
            _ => None,
        })
        .collect();
    if !near_failures.is_empty() {
        eprintln!(
            "error: {} near duplicate(s); nothing was written. Review them, then pass --on-duplicate skip|keep, or allow-list reviewed pairs in qbank.toml ([dedup] allow):",
            near_failures.len()
        );
        for line in &near_failures {
            eprintln!("  {line}");
        }
        return Ok(Outcome::Failure);
    }

    // Build the result: new questions appended to the corpus bank with the same id, or to a new bank.
    let mut targets: Vec<(PathBuf, Bank)> = corpus
        .iter()
        .map(|l| (l.file.path.strip_prefix(into).unwrap_or(&l.file.path).to_path_buf(), l.parsed.bank.clone()))
        .collect();
    // How each target is numbered, decided from the bank it starts as (a corpus bank, or the new
    // bank it is made from) before anything is skipped or appended.
    let mut numbering: Vec<Numbering> = corpus.iter().map(|l| Numbering::of(&l.parsed.bank, false)).collect();
    let mut by_id: HashMap<String, usize> = targets.iter().enumerate().map(|(i, (_, b))| (b.id.clone(), i)).collect();
    // Where each new bank goes.
    let mut fresh_target = Vec::with_capacity(fresh.len());
    for loaded in &fresh {
        let source = &loaded.parsed.bank;
        fresh_target.push(*by_id.entry(source.id.clone()).or_insert_with(|| {
            let empty = Bank { sections: Vec::new(), ..source.clone() };
            targets.push((PathBuf::from(format!("{}.md", source.id)), empty));
            numbering.push(Numbering::of(source, true));
            targets.len() - 1
        }));
    }

    // Where each question ends up, so links can follow it: a kept question whose id the bank it
    // joins already uses gets the next free `id-2`, `id-3`…; a skipped one is linked to as the
    // question it duplicates.
    let source_paths: Vec<PathBuf> = banks.iter().map(|l| relink::absolute(&l.file.path)).collect();
    let target_paths: Vec<PathBuf> = targets.iter().map(|(path, _)| relink::absolute(&into.join(path))).collect();
    let mut target_ids: Vec<HashSet<String>> =
        targets.iter().map(|(_, bank)| bank.questions().map(|q| q.id.clone()).collect()).collect();
    let mut links = relink::Relink::default();
    for (f, &target) in fresh_target.iter().enumerate() {
        links.file(&source_paths[corpus.len() + f], &target_paths[target]);
    }
    let mut ends: Vec<(usize, String)> = Vec::with_capacity(items.len());
    let mut renamed: HashMap<usize, String> = HashMap::new();
    for (i, o) in origins.iter().enumerate() {
        let id = &question(i).id;
        let end = if o.bank < corpus.len() {
            (o.bank, id.clone())
        } else if let Verdict::Skip { of, .. } = verdicts[i] {
            ends[of].clone()
        } else {
            let target = fresh_target[o.bank - corpus.len()];
            let ids = &mut target_ids[target];
            let new_id = if ids.contains(id) {
                let new_id = qbank_core::unique_id(id, |c| ids.contains(c) || taken.contains(c));
                renamed.insert(i, new_id.clone());
                taken.insert(new_id.clone());
                new_id
            } else {
                id.clone()
            };
            ids.insert(new_id.clone());
            (target, new_id)
        };
        links.question(&source_paths[o.bank], id, &target_paths[end.0], &end.1);
        ends.push(end);
    }

    // A question named in a skip or keep line by where it was read, and by its new id when it
    // was renamed on the way in.
    let place_now = |i: usize| match renamed.get(&i) {
        Some(new_id) => format!("{}, now `{new_id}`", place(i)),
        None => place(i),
    };
    let mut changed: HashSet<usize> = HashSet::new();
    let mut next_item = corpus_items;
    for (f, loaded) in fresh.iter().enumerate() {
        let source = &loaded.parsed.bank;
        let target = fresh_target[f];
        let (from, to) = (&source_paths[corpus.len() + f], &target_paths[target]);
        let mut relinked = 0;
        if target >= corpus.len() && !fresh_target[..f].contains(&target) {
            // A bank this merge creates from this one: its intro comes along.
            relinked += links.text(&mut targets[target].1.intro, from, to);
        }
        let (mut added, mut skipped, mut kept_near, mut renames) = (0, Vec::new(), Vec::new(), Vec::new());
        for section in &source.sections {
            let mut kept: Vec<Question> = Vec::new();
            for q in &section.questions {
                let mut keep = || {
                    let mut q = q.clone();
                    if let Some(new_id) = renamed.get(&next_item) {
                        renames.push(format!(
                            "{}. {} — id `{}` is taken in {}; now `{new_id}`",
                            q.number,
                            q.question,
                            q.id,
                            into.join(&targets[target].0).display()
                        ));
                        q.id = new_id.clone();
                    }
                    relinked += links.question_texts(&mut q, from, to);
                    kept.push(q);
                };
                match verdicts[next_item] {
                    Verdict::Add => keep(),
                    Verdict::KeepNear { of, score } => {
                        keep();
                        kept_near.push(format!(
                            "{}. {} — kept; near duplicate (score {score:.2}) of {}",
                            q.number,
                            q.question,
                            place_now(of)
                        ));
                    }
                    Verdict::Skip { of, kind, score } => skipped.push(format!(
                        "{}. {} — skipped; {} of {}",
                        q.number,
                        q.question,
                        if kind == PairKind::Exact {
                            "exact duplicate".to_string()
                        } else {
                            format!("near duplicate (score {score:.2})")
                        },
                        place_now(of)
                    )),
                }
                next_item += 1;
            }
            added += kept.len();
            if kept.is_empty() && section.intro.is_empty() {
                continue;
            }
            let section = links.section(section, from, to, &mut relinked);
            append_section(&mut targets[target].1, &section, kept);
            changed.insert(target);
        }
        let file = &targets[target].0;
        crate::outln!(
            "{} → {}: {added} question(s) added, {} skipped",
            loaded.file.path.display(),
            into.join(file).display(),
            skipped.len()
        );
        for line in skipped.iter().chain(&kept_near).chain(&renames) {
            crate::outln!("  {line}");
        }
        if relinked > 0 {
            crate::outln!("  {relinked} link(s) rewritten to follow renamed, skipped or moved questions");
        }
    }
    // Links from files this merge does not write to the new banks' old paths: listed, not changed.
    let fresh_paths: Vec<PathBuf> = source_paths[corpus.len()..].to_vec();
    let linking = relink::links_to(&config.root, &fresh_paths, &fresh_paths.iter().cloned().collect());
    for (f, loaded) in fresh.iter().enumerate() {
        if let Some(places) = linking.get(&fresh_paths[f]) {
            crate::outln!(
                "note: {} link(s) to {} left as they are (merge leaves that file in place; its questions are now in {}): {}",
                places.len(),
                loaded.file.path.display(),
                into.join(&targets[fresh_target[f]].0).display(),
                places.join(", ")
            );
        }
    }
    let mut changes: Vec<(PathBuf, String)> = Vec::new();
    let mut order: Vec<usize> = changed.into_iter().collect();
    order.sort();
    for &index in &order {
        let (path, bank) = &mut targets[index];
        renumber(bank, numbering[index]);
        changes.push((path.clone(), format_bank(bank)));
    }

    // Check what would be written as `qbank check` would check the merged corpus: every rule on
    // each written bank, and the duplicate pass over the whole corpus.
    let written: HashMap<&Path, &String> = changes.iter().map(|(path, text)| (path.as_path(), text)).collect();
    let mut inputs = Vec::new();
    let mut texts = Vec::new();
    for (index, (path, _)) in targets.iter().enumerate() {
        let text = match written.get(path.as_path()) {
            Some(text) => (*text).clone(),
            None if index < corpus.len() => corpus[index].file.text.to_string(),
            None => continue, // a new bank whose every question was skipped: not written
        };
        let full = into.join(path);
        inputs.push(super::check::Input {
            display: full.display().to_string(),
            relative: super::config::relative_to(&full, &config.root),
            path: full,
            config: config.clone(),
        });
        texts.push(text);
    }
    let mut reports = super::check::check_texts(&inputs, &texts)?;
    let written_paths: HashSet<String> =
        changes.iter().map(|(path, _)| into.join(path).display().to_string()).collect();
    reports.retain(|report| written_paths.contains(&report.path));
    crate::out!(
        "{}",
        qbank_lint::render::human(&reports, qbank_lint::render::HumanOptions { color: false, show_fix: false })
    );
    if let Some(level) = args.fail_on.as_deref().and_then(Severity::parse) {
        let failing = reports.iter().flat_map(|r| &r.diagnostics).filter(|d| d.severity >= level).count();
        if failing > 0 {
            eprintln!(
                "error: the merged banks would have {failing} finding(s) at or above `{}` (--fail-on); nothing was written",
                level.as_str()
            );
            return Ok(Outcome::Failure);
        }
    }
    if args.dry_run {
        crate::outln!("dry run: {} file(s) would be written; nothing was.", changes.len());
        return Ok(Outcome::Clean);
    }
    replace_in_dir(into, &changes)?;
    crate::outln!("merged into {}: {} file(s) written", into.display(), changes.len());
    Ok(Outcome::Clean)
}

fn has_markdown(dir: &Path) -> bool {
    qbank_workspace::discover(&[dir.to_path_buf()]).is_ok()
}

/// Add `questions` under a section titled like `section` (appended when there is none).
fn append_section(bank: &mut Bank, section: &Section, questions: Vec<Question>) {
    if let Some(existing) = bank.sections.iter_mut().find(|s| s.title == section.title) {
        if existing.intro.is_empty() {
            existing.intro = section.intro.clone();
        } else if !section.intro.is_empty() && existing.intro != section.intro {
            existing.intro = format!("{}\n\n{}", existing.intro, section.intro);
        }
        existing.questions.extend(questions);
    } else {
        bank.sections.push(Section {
            title: section.title.clone(),
            intro: section.intro.clone(),
            questions,
            ..Section::default()
        });
    }
}

/// How a merged bank is numbered.
#[derive(Clone, Copy, Debug)]
struct Numbering {
    /// Every section starts again from 1.
    restart: bool,
    /// The first number when numbering is continuous.
    first: u32,
}

impl Numbering {
    /// Read from the bank a target starts as: sections restart when there are several and each
    /// starts at 1; continuous numbering starts at the bank's first number, or at 1 for a bank
    /// the merge creates (its first questions may have been skipped).
    fn of(bank: &Bank, new: bool) -> Numbering {
        let nonempty: Vec<&Section> = bank.sections.iter().filter(|s| !s.questions.is_empty()).collect();
        let restart = nonempty.len() > 1 && nonempty.iter().all(|s| s.questions[0].number == 1);
        let first = if new { 1 } else { bank.questions().next().map_or(1, |q| q.number.max(1)) };
        Numbering { restart, first }
    }
}

/// Renumber a bank in sequence, so an appended question gets the next number rather than keeping
/// the one it had in its own bank. Ids do not change.
fn renumber(bank: &mut Bank, numbering: Numbering) {
    let mut next = numbering.first;
    for section in &mut bank.sections {
        if numbering.restart {
            next = 1;
        }
        for q in &mut section.questions {
            q.number = next;
            next += 1;
        }
    }
}
