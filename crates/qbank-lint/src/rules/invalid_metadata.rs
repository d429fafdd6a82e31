//! QB002 `invalid-metadata`: front matter or a question's metadata comment that does not parse.

use qbank_core::IssueKind;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB002",
        name: "invalid-metadata",
        summary: "Front matter or metadata comment does not parse",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags front matter that is never closed, front-matter lines that are not `key: value`,
metadata-comment entries that are not `key: value`, unknown difficulty values, and question
numbers too large to store.

## Why is this bad?
Ids, tags and difficulty live in metadata. A typo there silently drops them from exports and
from the editor.

## Example
```markdown
### 3. How do you scale a database?
<!-- id: scale-database; difficulty: extreme -->
```

## Fix
Use `key: value` entries separated by `;`; difficulty is `easy`, `medium` or `hard`."#,
        fixable: false,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for issue in &ctx.parsed.issues {
        if matches!(
            issue.kind,
            IssueKind::UnclosedFrontMatter | IssueKind::BadFrontMatter | IssueKind::BadMetadata | IssueKind::BadNumber
        ) {
            out.push(ctx.diagnostic(&RULE.meta, issue.span, issue.message.clone()));
        }
    }
}
