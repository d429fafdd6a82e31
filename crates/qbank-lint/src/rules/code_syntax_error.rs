//! QB205 `code-syntax-error`: a code example that does not parse in its language
//! (tree-sitter grammars, tolerant of fragments).

use qbank_core::{CodeBlock, Span};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};

use qbank_syntax::{CheckOutcome, LanguageInfo, SyntaxError};

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB205",
        name: "code-syntax-error",
        summary: "Code example has a syntax error",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Parses each fenced code block whose language has a grammar (python, javascript/jsx,
typescript/tsx, yaml, json, bash/sh, go, hcl/terraform, sql, dockerfile, rust, toml, html, css,
java) and flags the first syntax errors, at their line inside the block. Snippets are usually
fragments, so a block is tried as written and wrapped (statements in a function, a Go file
without `package`…) before an error is reported.

## Why is this bad?
Readers copy examples. An unbalanced bracket or a YAML key at the wrong indentation teaches
the wrong thing and fails when pasted.

## Example
````markdown
```json
{"replicas": 3,}
```
````

## Fix
Correct the code; if the block is not meant to be code, label it `text`."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        for block in q.spans.code_blocks.iter().filter(|b| b.fenced && b.closed) {
            let Some(language) = qbank_syntax::resolve_language(&block.info) else { continue };
            if !language.checked {
                continue;
            }
            // Blocks end with a line break in the source; some grammars (Dockerfile) need it.
            let code = format!("{}\n", block.code);
            let Some(errors) = checked(language, &code) else { continue };
            for error in errors.iter().take(3) {
                let span = source_span(ctx.source, block, error);
                out.push(ctx.diagnostic(
                    &RULE.meta,
                    span,
                    format!("{} syntax error: {} (line {} of the block)", language.id, error.message, error.line + 1),
                ));
            }
        }
    }
}

/// Syntax errors by (language id, hash of the code); `None`: the block could not be checked.
type Cache = HashMap<(&'static str, u64), Option<Arc<[SyntaxError]>>>;

/// Results by (language, code): the language server re-checks a document on every edit, and
/// unchanged code blocks (nearly all of them) must not be parsed again. Bounded: cleared when
/// it grows past `CACHE_LIMIT` entries.
static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Default::default);
const CACHE_LIMIT: usize = 100_000;

/// The syntax errors of `code`, or `None` when the language cannot be checked; memoised.
fn checked(language: &'static LanguageInfo, code: &str) -> Option<Arc<[SyntaxError]>> {
    let mut hasher = std::hash::DefaultHasher::new();
    code.hash(&mut hasher);
    let key = (language.id, hasher.finish());
    if let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let result = match qbank_syntax::check(language, code) {
        CheckOutcome::Checked(errors) => Some(Arc::from(errors)),
        CheckOutcome::Unsupported => None,
    };
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, result.clone());
    }
    result
}

/// Map an error position in the dedented code back to the source.
fn source_span(source: &str, block: &CodeBlock, error: &SyntaxError) -> Span {
    let content = block.content.slice(source);
    let indent = fence_indent(source, block);
    let mut line_start = block.content.start;
    for (i, line) in content.split_inclusive('\n').enumerate() {
        if i as u32 == error.line {
            let removed = line.bytes().take(indent).take_while(|&b| b == b' ' || b == b'\t').count();
            let line_text = line.trim_end_matches(['\n', '\r']);
            let start = (line_start + removed + error.column as usize).min(line_start + line_text.len());
            let len = error.range.end.saturating_sub(error.range.start).max(1);
            let end = (start + len).min(line_start + line_text.len()).max(start);
            return Span::new(floor(source, start), floor(source, end));
        }
        line_start += line.len();
    }
    Span::new(block.span.start, block.span.start)
}

fn fence_indent(source: &str, block: &CodeBlock) -> usize {
    let first = &source[block.span.start..];
    let line_start = source[..block.span.start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &source[line_start..block.span.start];
    prefix.len() + first.bytes().take_while(|&b| b == b' ').count()
}

fn floor(source: &str, offset: usize) -> usize {
    qbank_core::line_index::floor_char_boundary(source, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memoised_results_match_fresh_ones_per_language_and_code() {
        let json = qbank_syntax::resolve_language("json").unwrap();
        let yaml = qbank_syntax::resolve_language("yaml").unwrap();
        let broken = "{\"a\": 1,}\n";
        let first = checked(json, broken).unwrap();
        assert!(!first.is_empty());
        let again = checked(json, broken).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the second check is served from the cache");
        assert!(checked(json, "{\"a\": 1}\n").unwrap().is_empty());
        // Same code, other language: its own entry (valid YAML flow mapping).
        assert!(checked(yaml, broken).unwrap().is_empty());
    }
}
