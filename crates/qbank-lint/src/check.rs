//! The checker: parse one text, run every enabled rule, apply configuration and inline
//! suppressions. The CLI and the language server both call [`check_source`].

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::RandomState;
use qbank_core::{ParseCache, Parsed, Question, Span, parse, parse_with};

use crate::config::Config;
use crate::context::{Context, FileFacts, Options};
use crate::registry::{RULES, Rule, Scope};
use crate::{Diagnostic, FileReport, Severity, Suppressed};

/// Where a file sits, for configuration globs.
#[derive(Clone, Copy, Debug)]
pub struct FileInfo<'a> {
    /// The path as the user named it; shown in output.
    pub path: &'a str,
    /// The path relative to the config file's folder, with `/` separators.
    pub relative_path: &'a str,
}

/// Check one text with `config`.
pub fn check_source(file: FileInfo<'_>, source: &str, config: &Config) -> FileReport {
    check_source_parsed(file, source, config).0
}

/// [`check_source`], also returning the parse (callers skip files that are not banks).
pub fn check_source_parsed(file: FileInfo<'_>, source: &str, config: &Config) -> (FileReport, Parsed) {
    check_source_with(file, source, config, None)
}

/// What an editor keeps between checks of one document: parsed segments and per-question
/// findings. One cache serves one file checked with one configuration; start a new one when
/// either changes.
#[derive(Debug, Default)]
pub struct IncrementalCache {
    pub parse: ParseCache,
    pub checks: CheckCache,
}

/// [`check_source_parsed`] for a text that changes a little between calls: parses only the
/// segments and checks only the questions that changed since the last call with `cache`. Gives
/// exactly what [`check_source_parsed`] gives.
pub fn check_source_incremental(
    file: FileInfo<'_>,
    source: &str,
    config: &Config,
    cache: &mut IncrementalCache,
) -> (FileReport, Parsed) {
    check_source_with(file, source, config, Some(cache))
}

fn check_source_with(
    file: FileInfo<'_>,
    source: &str,
    config: &Config,
    cache: Option<&mut IncrementalCache>,
) -> (FileReport, Parsed) {
    let (parsed, (mut diagnostics, mut suppressed)) = match cache {
        Some(cache) if config.shape_hint() == qbank_core::ShapeHint::default() => {
            let parsed = parse_with(source, &mut cache.parse);
            let found = check_units(file, source, &parsed, config, Some(&mut cache.checks));
            (parsed, found)
        }
        _ => {
            let hint = config.shape_hint();
            let parsed = if hint == qbank_core::ShapeHint::default() {
                parse(source)
            } else {
                qbank_core::parse_hinted(source, &hint)
            };
            let found = check_units(file, source, &parsed, config, None);
            (parsed, found)
        }
    };
    fill_related_paths(&mut diagnostics, file.path);
    for s in &mut suppressed {
        fill_related_paths(std::slice::from_mut(&mut s.diagnostic), file.path);
    }
    let report = FileReport {
        path: file.path.to_string(),
        bank_id: bank_id(&parsed, file.path),
        source: Arc::from(source),
        diagnostics,
        suppressed,
    };
    (report, parsed)
}

/// Rules point at other places in the same file with an empty path: name the file.
pub fn fill_related_paths(diagnostics: &mut [Diagnostic], path: &str) {
    for related in diagnostics.iter_mut().flat_map(|d| d.related.iter_mut()) {
        if related.path.is_empty() {
            related.path = path.to_string();
        }
    }
}

/// The bank's id, or the one `qbank fmt` would give it (from the title, else the file name).
fn bank_id(parsed: &Parsed, path: &str) -> Option<String> {
    if !parsed.is_bank() {
        return None;
    }
    if !parsed.bank.id.is_empty() {
        return Some(parsed.bank.id.clone());
    }
    let from_title = qbank_core::text::slugify(&parsed.bank.title, 6);
    if !from_title.is_empty() {
        return Some(from_title);
    }
    let stem = std::path::Path::new(path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Some(qbank_core::text::slugify(&stem, 6)).filter(|s| !s.is_empty())
}

/// Check an already parsed text.
pub fn check_parsed(file: FileInfo<'_>, source: &str, parsed: &Parsed, config: &Config) -> Vec<Diagnostic> {
    check_units(file, source, parsed, config, None).0
}

/// [`check_parsed`], re-using the findings of questions whose text has not changed since the
/// last call with the same `cache`. One cache serves one file checked with one configuration:
/// the caller starts a new one when either changes.
pub fn check_parsed_cached(
    file: FileInfo<'_>,
    source: &str,
    parsed: &Parsed,
    config: &Config,
    cache: &mut CheckCache,
) -> Vec<Diagnostic> {
    check_units(file, source, parsed, config, Some(cache)).0
}

/// Findings of question rules per question text, relative to the question's region (see
/// [`crate::registry::Scope::Question`]). Keeps the entries the last check used.
#[derive(Debug, Default)]
pub struct CheckCache {
    entries: HashMap<u128, Arc<[Diagnostic]>, RandomState>,
    /// Questions the last check had to check (the rest came from the cache).
    misses: usize,
}

impl CheckCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many questions the last check ran the question rules on.
    pub fn last_misses(&self) -> usize {
        self.misses
    }
}

/// An enabled rule with its configured severity and options.
struct Enabled {
    rule: &'static Rule,
    severity: Severity,
    options: toml::Table,
}

/// The findings kept, and those an inline comment silenced.
fn check_units(
    file: FileInfo<'_>,
    source: &str,
    parsed: &Parsed,
    config: &Config,
    cache: Option<&mut CheckCache>,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let mut enabled = Vec::new();
    for rule in RULES {
        let setting = config.rule_setting(&rule.meta);
        let Some(severity) = setting.severity else { continue };
        if config.is_ignored(file.relative_path, rule.meta.code, rule.meta.name) {
            continue;
        }
        enabled.push(Enabled { rule, severity, options: setting.options });
    }
    let facts = FileFacts::new(parsed);
    let questions: Vec<&Question> = parsed.bank.questions().collect();
    let whole = [Span::new(0, source.len())];
    let ctx = Context::new(file.path, source, parsed, &facts, &questions, &whole);
    let mut all = Vec::new();
    let run = |ctx: &Context<'_>, scope: Scope, out: &mut Vec<Diagnostic>| {
        for e in enabled.iter().filter(|e| e.rule.scope == scope) {
            let start = out.len();
            (e.rule.check)(ctx, &Options::new(Some(&e.options)), out);
            for d in &mut out[start..] {
                d.severity = e.severity;
            }
        }
    };
    run(&ctx, Scope::File, &mut all);

    let (units, gaps) = units(source, &questions);
    let level = parsed.question_level.unwrap_or(0);
    let mut used: HashMap<u128, Arc<[Diagnostic]>, RandomState> = HashMap::default();
    let mut misses = 0;
    for (i, region) in units.iter().enumerate() {
        let key = unit_key(region.slice(source), level);
        let cached = used.get(&key).or_else(|| cache.as_ref().and_then(|c| c.entries.get(&key))).cloned();
        let found = cached.unwrap_or_else(|| {
            misses += 1;
            let mut found = Vec::new();
            run(&ctx.narrowed(&questions[i..=i], std::slice::from_ref(region)), Scope::Question, &mut found);
            debug_assert!(found.iter().all(|d| inside(d, *region)), "a question rule reached outside its unit");
            found.iter().map(|d| moved(d, region.start, 0)).collect()
        });
        all.extend(found.iter().map(|d| moved(d, 0, region.start)));
        used.insert(key, found);
    }
    run(&ctx.narrowed(&[], &gaps), Scope::Question, &mut all);
    if let Some(cache) = cache {
        cache.entries = used;
        cache.misses = misses;
    }

    let (mut all, mut suppressed) = ctx.suppressions().partition(all);
    if !parsed.reading.is_sure() {
        // Never restructure on a guess: a file whose shape is unsure gets no fixes at all.
        for d in &mut all {
            d.fix = None;
        }
    }
    attach_question_ids(parsed, &mut all);
    sort_and_dedup(&mut all);
    if !suppressed.is_empty() {
        let mut silenced: Vec<Diagnostic> = suppressed.iter().map(|s| s.diagnostic.clone()).collect();
        attach_question_ids(parsed, &mut silenced);
        for (s, d) in suppressed.iter_mut().zip(silenced) {
            s.diagnostic = d;
        }
        suppressed.sort_by(|a, b| order(&a.diagnostic, &b.diagnostic));
        suppressed.dedup_by(|a, b| same(&a.diagnostic, &b.diagnostic));
    }
    (all, suppressed)
}

fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.span.start, a.code, a.span.end).cmp(&(b.span.start, b.code, b.span.end))
}

fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.code == b.code && a.span == b.span && a.message == b.message
}

fn sort_and_dedup(all: &mut Vec<Diagnostic>) {
    all.sort_by(order);
    all.dedup_by(|a, b| same(a, b));
}

/// Each question's region — its lines, from the heading's line to the line break after its last
/// block — and the regions between them (front matter, title, intro, section headings, gaps).
fn units(source: &str, questions: &[&Question]) -> (Vec<Span>, Vec<Span>) {
    let line_start = |at: usize| source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| source[at..].find('\n').map_or(source.len(), |i| at + i + 1);
    let mut units = Vec::with_capacity(questions.len());
    let mut gaps = Vec::new();
    let mut covered = 0;
    for q in questions {
        let start = line_start(q.spans.whole.start).max(covered);
        let end = line_end(q.spans.whole.end.max(start)).max(start);
        if start > covered {
            gaps.push(Span::new(covered, start));
        }
        units.push(Span::new(start, end));
        covered = end;
    }
    if covered < source.len() || source.is_empty() {
        gaps.push(Span::new(covered, source.len()));
    }
    (units, gaps)
}

/// What a question unit's findings depend on: its text and the file's question heading level.
fn unit_key(text: &str, level: u8) -> u128 {
    xxhash_rust::xxh3::xxh3_128_with_seed(text.as_bytes(), u64::from(level))
}

fn inside(d: &Diagnostic, region: Span) -> bool {
    let within = |s: Span| region.start <= s.start && s.end <= region.end;
    within(d.span)
        && d.related.iter().all(|r| !r.path.is_empty() || within(r.span))
        && d.fix.iter().flat_map(|f| &f.edits).all(|e| within(e.span))
}

/// `d` with every same-file position moved from an origin at `from` to one at `to`.
fn moved(d: &Diagnostic, from: usize, to: usize) -> Diagnostic {
    let map = |s: Span| Span::new(s.start - from + to, s.end - from + to);
    let mut d = d.clone();
    d.span = map(d.span);
    for r in d.related.iter_mut().filter(|r| r.path.is_empty()) {
        r.span = map(r.span);
    }
    for e in d.fix.iter_mut().flat_map(|f| &mut f.edits) {
        e.span = map(e.span);
    }
    d
}

fn attach_question_ids(parsed: &Parsed, diagnostics: &mut [Diagnostic]) {
    let questions: Vec<&Question> = parsed.bank.questions().collect();
    for d in diagnostics.iter_mut() {
        if d.question_id.is_some() {
            continue;
        }
        let i = questions.partition_point(|q| q.spans.whole.start <= d.span.start);
        if i > 0 {
            let q = questions[i - 1];
            if d.span.start <= q.spans.whole.end && !q.id.is_empty() {
                d.question_id = Some(q.id.clone());
            }
        }
    }
}
