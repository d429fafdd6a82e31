//! QB401 `broken-question-link`: a link to a question (`[…](#id)`, `[…](bank.md#id)`) or a
//! bank (`[…](bank.md)`) that names no bank or no question of the corpus. Reported by the
//! corpus pass ([`crate::corpus`]), which sees every bank's ids.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::corpus::CorpusFile;
use crate::links::{self, QuestionLink};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::rules::duplicate_question::reported_by_corpus_pass;
use crate::suppress::Suppressions;
use crate::{Diagnostic, Edit, Fix, Related, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB401",
        name: "broken-question-link",
        summary: "Link to a question or bank that does not exist",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a Markdown link to a question — `[see Q12](#question-id)` in the same bank or
`[see Q12](other-bank.md#question-id)` across banks — whose bank is not among the checked
files or whose bank has no question with that id (a question's anchor is its id). A fragment
that is a heading's anchor (`#deployments` for `## Deployments`) is not a question link. The
closest id of the bank is suggested.

## Why is this bad?
The reader who follows "see Q12" lands nowhere. Links break when an id is renamed by hand or a
bank is moved; the language server's rename and file-rename keep them in step.

## Example
```markdown
### 2. What is a rollback?
<!-- id: rollback -->
…
See [rollbacks](#rolback).
```

## Fix
Unsafe: replaces the id with the closest id of the bank, when one is close (an edit or two
away). Otherwise correct the link by hand."#,
        fixable: true,
    },
    scope: Scope::File,
    check: reported_by_corpus_pass,
};

/// GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped.
fn heading_slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a bank's headings (outside code fences).
fn heading_slugs(source: &str) -> HashSet<String> {
    let mut fence = false;
    let mut slugs = HashSet::new();
    for line in source.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        } else if !fence && trimmed.starts_with('#') {
            slugs.insert(heading_slug(trimmed.trim_start_matches('#')));
        }
    }
    slugs
}

/// The id of `ids` closest to `id`, when it is at most two edits away.
fn near_miss<'a>(id: &str, ids: &[&'a str]) -> Option<&'a str> {
    ids.iter()
        .map(|candidate| (strsim::levenshtein(id, candidate), *candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Findings per file, in the order of `files`.
pub fn check(files: &[CorpusFile<'_>]) -> Vec<Vec<Diagnostic>> {
    let by_path: HashMap<PathBuf, usize> =
        files.iter().enumerate().map(|(i, f)| (links::normalize(Path::new(f.path)), i)).collect();
    let ids: Vec<Vec<&str>> =
        files.iter().map(|f| f.questions.iter().map(|q| q.id).filter(|id| !id.is_empty()).collect()).collect();
    let mut slugs: HashMap<usize, HashSet<String>> = HashMap::new();
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let setting = file.config.rule_setting(&RULE.meta).severity;
        let Some(severity) =
            setting.filter(|_| !file.config.is_ignored(file.relative_path, RULE.meta.code, RULE.meta.name))
        else {
            out.push(Vec::new());
            continue;
        };
        let mut found = Vec::new();
        let here = links::normalize(Path::new(file.path));
        for link in links::question_links(file.source) {
            let target = match link.bank_text(file.source) {
                None => by_path.get(&here).copied(),
                Some(bank) => by_path.get(&links::resolve_bank(&here, bank)).copied(),
            };
            if let Some(diagnostic) = finding(files, file, &link, target, &ids, &mut slugs, severity) {
                found.push(diagnostic);
            }
        }
        out.push(Suppressions::parse(file.source).filter(found));
    }
    out
}

fn finding(
    files: &[CorpusFile<'_>],
    file: &CorpusFile<'_>,
    link: &QuestionLink,
    target: Option<usize>,
    ids: &[Vec<&str>],
    slugs: &mut HashMap<usize, HashSet<String>>,
    severity: Severity,
) -> Option<Diagnostic> {
    let source = file.source;
    let diagnostic = |message: String, fix: Option<Fix>, related: Vec<Related>| Diagnostic {
        code: RULE.meta.code,
        name: RULE.meta.name,
        severity,
        message,
        span: link.target,
        question_id: None,
        related,
        fix,
    };
    let Some(target) = target else {
        let bank = link.bank_text(source).unwrap_or_default();
        return Some(diagnostic(format!("no bank `{bank}` among the checked files; check the path"), None, Vec::new()));
    };
    let id = link.id_text(source)?;
    if ids[target].contains(&id) {
        return None;
    }
    let bank = &files[target];
    if slugs.entry(target).or_insert_with(|| heading_slugs(bank.source)).contains(id) {
        return None; // a heading's anchor, not a question's
    }
    let place = if link.bank.is_none() { "this bank".to_string() } else { format!("`{}`", bank.path) };
    match near_miss(id, &ids[target]) {
        Some(suggestion) => {
            let question = bank.questions.iter().find(|q| q.id == suggestion)?;
            let fix = link
                .id
                .map(|span| Fix::unsafe_(format!("Link to `{suggestion}`"), vec![Edit::replace(span, suggestion)]));
            Some(diagnostic(
                format!("no question `{id}` in {place}; did you mean `{suggestion}`?"),
                fix,
                vec![Related {
                    path: bank.path.to_string(),
                    span: question.span,
                    message: format!("question {} ({suggestion})", question.number),
                }],
            ))
        }
        None => Some(diagnostic(format!("no question `{id}` in {place}; link to an existing id"), None, Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::corpus::corpus_questions;

    const OPS: &str = "# Ops\n\n## Deploys\n\n### 1. Wie rollt man aus — „canary“?\n<!-- id: canary -->\n\n**Answer:**\n\nSee [rollback](#rolback), [deploys](#deploys), [k8s](team/k8s.md#readyness), [gone](gone.md#x).\n\n### 2. What is a rollback?\n<!-- id: rollback -->\n\n**Answer:**\n\nBack; [fine](#canary) and [bank](team/k8s.md).\n";
    const K8S: &str = "# K8s\n\n### 1. What is a readiness probe?\n<!-- id: readiness -->\n\n**Answer:**\n\nA check; [back](../ops.md#canary), [nothing close](../ops.md#zzz).\n";

    fn run() -> Vec<Vec<(String, String, Option<String>)>> {
        let config = Config::default();
        let parsed = [qbank_core::parse(OPS), qbank_core::parse(K8S)];
        let files: Vec<CorpusFile<'_>> = [("banks/ops.md", OPS), ("banks/team/k8s.md", K8S)]
            .iter()
            .zip(&parsed)
            .map(|((path, source), parsed)| CorpusFile {
                path,
                relative_path: path,
                source,
                questions: corpus_questions(parsed),
                config: &config,
            })
            .collect();
        check(&files)
            .into_iter()
            .zip([OPS, K8S])
            .map(|(found, source)| {
                found
                    .into_iter()
                    .map(|d| {
                        let fix = d.fix.map(|f| f.edits[0].replacement.clone());
                        (source[d.span.start..d.span.end].to_string(), d.message, fix)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn missing_ids_and_banks_are_reported_with_the_near_miss() {
        let found = run();
        assert_eq!(
            found[0],
            [
                (
                    "#rolback".into(),
                    "no question `rolback` in this bank; did you mean `rollback`?".into(),
                    Some("rollback".into())
                ),
                (
                    "team/k8s.md#readyness".into(),
                    "no question `readyness` in `banks/team/k8s.md`; did you mean `readiness`?".into(),
                    Some("readiness".into())
                ),
                ("gone.md#x".into(), "no bank `gone.md` among the checked files; check the path".into(), None),
            ],
            "heading anchors (#deploys), valid ids and bank links are fine"
        );
        assert_eq!(
            found[1],
            [("../ops.md#zzz".into(), "no question `zzz` in `banks/ops.md`; link to an existing id".into(), None)]
        );
    }
}
