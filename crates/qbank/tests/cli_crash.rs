//! Crash safety of every write: `qbank fmt`, `check --fix`, `check --write-baseline`, `import`
//! and `merge`, killed at each failpoint of the write path (`QBANK_FAILPOINT=POINT#N` aborts
//! the Nth time the point is reached, so a kill can land in the middle of a multi-file run),
//! leave every file wholly old or wholly new. A kill before a rename leaves that write's
//! temporary file (`.qbank-*.tmp`, hidden): discovery ignores it and the next run finishes the
//! job. (`cli_merge.rs` kills merges at the directory-swap points.)

mod common;

use common::{qbank, qbank_env, root, seed, text};

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

/// The failpoints of `qbank_workspace::write_atomic`, in the order a write reaches them.
const WRITE_POINTS: [&str; 4] =
    ["write:after-create", "write:after-write", "write:before-rename", "write:after-rename"];

/// Every entry of `dir` (file name → bytes), hidden files included; directories map to nothing.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = if path.is_dir() { Vec::new() } else { std::fs::read(&path).unwrap() };
            all.insert(path.file_name().unwrap().to_string_lossy().into_owned(), bytes);
        }
    }
    all
}

fn is_temp(name: &str) -> bool {
    name.starts_with(".qbank-") && name.ends_with(".tmp")
}

/// `banks/` under `dir`: three raw seeds that both `fmt` and `check --fix` rewrite (`a`, `b`,
/// `c`), a canonical bank neither touches (`d`) and a paywall page that is not a bank (`e`).
fn write_banks(dir: &Path) {
    let banks = dir.join("banks");
    std::fs::create_dir_all(&banks).unwrap();
    for (name, source) in [
        ("a.md", seed("000")),
        ("b.md", seed("001")),
        ("c.md", seed("003")),
        ("d.md", root().join("corpus/devops-fundamentals.md")),
        ("e.md", seed("002")),
    ] {
        // Read and write rather than copy: the fixtures are read-only.
        std::fs::write(banks.join(name), std::fs::read(source).unwrap()).unwrap();
    }
}

/// The process died at the failpoint (a signal, no exit code).
fn assert_killed(out: &Output, point: &str) {
    assert!(out.status.code().is_none(), "{point}: the process must die at the failpoint: {}", text(&out.stderr));
}

/// A normal end: findings (1) are fine, errors (2) and crashes are not.
fn assert_finished(out: &Output, what: &str) {
    assert!(matches!(out.status.code(), Some(0 | 1)), "{what}: {:?} {}", out.status, text(&out.stderr));
}

fn state(now: &[u8], old: &[u8], new: &[u8]) -> &'static str {
    if now == old {
        "old"
    } else if now == new {
        "new"
    } else {
        "neither old nor new"
    }
}

/// Kills `args` (run on `banks/`) at every write failpoint, at every file it writes, and checks
/// that the files written before the kill are new, the others old, that at most the interrupted
/// write's temporary file is left, and that the next run ignores it and ends as an undisturbed
/// run does.
fn kill_at_every_write(args: &[&str]) {
    let clean = tempfile::tempdir().unwrap();
    write_banks(clean.path());
    let before = files(&clean.path().join("banks"));
    assert_finished(&qbank(args, clean.path()), "undisturbed run");
    let after = files(&clean.path().join("banks"));
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "a clean run leaves nothing");
    // Files are written in path order.
    let changed: Vec<&str> = before.keys().filter(|name| before[*name] != after[*name]).map(String::as_str).collect();
    assert_eq!(changed, ["a.md", "b.md", "c.md"], "{args:?}");

    for point in WRITE_POINTS {
        for nth in 1..=changed.len() {
            let at = format!("{point}#{nth}");
            let tmp = tempfile::tempdir().unwrap();
            write_banks(tmp.path());
            let banks = tmp.path().join("banks");
            assert_killed(&qbank_env(args, tmp.path(), Some(&at)), &at);
            let now = files(&banks);
            let written = if point == "write:after-rename" { nth } else { nth - 1 };
            for (name, old) in &before {
                let expected = if changed[..written].contains(&name.as_str()) { &after[name] } else { old };
                assert!(now[name] == *expected, "{at}: {name} is {}", state(&now[name], old, &after[name]));
            }
            let leftovers: Vec<&String> = now.keys().filter(|name| !before.contains_key(*name)).collect();
            let interrupted = usize::from(point != "write:after-rename");
            assert_eq!(leftovers.len(), interrupted, "{at}: {leftovers:?}");
            assert!(leftovers.iter().all(|name| is_temp(name)), "{at}: {leftovers:?}");

            let next = qbank(args, tmp.path());
            assert_finished(&next, &format!("the run after {at}"));
            assert!(!text(&next.stdout).contains(".tmp") && !text(&next.stderr).contains(".tmp"), "{at}");
            let done = files(&banks);
            for (name, new) in &after {
                assert!(
                    done[name] == *new,
                    "after {at} and a new run: {name} is {}",
                    state(&done[name], &before[name], new)
                );
            }
            assert_eq!(done.len(), after.len() + interrupted, "{at}: the next run writes no new leftovers");
        }
    }
}

#[test]
fn fmt_killed_at_any_write_leaves_each_file_old_or_new_and_the_next_run_finishes() {
    kill_at_every_write(&["fmt", "banks"]);
}

#[test]
fn check_fix_killed_at_any_write_leaves_each_file_old_or_new_and_the_next_run_finishes() {
    kill_at_every_write(&["check", "--fix", "--no-progress", "banks"]);
}

#[test]
fn a_leftover_temporary_file_is_invisible_to_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    write_banks(tmp.path());
    assert_killed(&qbank_env(&["fmt", "banks"], tmp.path(), Some("write:before-rename")), "write:before-rename");
    let leftover: Vec<String> = files(&tmp.path().join("banks")).into_keys().filter(|name| is_temp(name)).collect();
    assert_eq!(leftover.len(), 1, "{leftover:?}");
    // The leftover holds a whole formatted bank, so a command that read it would count it.
    let check = qbank(&["check", "--format", "json", "--no-progress", "banks"], tmp.path());
    assert_finished(&check, "check");
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let checked: Vec<&str> = report["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    // e.md (seed 002) is no bank but a scraped paywall page: reported, never skipped quietly.
    assert_eq!(checked, ["banks/a.md", "banks/b.md", "banks/c.md", "banks/d.md", "banks/e.md"]);
    let e = &report["files"][4]["diagnostics"];
    assert!(e.as_array().unwrap().iter().any(|d| d["code"] == "QB001"), "e.md is reported as not a bank: {e}");
    let export = qbank(&["export", "banks"], tmp.path());
    assert_eq!(export.status.code(), Some(0), "{}", text(&export.stderr));
    let banks: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(banks.as_array().unwrap().len(), 4);
    let fmt = qbank(&["fmt", "--check", "banks"], tmp.path());
    assert!(text(&fmt.stdout).contains("3 file(s) would be reformatted"), "{}", text(&fmt.stdout));
    assert!(!text(&fmt.stdout).contains(".tmp"), "{}", text(&fmt.stdout));
}

#[test]
fn a_killed_baseline_write_leaves_the_old_baseline_or_the_new_one() {
    let args = ["check", "--write-baseline", "base.json", "--no-progress", "banks"];
    let clean = tempfile::tempdir().unwrap();
    write_banks(clean.path());
    let old = b"{\"version\": 1, \"findings\": []}\n".to_vec();
    std::fs::write(clean.path().join("base.json"), &old).unwrap();
    assert_finished(&qbank(&args, clean.path()), "undisturbed run");
    let new = std::fs::read(clean.path().join("base.json")).unwrap();
    assert_ne!(new, old);
    for point in WRITE_POINTS {
        let tmp = tempfile::tempdir().unwrap();
        write_banks(tmp.path());
        std::fs::write(tmp.path().join("base.json"), &old).unwrap();
        assert_killed(&qbank_env(&args, tmp.path(), Some(point)), point);
        let now = std::fs::read(tmp.path().join("base.json")).unwrap();
        let expected = if point == "write:after-rename" { &new } else { &old };
        assert!(now == *expected, "{point}: the baseline is {}", state(&now, &old, &new));
    }
}

/// The bank files of an import target (file name → bytes), without leftovers.
fn banks_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir).into_iter().filter(|(name, _)| !is_temp(name)).collect()
}

#[test]
fn import_killed_midway_keeps_every_bank_whole_and_a_forced_rerun_imports_the_same_banks() {
    let sources = |dir: &Path| {
        std::fs::create_dir(dir.join("src")).unwrap();
        for (name, prefix) in [("a.md", "000"), ("b.md", "001"), ("c.md", "003")] {
            std::fs::write(dir.join("src").join(name), std::fs::read(seed(prefix)).unwrap()).unwrap();
        }
    };
    let args = ["import", "src/a.md", "src/b.md", "src/c.md", "--into", "out"];
    let clean = tempfile::tempdir().unwrap();
    sources(clean.path());
    let first = qbank(&args, clean.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let expected = files(&clean.path().join("out"));
    // Banks are written in the order of the inputs: "imported src/a.md → out/<id>.md: …".
    let order: Vec<String> = text(&first.stdout)
        .lines()
        .filter_map(|line| line.split(" → out/").nth(1)?.split(':').next().map(str::to_string))
        .collect();
    assert_eq!(order.len(), 3, "{}", text(&first.stdout));
    assert_eq!(expected.keys().cloned().collect::<std::collections::BTreeSet<_>>(), order.iter().cloned().collect());
    // Re-importing the same banks with --force keeps their ids (the banks it replaces are not
    // ids to avoid).
    let again = qbank(&[&args[..], &["--force"]].concat(), clean.path());
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(files(&clean.path().join("out")), expected, "a forced re-import changes nothing");

    for point in WRITE_POINTS {
        for nth in 1..=order.len() {
            let at = format!("{point}#{nth}");
            let tmp = tempfile::tempdir().unwrap();
            sources(tmp.path());
            let out = tmp.path().join("out");
            assert_killed(&qbank_env(&args, tmp.path(), Some(&at)), &at);
            let written = if point == "write:after-rename" { nth } else { nth - 1 };
            let now = banks_in(&out);
            let want: BTreeMap<String, Vec<u8>> =
                order[..written].iter().map(|name| (name.clone(), expected[name].clone())).collect();
            assert_eq!(now, want, "{at}: only whole banks, those imported before the kill");
            let leftovers = files(&out).len() - now.len();
            assert_eq!(leftovers, usize::from(point != "write:after-rename"), "{at}");

            // A plain re-run refuses to overwrite what the killed run imported, and writes nothing.
            let plain = qbank(&args, tmp.path());
            if written == 0 {
                assert_eq!(plain.status.code(), Some(0), "{at}: {}", text(&plain.stderr));
            } else {
                assert_eq!(plain.status.code(), Some(2), "{at}");
                for name in &order[..written] {
                    let message = format!("out/{name}: already exists; pass --force to replace it");
                    assert!(text(&plain.stderr).contains(&message), "{at}: {}", text(&plain.stderr));
                }
                assert_eq!(banks_in(&out), now, "{at}");
                let forced = qbank(&[&args[..], &["--force"]].concat(), tmp.path());
                assert_eq!(forced.status.code(), Some(0), "{at}: {}", text(&forced.stderr));
            }
            assert_eq!(banks_in(&out), expected, "{at}: the re-run imports exactly what an undisturbed run does");
        }
    }
}

#[test]
fn a_merge_killed_inside_a_staged_write_leaves_the_corpus_as_it_was() {
    let inputs = |dir: &Path| {
        for (name, prefix) in [("a.md", "000"), ("b.md", "003")] {
            std::fs::write(dir.join(name), std::fs::read(seed(prefix)).unwrap()).unwrap();
        }
    };
    let start = ["merge", "a.md", "--into", "corpus", "--on-duplicate", "skip"];
    let grow = ["merge", "b.md", "--into", "corpus", "--on-duplicate", "skip"];
    let clean = tempfile::tempdir().unwrap();
    inputs(clean.path());
    assert!(qbank(&start, clean.path()).status.success());
    let base = files(&clean.path().join("corpus"));
    assert!(qbank(&grow, clean.path()).status.success());
    let should_be = files(&clean.path().join("corpus"));
    assert_ne!(base, should_be);
    for point in WRITE_POINTS {
        let tmp = tempfile::tempdir().unwrap();
        inputs(tmp.path());
        assert!(qbank(&start, tmp.path()).status.success());
        assert_killed(&qbank_env(&grow, tmp.path(), Some(point)), point);
        assert_eq!(files(&tmp.path().join("corpus")), base, "{point}: the corpus must be as it was");
        // The staging directory (with the interrupted write's temporary file) is removed by
        // the next merge, which finishes the job.
        let next = qbank(&grow, tmp.path());
        assert!(next.status.success(), "{point}: {}", text(&next.stderr));
        assert_eq!(files(&tmp.path().join("corpus")), should_be, "{point}");
        let siblings: Vec<String> = files(tmp.path()).into_keys().collect();
        assert_eq!(siblings, ["a.md", "b.md", "corpus"], "{point}");
    }
}
