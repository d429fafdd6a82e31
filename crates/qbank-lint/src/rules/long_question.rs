//! QB015 `long-question`: a question over the word limit.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

/// Default for the `max-words` option.
pub const MAX_WORDS: usize = 60;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB015",
        name: "long-question",
        summary: "Question text is too long",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a question with more than `max-words` words (default 60).

## Why is this bad?
A question heading that runs for a paragraph is usually a scenario plus several questions;
it reads badly in outlines and makes duplicates hard to see.

## Options
```toml
[rules.long-question]
max-words = 40
```

## Example
```markdown
### 9. You join a team whose deploys fail twice a week, the on-call rotation is burnt out, the
dashboards are stale and leadership wants a plan by Friday: what do you change first, what
do you measure, how do you get buy-in, and how do you know it worked?
```

## Fix
Move the scenario into the answer, or split the question."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, options: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let max = options.usize("max-words", MAX_WORDS);
    for q in ctx.questions() {
        let words = q.question.split_whitespace().count();
        if words > max {
            out.push(ctx.diagnostic(
                &RULE.meta,
                q.spans.question,
                format!("question has {words} words (limit {max}); split it or move context into the answer"),
            ));
        }
    }
}
