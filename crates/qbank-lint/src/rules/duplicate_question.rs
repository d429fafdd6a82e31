//! QB301 `duplicate-question`: the same question (after normalisation) twice in the corpus.
//! Reported by the corpus pass (`crate::corpus`), which sees every bank at once.

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB301",
        name: "duplicate-question",
        summary: "Same question twice in the corpus",
        default_severity: Severity::Error,
        docs: r#"## What it does
Flags a question whose normalised text (case, punctuation, Markdown, stop words and word
endings ignored) equals another question's, in the same bank or anywhere in the corpus. The
finding sits on the later question and points at the earlier one.

## Why is this bad?
Readers meet the same question twice with two different answers, and the corpus looks bigger
than it is. Exact duplicates usually come from importing overlapping sources.

## Example
```markdown
### 5. How do you handle rollbacks in production?
…
### 16. How do you handle rollbacks in production
```

## Fix
Keep one question and merge the best of both answers into it (`qbank merge` skips exact
duplicates when importing). If the two really are different questions, reword one, or accept
the pair in `qbank.toml`: `[dedup] allow = [["id-a", "id-b"]]`."#,
        fixable: false,
    },
    scope: Scope::File,
    check: reported_by_corpus_pass,
};

/// Cross-file rules have nothing to check in one file alone.
pub(crate) fn reported_by_corpus_pass(_: &Context<'_>, _: &Options<'_>, _: &mut Vec<Diagnostic>) {}
