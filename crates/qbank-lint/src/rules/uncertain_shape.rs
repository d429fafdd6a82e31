//! QB021 `uncertain-shape`: the parser is unsure how the file is organised, so nothing in it is
//! restructured.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB021",
        name: "uncertain-shape",
        summary: "The file's shape is ambiguous; it is read but not restructured",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a file whose shape the parser cannot settle: numbered headings that could be questions
or steps of an answer, question headings beside `<details>` Q&A or question lists, question
headings at two levels. The file is still read (check, dedup and the editor work on that
reading), but `qbank fmt`, `qbank check --fix` and editor formatting leave it byte for byte as it
is, and `qbank import` / `qbank merge` refuse it unless given `--force`.

## Why is this bad?
A tool that restructures what it misread inserts ids and labels into somebody's answer and
renumbers their steps. Saying it is unsure is better than guessing.

## Example
```markdown
## How do you design a cache?

### 1. Overview
### 2. Key differences
### 3. Eviction
```

## Fix
Check the reading with `qbank inspect FILE`, then settle it in `qbank.toml`:
`shape = "headings"` with `question-level = 2` (or another shape: `collapsible`, `qa-lines`,
`labelled-headings`, `list`, `table`, `single-question`)."#,
        fixable: false,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for doubt in &ctx.parsed.reading.doubts {
        let start = doubt.span.start.min(ctx.source.len());
        let line_end = ctx.source[start..].find('\n').map_or(ctx.source.len(), |i| start + i);
        // The doubt's line, at most 200 bytes of it, ending on a character boundary.
        let mut end = doubt.span.end.max(line_end.min(start + 200)).min(ctx.source.len());
        while !ctx.source.is_char_boundary(end) {
            end -= 1;
        }
        let span = qbank_core::Span::new(start, end.max(start));
        out.push(ctx.diagnostic(
            &RULE.meta,
            span,
            format!(
                "unsure how this file is organised: {}; read as {}, left as it is by fmt and --fix (settle it with `shape` / `question-level` in qbank.toml)",
                doubt.message,
                ctx.parsed.reading.shape.as_str()
            ),
        ));
    }
}
