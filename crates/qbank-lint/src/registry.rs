//! The rule catalogue: one table from stable codes to rules, in code order.

use crate::Diagnostic;
use crate::context::{Context, Options};
use crate::rule::RuleMeta;
use crate::rules;

/// A rule: its metadata, what it looks at and the function that checks it.
pub struct Rule {
    pub meta: RuleMeta,
    pub scope: Scope,
    pub check: fn(&Context<'_>, &Options<'_>, &mut Vec<Diagnostic>),
}

/// What a rule's findings depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole file (numbering, ids, duplicates within the file, the intro…): run once per
    /// check on every question and the whole text.
    File,
    /// One question's own text (its lines, its parse and the question heading level) and the
    /// rule's options, nothing else: run per unit — each question with its lines, then the
    /// lines between questions — so findings can be cached per question and an edit re-checks
    /// only the questions it touched. Findings and fixes stay inside the unit's regions.
    Question,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({} {})", self.meta.code, self.meta.name)
    }
}

/// Every rule, sorted by code. Codes are stable: `QB0xx` structure, `QB1xx` content,
/// `QB2xx` code examples, `QB3xx` duplicates.
pub static RULES: &[&Rule] = &[
    &rules::not_a_bank::RULE,
    &rules::invalid_metadata::RULE,
    &rules::invalid_suppression::RULE,
    &rules::non_canonical_shape::RULE,
    &rules::missing_answer::RULE,
    &rules::missing_tldr::RULE,
    &rules::long_tldr::RULE,
    &rules::empty_question::RULE,
    &rules::long_question::RULE,
    &rules::broken_numbering::RULE,
    &rules::duplicate_question_id::RULE,
    &rules::missing_question_id::RULE,
    &rules::inconsistent_heading_level::RULE,
    &rules::stray_preamble::RULE,
    &rules::uncertain_shape::RULE,
    &rules::unformatted::RULE,
    &rules::mojibake::RULE,
    &rules::invisible_character::RULE,
    &rules::heading_whitespace::RULE,
    &rules::answer_leading_whitespace::RULE,
    &rules::unfinished_answer::RULE,
    &rules::paywall_text::RULE,
    &rules::first_person_answer::RULE,
    &rules::duplicate_question_text::RULE,
    &rules::code_fence_without_language::RULE,
    &rules::unknown_code_language::RULE,
    &rules::empty_code_block::RULE,
    &rules::unclosed_code_fence::RULE,
    &rules::code_syntax_error::RULE,
    &rules::duplicate_question::RULE,
    &rules::near_duplicate_question::RULE,
    &rules::broken_question_link::RULE,
];

/// Metadata of every rule, in code order.
pub fn all_meta() -> Vec<RuleMeta> {
    RULES.iter().map(|r| r.meta).collect()
}

/// A rule by code (`QB101`, any case) or name (`mojibake`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}
