//! QB014 `empty-question`: a numbered heading with no question text.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB014",
        name: "empty-question",
        summary: "Question heading has no text",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags a question whose heading has a number but no text (`### 7.`), or only punctuation.

## Why is this bad?
The answer below it cannot be found, searched or deduplicated.

## Example
```markdown
### 7.
```

## Fix
Write the question after the number."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        if !q.question.chars().any(char::is_alphanumeric) {
            out.push(ctx.diagnostic(&RULE.meta, q.spans.heading, format!("question {} has no text", q.number)));
        }
    }
}
