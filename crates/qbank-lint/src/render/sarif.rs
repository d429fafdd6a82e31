//! The SARIF 2.1.0 renderer, for code-scanning services (GitHub code scanning and others).
//!
//! Columns and character offsets count Unicode code points (`columnKind: "unicodeCodePoints"`),
//! consistently for `startColumn`/`endColumn` and `charOffset`/`charLength`; lines are
//! one-based. Relative paths become relative URIs against `%SRCROOT%`. Each result carries a
//! `qbank/v1` partial fingerprint built from the bank, the question id, the rule and the message
//! without its numbers, so alerts survive renumbering and moving questions.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{SourceFile, all_findings, fingerprints, sorted};
use crate::{Diagnostic, FileReport, RuleMeta, Severity, SuppressedBy, docs_url};

const SCHEMA_URI: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";
/// The workspace `repository` key of Cargo.toml, the one source of the URL.
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
const SOURCE_ROOT: &str = "%SRCROOT%";
/// The key of qbank's partial fingerprint; bump the version when the recipe changes.
pub const FINGERPRINT_KEY: &str = "qbank/v1";

/// How a SARIF log is written.
#[derive(Clone, Copy, Debug)]
pub struct SarifOptions<'a> {
    /// The qbank version.
    pub tool_version: &'a str,
    /// Whether the run compared findings with a baseline: every result then carries a
    /// `baselineState` (`unchanged` for a finding the baseline accepts, `new` otherwise).
    pub baseline: bool,
}

/// The run as a SARIF 2.1.0 log with one run, pretty-printed, ending in a newline. `rules` are
/// the rules that ran (they become `tool.driver.rules`, sorted by code); `tool_version` is the
/// qbank version. No baseline: see [`sarif_with`].
pub fn sarif(reports: &[FileReport], rules: &[RuleMeta], tool_version: &str) -> String {
    sarif_with(reports, rules, SarifOptions { tool_version, baseline: false })
}

/// [`sarif`] with options. Silenced findings are results too, marked rather than dropped:
/// `suppressions: [{ kind: "inSource", status: "accepted", justification }]` for a
/// `qbank-disable` comment (the justification is the comment's text after `because`, when it has
/// one), `kind: "external"` for a baseline entry.
pub fn sarif_with(reports: &[FileReport], rules: &[RuleMeta], options: SarifOptions<'_>) -> String {
    let tool_version = options.tool_version;
    let mut rules: Vec<&RuleMeta> = rules.iter().collect();
    rules.sort_by_key(|rule| rule.code);
    rules.dedup_by_key(|rule| rule.code);
    let rule_index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, rule)| (rule.code, i)).collect();

    let mut files = CharFiles::new(reports);
    let mut results = Vec::new();
    for report in sorted(reports) {
        let all = all_findings(report);
        if all.is_empty() {
            continue;
        }
        let file = files.get(&report.path).expect("every report's file is known");
        let fingerprints = fingerprints(report, &file.file, all.iter().map(|(d, _)| *d));
        for ((diagnostic, suppressed), fingerprint) in all.into_iter().zip(fingerprints) {
            let mut result = result(report, diagnostic, &mut files, &rule_index, fingerprint);
            if let Some(suppressed) = suppressed {
                result.suppressions.push(SarifSuppression {
                    kind: match suppressed.by {
                        SuppressedBy::Comment => "inSource",
                        SuppressedBy::Baseline => "external",
                    },
                    status: "accepted",
                    justification: suppressed.justification.clone(),
                });
            }
            if options.baseline {
                let baselined = suppressed.is_some_and(|s| s.by == SuppressedBy::Baseline);
                result.baseline_state = Some(if baselined { "unchanged" } else { "new" });
            }
            results.push(result);
        }
    }

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "qbank",
                    version: tool_version,
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().map(|rule| descriptor(rule)).collect(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("plain data serializes");
    text.push('\n');
    text
}

fn descriptor(rule: &RuleMeta) -> ReportingDescriptor<'_> {
    let level = level(rule.default_severity);
    ReportingDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text { text: rule.summary.to_owned() },
        full_description: Text { text: what_it_does(rule.docs).unwrap_or(rule.summary).to_owned() },
        help: (!rule.docs.trim().is_empty()).then_some(HelpText { text: rule.docs, markdown: rule.docs }),
        help_uri: docs_url(rule.code),
        default_configuration: Configuration { level },
        properties: RuleProperties { default_severity: rule.default_severity, fixable: rule.fixable },
    }
}

/// The body of the `## What it does` section of a rule's docs, if it has one.
fn what_it_does(docs: &str) -> Option<&str> {
    let start = docs.find("## What it does")?;
    let body = &docs[start + "## What it does".len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    let body = body[..end].trim();
    (!body.is_empty()).then_some(body)
}

fn result<'a>(
    report: &'a FileReport,
    diagnostic: &'a Diagnostic,
    files: &mut CharFiles<'_>,
    rule_index: &BTreeMap<&str, usize>,
    fingerprint: String,
) -> SarifResult<'a> {
    let related_locations = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, related)| {
            let region = match files.get(&related.path) {
                Some(other) => other.region(related.span.start, related.span.end),
                None => Region::bytes(related.span.start, related.span.end),
            };
            Location {
                id: Some(id),
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&related.path),
                    region: Some(region),
                },
                message: Some(Text { text: related.message.clone() }),
            }
        })
        .collect();
    let file = files.get(&report.path).expect("every report's file is known");
    let fixes = diagnostic
        .fix
        .iter()
        .filter_map(|fix| {
            let edits = crate::fix::checked_edits(file.file.text, &fix.edits)?;
            Some(SarifFix {
                description: Text { text: fix.title.clone() },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: artifact_location(&report.path),
                    replacements: edits
                        .into_iter()
                        .map(|edit| Replacement {
                            deleted_region: file.char_region(edit.span.start, edit.span.end),
                            inserted_content: Text { text: edit.replacement.clone() },
                        })
                        .collect(),
                }],
            })
        })
        .collect();
    SarifResult {
        rule_id: diagnostic.code,
        rule_index: rule_index.get(diagnostic.code).copied(),
        level: level(diagnostic.severity),
        message: Text { text: diagnostic.message.clone() },
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact_location(&report.path),
                region: Some(file.region(diagnostic.span.start, diagnostic.span.end)),
            },
            message: None,
        }],
        related_locations,
        fixes,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        suppressions: Vec::new(),
        baseline_state: None,
        properties: ResultProperties { severity: diagnostic.severity, question_id: diagnostic.question_id.as_deref() },
    }
}

/// SARIF has three levels; info and hint both become `note` (the exact severity is kept in the
/// result's `properties.severity`).
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The run's files by path, each indexed for code points on first use.
struct CharFiles<'a> {
    texts: BTreeMap<&'a str, &'a str>,
    indexed: BTreeMap<&'a str, CharFile<'a>>,
}

impl<'a> CharFiles<'a> {
    fn new(reports: &'a [FileReport]) -> Self {
        let mut texts = BTreeMap::new();
        for report in reports {
            texts.entry(report.path.as_str()).or_insert(&*report.source);
        }
        CharFiles { texts, indexed: BTreeMap::new() }
    }

    fn get(&mut self, path: &str) -> Option<&CharFile<'a>> {
        let (&path, &text) = self.texts.get_key_value(path)?;
        Some(self.indexed.entry(path).or_insert_with(|| CharFile::new(text)))
    }
}

/// A file with the code-point offset of each line start, for `charOffset`.
struct CharFile<'a> {
    file: SourceFile<'a>,
    line_chars: Vec<usize>,
}

impl<'a> CharFile<'a> {
    fn new(text: &'a str) -> Self {
        let file = SourceFile::new(text);
        let mut line_chars = Vec::with_capacity(file.index.line_count());
        let mut chars = 0;
        for line in 0..file.index.line_count() as u32 {
            line_chars.push(chars);
            let start = file.index.line_start(line);
            let end = file.index.line_start(line + 1).min(text.len());
            chars += text[start..end].chars().count();
        }
        CharFile { file, line_chars }
    }

    fn char_offset(&self, offset: usize) -> usize {
        let offset = self.file.clamp(offset);
        let line = self.file.index.line_of(offset);
        let start = self.file.index.line_start(line);
        self.line_chars[line as usize] + self.file.text[start..offset].chars().count()
    }

    fn region(&self, start: usize, end: usize) -> Region {
        let from = self.file.position(start);
        let to = self.file.position(end.max(start));
        Region {
            start_line: Some(from.line),
            start_column: Some(from.column),
            end_line: Some(to.line),
            end_column: Some(to.column),
            ..self.char_region(start, end)
        }
    }

    fn char_region(&self, start: usize, end: usize) -> Region {
        let char_start = self.char_offset(start);
        let char_end = self.char_offset(end.max(start));
        Region { char_offset: Some(char_start), char_length: Some(char_end - char_start), ..Region::default() }
    }
}

/// `uri` plus `uriBaseId: %SRCROOT%` for a relative path; a `file://` URI for an absolute one.
fn artifact_location(path: &str) -> ArtifactLocation {
    let slashed = path.replace('\\', "/");
    let bytes = slashed.as_bytes();
    let windows_drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if let Some(unc) = slashed.strip_prefix("//") {
        return ArtifactLocation { uri: format!("file://{}", encode_uri_path(unc, true)), uri_base_id: None };
    }
    if slashed.starts_with('/') {
        return ArtifactLocation { uri: format!("file://{}", encode_uri_path(&slashed, true)), uri_base_id: None };
    }
    if windows_drive {
        return ArtifactLocation { uri: format!("file:///{}", encode_uri_path(&slashed, true)), uri_base_id: None };
    }
    let relative = slashed.trim_start_matches("./");
    ArtifactLocation { uri: encode_uri_path(relative, false), uri_base_id: Some(SOURCE_ROOT) }
}

/// Percent-encodes everything but unreserved characters, sub-delimiters, `/`, `@` and (in
/// absolute paths only, where it cannot be mistaken for a scheme) `:`.
fn encode_uri_path(path: &str, allow_colon: bool) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
            )
            || (allow_colon && byte == b':');
        if keep {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<HelpText<'a>>,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct HelpText<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties {
    /// qbank's own severity, finer than SARIF's three levels.
    default_severity: Severity,
    fixable: bool,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct SarifSuppression {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    question_id: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
}

impl Region {
    /// Only bytes are known when the file's text is not part of the run.
    fn bytes(start: usize, end: usize) -> Region {
        Region { byte_offset: Some(start), byte_length: Some(end.saturating_sub(start)), ..Region::default() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}
