//! Stress banks: one file of a given size built to find work that grows faster than the input
//! (every question identical, every question numbered `1.`, one giant answer, a hundred thousand
//! tiny questions, twenty thousand varied questions).

use std::fmt::Write as _;
use std::path::Path;

use crate::{Rng, fresh};

/// The kinds `--stress` accepts.
pub(crate) const KINDS: &[&str] = &["identical", "ones", "giant-answer", "tiny", "varied"];

/// Writes `out/stress-KIND.md` of about `bytes` bytes.
pub(crate) fn write(kind: &str, bytes: usize, seed: u64, out: &Path) -> Result<(), String> {
    if !KINDS.contains(&kind) {
        return Err(format!("--stress must be one of {}, not `{kind}`", KINDS.join(", ")));
    }
    let text = bank(kind, bytes, seed);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let path = out.join(format!("stress-{kind}.md"));
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The text of one stress bank.
fn bank(kind: &str, bytes: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut out = String::with_capacity(bytes + 4096);
    let _ = writeln!(out, "# Stress bank: {kind}");
    match kind {
        // 20,000 copies of one ~1 KB question, numbered correctly.
        "identical" => {
            let q = fresh(&mut rng, 0);
            let answer = long_answer(&mut rng, 720);
            let mut n = 0;
            while out.len() < bytes {
                n += 1;
                let _ = write!(out, "\n### {n}. {}\n\n**Answer:**\n\n{}\n{answer}\n", q.text, q.answer);
            }
        }
        // Varied ~1 KB questions, every one numbered `1.`.
        "ones" => {
            let mut n = 0;
            while out.len() < bytes {
                let q = fresh(&mut rng, n);
                n += 1;
                let answer = long_answer(&mut rng, 760);
                let _ = write!(out, "\n### 1. {}\n\n**Answer:**\n\n{}\n{answer}\n", q.text, q.answer);
            }
        }
        // One question whose answer is the whole file: paragraphs of prose and list items.
        "giant-answer" => {
            let q = fresh(&mut rng, 0);
            let _ = write!(out, "\n### 1. {}\n\n**Answer:**\n\n", q.text);
            while out.len() < bytes {
                let paragraph = long_answer(&mut rng, 600);
                let _ = write!(out, "{paragraph}\n\n{}\n\n", q.answer);
            }
        }
        // ~200-byte questions: a short heading and a one-line answer.
        "tiny" => {
            let mut n = 0;
            while out.len() < bytes {
                n += 1;
                let answer = long_answer(&mut rng, 100);
                let _ = write!(out, "\n### {n}. What is {} number {n}?\n\n{answer}\n", rng.pick(crate::TOPICS));
            }
        }
        // ~1 KB varied questions with answers, TL;DRs and some code, as a real bank.
        _ => {
            let mut n = 0;
            while out.len() < bytes {
                if n % 25 == 0 {
                    let _ = write!(out, "\n## Section {}\n", n / 25 + 1);
                }
                let q = fresh(&mut rng, n);
                n += 1;
                let answer = long_answer(&mut rng, 600);
                let _ = write!(out, "\n### {n}. {}\n\n**Answer:**\n\n{}\n\n{answer}\n", q.text, q.answer);
                if let Some((lang, code)) = &q.code {
                    let _ = write!(out, "\n```{lang}\n{code}\n```\n");
                }
                let _ = write!(out, "\n**TL;DR:** {}\n", q.tldr);
            }
        }
    }
    out
}

/// Sentences of generated prose, about `bytes` long, one paragraph.
fn long_answer(rng: &mut Rng, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 120);
    while out.len() < bytes {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(
            out,
            "{} the {} of {} {} before you {} it.",
            crate::cap(rng.pick(crate::WORDS)),
            rng.pick(crate::TOPICS),
            rng.pick(crate::SYSTEMS),
            rng.pick(crate::PLACES),
            rng.pick(crate::WORDS)
        );
    }
    out
}
