//! The JUnit XML renderer, for CI systems that show test reports (Jenkins, GitLab, Azure
//! Pipelines, CircleCI…): each file is a test suite and each finding a failed test case.

use std::fmt::Write as _;

use super::{SourceFile, SourceMap, sorted};
use crate::FileReport;

/// The run as JUnit XML, valid against the Jenkins xunit plugin's `junit-10.xsd`:
///
/// ```xml
/// <?xml version="1.0" encoding="UTF-8"?>
/// <testsuites name="qbank check" tests="2" failures="1" errors="0">
///   <testsuite name="banks/ops.md" tests="1" failures="1" errors="0" skipped="0" file="banks/ops.md">
///     <testcase name="QB101 missing-tldr at 12:1" classname="banks/ops.md">
///       <failure type="QB101 missing-tldr" message="Question has no TL;DR line">error: banks/ops.md:12:1: Question has no TL;DR line</failure>
///     </testcase>
///   </testsuite>
///   <testsuite name="banks/clean.md" tests="1" failures="0" errors="0" skipped="0" file="banks/clean.md">
///     <testcase name="no findings" classname="banks/clean.md"/>
///   </testsuite>
/// </testsuites>
/// ```
///
/// A suite per file (sorted by path), a failed test case per finding (every severity: the
/// severity starts the failure's text), and one passing `no findings` case for a clean file, so
/// each file shows up. The failure's text is `severity: path:line:column: message`, then related
/// locations (`note:`) and the fix (`help:`) on their own lines. Characters XML 1.0 cannot
/// carry (control characters other than tab, LF, CR) become U+FFFD.
pub fn junit(reports: &[FileReport]) -> String {
    let sources = SourceMap::new(reports);
    let reports = sorted(reports);
    let findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let tests: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"qbank check\" tests=\"{tests}\" failures=\"{findings}\" errors=\"0\">");
    for report in reports {
        let file = SourceFile::new(&report.source);
        let path = escape(&report.path);
        let count = report.diagnostics.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{count}\" errors=\"0\" skipped=\"0\" file=\"{path}\">",
            count.max(1)
        );
        if report.diagnostics.is_empty() {
            let _ = writeln!(out, "    <testcase name=\"no findings\" classname=\"{path}\"/>");
        }
        for diagnostic in &report.diagnostics {
            let at = file.position(diagnostic.span.start);
            let rule = format!("{} {}", diagnostic.code, diagnostic.name);
            let mut text = format!(
                "{}: {}:{}:{}: {}",
                diagnostic.severity.as_str(),
                report.path,
                at.line,
                at.column,
                diagnostic.message
            );
            for related in &diagnostic.related {
                let _ = write!(text, "\nnote: {}: {}", sources.related_location(related), related.message);
            }
            if let Some(fix) = &diagnostic.fix {
                let _ = write!(text, "\nhelp: {}", fix.title);
            }
            let _ = writeln!(
                out,
                "    <testcase name=\"{} at {}:{}\" classname=\"{path}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                escape(&rule),
                at.line,
                at.column,
                escape(&rule),
                escape(&diagnostic.message),
                escape_text(&text),
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escaped for an attribute value: markup characters as entities, line breaks and tabs as
/// character references (a parser turns raw ones into spaces), characters XML 1.0 forbids as
/// U+FFFD.
fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// Escaped for element text, where line breaks and tabs stay as they are.
fn escape_text(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' | '\t' if !attribute => out.push(ch),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            ch => out.push(ch),
        }
    }
    out
}
