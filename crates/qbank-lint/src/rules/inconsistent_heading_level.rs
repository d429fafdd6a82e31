//! QB019 `inconsistent-heading-level`: a numbered question-like heading at another level than
//! the bank's questions, so it is not read as a question.

use qbank_core::text::Fence;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB019",
        name: "inconsistent-heading-level",
        summary: "Numbered question heading at the wrong level",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a numbered heading ending in `?` inside an answer, at a different level than the bank's
question headings. qbank reads it as part of the previous answer, not as a question.

## Why is this bad?
The question silently disappears from exports, outlines, numbering and duplicate checks.

## Example
```markdown
### 4. What is a canary release?
…
#### 5. How do you roll back?
```

## Fix
Unsafe (it changes the structure): rewrite the heading at the question level."#,
        fixable: true,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let Some(level) = ctx.parsed.question_level else { return };
    for q in ctx.questions() {
        let Some(answer) = q.spans.answer else { continue };
        let mut fence: Option<Fence> = None;
        let mut offset = answer.start;
        for line in answer.slice(ctx.source).split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let text = line.trim_end_matches(['\n', '\r']);
            if let Some(open) = fence {
                if open.closed_by(text) {
                    fence = None;
                }
                continue;
            }
            if let Some(f) = Fence::opened_by(text) {
                fence = Some(f);
                continue;
            }
            let hashes = text.bytes().take_while(|&b| b == b'#').count();
            if hashes == 0 || hashes > 6 || !text[hashes..].starts_with(' ') {
                continue;
            }
            let title = text[hashes..].trim();
            let numbered = title.split_once(". ").is_some_and(|(n, rest)| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest.trim_end().ends_with('?')
            });
            if numbered && hashes as u8 != level {
                let span = qbank_core::Span::new(start, start + text.len());
                let fix = Fix::unsafe_(
                    "Make it a question heading",
                    vec![Edit::replace(qbank_core::Span::new(start, start + hashes), "#".repeat(level as usize))],
                );
                out.push(ctx.diagnostic_with_fix(
                    &RULE.meta,
                    span,
                    format!("numbered question at heading level {hashes} is read as part of the answer above; questions here are level {level}"),
                    fix,
                ));
            }
        }
    }
}
