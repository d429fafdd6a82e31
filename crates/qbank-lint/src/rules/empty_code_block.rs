//! QB203 `empty-code-block`: a code block with nothing in it.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB203",
        name: "empty-code-block",
        summary: "Code block is empty",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a fenced code block that contains only whitespace.

## Why is this bad?
An example label followed by an empty block promises code that is not there — usually lost in
a copy or an import.

## Example
````markdown
**Example (Python):**

```python
```
````

## Fix
Write the example, or remove the block and its label."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        for block in q.spans.code_blocks.iter().filter(|b| b.fenced && b.closed && b.code.trim().is_empty()) {
            out.push(ctx.diagnostic(&RULE.meta, block.span, "code block is empty; write the example or remove it"));
        }
    }
}
