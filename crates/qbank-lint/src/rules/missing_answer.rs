//! QB011 `missing-answer`: a question with no answer text.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB011",
        name: "missing-answer",
        summary: "Question has no answer",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags a question whose answer is empty (examples and a TL;DR alone do not count).

## Why is this bad?
A bank is read for its answers; an unanswered question is a placeholder that slipped through.

## Example
```markdown
### 4. What is a canary release?

**TL;DR:** Ship to a few users first.
```

## Fix
Write the answer under `**Answer:**`."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        if q.answer.trim().is_empty() {
            out.push(ctx.diagnostic(
                &RULE.meta,
                q.spans.heading,
                format!("question {} has no answer; write one under `**Answer:**`", q.number),
            ));
        }
    }
}
