//! mkdocs-material admonitions as questions: `??? question "What is X?"` (also `???+`, `!!!`
//! and the type's aliases `faq` and `help`), the answer indented four spaces below it. A
//! question admonition without a title, or of another type (`!!! note`, `!!! tip`), is prose.

use crate::Span;
use crate::shapes::units::{Unit, lines, markdown_text, one_line};
use crate::text::dedent;

/// Admonition types that hold a question.
const QUESTION_TYPES: &[&str] = &["question", "faq", "help"];

/// `??? question "Title"` → (the marker line's question-title span). `line` starts at `at`.
fn opener(line: &str, at: usize) -> Option<Span> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = &line[indent..];
    let marker = ["???+", "???", "!!!"].into_iter().find(|m| t.starts_with(m))?;
    let rest = &t[marker.len()..];
    let after_space = rest.trim_start_matches([' ', '\t']);
    if after_space.len() == rest.len() {
        return None;
    }
    let kind_len = after_space.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-').count();
    let kind = after_space[..kind_len].to_ascii_lowercase();
    if !QUESTION_TYPES.contains(&kind.as_str()) {
        return None;
    }
    // Optional modifiers (`inline`, `inline end`), then the quoted title.
    let mut rest = &after_space[kind_len..];
    loop {
        let trimmed = rest.trim_start();
        if let Some(r) = trimmed.strip_prefix("inline").filter(|r| r.starts_with([' ', '"']) || r.is_empty()) {
            rest = r;
        } else if let Some(r) = trimmed.strip_prefix("end").filter(|r| r.starts_with([' ', '"']) || r.is_empty()) {
            rest = r;
        } else {
            rest = trimmed;
            break;
        }
    }
    let title = rest.strip_prefix('"')?;
    let close = title.rfind('"')?;
    if !title[close + 1..].trim().is_empty() || title[..close].trim().is_empty() {
        return None;
    }
    let start = at + (line.len() - title.len());
    Some(Span::new(start, start + close))
}

/// Every question admonition after `from` that is not inside a fenced code block.
pub(crate) fn admonitions(source: &str, from: usize, in_code: &dyn Fn(usize) -> bool) -> Vec<Unit> {
    let all: Vec<(usize, &str)> = lines(source, from).collect();
    let mut units = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let (at, line) = all[i];
        let Some(title) = opener(line, at).filter(|_| !in_code(at)) else {
            i += 1;
            continue;
        };
        let indent = line.len() - line.trim_start_matches(' ').len();
        // The body: blank lines and lines indented four more than the marker.
        let mut j = i + 1;
        let mut last = i;
        while j < all.len() {
            let (_, l) = all[j];
            if l.trim().is_empty() {
                j += 1;
                continue;
            }
            let ind = l.len() - l.trim_start_matches([' ', '\t']).len();
            let tabbed = l[indent.min(l.len())..].starts_with('\t');
            if ind < indent + 4 && !tabbed {
                break;
            }
            last = j;
            j += 1;
        }
        let heading = Span::new(at, at + line.len());
        let answer = (last > i).then(|| {
            let start = all[i + 1].0;
            let (end_at, end_line) = all[last];
            Span::new(start, end_at + end_line.len())
        });
        let answer_text = answer
            .map(|a| {
                let text = a.slice(source).replace('\t', "    ");
                markdown_text(dedent(&text, indent + 4).trim_matches('\n'))
            })
            .unwrap_or_default();
        let answer = answer.map(|a| crate::parse::trim_both(source, a));
        units.push(Unit {
            metadata: None,
            whole: Span::new(at, answer.map_or(heading.end, |a| a.end)),
            heading,
            number: None,
            question: title,
            question_text: one_line(title.slice(source)),
            answer: answer.filter(|a| !a.is_empty()),
            answer_text,
            structure: vec![Span::new(at, title.start), Span::new(title.end, heading.end)],
        });
        i = last.max(i) + 1;
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers_need_a_question_type_and_a_title() {
        let title = |line: &str| opener(line, 0).map(|s| s.slice(line).to_string());
        assert_eq!(title(r#"??? question "What is X?""#).as_deref(), Some("What is X?"));
        assert_eq!(title(r#"???+ faq "Why `touch`?""#).as_deref(), Some("Why `touch`?"));
        assert_eq!(title(r#"!!! help inline end "How?""#).as_deref(), Some("How?"));
        assert_eq!(title(r#"!!! note "What is X?""#), None);
        assert_eq!(title("??? question"), None);
        assert_eq!(title(r#"    ??? question "Indented as code""#), None);
        assert_eq!(title(r#"???question "No space""#), None);
    }
}
