//! QB103 `heading-whitespace`: doubled spaces, tabs and trailing whitespace in the title,
//! section headings and question headings.

use qbank_core::Span;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB103",
        name: "heading-whitespace",
        summary: "Heading has doubled spaces, tabs or trailing whitespace",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags, on the line of the bank title, a section heading or a question heading: two or more
spaces in a row, tabs, and whitespace at the end of the line. Inline code (`` `a  b` ``) is
left alone: whitespace there is part of the code.

## Why is this bad?
Question text is compared, searched and exported as written; `11.  What` and `11. What`
differ for every tool, and trailing whitespace makes noisy diffs.

## Example
```markdown
### 11.  What is your experience with version control systems such as Git?
```

## Fix
Safe: collapses each run to one space and drops trailing whitespace."#,
        fixable: true,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let parsed = ctx.parsed;
    let mut starts: Vec<usize> = Vec::new();
    // The title and section headings lie between questions: checked with the regions there.
    starts.extend(parsed.title_span.map(|s| s.start).filter(|&at| ctx.region_of(at).is_some()));
    starts.extend(
        parsed
            .bank
            .sections
            .iter()
            .filter_map(|s| s.title_span)
            .map(|s| s.start)
            .filter(|&at| ctx.region_of(at).is_some()),
    );
    starts.extend(ctx.questions().map(|q| q.spans.heading.start));
    let mut lines: Vec<Span> = starts.into_iter().map(|offset| line_at(ctx.source, offset)).collect();
    lines.sort();
    lines.dedup();
    for line in lines {
        check_line(ctx, line, out);
    }
}

/// The line holding `offset`, without its line break.
fn line_at(source: &str, offset: usize) -> Span {
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
    let end = if source[start..end].ends_with('\r') { end - 1 } else { end };
    Span::new(start, end)
}

fn check_line(ctx: &Context<'_>, line: Span, out: &mut Vec<Diagnostic>) {
    let text = line.slice(ctx.source);
    let bytes = text.as_bytes();
    // Indentation before the `#` is another matter (and at 4 spaces, a code block).
    let mut i = bytes.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    while i < bytes.len() {
        match bytes[i] {
            b'`' => i = skip_inline_code(bytes, i),
            b' ' | b'\t' => {
                let len = bytes[i..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
                let run = &text[i..i + len];
                let span = Span::new(line.start + i, line.start + i + len);
                if i + len == bytes.len() {
                    let fix = Fix::safe("Remove trailing whitespace", vec![Edit::delete(span)]);
                    out.push(ctx.diagnostic_with_fix(&RULE.meta, span, "heading ends with whitespace; remove it", fix));
                } else if run != " " {
                    let message = if run.contains('\t') {
                        "tab in a heading; use one space".to_string()
                    } else {
                        format!("{len} spaces in a row in a heading; use one")
                    };
                    let fix = Fix::safe("Collapse to one space", vec![Edit::replace(span, " ")]);
                    out.push(ctx.diagnostic_with_fix(&RULE.meta, span, message, fix));
                }
                i += len;
            }
            _ => i += 1,
        }
    }
}

/// Past the inline code span opening at `start` (a run of backticks closed by a run of the
/// same length); past the backticks alone when it is never closed.
fn skip_inline_code(bytes: &[u8], start: usize) -> usize {
    let ticks = bytes[start..].iter().take_while(|&&b| b == b'`').count();
    let mut i = start + ticks;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == ticks {
                return i + run;
            }
            i += run;
        } else {
            i += 1;
        }
    }
    start + ticks
}
