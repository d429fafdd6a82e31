//! QB202 `unknown-code-language`: a fence language qbank does not know.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB202",
        name: "unknown-code-language",
        summary: "Code fence names an unknown language",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a fence info string whose language is not one qbank knows (see `qbank_syntax`'s language
table: ids and aliases such as `py`, `yml`, `sh`, `tf`).

## Why is this bad?
Usually a typo (`pyhton`, `yalm`): the block is neither highlighted nor checked.

## Example
````markdown
```pyhton
print("hi")
```
````

## Fix
Use a known language id or alias; `text` for plain output."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for q in ctx.questions() {
        for block in q.spans.code_blocks.iter().filter(|b| b.fenced && !b.info.is_empty()) {
            if qbank_syntax::resolve_language(&block.info).is_none() {
                let language = block.info.split_whitespace().next().unwrap_or_default();
                let span = block.info_span.unwrap_or(block.span);
                out.push(ctx.diagnostic(
                    &RULE.meta,
                    span,
                    format!("unknown code language `{language}`; it is neither highlighted nor checked"),
                ));
            }
        }
    }
}
