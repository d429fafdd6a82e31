//! QB104 `answer-leading-whitespace`: extra whitespace between a label and its text
//! (`**TL;DR:**  text`), and an answer whose first line is indented by one to three spaces.

use qbank_core::{Question, Span};

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB104",
        name: "answer-leading-whitespace",
        summary: "Extra whitespace after a label or before an answer",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags two or more spaces (or a tab) between a label and the text that follows it on the same
line (`**Answer:**`, `**TL;DR:**`, `**Example (…):**`), and an answer whose first line is
indented by one to three spaces (four would make it a code block).

An indented list, quote, table or fence is left alone: only its first line would move, which
would change how the rest of it nests.

## Why is this bad?
The whitespace is invisible when rendered but not in the source: it shows up in diffs, in
plain-text exports and in flash cards, and one more space turns an answer into a code block.

## Example
```markdown
**TL;DR:**  Use blue-green/canary deployments and orchestration tools.
```

## Fix
Safe: one space after the label; no indentation before the answer."#,
        fixable: true,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        if let Some(label) = q.spans.answer_label {
            gap_after_label(ctx, label, out);
        }
        for example in &q.spans.examples {
            if let Some(label) = example_label(ctx.source, *example) {
                gap_after_label(ctx, label, out);
            }
        }
        if let (Some(tldr), Some(text)) = (q.spans.tldr, q.spans.tldr_text) {
            let label_end = tldr.start + ctx.source[tldr.start..text.start].trim_end().len();
            gap_after_label(ctx, Span::new(tldr.start, label_end), out);
        }
        indented_answer(ctx, q, out);
    }
}

/// The `**Example (…):**` label at the start of an example's span.
fn example_label(source: &str, example: Span) -> Option<Span> {
    let text = example.slice(source);
    let marker = text.get(..2).filter(|m| *m == "**" || *m == "__")?;
    let close = text[2..].find(marker)? + 2;
    let end = close + 2 + usize::from(text[close + 2..].starts_with(':'));
    Some(Span::new(example.start, example.start + end))
}

fn gap_after_label(ctx: &Context<'_>, label: Span, out: &mut Vec<Diagnostic>) {
    let rest = &ctx.source[label.end..];
    let len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let gap = &rest[..len];
    let on_same_line = !rest[len..].is_empty() && !rest[len..].starts_with(['\n', '\r']);
    if !on_same_line || gap == " " || gap.is_empty() {
        return;
    }
    let span = Span::new(label.end, label.end + len);
    let what = if gap.contains('\t') { "a tab".to_string() } else { format!("{len} spaces") };
    let message = format!("{what} after `{}`; use one space", label.slice(ctx.source));
    let fix = Fix::safe("Use one space", vec![Edit::replace(span, " ")]);
    out.push(ctx.diagnostic_with_fix(&RULE.meta, span, message, fix));
}

fn indented_answer(ctx: &Context<'_>, q: &Question, out: &mut Vec<Diagnostic>) {
    let Some(answer) = q.spans.answer else { return };
    let source = ctx.source;
    let line_start = source[..answer.start].rfind('\n').map_or(0, |i| i + 1);
    let line = &source[line_start..];
    let indent = line.len() - line.trim_start_matches(' ').len();
    // The answer must start on this line, right after the indentation (not after a label).
    if indent == 0 || indent > 3 || line_start + indent < answer.start || line[indent..].starts_with('\t') {
        return;
    }
    if starts_structure(&line[indent..]) {
        return;
    }
    let span = Span::new(line_start, line_start + indent);
    let spaces = if indent == 1 { "1 space".to_string() } else { format!("{indent} spaces") };
    let message = format!("answer starts indented by {spaces}; remove the indent (4 spaces make a code block)");
    let fix = Fix::safe("Remove the indent", vec![Edit::delete(span)]);
    out.push(ctx.diagnostic_with_fix(&RULE.meta, span, message, fix));
}

/// Whether a line opens a list item, quote, table, fence or HTML block.
fn starts_structure(line: &str) -> bool {
    if line.starts_with(['>', '|', '<']) || line.starts_with("```") || line.starts_with("~~~") {
        return true;
    }
    if line.starts_with(['-', '*', '+']) && line[1..].starts_with([' ', '\t']) {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(['.', ')']) && line[digits + 1..].starts_with([' ', '\t'])
}
