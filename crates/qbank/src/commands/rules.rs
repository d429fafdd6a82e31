//! `qbank rules`: list the rule catalogue, or explain one rule.

use qbank_lint::catalogue::{markdown_table, rules_document};
use qbank_lint::registry::{RULES, find};

use crate::{Errors, Outcome};

pub fn run(rule: Option<&str>, markdown: bool, docs: bool) -> Result<Outcome, Errors> {
    if markdown {
        crate::out!("{}", markdown_table());
        return Ok(Outcome::Clean);
    }
    if docs {
        crate::out!("{}", rules_document());
        return Ok(Outcome::Clean);
    }
    match rule {
        Some(wanted) => {
            let Some(rule) = find(wanted) else {
                return Err(Errors(vec![format!("unknown rule `{wanted}`; `qbank rules` lists them")]));
            };
            let m = &rule.meta;
            crate::outln!("# {} {}\n", m.code, m.name);
            crate::outln!(
                "{} (default: {}{})\n",
                m.summary,
                m.default_severity.as_str(),
                if m.fixable { ", fixable" } else { "" }
            );
            crate::outln!("{}", m.docs);
        }
        None => {
            for rule in RULES {
                let m = &rule.meta;
                crate::outln!(
                    "{}  {:<30} {:<8} {}  {}",
                    m.code,
                    m.name,
                    m.default_severity.as_str(),
                    if m.fixable { "[*]" } else { "   " },
                    m.summary
                );
            }
            crate::outln!("\n[*] fixable with `qbank check --fix`. `qbank rules CODE` explains one rule.");
        }
    }
    Ok(Outcome::Clean)
}
