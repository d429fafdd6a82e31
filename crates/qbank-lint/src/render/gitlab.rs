//! The GitLab Code Quality renderer: the JSON array GitLab reads from a job's
//! `artifacts:reports:codequality` file and shows in the merge request widget and diff.

use serde::Serialize;

use super::{SourceFile, all_findings, fingerprints, sorted};
use crate::{FileReport, Severity};

/// Every finding as one Code Quality issue, pretty-printed, ending in a newline:
///
/// ```json
/// [
///   {
///     "description": "Question has no TL;DR line",
///     "check_name": "QB101 missing-tldr",
///     "fingerprint": "9a0c3e5b51f2d7e4:1",
///     "severity": "major",
///     "location": { "path": "banks/ops.md", "lines": { "begin": 12, "end": 12 } }
///   }
/// ]
/// ```
///
/// `severity`: errors are `major`, warnings `minor`, info and hints `info` (GitLab's scale is
/// `info`, `minor`, `major`, `critical`, `blocker`). `fingerprint` is the SARIF partial
/// fingerprint (bank, question id, rule, message without numbers, then the occurrence), so an
/// issue keeps its identity when questions are renumbered or moved, and two findings never share
/// one. `location.path` is the path as given, without a leading `./` (GitLab wants it relative to
/// the repository root: run `qbank check` from there).
pub fn gitlab(reports: &[FileReport]) -> String {
    let mut issues = Vec::new();
    for report in sorted(reports) {
        let file = SourceFile::new(&report.source);
        let path = report.path.replace('\\', "/");
        let path = path.trim_start_matches("./");
        let all = all_findings(report);
        let fingerprints = fingerprints(report, &file, all.iter().map(|(d, _)| *d));
        for ((diagnostic, _), fingerprint) in all.into_iter().zip(fingerprints).filter(|((_, s), _)| s.is_none()) {
            let begin = file.position(diagnostic.span.start).line;
            let end = file.position(file.visible_end(diagnostic.span)).line.max(begin);
            issues.push(Issue {
                description: diagnostic.message.clone(),
                check_name: format!("{} {}", diagnostic.code, diagnostic.name),
                fingerprint,
                severity: severity(diagnostic.severity),
                location: Location { path: path.to_owned(), lines: Lines { begin, end } },
            });
        }
    }
    let mut text = serde_json::to_string_pretty(&issues).expect("plain data serializes");
    text.push('\n');
    text
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Hint => "info",
    }
}

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}
