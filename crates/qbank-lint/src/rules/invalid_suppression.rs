//! QB003 `invalid-suppression`: a `qbank-disable` comment naming a rule that does not exist.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope, all_meta};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB003",
        name: "invalid-suppression",
        summary: "Suppression comment names an unknown rule",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags `<!-- qbank-disable… -->` comments that name a code or rule name qbank does not know.

## Why is this bad?
A typo in a suppression silently suppresses nothing, and the finding the author meant to
accept keeps coming back — or worse, a later rename makes an old suppression meaningless.

## Example
```markdown
<!-- qbank-disable-next-line QB999 -->
```

## Fix
Use a code or name listed by `qbank rules`."#,
        fixable: false,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let suppressions = ctx.suppressions();
    if suppressions.is_empty() {
        return;
    }
    for (span, code) in suppressions.unknown_codes(&all_meta()) {
        out.push(ctx.diagnostic(
            &RULE.meta,
            span,
            format!("unknown rule `{code}` in a suppression comment; see `qbank rules`"),
        ));
    }
}
