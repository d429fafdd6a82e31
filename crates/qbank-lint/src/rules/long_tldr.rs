//! QB013 `long-tldr`: a TL;DR over the word limit, or longer than its answer.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

/// Default for the `max-words` option.
pub const MAX_WORDS: usize = 40;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB013",
        name: "long-tldr",
        summary: "TL;DR is too long or longer than its answer",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a TL;DR with more than `max-words` words (default 40), or with more words than the
answer it summarises, or spread over several lines.

## Why is this bad?
A TL;DR is one line to remember. A long one is a second answer nobody reads.

## Options
```toml
[rules.long-tldr]
max-words = 30
```

## Example
```markdown
**TL;DR:** (a whole paragraph)
```

## Fix
Cut it to one sentence with the takeaway."#,
        fixable: false,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, options: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let max = options.usize("max-words", MAX_WORDS);
    for q in ctx.questions() {
        let (Some(tldr), Some(span)) = (&q.tldr, q.spans.tldr_text) else { continue };
        let words = tldr.split_whitespace().count();
        let answer_words = q.answer.split_whitespace().count();
        if words > max {
            out.push(ctx.diagnostic(
                &RULE.meta,
                span,
                format!("TL;DR has {words} words (limit {max}); cut it to one sentence"),
            ));
        } else if answer_words > 0 && words > answer_words {
            out.push(ctx.diagnostic(
                &RULE.meta,
                span,
                format!("TL;DR ({words} words) is longer than its answer ({answer_words} words)"),
            ));
        } else if tldr.contains('\n') {
            out.push(ctx.diagnostic(&RULE.meta, span, "TL;DR spans several lines; keep it to one"));
        }
    }
}
