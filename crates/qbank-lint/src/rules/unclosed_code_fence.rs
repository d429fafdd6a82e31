//! QB204 `unclosed-code-fence`: a code fence that is never closed.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB204",
        name: "unclosed-code-fence",
        summary: "Code fence is never closed",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags an opening code fence with no matching closing fence in its container.

## Why is this bad?
Everything after it — following answers, TL;DRs, even later questions — renders as code and
disappears from the bank's structure.

## Example
````markdown
**Example (Bash):**

```bash
kubectl rollout undo deployment/my-service

**TL;DR:** Roll back with one command.
````

## Fix
Add the closing fence (```` ``` ````) right after the code."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        for block in q.spans.code_blocks.iter().filter(|b| b.fenced && !b.closed) {
            let line_end = ctx.source[block.span.start..].find('\n').map_or(block.span.end, |i| block.span.start + i);
            let span = qbank_core::Span::new(block.span.start, line_end.min(block.span.end));
            out.push(ctx.diagnostic(
                &RULE.meta,
                span,
                "code fence is never closed; everything after it renders as code",
            ));
        }
    }
}
