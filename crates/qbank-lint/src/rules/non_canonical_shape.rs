//! QB010 `non-canonical-shape`: a construct `qbank fmt` would rewrite (labels, headings,
//! bare section titles, separators).

use qbank_core::ShapeKind;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB010",
        name: "non-canonical-shape",
        summary: "Construct differs from the canonical bank shape",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags constructs that the parser understands but that differ from the canonical shape
(docs/format.md): `**Approach:**`/`**Solution:**` instead of `**Answer:**`, an answer without
a label, a section title written as a bare line, question or section headings at the wrong
level or wrapped in bold, and `---` separators between questions.

## Why is this bad?
One shape renders the same everywhere, diffs cleanly, and keeps imports small. Mixed shapes
make every tool (and every reviewer) guess.

## Example
```markdown
Incident Response & Troubleshooting

## 1. How do you approach debugging?
**Approach:**
- Check the dashboards.
```

## Fix
Safe: each finding rewrites its construct canonically (`## Incident Response &
Troubleshooting`, `### 1. …`, `**Answer:**`). `qbank fmt` rewrites the whole file."#,
        fixable: true,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for note in &ctx.parsed.shapes {
        let title = match note.kind {
            ShapeKind::AnswerLabel => "Rename the label to `**Answer:**`",
            ShapeKind::MissingAnswerLabel => "Insert `**Answer:**`",
            ShapeKind::BareSectionTitle => "Make it a `## ` section heading",
            ShapeKind::HeadingLevel | ShapeKind::BoldHeading => "Rewrite the heading canonically",
            ShapeKind::Separator => "Remove the separator",
            ShapeKind::BankShape => "Rewrite the bank in the canonical shape",
        };
        let edit = match note.kind {
            // Only what changes: `## 4. Q` → `### 4. Q` inserts one `#`, so the fix leaves the
            // question number to `broken-numbering`'s fix in the same pass.
            ShapeKind::HeadingLevel | ShapeKind::BoldHeading => Edit::minimal(ctx.source, note.span, &note.replacement),
            _ => Edit::replace(note.span, note.replacement.clone()),
        };
        let fix = Fix::safe(title, vec![edit]);
        out.push(ctx.diagnostic_with_fix(&RULE.meta, note.span, note.message.clone(), fix));
    }
}
