//! What decides how a file is checked: the client's settings (`initializationOptions` and the
//! `qbank` section of `workspace/didChangeConfiguration`) layered over the nearest
//! `qbank.toml`, found and loaded the way `qbank check` does, cached per folder and dropped when
//! either changes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use qbank_lint::config::{CONFIG_FILE_NAME, Config};
use qbank_lint::registry::{all_meta, find};
use serde_json::Value;

/// The client's `qbank` settings that the server uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientSettings {
    /// Rule code → level (`error`, `warning`, `info`, `hint`, `off`), on top of `qbank.toml`.
    pub rules: BTreeMap<&'static str, &'static str>,
    pub dedup: DedupSettings,
    /// `inlayHints.numbers`: show the expected number where the written one is wrong (off by
    /// default).
    pub inlay_numbers: bool,
}

/// Duplicate-detection settings of the cross-file pass (`mode`: `lexical` or `semantic`; see
/// [`crate::corpus::mode`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DedupSettings {
    pub mode: String,
    pub model: Option<String>,
}

impl Default for DedupSettings {
    fn default() -> Self {
        DedupSettings { mode: "lexical".into(), model: None }
    }
}

const LEVELS: [&str; 5] = ["error", "warning", "info", "hint", "off"];

impl ClientSettings {
    /// Reads `{ rules, dedup: { mode, model } }`, or the same inside a `qbank` key (the shape of
    /// `didChangeConfiguration`). Bad entries are skipped and described in the second value.
    pub fn from_json(value: Option<&Value>) -> (ClientSettings, Vec<String>) {
        let mut settings = ClientSettings::default();
        let mut problems = Vec::new();
        let Some(value) = value else { return (settings, problems) };
        let section = value.get("qbank").unwrap_or(value);
        if let Some(rules) = section.get("rules").and_then(Value::as_object) {
            for (name, level) in rules {
                let Some(rule) = find(name) else {
                    problems.push(format!("qbank.rules: unknown rule `{name}` (`qbank rules` lists them)"));
                    continue;
                };
                match LEVELS.iter().find(|l| level.as_str() == Some(**l)) {
                    Some(level) => {
                        settings.rules.insert(rule.meta.code, level);
                    }
                    None => problems.push(format!("qbank.rules: `{name}` has unknown level {level}")),
                }
            }
        }
        if let Some(dedup) = section.get("dedup") {
            if let Some(mode) = dedup.get("mode").and_then(Value::as_str) {
                settings.dedup.mode = mode.to_string();
            }
            settings.dedup.model =
                dedup.get("model").and_then(Value::as_str).filter(|m| !m.trim().is_empty()).map(str::to_string);
        }
        if let Some(numbers) = section.get("inlayHints").and_then(|h| h.get("numbers")) {
            match numbers.as_bool() {
                Some(on) => settings.inlay_numbers = on,
                None => problems.push(format!("qbank.inlayHints.numbers: expected true or false, got {numbers}")),
            }
        }
        (settings, problems)
    }
}

/// How one file is checked.
#[derive(Clone, Debug)]
pub struct FileConfig {
    /// The effective configuration: `qbank.toml` (or the defaults) with the client's rules on top.
    pub config: Arc<Config>,
    /// The folder holding the `qbank.toml` in force, if one was found.
    pub root: Option<PathBuf>,
    /// The file's path relative to `root` (or its name), with `/` separators, for globs.
    pub relative_path: String,
    /// Whether the file is one qbank checks: always without a `qbank.toml`; with one, when its
    /// `include`/`exclude` globs select it.
    pub included: bool,
    /// Whether the configuration asks for `not-a-bank` explicitly (by code or name). Otherwise
    /// a Markdown file that is not a bank (a README) gets no diagnostics at all.
    pub report_not_a_bank: bool,
}

/// A loaded `qbank.toml`, or why it could not be used.
type Loaded = Result<Arc<Config>, String>;

/// `qbank.toml` files and effective configurations, cached until [`ConfigStore::invalidate`].
#[derive(Default)]
pub struct ConfigStore {
    client: ClientSettings,
    /// Folder → the `qbank.toml` that applies there.
    discovered: HashMap<PathBuf, Option<PathBuf>>,
    /// `qbank.toml` path (or none) → the effective configuration.
    effective: HashMap<Option<PathBuf>, Arc<Config>>,
    loaded: HashMap<PathBuf, Loaded>,
    /// Problems met while loading (bad TOML, unknown rules), drained by the server to show once.
    problems: Vec<String>,
}

impl ConfigStore {
    pub fn client_settings(&self) -> &ClientSettings {
        &self.client
    }

    /// Replace the client's settings; returns whether they changed.
    pub fn set_client_settings(&mut self, settings: ClientSettings) -> bool {
        if settings == self.client {
            return false;
        }
        self.client = settings;
        self.effective.clear();
        true
    }

    /// Forget every loaded `qbank.toml` (one was created, changed or deleted).
    pub fn invalidate(&mut self) {
        self.discovered.clear();
        self.effective.clear();
        self.loaded.clear();
    }

    pub fn take_problems(&mut self) -> Vec<String> {
        std::mem::take(&mut self.problems)
    }

    /// The configuration for a file (`None`: a document without a path, like `untitled:`).
    pub fn for_file(&mut self, path: Option<&Path>) -> FileConfig {
        let config_path = path.and_then(|p| self.discover(p.parent().unwrap_or(p)));
        let config = self.effective(config_path.as_deref());
        let root = config_path.as_deref().and_then(Path::parent).map(Path::to_path_buf);
        let relative_path = match (path, &root) {
            (Some(path), Some(root)) => relative_to(path, root),
            (Some(path), None) => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            (None, _) => String::new(),
        };
        let included = root.is_none() || config.includes(&relative_path);
        let report_not_a_bank = asks_for_not_a_bank(&config);
        FileConfig { config, root, relative_path, included, report_not_a_bank }
    }

    fn discover(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.discovered.get(dir) {
            return found.clone();
        }
        let found = Config::discover(dir);
        self.discovered.insert(dir.to_path_buf(), found.clone());
        found
    }

    fn effective(&mut self, config_path: Option<&Path>) -> Arc<Config> {
        let key = config_path.map(Path::to_path_buf);
        if let Some(config) = self.effective.get(&key) {
            return config.clone();
        }
        let base = match config_path {
            Some(path) => match self.load(path) {
                Ok(config) => config,
                Err(_) => Arc::new(Config::default()),
            },
            None => Arc::new(Config::default()),
        };
        let config = Arc::new(with_client_rules(&base, &self.client));
        self.effective.insert(key, config.clone());
        config
    }

    fn load(&mut self, path: &Path) -> Loaded {
        if let Some(loaded) = self.loaded.get(path) {
            return loaded.clone();
        }
        let loaded = load_config(path);
        if let Err(problem) = &loaded {
            self.problems.push(problem.clone());
        }
        self.loaded.insert(path.to_path_buf(), loaded.clone());
        loaded
    }
}

/// Reads and validates one `qbank.toml` as `qbank check` does; errors name file, line and column.
fn load_config(path: &Path) -> Loaded {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {}", path.display(), qbank_workspace::discover::io_message(&e)))?;
    let config = Config::parse(&text)
        .map_err(|e| format!("{}:{}:{}: invalid config: {}", path.display(), e.line, e.column, e.message))?;
    if let Some(e) = config.problems(&all_meta()).first() {
        return Err(format!("{}:{}:{}: invalid config: {}", path.display(), e.line, e.column, e.message));
    }
    Ok(Arc::new(config))
}

/// `base` with the client's rule levels replacing whatever `qbank.toml` says about those rules
/// (by code or by name).
fn with_client_rules(base: &Config, client: &ClientSettings) -> Config {
    let mut config = base.clone();
    if client.rules.is_empty() {
        return config;
    }
    // The levels are validated and the keys are rule codes, so this text always parses.
    let mut text = String::from("[rules]\n");
    for (code, level) in &client.rules {
        text.push_str(&format!("{code} = \"{level}\"\n"));
    }
    let Ok(overrides) = Config::parse(&text) else { return config };
    config.rules.retain(|key, _| find(key.get_ref()).is_none_or(|rule| !client.rules.contains_key(rule.meta.code)));
    config.rules.extend(overrides.rules);
    config
}

fn asks_for_not_a_bank(config: &Config) -> bool {
    let Some(rule) = find("QB001") else { return false };
    config.rules.keys().any(|key| find(key.get_ref()).is_some_and(|r| r.meta.code == rule.meta.code))
        && config.rule_setting(&rule.meta).severity.is_some()
}

/// Whether `path` names a `qbank.toml`.
pub fn is_config_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == CONFIG_FILE_NAME)
}

/// `file` relative to `root`, with `/` separators (for config globs).
pub fn relative_to(file: &Path, root: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_rules_override_the_toml_by_code_or_name() {
        let base = Config::parse("[rules]\nmissing-tldr = \"error\"\nQB101 = \"off\"\n").unwrap();
        let (client, problems) = ClientSettings::from_json(Some(&serde_json::json!({
            "qbank": { "rules": { "QB012": "hint", "nonsense": "off", "QB013": "loud" } }
        })));
        assert_eq!(problems.len(), 2, "{problems:?}");
        let merged = with_client_rules(&base, &client);
        let missing_tldr = find("missing-tldr").unwrap();
        assert_eq!(merged.rule_setting(&missing_tldr.meta).severity, Some(qbank_lint::Severity::Hint));
        assert_eq!(merged.rule_setting(&find("QB101").unwrap().meta).severity, None, "untouched rules keep the toml");
    }

    #[test]
    fn not_a_bank_is_reported_only_when_asked_for() {
        assert!(!asks_for_not_a_bank(&Config::default()));
        assert!(asks_for_not_a_bank(&Config::parse("[rules]\nnot-a-bank = \"warning\"\n").unwrap()));
        assert!(!asks_for_not_a_bank(&Config::parse("[rules]\nQB001 = \"off\"\n").unwrap()));
    }

    #[test]
    fn dedup_settings_are_read() {
        let (client, _) = ClientSettings::from_json(Some(&serde_json::json!({
            "rules": {}, "dedup": { "mode": "semantic", "model": "/models/minilm" }
        })));
        assert_eq!(client.dedup, DedupSettings { mode: "semantic".into(), model: Some("/models/minilm".into()) });
    }
}
