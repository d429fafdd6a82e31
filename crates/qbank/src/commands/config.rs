//! Finding and loading `qbank.toml` for each file: walk up from the file's folder; parse each
//! config once; a bad config is an error naming the file, line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use qbank_lint::config::Config;
use qbank_lint::registry::all_meta;

use crate::Errors;

/// A loaded configuration and the folder its globs are relative to.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub root: PathBuf,
}

/// Configs by file, loaded once each.
#[derive(Default)]
pub struct Configs {
    explicit: Option<std::sync::Arc<Loaded>>,
    by_dir: HashMap<PathBuf, std::sync::Arc<Loaded>>,
    by_path: HashMap<PathBuf, std::sync::Arc<Loaded>>,
}

impl Configs {
    /// With `--config FILE`, that config applies to every file.
    pub fn new(explicit: Option<&Path>) -> Result<Configs, Errors> {
        let mut configs = Configs::default();
        if let Some(path) = explicit {
            configs.explicit = Some(std::sync::Arc::new(load_config(path)?));
        }
        Ok(configs)
    }

    /// The config found from folder `dir` (itself, then its parents), or the explicit one;
    /// `None` when there is none.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<std::sync::Arc<Loaded>>, Errors> {
        if let Some(explicit) = &self.explicit {
            return Ok(Some(explicit.clone()));
        }
        let Some(path) = Config::discover(dir) else { return Ok(None) };
        if let Some(loaded) = self.by_path.get(&path) {
            return Ok(Some(loaded.clone()));
        }
        let loaded = std::sync::Arc::new(load_config(&path)?);
        self.by_path.insert(path, loaded.clone());
        Ok(Some(loaded))
    }

    /// The config that applies to `file`.
    pub fn for_file(&mut self, file: &Path) -> Result<std::sync::Arc<Loaded>, Errors> {
        if let Some(explicit) = &self.explicit {
            return Ok(explicit.clone());
        }
        let dir = absolute(file).parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(found) = self.by_dir.get(&dir) {
            return Ok(found.clone());
        }
        let loaded = match Config::discover(&dir) {
            Some(path) => match self.by_path.get(&path) {
                Some(l) => l.clone(),
                None => {
                    let l = std::sync::Arc::new(load_config(&path)?);
                    self.by_path.insert(path, l.clone());
                    l
                }
            },
            None => std::sync::Arc::new(Loaded {
                config: Config::default(),
                root: std::env::current_dir().unwrap_or_default(),
            }),
        };
        self.by_dir.insert(dir, loaded.clone());
        Ok(loaded)
    }
}

pub fn load_config(path: &Path) -> Result<Loaded, Errors> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {}", path.display(), qbank_workspace::discover::io_message(&e)))?;
    let config = Config::parse(&text)
        .map_err(|e| format!("{}:{}:{}: invalid config: {}", path.display(), e.line, e.column, e.message))?;
    let problems = config.problems(&all_meta());
    if !problems.is_empty() {
        return Err(Errors(
            problems
                .iter()
                .map(|e| format!("{}:{}:{}: invalid config: {}", path.display(), e.line, e.column, e.message))
                .collect(),
        ));
    }
    let root = absolute(path).parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(Loaded { config, root })
}

pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `file` relative to `root`, with `/` separators (for config globs).
pub fn relative_to(file: &Path, root: &Path) -> String {
    let abs = absolute(file);
    let rel = abs.strip_prefix(root).unwrap_or(&abs);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
