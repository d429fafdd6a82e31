//! QB016 `broken-numbering`: numbering gaps, duplicate numbers and numbers out of order,
//! aware of numbering that restarts in every section.

use qbank_core::{Bank, Question};

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB016",
        name: "broken-numbering",
        summary: "Question numbers skip, repeat or go backwards",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags question numbers that skip (`4, 6`), repeat (`4, 4`) or go backwards (`9, 3`). A bank may
number continuously from any start (`31, 32, …`) or restart at 1 in every section; restarting
in only some sections is flagged.

## Why is this bad?
Numbers are how readers cite questions ("see 12"). Broken numbering usually means a question
was lost or pasted twice.

## Example
```markdown
### 1. What is CI?
### 2. What is CD?
### 4. What is a canary release?
```

## Fix
Safe: on the first finding of the numbering (the bank, or the section when every section
restarts at 1), renumbers that question as the sequence expects and every question after it in
the numbering, so one fix leaves the whole sequence right; the later findings of the same
numbering carry no fix of their own. Question ids do not change, so links and baselines survive."#,
        fixable: true,
    },
    scope: Scope::File,
    check,
};

/// Whether every titled section restarts at 1 (and there is more than one section).
fn restarts_per_section(bank: &Bank) -> bool {
    let sections: Vec<_> = bank.sections.iter().filter(|s| !s.questions.is_empty()).collect();
    sections.len() > 1 && sections.iter().all(|s| s.questions[0].number == 1)
}

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    let bank = &ctx.parsed.bank;
    let restart = restarts_per_section(bank);
    // Each question with the number the sequence expects before it (None: free start).
    let mut sequence: Vec<(&Question, Option<u32>)> = Vec::new();
    let mut expected: Option<u32> = None;
    for section in &bank.sections {
        if restart {
            expected = Some(1);
        }
        for q in &section.questions {
            sequence.push((q, expected));
            // Follow the numbers as written, so one slip yields one finding.
            expected = Some(q.number.saturating_add(1));
        }
    }
    // The numbering runs: the whole bank, or each section when every section restarts at 1.
    // Only the first finding of a run carries the fix, which renumbers the rest of the run: one
    // fix per run keeps N findings at N edits (a fix on every finding, each renumbering what
    // follows it, cost N² edits on a bank numbered `1.` throughout), and `--fix` applies the same
    // edits as before, when the later fixes all overlapped the first and waited for it.
    let mut fixed_run: Option<usize> = None;
    let mut run = 0;
    for (i, &(q, want)) in sequence.iter().enumerate() {
        if restart && i > 0 && want == Some(1) {
            run += 1;
        }
        let Some(want) = want else { continue };
        if q.number == want {
            continue;
        }
        let previous = i.checked_sub(1).map(|p| sequence[p].0.number);
        let message = if previous == Some(q.number) {
            format!("duplicate number {}: expected {want}", q.number)
        } else if q.number < want {
            format!("number {} goes backwards after {}; expected {want}", q.number, want - 1)
        } else {
            format!("numbering skips from {} to {}; expected {want}", want - 1, q.number)
        };
        if fixed_run == Some(run) {
            out.push(ctx.diagnostic(&RULE.meta, q.spans.number, message));
            continue;
        }
        fixed_run = Some(run);
        // Renumber from here to the end of the run, numbers already right included, so the one
        // fix leaves the whole sequence right in one pass.
        let mut edits = Vec::new();
        let mut changed = 0;
        for (next, &(later, later_want)) in (want..).zip(&sequence[i..]) {
            let restarts_here = restart && later_want == Some(1) && later.spans.whole.start != q.spans.whole.start;
            if restarts_here {
                break;
            }
            changed += usize::from(later.number != next);
            edits.push(Edit::replace(later.spans.number, next.to_string()));
        }
        let title = if changed > 1 {
            format!("Renumber {changed} questions from {want}")
        } else {
            format!("Renumber to {want}")
        };
        out.push(ctx.diagnostic_with_fix(&RULE.meta, q.spans.number, message, Fix::safe(title, edits)));
    }
}
