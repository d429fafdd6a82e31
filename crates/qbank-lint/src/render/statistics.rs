//! The statistics renderer: how many findings each rule produced, like `ruff --statistics`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::has_safe_fix;
use crate::FileReport;

/// One line per rule that fired, most frequent first (ties by code):
///
/// ```text
///   12  QB101  missing-tldr   [*]
///    3  QB205  python-syntax  [-]
///    1  QB301  near-duplicate
/// ```
///
/// `[*]`: some of these findings have a safe fix (`--fix` applies it); `[-]`: only unsafe fixes.
/// Empty when there are no findings.
pub fn statistics(reports: &[FileReport]) -> String {
    #[derive(Default)]
    struct Row<'a> {
        name: &'a str,
        count: usize,
        safe_fix: bool,
        any_fix: bool,
    }
    let mut rows: BTreeMap<&str, Row<'_>> = BTreeMap::new();
    for diagnostic in reports.iter().flat_map(|report| &report.diagnostics) {
        let row = rows.entry(diagnostic.code).or_default();
        row.name = diagnostic.name;
        row.count += 1;
        row.safe_fix |= has_safe_fix(diagnostic);
        row.any_fix |= diagnostic.fix.is_some();
    }
    let mut rows: Vec<(&str, Row<'_>)> = rows.into_iter().collect();
    rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));

    let count_width = rows.iter().map(|(_, row)| row.count.to_string().len()).max().unwrap_or(0).max(4);
    let code_width = rows.iter().map(|(code, _)| code.len()).max().unwrap_or(0);
    let name_width = rows.iter().map(|(_, row)| row.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (code, row) in rows {
        let marker = if row.safe_fix {
            "[*]"
        } else if row.any_fix {
            "[-]"
        } else {
            ""
        };
        let line = format!("{:>count_width$}  {code:<code_width$}  {:<name_width$}  {marker}", row.count, row.name);
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}
