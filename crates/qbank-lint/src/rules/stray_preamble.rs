//! QB020 `stray-preamble`: content before the first question that is not a title or a short
//! intro.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

/// Default for the `max-words` option.
pub const MAX_WORDS: usize = 150;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB020",
        name: "stray-preamble",
        summary: "Content before the first question is not a short intro",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags what stands between the title and the first section or question when it is more than a
short prose intro: code blocks, tables, lists, or more than `max-words` words (default 150).

## Why is this bad?
Scraped banks carry page furniture (topic blurbs, navigation, course ads) above the questions.
It is not part of any question, so exports drop it and readers wade through it.

## Options
```toml
[rules.stray-preamble]
max-words = 80
```

## Example
```markdown
# DevOps Questions

| Topic | Questions |
| --- | --- |
| CI/CD | 12 |
```

## Fix
Cut it, or move what matters into a question's answer."#,
        fixable: false,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, options: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let Some(span) = ctx.parsed.intro_span else { return };
    let max = options.usize("max-words", MAX_WORDS);
    let intro = &ctx.parsed.bank.intro;
    let words = intro.split_whitespace().count();
    let structured = intro.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("```") || t.starts_with("~~~") || t.starts_with('|') || t.starts_with("- ") || t.starts_with("* ")
    });
    if words > max {
        out.push(ctx.diagnostic(
            &RULE.meta,
            span,
            format!("{words} words before the first question (limit {max}); keep the intro short"),
        ));
    } else if structured {
        out.push(ctx.diagnostic(
            &RULE.meta,
            span,
            "lists, tables or code before the first question; move them into a question",
        ));
    }
}
