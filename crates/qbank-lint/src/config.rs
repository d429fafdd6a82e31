//! The `qbank.toml` configuration: its model (serde + schemars, which generates
//! `schema/qbank-config.schema.json`), parsing with errors that name the line, validation
//! against the rule table, and the resolved view the checker asks (`rule_setting`, `includes`,
//! `is_ignored`). [`Config::discover`] is the one function here that touches the file system.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use qbank_core::{LineIndex, Span};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::{RuleMeta, Severity};

/// The name of the configuration file.
pub const CONFIG_FILE_NAME: &str = "qbank.toml";

/// `$id` of the generated JSON Schema: the committed file, under the workspace `repository` key
/// of Cargo.toml (the one source of the URL).
pub const SCHEMA_ID: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/raw/main/schema/qbank-config.schema.json");

/// qbank configuration (`qbank.toml`).
///
/// Globs and paths are relative to the folder that holds `qbank.toml`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    /// Files to check: globs relative to the folder that holds `qbank.toml`. `*` matches within
    /// one folder, `**` across folders.
    #[serde(default = "default_include")]
    pub include: Vec<Pattern>,
    /// Files and folders to skip even when `include` matches them; a folder excludes everything
    /// under it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Pattern>,
    /// The lowest severity that makes `qbank check` fail. The `--fail-on` flag overrides it.
    #[serde(default = "default_fail_on", deserialize_with = "deserialize_severity")]
    #[schemars(with = "SeverityName")]
    pub fail_on: Severity,
    /// Rule settings, keyed by rule code (`QB101`) or name (`missing-tldr`): a severity, `"off"`,
    /// or a table with `severity` and the rule's options.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, RuleConfig>")]
    pub rules: BTreeMap<Spanned<String>, Spanned<RuleConfig>>,
    /// Rules to skip in some files: a glob (relative to the folder that holds `qbank.toml`) →
    /// rule codes or names.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "file_ignores")]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    pub per_file_ignores: Vec<FileIgnore>,
    /// Duplicate detection.
    #[serde(default, skip_serializing_if = "DedupConfig::is_default")]
    pub dedup: DedupConfig,
    /// The bank shape of the files this configuration selects, for a corpus the detector cannot
    /// settle: `headings`, `labelled-headings`, `collapsible`, `qa-lines`, `list`, `table`,
    /// `single-question` or `admonitions`. Unset: detected per file (`qbank inspect` shows the
    /// reading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<ShapeName>,
    /// The heading level (1–6) of the question headings, for a corpus whose questions are
    /// headings the detector cannot tell from answer structure. Implies `shape = "headings"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 6))]
    pub question_level: Option<u8>,
    /// The text this configuration was parsed from, so [`Config::validate`] can name lines.
    /// Empty for a configuration built in code. Not part of equality.
    #[serde(skip)]
    #[schemars(skip)]
    pub source: Arc<str>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include: default_include(),
            exclude: Vec::new(),
            fail_on: default_fail_on(),
            rules: BTreeMap::new(),
            per_file_ignores: Vec::new(),
            dedup: DedupConfig::default(),
            shape: None,
            question_level: None,
            source: Arc::from(""),
        }
    }
}

impl PartialEq for Config {
    fn eq(&self, other: &Self) -> bool {
        self.include == other.include
            && self.exclude == other.exclude
            && self.fail_on == other.fail_on
            && self.rules == other.rules
            && self.per_file_ignores == other.per_file_ignores
            && self.dedup == other.dedup
            && self.shape == other.shape
            && self.question_level == other.question_level
    }
}

/// A shape `qbank.toml` can settle a corpus on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ShapeName {
    Headings,
    LabelledHeadings,
    Collapsible,
    QaLines,
    List,
    Table,
    SingleQuestion,
    Admonitions,
}

impl Config {
    /// The shape hint this configuration gives the parser.
    pub fn shape_hint(&self) -> qbank_core::ShapeHint {
        let shape = self.shape.map(|s| match s {
            ShapeName::Headings => qbank_core::Shape::Headings,
            ShapeName::LabelledHeadings => qbank_core::Shape::LabelledHeadings,
            ShapeName::Collapsible => qbank_core::Shape::Collapsible,
            ShapeName::QaLines => qbank_core::Shape::QaLines,
            ShapeName::List => qbank_core::Shape::List,
            ShapeName::Table => qbank_core::Shape::Table,
            ShapeName::SingleQuestion => qbank_core::Shape::SingleQuestion,
            ShapeName::Admonitions => qbank_core::Shape::Admonitions,
        });
        qbank_core::ShapeHint { shape, question_level: self.question_level.filter(|l| (1..=6).contains(l)) }
    }
}

fn default_include() -> Vec<Pattern> {
    vec![Pattern::new("**/*.md").expect("the default glob is valid")]
}

fn default_fail_on() -> Severity {
    Severity::Error
}

// The schema of a `Severity` (which lives in `diagnostic.rs` and has no schema of its own).
/// How serious a finding is.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "Severity")]
#[allow(dead_code)]
enum SeverityName {
    /// A suggestion; shown in the editor, never fails a run unless `fail-on = "hint"`.
    Hint,
    /// Worth knowing.
    Info,
    /// Probably wrong.
    Warning,
    /// Wrong: the bank is broken or misleading.
    Error,
}

/// A rule's setting: a level, or a table with an optional `severity` and the rule's options.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleConfig {
    Level(RuleLevel),
    Table {
        /// `None`: the rule's default severity.
        severity: Option<RuleLevel>,
        /// Everything but `severity`; each rule validates its own options.
        options: toml::Table,
    },
}

/// How a rule reports: a severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Don't run the rule.
    Off,
    /// Report as a hint.
    Hint,
    /// Report as information.
    Info,
    /// Report as a warning.
    Warning,
    /// Report as an error.
    Error,
}

impl RuleLevel {
    pub const ALL: [RuleLevel; 5] =
        [RuleLevel::Off, RuleLevel::Hint, RuleLevel::Info, RuleLevel::Warning, RuleLevel::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Off => "off",
            RuleLevel::Hint => "hint",
            RuleLevel::Info => "info",
            RuleLevel::Warning => "warning",
            RuleLevel::Error => "error",
        }
    }

    /// The severity to report with; `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Hint => Some(Severity::Hint),
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Error => Some(Severity::Error),
        }
    }

    fn parse(text: &str) -> Result<RuleLevel, String> {
        if let Some(level) = RuleLevel::ALL.into_iter().find(|level| level.as_str() == text) {
            return Ok(level);
        }
        let names = RuleLevel::ALL.map(RuleLevel::as_str);
        Err(unknown_message("severity", text, &names, "expected one of `off`, `hint`, `info`, `warning`, `error`"))
    }
}

impl<'de> Deserialize<'de> for RuleLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        RuleLevel::parse(&text).map_err(de::Error::custom)
    }
}

fn deserialize_severity<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
    let text = String::deserialize(deserializer)?;
    Severity::parse(&text).ok_or_else(|| {
        let names = Severity::ALL.map(Severity::as_str);
        de::Error::custom(unknown_message(
            "severity",
            &text,
            &names,
            "expected one of `hint`, `info`, `warning`, `error`",
        ))
    })
}

impl Serialize for RuleConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RuleConfig::Level(level) => level.serialize(serializer),
            RuleConfig::Table { severity, options } => {
                let mut map = serializer.serialize_map(Some(options.len() + usize::from(severity.is_some())))?;
                if let Some(severity) = severity {
                    map.serialize_entry("severity", severity)?;
                }
                for (key, value) in options {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for RuleConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RuleConfigVisitor;

        impl<'de> Visitor<'de> for RuleConfigVisitor {
            type Value = RuleConfig;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a severity (`off`, `hint`, `info`, `warning`, `error`) or a table with `severity` and rule options")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<RuleConfig, E> {
                RuleLevel::parse(text).map(RuleConfig::Level).map_err(E::custom)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleConfig, A::Error> {
                let mut severity = None;
                let mut options = toml::Table::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "severity" {
                        severity = Some(map.next_value::<RuleLevel>()?);
                    } else {
                        let value = map.next_value::<toml::Value>()?;
                        options.insert(key, value);
                    }
                }
                Ok(RuleConfig::Table { severity, options })
            }
        }

        deserializer.deserialize_any(RuleConfigVisitor)
    }
}

impl JsonSchema for RuleConfig {
    fn schema_name() -> Cow<'static, str> {
        "RuleConfig".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let level = generator.subschema_for::<RuleLevel>();
        json_schema!({
            "description": "A rule's setting: a severity or `off`, or a table with `severity` and the rule's options.",
            "oneOf": [
                level,
                {
                    "description": "A severity (optional; the rule's default otherwise) and the rule's options, e.g. `{ severity = \"warning\", max-words = 40 }`.",
                    "type": "object",
                    "properties": {
                        "severity": {
                            "description": "How the rule reports; `off` turns it off. Defaults to the rule's own severity.",
                            "$ref": level.get("$ref").cloned().unwrap_or_default(),
                        }
                    },
                    "additionalProperties": {
                        "description": "A rule option (see the rule's docs: `qbank rules CODE`)."
                    }
                }
            ]
        })
    }
}

/// Duplicate detection settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DedupConfig {
    /// How questions are compared: `lexical` (word overlap; fast, no model) or `semantic`
    /// (sentence embeddings; needs `model`).
    #[serde(default)]
    pub mode: DedupMode,
    /// Folder with the sentence-embedding model for `semantic` mode (`config.json`,
    /// `tokenizer.json`, `model.safetensors`), relative to the folder that holds `qbank.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub model: Option<String>,
    /// Pairs of question ids accepted as distinct: never reported as duplicates again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<[String; 2]>,
    /// Score thresholds by name (for example `lexical = 0.6`); the dedup stage checks the names.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub thresholds: BTreeMap<String, f64>,
}

impl DedupConfig {
    fn is_default(&self) -> bool {
        *self == DedupConfig::default()
    }
}

/// How duplicates are found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DedupMode {
    /// Word overlap (MinHash); fast and needs no model.
    #[default]
    Lexical,
    /// Sentence embeddings; finds rephrased questions, needs `dedup.model`.
    Semantic,
}

/// One `[per-file-ignores]` entry: files matching `pattern` skip `rules` (codes or names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileIgnore {
    pub pattern: Pattern,
    pub rules: Vec<Spanned<String>>,
}

/// `[per-file-ignores]` is a TOML table; the model keeps a list sorted by glob (a map keyed by a
/// compiled glob would hide a regex cache in its keys).
mod file_ignores {
    use std::fmt;

    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde::ser::{SerializeMap, Serializer};
    use toml::Spanned;

    use super::{FileIgnore, Pattern};

    pub fn serialize<S: Serializer>(ignores: &[FileIgnore], serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(ignores.len()))?;
        for ignore in ignores {
            map.serialize_entry(ignore.pattern.as_str(), &ignore.rules)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<FileIgnore>, D::Error> {
        struct IgnoresVisitor;

        impl<'de> Visitor<'de> for IgnoresVisitor {
            type Value = Vec<FileIgnore>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a table of globs to lists of rule codes or names")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<FileIgnore>, A::Error> {
                let mut ignores = Vec::new();
                while let Some(pattern) = map.next_key::<Pattern>()? {
                    let rules = map.next_value::<Vec<Spanned<String>>>()?;
                    ignores.push(FileIgnore { pattern, rules });
                }
                ignores.sort_by(|a, b| a.pattern.cmp(&b.pattern));
                Ok(ignores)
            }
        }

        deserializer.deserialize_map(IgnoresVisitor)
    }
}

/// A glob from the configuration, compiled once. `*` and `?` stay within one folder; `**`
/// crosses folders. Compares and orders by its text.
#[derive(Clone, Debug)]
pub struct Pattern {
    text: Spanned<String>,
    /// `Err` only for a pattern deserialized from bad text, which [`Config::parse`] rejects.
    matcher: Result<GlobMatcher, String>,
}

impl Pattern {
    pub fn new(text: &str) -> Result<Pattern, String> {
        let pattern = Pattern::spanned(Spanned::new(0..0, text.to_owned()));
        pattern.matcher.as_ref().map_err(Clone::clone)?;
        Ok(pattern)
    }

    fn spanned(text: Spanned<String>) -> Pattern {
        let matcher = GlobBuilder::new(&normalize_path(text.get_ref()))
            .literal_separator(true)
            .build()
            .map(|glob| glob.compile_matcher())
            .map_err(|error| format!("invalid glob `{}`: {}", text.get_ref(), error.kind()));
        Pattern { text, matcher }
    }

    /// Why the glob is invalid, if it is.
    pub fn error(&self) -> Option<&str> {
        self.matcher.as_ref().err().map(String::as_str)
    }

    pub fn as_str(&self) -> &str {
        self.text.get_ref()
    }

    /// Where the glob is in the configuration text.
    pub fn span(&self) -> Range<usize> {
        self.text.span()
    }

    /// Whether `relative_path` (with `/` or `\`) matches.
    pub fn is_match(&self, relative_path: &str) -> bool {
        self.matcher.as_ref().is_ok_and(|matcher| matcher.is_match(normalize_path(relative_path)))
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Pattern {}

impl PartialOrd for Pattern {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pattern {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A bad glob is reported by `Config::parse` with the glob's own span (an error raised
        // here would point at the whole array).
        Spanned::<String>::deserialize(deserializer).map(Pattern::spanned)
    }
}

impl JsonSchema for Pattern {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Glob".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// Forward slashes, no leading `./`.
fn normalize_path(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    rest.to_owned()
}

/// What the checker needs to know about one rule.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSetting {
    /// `None`: the rule is off.
    pub severity: Option<Severity>,
    /// The rule's options from its table form; empty otherwise.
    pub options: toml::Table,
}

/// A problem in `qbank.toml`, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    /// Byte range in the configuration text.
    pub span: Span,
    /// One-based.
    pub line: usize,
    /// One-based, in characters.
    pub column: usize,
}

impl fmt::Display for ConfigError {
    /// `line:column: message`; the caller puts the file's path in front.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    fn at(text: &str, span: Range<usize>, message: String) -> ConfigError {
        let index = LineIndex::new(text);
        let start = span.start.min(text.len());
        let (line, column) = index.human_position(text, start);
        ConfigError { message, span: Span::new(start, span.end.clamp(start, text.len())), line, column }
    }
}

impl Config {
    /// Parses `qbank.toml`. Bad TOML, unknown keys, wrong types, bad severities and bad globs
    /// are errors that name their line; rule names are checked later by [`Config::validate`], against the rules that
    /// exist.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text)
            .map_err(|error| ConfigError::at(text, error.span().unwrap_or(0..0), error.message().to_owned()))?;
        config.source = Arc::from(text);
        let patterns = config
            .include
            .iter()
            .chain(&config.exclude)
            .chain(config.per_file_ignores.iter().map(|ignore| &ignore.pattern));
        let first_bad = patterns.filter(|pattern| pattern.error().is_some()).min_by_key(|pattern| pattern.span().start);
        if let Some(pattern) = first_bad {
            return Err(config.error(pattern.span(), pattern.error().unwrap_or_default().to_owned()));
        }
        Ok(config)
    }

    /// The configuration as TOML (what `parse` reads back to an equal value).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("configuration values are representable in TOML")
    }

    /// The first problem (in text order) with the rule codes and names the configuration uses.
    pub fn validate(&self, known: &[RuleMeta]) -> Result<(), ConfigError> {
        match self.problems(known).into_iter().next() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Every problem with the rule codes and names, in text order: unknown rules in `[rules]`
    /// and `[per-file-ignores]` (with the closest rule as a suggestion), and rules configured
    /// twice (once by code, once by name).
    pub fn problems(&self, known: &[RuleMeta]) -> Vec<ConfigError> {
        let mut problems = Vec::new();
        let mut configured: BTreeMap<&str, &Spanned<String>> = BTreeMap::new();
        let mut keys: Vec<&Spanned<String>> = self.rules.keys().collect();
        keys.sort_by_key(|key| key.span().start);
        for key in keys {
            match find_rule(known, key.get_ref()) {
                Some(rule) => {
                    if let Some(first) = configured.insert(rule.code, key) {
                        let (line, _) = LineIndex::new(&self.source).human_position(&self.source, first.span().start);
                        problems.push(self.error(
                            key.span(),
                            format!(
                                "rule `{}` is configured twice: as `{}` on line {line} and as `{}`; keep one",
                                rule.name,
                                first.get_ref(),
                                key.get_ref()
                            ),
                        ));
                    }
                }
                None => problems.push(self.error(key.span(), unknown_rule_message(known, key.get_ref()))),
            }
        }
        for ignore in &self.per_file_ignores {
            for selector in &ignore.rules {
                if find_rule(known, selector.get_ref()).is_none() {
                    problems.push(self.error(selector.span(), unknown_rule_message(known, selector.get_ref())));
                }
            }
        }
        problems.sort_by_key(|error| (error.span.start, error.span.end));
        problems
    }

    fn error(&self, span: Range<usize>, message: String) -> ConfigError {
        ConfigError::at(&self.source, span, message)
    }

    /// How `rule` runs: its severity (`None` = off) and options. A setting by code wins over
    /// one by name (`validate` reports having both).
    pub fn rule_setting(&self, rule: &RuleMeta) -> RuleSetting {
        let setting = self.rules.get(rule.code).or_else(|| self.rules.get(rule.name)).map(Spanned::get_ref);
        match setting {
            None => RuleSetting { severity: Some(rule.default_severity), options: toml::Table::new() },
            Some(RuleConfig::Level(level)) => RuleSetting { severity: level.severity(), options: toml::Table::new() },
            Some(RuleConfig::Table { severity, options }) => RuleSetting {
                severity: severity.map_or(Some(rule.default_severity), RuleLevel::severity),
                options: options.clone(),
            },
        }
    }

    /// Whether a file (path relative to the folder holding `qbank.toml`, `/` or `\`) is checked:
    /// some `include` glob matches it and no `exclude` glob matches it or one of its folders.
    pub fn includes(&self, relative_path: &str) -> bool {
        let path = normalize_path(relative_path);
        if !self.include.iter().any(|pattern| pattern.is_match(&path)) {
            return false;
        }
        !Path::new(&path).ancestors().filter(|p| !p.as_os_str().is_empty()).any(|p| {
            let p = p.to_string_lossy();
            self.exclude.iter().any(|pattern| pattern.is_match(&p))
        })
    }

    /// Whether `[per-file-ignores]` turns the rule (`code` or `name`) off for this file.
    pub fn is_ignored(&self, relative_path: &str, code: &str, name: &str) -> bool {
        let path = normalize_path(relative_path);
        self.per_file_ignores.iter().any(|ignore| {
            ignore.pattern.is_match(&path)
                && ignore.rules.iter().any(|rule| rule.get_ref() == code || rule.get_ref() == name)
        })
    }

    /// The JSON Schema of `qbank.toml` (draft 2020-12), as committed in
    /// `schema/qbank-config.schema.json`.
    pub fn json_schema() -> serde_json::Value {
        let mut schema =
            schemars::generate::SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<Config>();
        schema.insert("$id".to_owned(), SCHEMA_ID.into());
        schema.insert("title".to_owned(), "qbank configuration (qbank.toml)".into());
        tidy(schema.to_value())
    }

    /// [`Config::json_schema`] pretty-printed, ending in a newline: the committed file's text.
    pub fn json_schema_text() -> String {
        let mut text = serde_json::to_string_pretty(&Config::json_schema()).expect("a schema serializes");
        text.push('\n');
        text
    }
}

/// Discovery: the only I/O in this module. The CLI and the language server call it; analysis
/// never does.
impl Config {
    /// The nearest `qbank.toml`: in `start`'s folder (or `start` itself when it is a folder),
    /// then in each parent up to the filesystem root; the first one found wins. A relative
    /// `start` is made absolute against the current directory first.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        Config::discover_with(&start, |candidate| candidate.is_file())
    }

    /// [`Config::discover`] with the file-existence check supplied, for tests and virtual file
    /// systems. Walks `start` and its ancestors.
    pub fn discover_with(start: &Path, is_file: impl Fn(&Path) -> bool) -> Option<PathBuf> {
        start.ancestors().map(|folder| folder.join(CONFIG_FILE_NAME)).find(|candidate| is_file(candidate))
    }
}

/// Keys sorted (whatever `serde_json` features the build unifies, the text stays the same) and
/// doc-comment line breaks inside a paragraph joined, so editors show flowing text.
fn tidy(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let sorted: BTreeMap<String, serde_json::Value> = map.into_iter().collect();
            let mut tidied = serde_json::Map::new();
            for (key, value) in sorted {
                let value = match value {
                    serde_json::Value::String(text) if key == "description" => {
                        let paragraphs: Vec<String> =
                            text.split("\n\n").map(|p| p.split('\n').collect::<Vec<_>>().join(" ")).collect();
                        serde_json::Value::String(paragraphs.join("\n\n"))
                    }
                    other => tidy(other),
                };
                tidied.insert(key, value);
            }
            serde_json::Value::Object(tidied)
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(tidy).collect()),
        other => other,
    }
}

fn find_rule<'a>(known: &'a [RuleMeta], selector: &str) -> Option<&'a RuleMeta> {
    known.iter().find(|rule| rule.code == selector || rule.name == selector)
}

fn unknown_rule_message(known: &[RuleMeta], selector: &str) -> String {
    let candidates: Vec<&str> = known.iter().flat_map(|rule| [rule.code, rule.name]).collect();
    unknown_message("rule", selector, &candidates, "`qbank rules` lists them")
}

/// `unknown {what} `{word}`; did you mean `{closest}`?` or `…; {otherwise}`.
pub(crate) fn unknown_message(what: &str, word: &str, candidates: &[&str], otherwise: &str) -> String {
    match closest(word, candidates) {
        Some(suggestion) => format!("unknown {what} `{word}`; did you mean `{suggestion}`?"),
        None => format!("unknown {what} `{word}`; {otherwise}"),
    }
}

/// The candidate nearest to `word` (case-insensitive edit distance), if it is near enough to be
/// a typo (at most two edits, or a third of the word's length) or the word abbreviates it
/// (`warn` → `warning`).
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&word, &lower);
            let abbreviates = word.len() >= 3 && lower.starts_with(&word);
            (distance <= limit || abbreviates).then_some((distance, *candidate))
        })
        .min()
        .map(|(_, candidate)| candidate)
}
