//! QB018 `missing-question-id`: a question without a stable id.

use std::collections::{HashMap, HashSet};

use qbank_core::Question;
use qbank_core::format::fresh_question_id;
use qbank_core::text::slugify;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB018",
        name: "missing-question-id",
        summary: "Question has no id",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a question without an `id` in its metadata comment.

## Why is this bad?
Ids are what survive renumbering, rewording and merging: baselines, allow-lists and SARIF
fingerprints are keyed by them.

## Example
```markdown
### 5. How do you handle rollbacks in production?

**Answer:**
```

## Fix
Safe: inserts `<!-- id: handle-rollbacks-production -->` under the heading (the same id
`qbank fmt` would assign)."#,
        fixable: true,
    },
    scope: Scope::File,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    if !ctx.parsed.is_bank() {
        return;
    }
    let mut taken: HashSet<String> = ctx.questions().filter(|q| !q.id.is_empty()).map(|q| q.id.clone()).collect();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    for q in ctx.questions() {
        if !q.id.is_empty() {
            continue;
        }
        let id = fresh_id(q, &mut taken, &mut next_suffix);
        let line_break = if ctx.source[..q.spans.heading.start].ends_with("\r\n") { "\r\n" } else { "\n" };
        let edit = match q.spans.metadata {
            // A metadata comment without an id: add the id as its first entry.
            Some(meta) => Edit::insert(meta.start + "<!--".len(), format!(" id: {id};")),
            None => Edit::insert(q.spans.heading.end, format!("{line_break}<!-- id: {id} -->")),
        };
        let fix = Fix::safe(format!("Add id `{id}`"), vec![edit]);
        out.push(ctx.diagnostic_with_fix(
            &RULE.meta,
            q.spans.heading,
            format!("question {} has no id; ids keep baselines and merges stable", q.number),
            fix,
        ));
    }
}

/// [`fresh_question_id`]'s id, without its linear probe from `-2` on every call: a bank of
/// thousands of identical questions made that N² (`-2`, `-3`, … tried again for each). The
/// smallest free suffix of a base never goes down (ids are only ever added to `taken`), so the
/// probe starts where the last one for that base stopped: the same ids, in linear time.
fn fresh_id(q: &Question, taken: &mut HashSet<String>, next_suffix: &mut HashMap<String, usize>) -> String {
    let mut base = slugify(&q.question, 5);
    if base.is_empty() {
        base = format!("q{}", q.number);
    }
    let Some(&start) = next_suffix.get(&base) else {
        let id = fresh_question_id(q, taken);
        let n = id.strip_prefix(&base).and_then(|s| s.strip_prefix('-')).and_then(|n| n.parse::<usize>().ok());
        next_suffix.insert(base, n.map_or(2, |n| n + 1));
        return id;
    };
    let mut n = start;
    let mut id = format!("{base}-{n}");
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    taken.insert(id.clone());
    next_suffix.insert(base, n + 1);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memoised probe gives the ids the plain one gives, also when ids of the form
    /// `base-N` are taken out of order and when a text slugifies to another's `base-N`.
    #[test]
    fn fresh_id_matches_the_plain_probe() {
        let texts =
            ["How do you scale Kafka?", "How do you scale Kafka?", "How do you scale Kafka 3?", "", "Ünïcode café?"];
        let preset = ["how-do-you-scale-kafka-3", "how-do-you-scale-kafka-5", "q4"];
        let (mut plain_taken, mut fast_taken): (HashSet<String>, HashSet<String>) =
            (preset.iter().map(|s| s.to_string()).collect(), preset.iter().map(|s| s.to_string()).collect());
        let mut next = HashMap::new();
        for round in 0..40 {
            let text = texts[round % texts.len()];
            let q = Question { question: text.to_string(), number: 4, ..Question::default() };
            let plain = fresh_question_id(&q, &mut plain_taken);
            let fast = fresh_id(&q, &mut fast_taken, &mut next);
            assert_eq!(plain, fast, "round {round}: {text:?}");
        }
        assert_eq!(plain_taken, fast_taken);
    }
}
