//! QB205 `code-syntax-error`: a code example that does not parse in its language
//! (tree-sitter grammars, tolerant of fragments).

use qbank_core::{CodeBlock, Span};
use qbank_syntax::{CheckOutcome, SyntaxError};

use crate::context::{Context, Options};
use crate::registry::Rule;
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
            let CheckOutcome::Checked(errors) = qbank_syntax::check(language, &code) else { continue };
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
