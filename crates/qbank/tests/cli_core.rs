//! End-to-end tests of `qbank fmt`, `import`, `export` and `schema` on the seed banks, and
//! of their handling of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qbank(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qbank")).args(args).current_dir(cwd).output().expect("qbank runs")
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds").canonicalize().unwrap()
}

fn seed(prefix: &str) -> PathBuf {
    std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = if p.is_dir() { Vec::new() } else { std::fs::read(&p).unwrap() };
            (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn import_seeds_then_fmt_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let mut args: Vec<String> = vec!["import".into()];
    for p in std::fs::read_dir(seeds()).unwrap() {
        args.push(p.unwrap().path().display().to_string());
    }
    args.extend(["--into".into(), corpus.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = qbank(&args, tmp.path());
    // 002 is a paywall page: rejected with a clear message, the others imported.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("002_4abebece8b0effb6.txt: not a question bank"), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("16 questions in 0 sections"), "{text}");
    assert!(text.contains("15 questions in 1 section,"), "{text}");
    assert!(text.contains("30 questions in 3 sections, 30 TL;DRs, 19 code examples"), "{text}");
    assert!(text.contains("50 questions in 8 sections"), "{text}");
    assert_eq!(std::fs::read_dir(&corpus).unwrap().count(), 4);

    let check = qbank(&["fmt", "--check", "corpus"], tmp.path());
    assert_eq!(check.status.code(), Some(0), "{}{}", stdout(&check), stderr(&check));

    // A second import refuses to overwrite and writes nothing.
    let before = snapshot_dir(&corpus);
    let again = qbank(&["import", seed("003").to_str().unwrap(), "--into", "corpus"], tmp.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists; pass --force"), "{}", stderr(&again));
    assert_eq!(snapshot_dir(&corpus), before);
    let forced = qbank(&["import", seed("003").to_str().unwrap(), "--into", "corpus", "--force"], tmp.path());
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    // The bank it replaces gives its ids back: the same bank again is the same file.
    assert_eq!(snapshot_dir(&corpus), before, "a forced re-import of the same bank changes nothing");
}

#[test]
fn fmt_rewrites_a_raw_seed_canonically_and_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank.txt");
    std::fs::copy(seed("004"), &bank).unwrap();
    let check = qbank(&["fmt", "--check", "bank.txt"], tmp.path());
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("would reformat bank.txt"), "{}", stdout(&check));
    assert_eq!(std::fs::read(&bank).unwrap(), std::fs::read(seed("004")).unwrap(), "--check writes nothing");

    let fmt = qbank(&["fmt", "bank.txt"], tmp.path());
    assert_eq!(fmt.status.code(), Some(0), "{}", stderr(&fmt));
    let once = std::fs::read_to_string(&bank).unwrap();
    assert!(once.contains("\n## Incident Response & Troubleshooting\n"));
    assert!(once.contains("**Answer:**"));
    assert!(once.contains("<!-- id: "));
    let fmt2 = qbank(&["fmt", "bank.txt"], tmp.path());
    assert_eq!(fmt2.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&bank).unwrap(), once, "fmt∘fmt = fmt");
    assert!(stdout(&fmt2).contains("0 file(s) formatted, 1 unchanged"), "{}", stdout(&fmt2));
}

#[test]
fn ids_survive_renumbering_and_editing() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("b.md");
    std::fs::write(&bank, "# T\n\n## 1. How do you handle rollbacks in production?\n\nWith care.\n").unwrap();
    assert!(qbank(&["fmt", "b.md"], tmp.path()).status.success());
    let text = std::fs::read_to_string(&bank).unwrap();
    assert!(text.contains("<!-- id: handle-rollbacks-production -->"), "{text}");
    let edited =
        text.replace("### 1. How do you handle rollbacks in production?", "### 7. How do you roll back a bad release?");
    std::fs::write(&bank, edited).unwrap();
    assert!(qbank(&["fmt", "b.md"], tmp.path()).status.success());
    let text = std::fs::read_to_string(&bank).unwrap();
    assert!(
        text.contains("### 7. How do you roll back a bad release?\n<!-- id: handle-rollbacks-production -->"),
        "{text}"
    );
}

#[test]
fn fmt_keeps_crlf_and_bom() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("b.md");
    std::fs::write(&bank, "\u{feff}# T\r\n\r\n## 1. Q one?\r\n\r\nA.\r\n").unwrap();
    assert!(qbank(&["fmt", "b.md"], tmp.path()).status.success());
    let text = std::fs::read_to_string(&bank).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "{text:?}");
    assert!(qbank(&["fmt", "--check", "b.md"], tmp.path()).status.success());
}

#[test]
fn export_validates_against_the_committed_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/qbank.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let one = qbank(&["export", seed("003").to_str().unwrap()], &seeds());
    assert!(one.status.success(), "{}", stderr(&one));
    let bank: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert!(validator.is_valid(&bank));
    assert_eq!(bank["sections"].as_array().unwrap().len(), 3);

    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let all = qbank(&["export", corpus.to_str().unwrap()], &seeds());
    assert!(all.status.success(), "{}", stderr(&all));
    let banks: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let banks = banks.as_array().unwrap();
    assert_eq!(banks.len(), 4);
    for bank in banks {
        let errors: Vec<String> = validator.iter_errors(bank).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    let schema_out = qbank(&["schema"], &seeds());
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&schema_out.stdout).unwrap(), schema);
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("bad.md"), b"# T\n\n## 1. Q?\n\nA \xff\xfe.\n").unwrap();
    std::fs::write(dir.join("empty.md"), b"").unwrap();
    std::fs::write(dir.join("good.md"), "## 1. Q?\n\nA.\n").unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    let before = snapshot_dir(dir);
    let cases: &[(&[&str], &str)] = &[
        (&["fmt", "good.md", "bad.md"], "bad.md: invalid UTF-8 at byte 17 (line 5, column 3)"),
        (&["fmt", "empty.md"], "empty.md: file is empty"),
        (&["fmt", "missing.md"], "missing.md: no such file or directory"),
        (&["fmt", "sub"], "sub: no Markdown (*.md) files in this directory"),
        (&["import", "sub", "--into", "out"], "sub: is a directory; import takes bank files"),
        (&["export", "bad.md"], "bad.md: invalid UTF-8 at byte 17"),
        (&["import", "missing.md", "--into", "out"], "missing.md: no such file or directory"),
    ];
    for (args, expected) in cases {
        let out = qbank(args, dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
        assert_eq!(snapshot_dir(dir), before, "{args:?} wrote something");
    }
    let usage = qbank(&["fmt"], dir);
    assert_eq!(usage.status.code(), Some(2));
}
