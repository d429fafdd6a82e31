//! QB012 `missing-tldr`: a question without a `**TL;DR:**` line.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB012",
        name: "missing-tldr",
        summary: "Question has no TL;DR",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a question without a `**TL;DR:**` summary.

## Why is this bad?
Readers skim: the TL;DR is what they remember and what flash-card exports show. Without it, a
long answer has no takeaway.

## Example
```markdown
### 5. How do you handle rollbacks in production?
<!-- id: handle-rollbacks-production -->

**Answer:**

Keep the previous release deployable and switch back with one command.
```

## Fix
Add `**TL;DR:** one sentence that summarises this answer` as the question's last line."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        if q.tldr.as_deref().is_none_or(|t| t.trim().is_empty()) {
            let span = q.spans.tldr.unwrap_or(q.spans.heading);
            out.push(ctx.diagnostic(
                &RULE.meta,
                span,
                format!("question {} has no TL;DR; add `**TL;DR:** …` summarising its answer", q.number),
            ));
        }
    }
}
