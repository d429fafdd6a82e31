//! QB018 `missing-question-id`: a question without a stable id.

use std::collections::HashSet;

use qbank_core::format::fresh_question_id;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB018",
        name: "missing-question-id",
        summary: "Question has no id",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a question without an `id` in its metadata comment.

## Why is this bad?
Ids are what survive renumbering, rewording and merging: baselines, allow-lists and SARIF
fingerprints are keyed by them.

## Example
```markdown
### 5. How do you handle rollbacks in production?

**Answer:**
```

## Fix
Safe: inserts `<!-- id: handle-rollbacks-production -->` under the heading (the same id
`qbank fmt` would assign)."#,
        fixable: true,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.parsed.is_bank() {
        return;
    }
    let mut taken: HashSet<String> = ctx.questions().filter(|q| !q.id.is_empty()).map(|q| q.id.clone()).collect();
    for q in ctx.questions() {
        if !q.id.is_empty() {
            continue;
        }
        let id = fresh_question_id(q, &mut taken);
        let line_break = if ctx.source[..q.spans.heading.start].ends_with("\r\n") { "\r\n" } else { "\n" };
        let edit = match q.spans.metadata {
            // A metadata comment without an id: add the id as its first entry.
            Some(meta) => Edit::insert(meta.start + "<!--".len(), format!(" id: {id};")),
            None => Edit::insert(q.spans.heading.end, format!("{line_break}<!-- id: {id} -->")),
        };
        let fix = Fix::safe(format!("Add id `{id}`"), vec![edit]);
        out.push(ctx.diagnostic_with_fix(
            &RULE.meta,
            q.spans.heading,
            format!("question {} has no id; ids keep baselines and merges stable", q.number),
            fix,
        ));
    }
}
