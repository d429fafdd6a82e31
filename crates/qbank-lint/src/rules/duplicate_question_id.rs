//! QB017 `duplicate-question-id`: two questions in one bank with the same id.

use std::collections::HashMap;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Related, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB017",
        name: "duplicate-question-id",
        summary: "Question id is used twice",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags a question whose `id` is already used by an earlier question of the same bank.

## Why is this bad?
Ids key baselines, SARIF fingerprints, allow-lists and merges. Two questions with one id make
all of them point at the wrong question.

## Example
```markdown
### 1. What is CI?
<!-- id: ci -->
### 2. What is continuous integration?
<!-- id: ci -->
```

## Fix
Give the later question a new id (delete its `id:` entry and run `qbank fmt` to assign one)."#,
        fixable: false,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen = HashMap::new();
    for q in ctx.questions() {
        if q.id.is_empty() {
            continue;
        }
        let span = q.spans.id.unwrap_or(q.spans.heading);
        match seen.get(q.id.as_str()) {
            Some(&(first_span, number)) => {
                let mut d = ctx.diagnostic(
                    &RULE.meta,
                    span,
                    format!("id `{}` is already used by question {number}; give this one a new id", q.id),
                );
                d.related.push(Related {
                    path: String::new(),
                    span: first_span,
                    message: format!("`{}` first used here", q.id),
                });
                out.push(d);
            }
            None => {
                seen.insert(q.id.as_str(), (span, q.number));
            }
        }
    }
}
