//! QB001 `not-a-bank`: a file with no numbered questions.

use qbank_core::IssueKind;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB001",
        name: "not-a-bank",
        summary: "File has no numbered questions",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags a file named for checking that has no numbered question headings at all.

## Why is this bad?
A scraped page (a paywall, a topic overview) is not a question bank. Importing it would add
nothing but noise, and `fmt` refuses it so nothing is lost.

## Example
```markdown
Production Deployments and Operations Questions
Unlock Full Question Bank
```

## Fix
Remove the file from the corpus, or add questions as `### 1. Question?` headings.
Files found by walking a directory are skipped quietly instead."#,
        fixable: false,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for issue in ctx.parsed.issues.iter().filter(|i| i.kind == IssueKind::NotABank) {
        let first_line = ctx.source[issue.span.start..].find('\n').map_or(issue.span.end, |i| issue.span.start + i);
        let span = qbank_core::Span::new(issue.span.start, first_line.max(issue.span.start));
        out.push(ctx.diagnostic(
            &RULE.meta,
            span,
            "not a question bank: no numbered question headings (`### 1. Question?`) found",
        ));
    }
}
