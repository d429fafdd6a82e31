//! After `qbank check --fix`, `qbank fmt --check` agrees, or `qbank check` still reports why
//! not (issue 15): on the raw seeds, every shape fixture, a canonical bank laid out by hand and
//! the same bank with CRLF line breaks.

mod common;

use common::{check_codes, qbank, root};

use std::path::Path;

/// Findings that explain why `fmt` would still change a file `check --fix` left: problems
/// without a safe fix that `fmt` resolves its own way, or a shape `fmt` leaves alone.
const EXPLAINING: &[&str] = &["QB001", "QB002", "QB021", "QB022"];

/// `check --fix` then `fmt --check` on `file`: whether `fmt` agrees, and if not, the check's
/// codes afterwards.
fn fix_then_fmt(dir: &Path, file: &str) -> Result<(), Vec<String>> {
    qbank(&["check", "--fix", file], dir);
    let fmt = qbank(&["fmt", "--check", file], dir);
    if fmt.status.success() { Ok(()) } else { Err(check_codes(file, dir)) }
}

const HAND_LAID_OUT: &str = "---\nid: kube\n---\n\n# Kubernetes — Кубернетес\n\n\n## Pods\n\n\
    ### 1. What is a pod?\n<!-- id: pod -->\n\n**Answer:** The smallest deployable unit — наименьшая единица.   \n\n\
    **TL;DR:** The smallest unit.\n### 2. What is a node?\n<!-- id: node -->\n\n**Answer:**\n\nA machine.\n\n\n\
    **Example:**\n\n```bash\nkubectl get nodes\n```\n\n**TL;DR:** A machine.";

#[test]
fn fmt_agrees_after_fix_or_check_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for dir in ["tests/fixtures/seeds", "tests/fixtures/shapes"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name =
                format!("{}-{}.md", dir.rsplit('/').next().unwrap(), path.file_stem().unwrap().to_string_lossy());
            std::fs::copy(&path, tmp.path().join(&name)).unwrap();
            files.push(name);
        }
    }
    std::fs::write(tmp.path().join("hand.md"), HAND_LAID_OUT).unwrap();
    std::fs::write(tmp.path().join("hand-crlf.md"), HAND_LAID_OUT.replace('\n', "\r\n")).unwrap();
    files.sort();

    let mut agreed = 0;
    for file in &files {
        match fix_then_fmt(tmp.path(), file) {
            Ok(()) => agreed += 1,
            Err(codes) => assert!(
                codes.iter().any(|c| EXPLAINING.contains(&c.as_str())),
                "{file}: `fmt --check` disagrees after `check --fix`, and `check` says nothing of it: {codes:?}"
            ),
        }
    }
    assert!(agreed * 4 >= files.len() * 3, "only {agreed} of {} files agree", files.len());

    // The hand-laid-out bank has nothing but layout to change: `check --fix` does all of it.
    for file in ["hand.md", "hand-crlf.md"] {
        assert_eq!(fix_then_fmt(tmp.path(), file), Ok(()), "{file}");
        let fixed = std::fs::read_to_string(tmp.path().join(file)).unwrap();
        assert!(
            fixed.contains("**Answer:**\n\nThe smallest deployable unit — наименьшая единица.\n")
                || file.contains("crlf")
        );
        assert!(fixed.contains("kubectl get nodes"), "{fixed}");
        assert_eq!(fixed.contains("\r\n"), file.contains("crlf"), "{file} keeps its line breaks");
    }
    // Before the fix the layout is reported, at the first line that differs.
    std::fs::write(tmp.path().join("again.md"), HAND_LAID_OUT).unwrap();
    assert_eq!(check_codes("again.md", tmp.path()).iter().filter(|c| *c == "QB022").count(), 1);
}
