//! QB302 `near-duplicate-question`: a reworded copy of another question in the corpus.
//! Reported by the corpus pass (`crate::corpus`), with scores and a word diff.

use crate::Severity;
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::rules::duplicate_question::reported_by_corpus_pass;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB302",
        name: "near-duplicate-question",
        summary: "Reworded copy of another question",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags a question that says the same as another question in other words ("How do you handle
rollbacks in production?" / "How do you handle rollbacks in a production environment?"). The
score is template-aware: words every question shares ("how do you handle … in production")
count little, rare words count a lot, and answers and TL;DRs are compared too. With
`[dedup] mode = "semantic"` sentence embeddings (all-MiniLM-L6-v2, from a local folder) also
catch rewordings that share few words. The message shows the scores against the thresholds
and a word diff: `[-removed-]{+added+}`.

## Why is this bad?
Near duplicates split one topic across two answers that drift apart; readers cannot tell
which is current.

## Example
```markdown
### 5. How do you handle rollbacks in production?
### 16. How do you handle rollbacks in a production environment?
```

## Fix
Merge the two questions, or accept the pair for good in `qbank.toml`:
`[dedup] allow = [["handle-rollbacks-production", "handle-rollbacks-production-environment"]]`.
Thresholds: `[dedup.thresholds] near = 0.7`."#,
        fixable: false,
    },
    scope: Scope::File,
    check: reported_by_corpus_pass,
};
