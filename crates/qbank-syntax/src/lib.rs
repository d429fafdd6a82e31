//! Syntax checks for code examples, through tree-sitter grammars.
//!
//! Interview banks show fragments: a bare YAML mapping, statements without a function, a
//! shell session with prompts. [`check`] reads a block as it is first and, when that fails,
//! through the rewrites listed for its language (wrappers, prompt stripping, placeholder
//! blanking); a block is reported only when every reading fails, with the errors of the
//! reading that got furthest, in the block's own offsets.

mod diagnose;
mod language;
mod parse;
mod rewrite;
mod sql;

use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

pub use language::{LanguageInfo, known_languages, resolve_language};

use diagnose::RawError;
use language::{Checker, Policy};
use rewrite::Rewrites;

/// Blocks larger than this are not checked: tree-sitter's error recovery is quadratic over
/// long broken stretches (32 KiB of `let = ;` takes the whole time budget in JavaScript).
pub const MAX_CODE_BYTES: usize = 32 * 1024;

/// Blocks nesting brackets deeper than this are not checked.
pub const MAX_NESTING: usize = 1_000;

/// Time allowed for all the readings of one block.
const TIME_BUDGET: Duration = Duration::from_secs(1);

/// A syntax error in a code block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    /// Byte offsets into the code given to [`check`].
    pub range: Range<usize>,
    /// 0-based line in the code.
    pub line: u32,
    /// 0-based byte column in that line.
    pub column: u32,
    /// What is wrong there, e.g. "unexpected `)`" or "missing `}`".
    pub message: String,
}

/// The result of checking one code block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CheckOutcome {
    /// The block was parsed; the errors (at most three, in order) are empty when it is fine.
    Checked(Vec<SyntaxError>),
    /// No grammar for the language, or the block is beyond the limits ([`MAX_CODE_BYTES`],
    /// [`MAX_NESTING`], one second of parsing).
    Unsupported,
}

/// Checks one code block's text (the content between the fences, already dedented).
///
/// Never panics, whatever the input.
pub fn check(language: &LanguageInfo, code: &str) -> CheckOutcome {
    let Some(checker) = language::spec_for(language).and_then(|spec| spec.checker.as_ref()) else {
        return CheckOutcome::Unsupported;
    };
    if code.len() > MAX_CODE_BYTES || nesting_depth(code) > MAX_NESTING {
        return CheckOutcome::Unsupported;
    }
    // Some grammars (Dockerfile) need the final line break that fences leave out; offsets
    // are unchanged by it, and errors are kept on the content anyway.
    let padded;
    let code = if code.is_empty() || code.ends_with('\n') {
        code
    } else {
        padded = format!("{code}\n");
        padded.as_str()
    };
    let verdict = catch_unwind(AssertUnwindSafe(|| judge(checker, code)));
    match verdict {
        Ok(Verdict::Clean { .. }) => CheckOutcome::Checked(Vec::new()),
        Ok(Verdict::Errors(errors)) => CheckOutcome::Checked(errors),
        Ok(Verdict::Unsupported) | Err(_) => CheckOutcome::Unsupported,
    }
}

/// What the readings of a block concluded.
#[derive(Debug)]
enum Verdict {
    /// `attempt` is the index of the reading that parsed, `None` when none did but the
    /// errors were nothing to point at (an SQL dialect feature, a hidden node).
    Clean {
        #[cfg_attr(not(test), expect(dead_code, reason = "read by the attempt coverage test"))]
        attempt: Option<usize>,
    },
    Errors(Vec<SyntaxError>),
    Unsupported,
}

fn judge(checker: &Checker, code: &str) -> Verdict {
    let deadline = Instant::now() + TIME_BUDGET;
    // The failed reading that got furthest: (its first error in `code`, rewrites, errors).
    let mut best: Option<(usize, Rewrites<'_>, Vec<RawError>)> = None;
    for (index, attempt) in checker.attempts.iter().enumerate() {
        let Some(rewrites) = Rewrites::apply(code, attempt.transforms) else {
            continue;
        };
        let text = rewrites.text();
        let Some(tree) = parse::parse(attempt.grammar, text, deadline) else {
            return Verdict::Unsupported;
        };
        if diagnose::is_clean(&tree, text, checker.post_checks) {
            return Verdict::Clean { attempt: Some(index) };
        }
        let errors = match checker.policy {
            Policy::Strict => diagnose::errors(&tree, text, checker.anchor, checker.post_checks),
            Policy::SqlLexical => sql::lexical_errors(text),
        };
        // Nothing to point at (an SQL dialect feature, a hidden node): not reported.
        let Some(first) = errors.first() else {
            return Verdict::Clean { attempt: None };
        };
        let first = rewrites.to_original(first.range.start);
        if best.as_ref().is_none_or(|(best_first, _, _)| first > *best_first) {
            best = Some((first, rewrites, errors));
        }
    }
    match best {
        Some((_, rewrites, errors)) => Verdict::Errors(to_original(&errors, &rewrites, code)),
        None => Verdict::Clean { attempt: None },
    }
}

/// Maps errors back to the block's own text, keeping them on its content: an error at the
/// very end (a missing `}`) is reported right after the last non-blank character.
fn to_original(raw: &[RawError], rewrites: &Rewrites<'_>, code: &str) -> Vec<SyntaxError> {
    let content_end = code.trim_end().len();
    let mut errors: Vec<SyntaxError> = raw
        .iter()
        .map(|error| {
            let start = floor_boundary(code, rewrites.to_original(error.range.start).min(content_end));
            let end = floor_boundary(code, rewrites.to_original(error.range.end).clamp(start, content_end.max(start)));
            let line_start = code[..start].rfind('\n').map_or(0, |at| at + 1);
            SyntaxError {
                range: start..end,
                line: saturating_u32(code[..start].matches('\n').count()),
                column: saturating_u32(start - line_start),
                message: error.message.clone(),
            }
        })
        .collect();
    errors.sort_by_key(|error| error.range.start);
    errors.dedup_by(|later, earlier| later.range.start == earlier.range.start);
    errors.truncate(diagnose::MAX_ERRORS);
    errors
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The deepest bracket nesting, counted naively (strings included): a guard, not a parse.
fn nesting_depth(code: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    for byte in code.bytes() {
        match byte {
            b'(' | b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Fragments and the language they are checked as. Each attempt of each checked
    /// language must be the one that parses at least one of them.
    const RESCUED: &[(&str, &str)] = &[
        ("bash", "kubectl get pods -o wide\n"),
        ("bash", "$ kubectl top pods\nNAME    CPU(cores)   MEMORY(bytes)\nweb-1   3m           20Mi\n"),
        ("bash", "$ kubectl logs <pod-name>\n"),
        ("bash", "kubectl logs <pod-name> -n <namespace>\n"),
        ("console", "$ ls\n"),
        ("console", "ls -la\n"),
        ("console", "$ kubectl logs <pod-name>\nerror: pod not found\n"),
        ("console", "kubectl logs <pod-name>\n"),
        ("css", ".a { color: red; }\n"),
        ("dockerfile", "FROM alpine\n"),
        ("go", "x := 1\n"),
        ("go", "Name string `json:\"name\"`\nAge  int    `json:\"age\"`\n"),
        ("go", "x := []int{1, 2, ...}\n"),
        ("hcl", "a = 1\n"),
        ("hcl", "ami = <ami-id>\n"),
        ("hcl", "tags = {\n  ...\n}\n"),
        ("html", "<p>hi</p>\n"),
        ("java", "int x = 1;\n"),
        ("java", "public Point(int x) { this.x = x; }\n"),
        ("java", "void f() {\n  ...\n}\n"),
        ("java", "public Point(int x) {\n  ...\n}\n"),
        ("javascript", "const x = 1;\n"),
        ("javascript", "render() {\n  return <div />;\n}\n"),
        ("javascript", "function f() {\n  ...\n}\n"),
        ("javascript", "export const Widget = /* ... */;\nconst options = { retries: ... };\n"),
        ("javascript", "render() {\n  ...\n}\n"),
        ("javascript", "function f(name: string): string { return name; }\n"),
        ("javascript", "let x = <number>y;\n"),
        ("javascript", "function f(name: string) {\n  ...\n}\n"),
        ("json", "{\"a\": 1}\n"),
        ("json", "\"scripts\": { \"test\": \"jest\" }\n"),
        ("json", "[1, 2, ...]\n"),
        ("json", "\"a\": 1,\n...\n"),
        ("jsonc", "{\"a\": 1} // one\n"),
        ("jsonc", "{\n  \"a\": 1, // one\n}\n"),
        ("jsonc", "\"a\": 1 // one\n"),
        ("jsonc", "\"a\": 1, // one\n\"b\": [2,],\n"),
        ("jsonc", "[1, ...]\n"),
        ("jsonc", "\"a\": 1,\n...\n"),
        ("python", ">>> xs = [1, 2]\n>>> xs\n[1, 2]\n"),
        ("python", "x = 1\n"),
        ("python", "!pip install pandas\nimport pandas as pd\n"),
        ("python", "client = OpenAI(api_key=<YOUR_API_KEY>)\n"),
        ("python", ">>> OpenAI(api_key=<KEY>)\n<OpenAI>\n"),
        ("rust", "let x = 1;\n"),
        ("rust", "x?\n"),
        ("rust", "fn f() {\n    ...\n}\n"),
        ("rust", "x?\n...\n"),
        ("sql", "mysql> SELECT 1;\n"),
        ("sql", "SELECT 1;\n"),
        ("toml", "a = 1\n"),
        ("tsx", "const el = <div>hi</div>;\n"),
        ("tsx", "let x = <number>y;\n"),
        ("tsx", "private cache = new Map<string, number>();\n"),
        ("tsx", "function f() {\n  ...\n}\n"),
        ("tsx", "private f(): void {\n  ...\n}\n"),
        ("typescript", "let x: number = 1;\n"),
        ("typescript", "const el = <div>hi</div>;\n"),
        ("typescript", "private cache = new Map<string, number>();\n"),
        ("typescript", "function f(): void {\n  ...\n}\n"),
        ("typescript", "private f(): void {\n  ...\n}\n"),
        ("typescript", "const f = () => <div>{...}</div>;\n"),
        ("yaml", "a: 1\n"),
        ("yaml", "image: {{ .Values.image }}\n{{- if .Values.x }}\nx: 1\n{{- end }}\n"),
        ("yaml", "    - name: app\n      image: x\n  volumes:\n  - name: data\n"),
        ("yaml", "    {{- if .Values.y }}\n    y: 1\n    {{- end }}\n  volumes: []\n"),
    ];

    fn checker(id: &str) -> &'static Checker {
        let info = resolve_language(id).unwrap();
        language::spec_for(info).and_then(|spec| spec.checker.as_ref()).unwrap()
    }

    #[test]
    fn every_attempt_rescues_a_fragment() {
        let mut problems = Vec::new();
        let mut used: BTreeSet<(&str, usize)> = BTreeSet::new();
        for (id, code) in RESCUED {
            match judge(checker(id), code) {
                Verdict::Clean { attempt: Some(index) } => {
                    used.insert((resolve_language(id).unwrap().id, index));
                }
                verdict => problems.push(format!("{id} {code:?}: {verdict:?}")),
            }
        }
        for info in known_languages().iter().filter(|info| info.checked) {
            for index in 0..checker(info.id).attempts.len() {
                if !used.contains(&(info.id, index)) {
                    problems.push(format!("{}: no fragment is rescued by attempt {index}", info.id));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn nesting_depth_counts_open_brackets() {
        assert_eq!(nesting_depth("f(a[1], {b: (2)})"), 3);
        assert_eq!(nesting_depth(")))((("), 3);
        assert_eq!(nesting_depth("plain"), 0);
    }
}
