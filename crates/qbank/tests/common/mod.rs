//! Helpers shared by the CLI end-to-end tests: run the real binary, read its output, find the
//! seed fixtures.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run `qbank ARGS` in `cwd` without colour, with `QBANK_FAILPOINT` set to `failpoint` (or unset).
pub fn qbank_env(args: &[&str], cwd: &Path, failpoint: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qbank"));
    command.args(args).current_dir(cwd).env("NO_COLOR", "1").env_remove("QBANK_FAILPOINT");
    if let Some(point) = failpoint {
        command.env("QBANK_FAILPOINT", point);
    }
    command.output().expect("qbank runs")
}

/// Run `qbank ARGS` in `cwd` without colour.
pub fn qbank(args: &[&str], cwd: &Path) -> Output {
    qbank_env(args, cwd, None)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The seed fixture whose file name starts with `prefix` (`"003"`).
pub fn seed(prefix: &str) -> PathBuf {
    std::fs::read_dir(root().join("tests/fixtures/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix} missing"))
}

/// The code of every finding `qbank check --format json PATH` reports (run in `cwd`), in
/// output order.
pub fn check_codes(path: &str, cwd: &Path) -> Vec<String> {
    let out = qbank(&["check", "--format", "json", path], cwd);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}
