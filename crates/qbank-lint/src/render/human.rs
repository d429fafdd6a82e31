//! The human renderer: rustc-style diagnostics with a source snippet and a summary line.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};
use unicode_width::UnicodeWidthStr;

use super::{SourceFile, SourceMap, Summary, plural, sorted};
use crate::{Applicability, Diagnostic, FileReport, Fix, Severity};

/// How [`human`] renders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// Colour with ANSI escapes (the CLI turns it on for a terminal).
    pub color: bool,
    /// Show what each fix would change, as `-`/`+` lines under the diagnostic.
    pub show_fix: bool,
}

/// Display columns a tab advances. Tabs are expanded before widths are measured, so the caret
/// line and the source line always agree.
const TAB: &str = "    ";

/// Renders every diagnostic as
///
/// ```text
/// error[QB101] missing-tldr: Question has no TL;DR line
///   --> banks/ops.md:12:1
///    |
/// 12 | ### 3. How do you roll back a release?
///    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
///    = note: banks/other.md:4:1: first asked here
///    = help: Add a TL;DR line
/// ```
///
/// followed by one summary line (`Found 12 problems (3 errors, 9 warnings) in 4 files; 7
/// fixable with --fix.` or `No problems found in 3 files.`). Carets are aligned by display
/// width (East Asian wide characters and emoji take two columns).
pub fn human(reports: &[FileReport], options: HumanOptions) -> String {
    let sources = SourceMap::new(reports);
    let style = Style { color: options.color };
    let mut out = String::new();
    for report in sorted(reports).into_iter().filter(|report| !report.diagnostics.is_empty()) {
        let file = SourceFile::new(&report.source);
        for diagnostic in &report.diagnostics {
            render_diagnostic(&mut out, &report.path, &file, diagnostic, &sources, options, style);
            out.push('\n');
        }
    }
    out.push_str(&style.paint(BOLD, &summary_line(&Summary::of(reports))));
    out.push('\n');
    out
}

/// `Found 12 problems (3 errors, 9 warnings) in 4 files; 7 fixable with --fix.`
pub fn summary_line(summary: &Summary) -> String {
    if summary.problems() == 0 {
        return format!("No problems found in {}.", plural(summary.files, "file", "files"));
    }
    let mut parts = Vec::new();
    for (count, singular, many) in [
        (summary.errors, "error", "errors"),
        (summary.warnings, "warning", "warnings"),
        (summary.infos, "info", "info"),
        (summary.hints, "hint", "hints"),
    ] {
        if count > 0 {
            parts.push(plural(count, singular, many));
        }
    }
    let mut line = format!(
        "Found {} ({}) in {}",
        plural(summary.problems(), "problem", "problems"),
        parts.join(", "),
        plural(summary.files_with_problems, "file", "files"),
    );
    if summary.fixable > 0 {
        let _ = write!(line, "; {} fixable with --fix", summary.fixable);
    }
    line.push('.');
    line
}

/// What a baseline did in a run, or `None` when it neither hid a finding nor went stale:
/// `Baseline: 5 accepted findings hidden; 2 stale (accepted, no longer found: drop them with
/// --update-baseline).` `stale` counts findings, as the baseline's counts do.
pub fn baseline_line(summary: &Summary, stale: usize) -> Option<String> {
    if summary.baselined == 0 && stale == 0 {
        return None;
    }
    let mut line = format!("Baseline: {} hidden", plural(summary.baselined, "accepted finding", "accepted findings"));
    if stale > 0 {
        let _ = write!(
            line,
            "; {stale} stale (accepted, no longer found: drop {} with --update-baseline)",
            if stale == 1 { "it" } else { "them" },
        );
    }
    line.push('.');
    Some(line)
}

fn render_diagnostic(
    out: &mut String,
    path: &str,
    file: &SourceFile<'_>,
    diagnostic: &Diagnostic,
    sources: &SourceMap<'_>,
    options: HumanOptions,
    style: Style,
) {
    let start = file.position(diagnostic.span.start);
    let end_offset = file.visible_end(diagnostic.span);
    let start_line = file.line_of(start.offset);
    let end_line = file.line_of(end_offset);
    let fix_lines = match (&diagnostic.fix, options.show_fix) {
        (Some(fix), true) => fix_preview(file, fix),
        _ => Vec::new(),
    };
    let widest_line = fix_lines.iter().map(|line| line.number).max().unwrap_or(0).max(start.line);
    let pad = " ".repeat(widest_line.to_string().len());
    let level = severity_style(diagnostic.severity);

    let _ = writeln!(
        out,
        "{}{}",
        style.paint(level, diagnostic.severity.as_str()),
        style.paint(BOLD, &format!("[{}] {}: {}", diagnostic.code, diagnostic.name, diagnostic.message)),
    );
    let _ = writeln!(out, "{pad}{} {path}:{}:{}", style.paint(GUTTER, "-->"), start.line, start.column);
    let bar = style.paint(GUTTER, "|");
    let _ = writeln!(out, "{pad} {bar}");

    // The first line of the span, with carets from its start to its end (or the line's end).
    let line_span = file.line_span(start_line);
    let line_text = line_span.slice(file.text);
    let from = start.offset.clamp(line_span.start, line_span.end) - line_span.start;
    let to = if end_line == start_line {
        end_offset.clamp(line_span.start, line_span.end) - line_span.start
    } else {
        line_text.len()
    };
    let shown = sanitize(line_text);
    let number = format!("{:>width$}", start.line, width = pad.len());
    if shown.is_empty() {
        let _ = writeln!(out, "{} {bar}", style.paint(GUTTER, &number));
    } else {
        let _ = writeln!(out, "{} {bar} {shown}", style.paint(GUTTER, &number));
    }
    let indent = display_width(&line_text[..from]);
    let carets = display_width(&line_text[from..to.max(from)]).max(1);
    let _ = writeln!(out, "{pad} {bar} {}{}", " ".repeat(indent), style.paint(level, &"^".repeat(carets)));

    let eq = style.paint(GUTTER, "=");
    if end_line > start_line {
        let _ = writeln!(out, "{pad} {eq} {}: the span continues to line {}", style.paint(BOLD, "note"), end_line + 1);
    }
    for related in &diagnostic.related {
        let location = sources.related_location(related);
        let _ = writeln!(out, "{pad} {eq} {}: {location}: {}", style.paint(BOLD, "note"), related.message);
    }
    if let Some(fix) = &diagnostic.fix {
        let unsafe_note = if fix.applicability == Applicability::Unsafe { " (unsafe fix)" } else { "" };
        let _ = writeln!(out, "{pad} {eq} {}: {}{unsafe_note}", style.paint(BOLD, "help"), fix.title);
        if !fix_lines.is_empty() {
            let _ = writeln!(out, "{pad} {bar}");
            for line in &fix_lines {
                let number = style.paint(GUTTER, &format!("{:>width$}", line.number, width = pad.len()));
                let (mark, paint) = match line.tag {
                    ChangeTag::Delete => ("-", REMOVED),
                    ChangeTag::Insert => ("+", ADDED),
                    ChangeTag::Equal => ("|", GUTTER),
                };
                let text = sanitize(&line.text);
                if text.is_empty() {
                    let _ = writeln!(out, "{number} {}", style.paint(paint, mark));
                } else if line.tag == ChangeTag::Equal {
                    let _ = writeln!(out, "{number} {} {text}", style.paint(paint, mark));
                } else {
                    let _ = writeln!(out, "{number} {}", style.paint(paint, &format!("{mark} {text}")));
                }
            }
        }
    }
}

struct PreviewLine {
    tag: ChangeTag,
    /// One-based: the old line for deletions and context, the new line for insertions.
    number: usize,
    text: String,
}

/// The lines a fix touches, before and after, as a small line diff. Empty when the fix's edits
/// are not valid for this text.
fn fix_preview(file: &SourceFile<'_>, fix: &Fix) -> Vec<PreviewLine> {
    let Some(edits) = crate::fix::checked_edits(file.text, &fix.edits) else {
        return Vec::new();
    };
    let (Some(first), Some(last)) = (edits.first(), edits.iter().map(|edit| edit.span.end).max()) else {
        return Vec::new();
    };
    let first_line = file.index.line_of(first.span.start);
    let mut last_line = file.index.line_of(last);
    if last > first.span.start && last_line > first_line && file.index.line_start(last_line) == last {
        last_line -= 1;
    }
    let snippet_start = file.index.line_start(first_line);
    let snippet_end = file.index.line_start(last_line + 1).min(file.text.len()).max(last);
    let before = &file.text[snippet_start..snippet_end];
    let mut after = String::with_capacity(before.len());
    let mut cursor = snippet_start;
    for edit in &edits {
        after.push_str(&file.text[cursor..edit.span.start]);
        after.push_str(&edit.replacement);
        cursor = edit.span.end;
    }
    after.push_str(&file.text[cursor..snippet_end]);

    let base = first_line as usize + 1;
    let diff = TextDiff::from_lines(before, after.as_str());
    diff.iter_all_changes()
        .map(|change| {
            let index = match change.tag() {
                ChangeTag::Insert => change.new_index(),
                _ => change.old_index(),
            };
            PreviewLine {
                tag: change.tag(),
                number: base + index.unwrap_or(0),
                text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
            }
        })
        .collect()
}

/// The text as it is shown: tabs expanded, control characters replaced by U+FFFD.
fn sanitize(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\t' => shown.push_str(TAB),
            ch if ch.is_control() => shown.push('\u{FFFD}'),
            ch => shown.push(ch),
        }
    }
    shown
}

fn display_width(text: &str) -> usize {
    sanitize(text).width()
}

const BOLD: &str = "\x1b[1m";
const GUTTER: &str = "\x1b[1;34m";
const ADDED: &str = "\x1b[32m";
const REMOVED: &str = "\x1b[31m";

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
        Severity::Hint => "\x1b[1;32m",
    }
}

#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color { format!("{code}{text}\x1b[0m") } else { text.to_owned() }
    }
}
