//! QB022 `unformatted`: a bank in the canonical shape whose layout still differs from what
//! `qbank fmt` writes (front matter, blank lines, labels on lines of their own, trailing
//! spaces), so that after `check --fix` `fmt --check` agrees, or `check` says why not.

use std::borrow::Cow;

use qbank_core::format::bank_id;
use qbank_core::text::is_valid_id;
use qbank_core::{Span, format_bank, keep_line_endings};

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB022",
        name: "unformatted",
        summary: "Layout differs from `qbank fmt`'s",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a bank that is already in the canonical shape (every question has its heading, id and
labels; `non-canonical-shape` reports nothing) but whose layout still differs from what `qbank
fmt` writes: no front matter with the bank's id, missing or extra blank lines, a label with its
text on the same line, trailing spaces, no line break at the end. It points at the first line
that differs and says what `qbank fmt` writes there.

Files with constructs another rule reports (`non-canonical-shape`, `missing-question-id`,
`invalid-metadata`) are left to those rules first, and a file whose shape is unsure is never
reported: `qbank fmt` leaves it as it is.

## Why is this bad?
`qbank fmt --check` in CI (or the pre-commit hook) fails on such a file even after
`qbank check --fix` reported it clean. One layout also keeps diffs to what changed.

## Example
```markdown
### 1. What is a pod?
<!-- id: pod -->

**Answer:** The smallest deployable unit.
```

## Fix
Safe: rewrites the lines from the first difference to the last as `qbank fmt` writes them
(only layout changes: the words, the model and every id stay as they are)."#,
        fixable: true,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let parsed = ctx.parsed;
    if !parsed.is_bank()
        || !parsed.reading.is_sure()
        || !parsed.shapes.is_empty()
        || !parsed.issues.is_empty()
        || parsed.bank.questions().any(|q| !is_valid_id(&q.id))
    {
        return;
    }
    // The bank's id as `qbank fmt` gives it: from the title, else from the file's name.
    let bank: Cow<'_, qbank_core::Bank> = if parsed.bank.id.is_empty() {
        let mut bank = parsed.bank.clone();
        let stem = std::path::Path::new(ctx.path).file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
        bank.id = bank_id(&bank.title, &stem);
        Cow::Owned(bank)
    } else {
        Cow::Borrowed(&parsed.bank)
    };
    let formatted = keep_line_endings(ctx.source, format_bank(&bank));
    let source = ctx.source;
    if formatted == source {
        return;
    }
    // Only the differing range is rewritten: the common prefix and suffix stay.
    let edit = Edit::minimal(source, Span::new(0, source.len()), &formatted);
    let prefix = edit.span.start;
    let line_start = source[..prefix].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[prefix..].find(['\r', '\n']).map_or(source.len(), |i| prefix + i);
    let expected_start = formatted[..prefix].rfind('\n').map_or(0, |i| i + 1);
    let expected_line = formatted[expected_start..].split(['\r', '\n']).next().unwrap_or("");
    let message = if parsed.front_matter.is_none() || parsed.bank.id.is_empty() {
        format!("the bank has no front matter with its id; `qbank fmt` writes `id: {}` at the top", bank.id)
    } else if prefix == source.len() && formatted.len() > source.len() {
        "the file does not end with a line break, as `qbank fmt` writes it".to_string()
    } else {
        let written = source[line_start..line_end].trim_end();
        let what = match (written.is_empty(), expected_line.trim_end().is_empty()) {
            (true, false) => format!("an extra blank line: `qbank fmt` writes `{}` here", shorten(expected_line)),
            (false, true) => "`qbank fmt` writes a blank line before this line".to_string(),
            _ => format!("`qbank fmt` writes this line as `{}`", shorten(expected_line)),
        };
        format!("{what} (the layout differs from `qbank fmt`'s from this line on)")
    };
    let span = Span::new(line_start, line_end.max(line_start));
    out.push(ctx.diagnostic_with_fix(
        &RULE.meta,
        span,
        message,
        Fix::safe("Lay the file out as `qbank fmt` does", vec![edit]),
    ));
}

/// A line for a message: at most 60 characters.
fn shorten(line: &str) -> Cow<'_, str> {
    match line.char_indices().nth(60) {
        Some((at, _)) => Cow::Owned(format!("{}…", &line[..at])),
        None => Cow::Borrowed(line),
    }
}
