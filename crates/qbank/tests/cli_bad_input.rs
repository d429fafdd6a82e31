//! Hostile input: NUL bytes, 10,000-deep nesting, unterminated fences, symlink loops, an empty
//! workspace, a 50 MB bank, unreadable files and folders, directories where files belong. Each
//! gives a clear error or correct handling; none panics or hangs.

mod common;

use common::{qbank, root, text};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn no_panic(out: &Output) {
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
    assert!(out.status.code().is_some_and(|c| c <= 2), "exit {:?}: {}", out.status, text(&out.stderr));
}

#[test]
fn nul_bytes_are_text_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("nul.md"), "### 1. What is\0 CI?\n\n**Answer:**\n\nMerging\0 often.\n").unwrap();
    for args in [&["check", "nul.md"][..], &["fmt", "--check", "nul.md"], &["export", "nul.md"]] {
        let out = qbank(args, tmp.path());
        no_panic(&out);
    }
    let export = qbank(&["export", "nul.md"], tmp.path());
    let bank: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(bank["sections"][0]["questions"].as_array().unwrap().len(), 1);
}

#[test]
fn ten_thousand_deep_lists_and_quotes_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bank = String::from("### 1. How deep can it go?\n\n**Answer:**\n\n");
    // `- - - … item` nests 10,000 lists on one line (indenting each level would make the file
    // quadratic in size).
    bank.push_str(&"- ".repeat(10_000));
    bank.push_str("item\n\n");
    bank.push_str(&">".repeat(10_000));
    bank.push_str(" quote\n\n**TL;DR:** Deep.\n");
    std::fs::write(tmp.path().join("deep.md"), &bank).unwrap();
    let start = Instant::now();
    let out = qbank(&["check", "--format", "json", "deep.md"], tmp.path());
    no_panic(&out);
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["bank_id"], "deep");
    let fmt = qbank(&["fmt", "deep.md"], tmp.path());
    no_panic(&fmt);
    let again = qbank(&["fmt", "--check", "deep.md"], tmp.path());
    assert_eq!(again.status.code(), Some(0), "fmt is idempotent on deep nesting");
}

#[test]
fn an_unterminated_fence_is_reported_not_swallowed_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = "### 1. Roll back?\n<!-- id: roll -->\n\n**Answer:**\n\nRedeploy.\n\n**Example (Bash):**\n\n```bash\nkubectl rollout undo deployment/web\n\n### 2. Next?\n\nMore.\n";
    std::fs::write(tmp.path().join("fence.md"), bank).unwrap();
    let out = qbank(&["check", "--format", "json", "fence.md"], tmp.path());
    no_panic(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> =
        report["files"][0]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"QB204"), "{codes:?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_naming_the_loop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("banks");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.md"), "### 1. Q?\n\nA.\n").unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("self")).unwrap();
    let start = Instant::now();
    let out = qbank(&["check", "banks"], tmp.path());
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("loop"), "{}", text(&out.stderr));
}

#[test]
fn an_empty_workspace_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = qbank(&["check", "."], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no Markdown (*.md) files in this directory"), "{}", text(&out.stderr));
}

/// Every file under `dir` (relative path → bytes), hidden files included.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, all: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(base).unwrap().to_path_buf();
            if path.is_dir() {
                all.insert(relative, Vec::new());
                walk(&path, base, all);
            } else {
                all.insert(relative, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut all = BTreeMap::new();
    walk(dir, dir, &mut all);
    all
}

/// The diagnostics of the only file of a `check --format json` run, as (code, line, offset).
fn only_file_findings(out: &Output) -> Vec<(String, u64, u64)> {
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
    assert_eq!(report["files"].as_array().unwrap().len(), 1, "{report}");
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            (
                d["code"].as_str().unwrap().to_string(),
                start["line"].as_u64().unwrap(),
                start["offset"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A canonical bank of a little over 50 MB: a question whose example is one giant log (every
/// line with non-ASCII text), then a question without a TL;DR past the 50 MB mark.
fn fifty_megabyte_bank() -> (String, usize) {
    let mut bank = String::with_capacity(53 << 20);
    bank.push_str("---\nid: big\n---\n\n# Big bank\n\n");
    bank.push_str("### 1. What does a healthy deploy log look like?\n<!-- id: healthy-deploy-log -->\n\n");
    bank.push_str("**Answer:**\n\nOne event per line, each with a timestamp and an outcome.\n\n");
    bank.push_str("**Example (text):**\n\n```text\n");
    let mut lines = 0;
    while bank.len() < 50 << 20 {
        let n = lines;
        bank.push_str(&format!(
            "2024-05-01T12:{:02}:{:02}Z deploy web-{n} → rollout ok, café-{} ✓\n",
            n / 60 % 60,
            n % 60,
            n % 997
        ));
        lines += 1;
    }
    bank.push_str("```\n\n**TL;DR:** One timestamped event per line.\n\n");
    bank.push_str("### 2. What comes after the log?\n<!-- id: after-the-log -->\n\n**Answer:**\n\nThis question.\n");
    (bank, lines)
}

#[test]
fn a_50_mb_bank_is_checked_formatted_exported_and_imported_correctly() {
    let tmp = tempfile::tempdir().unwrap();
    let (bank, log_lines) = fifty_megabyte_bank();
    std::fs::write(tmp.path().join("big.md"), &bank).unwrap();
    let heading = bank.find("### 2. What comes after the log?").unwrap();
    let heading_line = bank[..heading].matches('\n').count() as u64 + 1;
    let limit = Duration::from_secs(60);

    // One finding, at the right line and byte offset past the 50 MB mark: nothing in the log
    // is flagged, nothing is missed after it.
    let start = Instant::now();
    let check = qbank(&["check", "--format", "json", "--no-progress", "big.md"], tmp.path());
    assert!(start.elapsed() < limit, "check took {:?}", start.elapsed());
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert_eq!(only_file_findings(&check), [("QB012".to_string(), heading_line, heading as u64)]);

    let start = Instant::now();
    let fmt = qbank(&["fmt", "--check", "big.md"], tmp.path());
    assert!(start.elapsed() < limit, "fmt took {:?}", start.elapsed());
    assert_eq!(fmt.status.code(), Some(0), "{}{}", text(&fmt.stdout), text(&fmt.stderr));
    assert!(text(&fmt.stdout).contains("1 file(s) already formatted"), "{}", text(&fmt.stdout));

    let start = Instant::now();
    let export = qbank(&["export", "big.md"], tmp.path());
    assert!(start.elapsed() < limit, "export took {:?}", start.elapsed());
    assert_eq!(export.status.code(), Some(0), "{}", text(&export.stderr));
    let model: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let questions = model["sections"][0]["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2);
    let log = questions[0]["examples"][0]["code"].as_str().unwrap();
    let fence = bank.find("```text\n").unwrap() + "```text\n".len();
    let content = &bank[fence..fence + bank[fence..].find("```\n").unwrap()];
    assert!(log == content.strip_suffix('\n').unwrap(), "the log comes back whole");
    assert_eq!(log.lines().count(), log_lines);
    assert_eq!(questions[1]["id"], "after-the-log");

    // Import writes it back byte for byte (it is canonical).
    let start = Instant::now();
    let import = qbank(&["import", "big.md", "--into", "out"], tmp.path());
    assert!(start.elapsed() < limit, "import took {:?}", start.elapsed());
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    assert!(std::fs::read_to_string(tmp.path().join("out/big.md")).unwrap() == bank, "import changed the bank");
}

/// Runs the binary as an unprivileged user when we are root (root reads any file whatever its
/// mode), so that a mode of 000 really makes a read fail with EACCES.
#[cfg(unix)]
struct Unprivileged {
    binary: PathBuf,
    as_nobody: bool,
}

#[cfg(unix)]
impl Unprivileged {
    /// Makes `root` reachable and links (or copies) the binary into `root/bin`, so the user can
    /// run it whatever the permissions of the build folder; returns the runner and `root/work`,
    /// a folder everyone may write to, so that the only refusals are the ones a test sets up.
    fn new(root: &Path) -> (Unprivileged, PathBuf) {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = |path: &Path, mode| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        mode(root, 0o755);
        let work = root.join("work");
        std::fs::create_dir(&work).unwrap();
        mode(&work, 0o777);
        let as_nobody = std::fs::metadata(&work).unwrap().uid() == 0;
        let mut binary = PathBuf::from(env!("CARGO_BIN_EXE_qbank"));
        if as_nobody {
            std::fs::create_dir(root.join("bin")).unwrap();
            let linked = root.join("bin/qbank");
            if std::fs::hard_link(&binary, &linked).is_err() {
                std::fs::copy(&binary, &linked).unwrap();
                mode(&linked, 0o755);
            }
            binary = linked;
        }
        (Unprivileged { binary, as_nobody }, work)
    }

    fn run(&self, args: &[&str], cwd: &Path) -> Output {
        use std::os::unix::process::CommandExt;
        let mut command = Command::new(&self.binary);
        command.args(args).current_dir(cwd).env("NO_COLOR", "1").env_remove("QBANK_FAILPOINT");
        if self.as_nobody {
            command.uid(65534).gid(65534);
        }
        command.output().expect("qbank runs")
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named_and_the_readable_ones_are_still_checked() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let (user, work) = Unprivileged::new(tmp.path());
    let dir = work.as_path();
    // Three unrelated banks, each missing a TL;DR (QB012, a warning).
    let bank = |id: &str, question: &str, answer: &str| {
        format!("---\nid: {id}\n---\n\n# {id}\n\n### 1. {question}\n<!-- id: {id}-1 -->\n\n**Answer:**\n\n{answer}\n")
    };
    std::fs::create_dir(dir.join("banks")).unwrap();
    std::fs::write(dir.join("banks/a.md"), bank("a", "What is CI?", "Merging often.")).unwrap();
    std::fs::write(dir.join("banks/c.md"), bank("c", "How do you roll back a release?", "Redeploy the last image."))
        .unwrap();
    let secret = bank("s", "Which port does SSH use?", "Port 22, unless configured otherwise.");
    std::fs::write(dir.join("banks/secret.md"), &secret).unwrap();
    std::fs::set_permissions(dir.join("banks/secret.md"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let before = snapshot(dir);
    let denied = "error: banks/secret.md: permission denied";

    // check: exit 2 naming the file; the other files are still checked and reported.
    for args in [
        &["check", "--format", "json", "banks"][..],
        &["check", "--format", "json", "banks/a.md", "banks/secret.md", "banks/c.md"],
    ] {
        let out = user.run(args, dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(denied), "{args:?}: {}", text(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let files: Vec<(&str, Vec<&str>)> = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let codes = f["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
                (f["path"].as_str().unwrap(), codes)
            })
            .collect();
        assert_eq!(files, [("banks/a.md", vec!["QB012"]), ("banks/c.md", vec!["QB012"])], "{args:?}");
    }
    // --fix writes nothing unless every file could be read.
    let fix = user.run(&["check", "--fix", "banks"], dir);
    assert_eq!(fix.status.code(), Some(2));
    assert!(text(&fix.stderr).contains(denied), "{}", text(&fix.stderr));

    // The commands that write (or print one model) fail as a whole, naming the file.
    for args in [
        &["fmt", "banks"][..],
        &["fmt", "--check", "banks/a.md", "banks/secret.md"],
        &["export", "banks/secret.md"],
        &["export", "banks"],
        &["import", "banks/a.md", "banks/secret.md", "--into", "out"],
        &["merge", "banks/a.md", "banks/secret.md", "--into", "corpus"],
        &["check", "--baseline", "banks/secret.md", "banks/a.md"],
    ] {
        let out = user.run(args, dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(denied), "{args:?}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}");
    }
    assert_eq!(snapshot(dir), before, "nothing was written");

    // An unreadable folder below a walked one is named too.
    std::fs::create_dir(dir.join("banks/private")).unwrap();
    std::fs::write(dir.join("banks/private/p.md"), &secret).unwrap();
    std::fs::set_permissions(dir.join("banks/secret.md"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(dir.join("banks/private"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = user.run(&["check", "banks"], dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("error: banks/private: permission denied"), "{}", text(&out.stderr));
    std::fs::set_permissions(dir.join("banks/private"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_directory_where_a_file_belongs_is_a_clear_error_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let bank = std::fs::read(root().join("corpus/devops-fundamentals.md")).unwrap();
    std::fs::write(dir.join("a.md"), &bank).unwrap();
    // A folder named like a bank.
    std::fs::create_dir(dir.join("sub.md")).unwrap();
    std::fs::write(dir.join("sub.md/b.md"), &bank).unwrap();
    let before = snapshot(dir);
    let cases: &[(&[&str], &str)] = &[
        (&["check", "--baseline", "sub.md", "a.md"], "sub.md: is a directory, not a file"),
        (&["check", "--write-baseline", "sub.md", "a.md"], "sub.md: is a directory"),
        (&["check", "--config", "sub.md", "a.md"], "sub.md: is a directory"),
        (&["import", "a.md", "--into", "a.md"], "a.md: --into must be a directory"),
        (&["merge", "sub.md", "--into", "corpus"], "sub.md: is a directory; merge takes bank files"),
        (&["merge", "a.md", "--into", "a.md"], "a.md: --into must be a directory"),
    ];
    for (args, expected) in cases {
        let out = qbank(args, dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}");
        assert_eq!(snapshot(dir), before, "{args:?} wrote something");
    }
    // Where a folder is welcome, a folder named `*.md` is walked, not read.
    let check = qbank(&["check", "sub.md"], dir);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("No problems found in 1 file"), "{}", text(&check.stdout));
    let fmt = qbank(&["fmt", "--check", "sub.md"], dir);
    assert!(text(&fmt.stdout).contains("1 file(s) already formatted"), "{}", text(&fmt.stdout));
    let export = qbank(&["export", "sub.md"], dir);
    let banks: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(banks.as_array().map(Vec::len), Some(1), "a folder exports as an array");
}
