//! QB108 `duplicate-question-text`: the same question asked twice in one bank.

use std::collections::HashMap;

use qbank_core::Question;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Related, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB108",
        name: "duplicate-question-text",
        summary: "Two questions in one bank have the same text",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags a question whose text is the same as an earlier question's in the same bank, ignoring
case, whitespace and trailing punctuation. The finding is on the later question and points
at the first.

Near duplicates ("How do you handle rollbacks in production?" and "…in a production
environment?") and duplicates across banks are the job of `qbank dedup`.

## Why is this bad?
The bank asks the same thing twice, usually with two different answers; readers cannot tell
which one is right, and exports count it twice.

## Example
```markdown
### 5. How do you handle rollbacks in production?
…
### 16. How do you handle rollbacks in production
```

## Fix
Merge the two answers into the first question and delete the second."#,
        fixable: false,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let mut first_by_text: HashMap<String, &Question> = HashMap::new();
    for q in ctx.questions() {
        let key = normalized(&q.question);
        if key.is_empty() {
            continue;
        }
        let Some(first) = first_by_text.get(&key) else {
            first_by_text.insert(key, q);
            continue;
        };
        let message =
            format!("question {} repeats question {}; merge their answers and delete one", q.number, first.number);
        let mut diagnostic = ctx.diagnostic(&RULE.meta, q.spans.question, message);
        diagnostic.related.push(Related {
            // Same file: the checker fills in the path.
            path: String::new(),
            span: first.spans.question,
            message: "first asked here".into(),
        });
        out.push(diagnostic);
    }
}

/// Lowercase, whitespace collapsed, trailing punctuation dropped.
fn normalized(text: &str) -> String {
    let mut out = qbank_core::text::lowercase_words(text);
    let kept = out.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c == '…' || c == '？');
    out.truncate(kept.len());
    out
}
