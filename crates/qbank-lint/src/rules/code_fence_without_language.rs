//! QB201 `code-fence-without-language`: a fenced code block with no language.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB201",
        name: "code-fence-without-language",
        summary: "Code fence has no language",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a fenced code block whose opening fence names no language.

## Why is this bad?
Without a language there is no highlighting when rendered, and qbank cannot check the code's
syntax.

## Example
````markdown
```
kubectl rollout undo deployment/my-service
```
````

## Fix
Name the language after the fence: ```` ```bash ````. Use `text` for output or prose."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        for block in q.spans.code_blocks.iter().filter(|b| b.fenced && b.info.is_empty()) {
            let line_end = ctx.source[block.span.start..].find('\n').map_or(block.span.end, |i| block.span.start + i);
            let span = qbank_core::Span::new(block.span.start, line_end.min(block.span.end));
            out.push(ctx.diagnostic(
                &RULE.meta,
                span,
                "code fence has no language; name it (```python) so it is highlighted and checked",
            ));
        }
    }
}
