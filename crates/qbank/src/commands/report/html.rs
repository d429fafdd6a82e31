//! The report page: plain data in, one self-contained HTML document out (inline CSS and SVG, no
//! script, nothing fetched). Numbers carry `data-metric` / `data-total` attributes so tests and
//! scripts can read them back.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use qbank_core::LineIndex;
use qbank_lint::{FileReport, Severity, SuppressedBy};

/// Everything the page shows.
pub struct Page<'a> {
    pub version: &'a str,
    /// One row per bank, in the order of the run.
    pub banks: Vec<BankRow>,
    /// The check's reports, one per bank (same paths as `banks`).
    pub reports: &'a [FileReport],
    pub clusters: Vec<ClusterView>,
    /// With `--baseline`: the baseline's path and how many accepted findings went stale.
    pub baseline: Option<(String, usize)>,
}

/// One bank's numbers.
#[derive(Clone, Debug, Default)]
pub struct BankRow {
    pub path: String,
    pub bank_id: String,
    pub shape: String,
    pub questions: usize,
    /// Questions with a non-empty TL;DR.
    pub with_tldr: usize,
    /// Questions with at least one code example.
    pub with_code: usize,
}

/// A duplicate cluster: its first question, then each duplicate with the word diff against it.
pub struct ClusterView {
    pub exact: bool,
    pub members: Vec<ClusterMember>,
}

pub struct ClusterMember {
    pub path: String,
    pub line: usize,
    pub number: u32,
    pub id: String,
    pub question: String,
    /// `[-removed-]{+added+}` against the cluster's first question (`None` for that question).
    pub word_diff: Option<String>,
    pub score: Option<f32>,
}

/// Finding counts of one bank: new findings per severity (what `qbank check` reports, with the
/// same baseline), and how many the baseline accepts.
#[derive(Clone, Copy, Default)]
struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
    baselined: usize,
}

impl Counts {
    fn of(report: Option<&FileReport>) -> Counts {
        let mut counts = Counts::default();
        let Some(report) = report else { return counts };
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
                Severity::Hint => counts.hints += 1,
            }
        }
        counts.baselined = report.suppressed.iter().filter(|s| s.by == SuppressedBy::Baseline).count();
        counts
    }

    fn new_findings(&self) -> usize {
        self.errors + self.warnings + self.infos + self.hints
    }

    fn add(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.hints += other.hints;
        self.baselined += other.baselined;
    }
}

const STYLE: &str = "
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --err: #cf222e; --warn: #9a6700; --info: #0969da; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: var(--fg); margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; font-family: ui-monospace, monospace; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card .value { font-size: 22px; font-weight: 600; display: block; }
.error { color: var(--err); } .warning { color: var(--warn); } .info, .hint { color: var(--info); } .clean { color: var(--ok); }
code, .path { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
del { background: #ffebe9; color: var(--err); } ins { background: #dafbe1; color: var(--ok); text-decoration: none; }
.cluster { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.tag { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; background: var(--bg); border: 1px solid var(--line); }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
";

/// The whole page.
pub fn page(page: &Page<'_>) -> String {
    let by_path: BTreeMap<&str, &FileReport> = page.reports.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut totals = Counts::default();
    for bank in &page.banks {
        totals.add(Counts::of(by_path.get(bank.path.as_str()).copied()));
    }
    let questions: usize = page.banks.iter().map(|b| b.questions).sum();
    let with_tldr: usize = page.banks.iter().map(|b| b.with_tldr).sum();
    let with_code: usize = page.banks.iter().map(|b| b.with_code).sum();

    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>qbank report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    let _ = writeln!(
        out,
        "<header><h1>qbank report</h1><p class=\"muted\">{} · {} · qbank {}</p></header>",
        plural(page.banks.len(), "bank", "banks"),
        plural(questions, "question", "questions"),
        esc(page.version)
    );

    // Totals.
    out.push_str("<section id=\"totals\" class=\"cards\">\n");
    let mut card = |label: &str, key: &str, value: String, class: &str| {
        let _ = writeln!(
            out,
            "<div class=\"card\"><span class=\"value {class}\" data-total=\"{key}\">{value}</span><span class=\"muted\">{label}</span></div>"
        );
    };
    card("banks", "banks", page.banks.len().to_string(), "");
    card("questions", "questions", questions.to_string(), "");
    card("with TL;DR", "tldr-coverage", percent(with_tldr, questions), "");
    card("with code", "code-coverage", percent(with_code, questions), "");
    card("errors", "errors", totals.errors.to_string(), "error");
    card("warnings", "warnings", totals.warnings.to_string(), "warning");
    card("info", "infos", totals.infos.to_string(), "info");
    card("hints", "hints", totals.hints.to_string(), "hint");
    if let Some((_, stale)) = &page.baseline {
        card("new findings", "new", totals.new_findings().to_string(), "");
        card("baselined", "baselined", totals.baselined.to_string(), "");
        card("stale baseline", "stale", stale.to_string(), "");
    }
    card("duplicate clusters", "clusters", page.clusters.len().to_string(), "");
    out.push_str("</section>\n");
    if let Some((path, _)) = &page.baseline {
        let _ = writeln!(out, "<p class=\"muted\">Compared with baseline <code>{}</code>.</p>", esc(path));
    }

    // Banks.
    out.push_str("<section id=\"banks\"><h2>Banks</h2>\n<table>\n<thead><tr><th>bank</th><th>shape</th><th class=\"num\">questions</th><th>TL;DR</th><th>code examples</th><th class=\"num\">errors</th><th class=\"num\">warnings</th><th class=\"num\">info</th><th class=\"num\">hints</th>");
    if page.baseline.is_some() {
        out.push_str("<th class=\"num\">new</th><th class=\"num\">baselined</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for bank in &page.banks {
        let counts = Counts::of(by_path.get(bank.path.as_str()).copied());
        let _ = write!(
            out,
            "<tr class=\"bank\" data-path=\"{path}\"><td><span class=\"path\">{path}</span><br><span class=\"muted\">{id}</span></td><td data-metric=\"shape\">{shape}</td><td class=\"num\" data-metric=\"questions\">{questions}</td><td data-metric=\"tldr\" data-count=\"{tldr}\">{tldr_bar}</td><td data-metric=\"code\" data-count=\"{code}\">{code_bar}</td>",
            path = esc(&bank.path),
            id = esc(&bank.bank_id),
            shape = esc(&bank.shape),
            questions = bank.questions,
            tldr = bank.with_tldr,
            code = bank.with_code,
            tldr_bar = coverage_bar(bank.with_tldr, bank.questions),
            code_bar = coverage_bar(bank.with_code, bank.questions),
        );
        for (key, value, class) in [
            ("errors", counts.errors, "error"),
            ("warnings", counts.warnings, "warning"),
            ("infos", counts.infos, "info"),
            ("hints", counts.hints, "hint"),
        ] {
            let class = if value == 0 { "" } else { class };
            let _ = write!(out, "<td class=\"num {class}\" data-metric=\"{key}\">{value}</td>");
        }
        if page.baseline.is_some() {
            let _ = write!(
                out,
                "<td class=\"num\" data-metric=\"new\">{}</td><td class=\"num\" data-metric=\"baselined\">{}</td>",
                counts.new_findings(),
                counts.baselined
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></section>\n");

    // Findings by rule, over every bank.
    let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for report in page.reports {
        for d in &report.diagnostics {
            *by_rule.entry((d.code, d.name)).or_insert(0) += 1;
        }
    }
    out.push_str("<section id=\"rules\"><h2>Findings by rule</h2>\n");
    if by_rule.is_empty() {
        out.push_str("<p class=\"clean\">No findings.</p>\n");
    } else {
        out.push_str(&rule_chart(&by_rule));
    }
    out.push_str("</section>\n");

    // Per bank details.
    out.push_str("<section id=\"details\"><h2>Findings per bank</h2>\n");
    for bank in &page.banks {
        let Some(report) = by_path.get(bank.path.as_str()) else { continue };
        let _ = writeln!(out, "<article class=\"bank-detail\" data-path=\"{0}\"><h3>{0}</h3>", esc(&bank.path));
        let mut findings: Vec<(&qbank_lint::Diagnostic, bool)> =
            report.diagnostics.iter().map(|d| (d, false)).collect();
        findings
            .extend(report.suppressed.iter().filter(|s| s.by == SuppressedBy::Baseline).map(|s| (&s.diagnostic, true)));
        findings.sort_by_key(|(d, _)| (d.span.start, d.code));
        if findings.is_empty() {
            out.push_str("<p class=\"clean\">No findings.</p></article>\n");
            continue;
        }
        let mut rules: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (d, baselined) in &findings {
            if !baselined {
                *rules.entry((d.code, d.name)).or_insert(0) += 1;
            }
        }
        if !rules.is_empty() {
            out.push_str(&rule_chart(&rules));
        }
        let index = LineIndex::new(&report.source);
        out.push_str(
            "<table class=\"findings\"><thead><tr><th>line</th><th>severity</th><th>rule</th><th>message</th>",
        );
        if page.baseline.is_some() {
            out.push_str("<th>status</th>");
        }
        out.push_str("</tr></thead><tbody>\n");
        for (d, baselined) in findings {
            let offset = qbank_core::line_index::floor_char_boundary(&report.source, d.span.start);
            let (line, column) = index.human_position(&report.source, offset);
            let severity = d.severity.as_str();
            let _ = write!(
                out,
                "<tr class=\"finding\" data-code=\"{}\" data-status=\"{}\"><td class=\"num\">{line}:{column}</td><td class=\"{severity}\">{severity}</td><td><code>{}</code> {}</td><td>{}</td>",
                d.code,
                if baselined { "baselined" } else { "new" },
                d.code,
                esc(d.name),
                diff_html(&d.message)
            );
            if page.baseline.is_some() {
                let _ = write!(out, "<td>{}</td>", if baselined { "baselined" } else { "<strong>new</strong>" });
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></article>\n");
    }
    out.push_str("</section>\n");

    // Duplicates.
    out.push_str("<section id=\"duplicates\"><h2>Duplicate clusters</h2>\n");
    if page.clusters.is_empty() {
        out.push_str("<p class=\"clean\">No duplicate questions.</p>\n");
    }
    for (n, cluster) in page.clusters.iter().enumerate() {
        let kind = if cluster.exact { "exact duplicates" } else { "near duplicates" };
        let _ = writeln!(
            out,
            "<div class=\"cluster\" data-kind=\"{}\"><strong>Cluster {}</strong> <span class=\"tag {}\">{kind}</span><ul>",
            if cluster.exact { "exact" } else { "near" },
            n + 1,
            if cluster.exact { "error" } else { "warning" },
        );
        for member in &cluster.members {
            let _ = write!(
                out,
                "<li><span class=\"path\">{}:{}</span> {}. {} <span class=\"muted\">[{}]</span>",
                esc(&member.path),
                member.line,
                member.number,
                esc(&member.question),
                esc(&member.id)
            );
            if let Some(diff) = &member.word_diff {
                let score =
                    member.score.map(|s| format!(" <span class=\"muted\">score {s:.2}</span>")).unwrap_or_default();
                let _ = write!(out, "<br><span class=\"diff\">{}</span>{score}", diff_html(diff));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul></div>\n");
    }
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

/// `n/total (p%)` with a small SVG bar.
fn coverage_bar(count: usize, total: usize) -> String {
    let ratio = if total == 0 { 0.0 } else { count as f64 / total as f64 };
    let width = (ratio * 100.0).round();
    let colour = if ratio >= 0.9 {
        "#1a7f37"
    } else if ratio >= 0.5 {
        "#9a6700"
    } else {
        "#cf222e"
    };
    format!(
        "<svg width=\"100\" height=\"10\" role=\"img\" aria-label=\"{}\"><rect width=\"100\" height=\"10\" fill=\"#eaeef2\"/><rect width=\"{width}\" height=\"10\" fill=\"{colour}\"/></svg> {count}/{total}",
        percent(count, total)
    )
}

/// A horizontal bar chart of counts per rule.
fn rule_chart(by_rule: &BTreeMap<(&str, &str), usize>) -> String {
    let max = by_rule.values().copied().max().unwrap_or(1).max(1);
    let row = 20;
    let label = 280;
    let bar = 360;
    let height = by_rule.len() * row + 4;
    let mut svg = format!(
        "<svg class=\"chart\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"findings by rule\">",
        label + bar + 60
    );
    for (i, ((code, name), count)) in by_rule.iter().enumerate() {
        let y = i * row + 2;
        let width = (*count as f64 / max as f64 * bar as f64).round().max(1.0);
        let _ = write!(
            svg,
            "<g data-rule=\"{code}\" data-count=\"{count}\"><text x=\"0\" y=\"{}\">{code} {}</text><rect x=\"{label}\" y=\"{y}\" width=\"{width}\" height=\"{}\" fill=\"#0969da\"/><text x=\"{}\" y=\"{}\">{count}</text></g>",
            y + 13,
            esc(name),
            row - 6,
            label as f64 + width + 6.0,
            y + 13
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// A word diff (`[-removed-]{+added+}`) as HTML with `<del>` and `<ins>`.
fn diff_html(diff: &str) -> String {
    let mut out = String::new();
    let mut rest = diff;
    loop {
        let next = [("[-", "-]", "del"), ("{+", "+}", "ins")]
            .into_iter()
            .filter_map(|(open, close, tag)| rest.find(open).map(|at| (at, open, close, tag)))
            .min_by_key(|(at, ..)| *at);
        let Some((at, open, close, tag)) = next else { break };
        let Some(end) = rest[at + open.len()..].find(close).map(|e| at + open.len() + e) else { break };
        out.push_str(&esc(&rest[..at]));
        let _ = write!(out, "<{tag}>{}</{tag}>", esc(&rest[at + open.len()..end]));
        rest = &rest[end + close.len()..];
    }
    out.push_str(&esc(rest));
    out
}

fn percent(count: usize, total: usize) -> String {
    if total == 0 {
        return "–".to_owned();
    }
    format!("{}%", (count as f64 / total as f64 * 100.0).round())
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Escaped for HTML text and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ch => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diffs_become_del_and_ins() {
        assert_eq!(
            diff_html("How do <you> [-roll back?-]{+revert a release?+} now"),
            "How do &lt;you&gt; <del>roll back?</del><ins>revert a release?</ins> now"
        );
        assert_eq!(diff_html("unclosed [-marker"), "unclosed [-marker");
    }
}
