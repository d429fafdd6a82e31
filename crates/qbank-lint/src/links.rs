//! Links between questions: `[…](#question-id)` to a question of the same bank and
//! `[…](other-bank.md#question-id)` (or `[…](other-bank.md)`) to another bank, found in a
//! bank's text outside code. A question's anchor is its id. Pure text scanning: byte spans in,
//! byte spans out; [`resolve_bank`] resolves a bank path lexically (no file system access).

use std::path::{Component, Path, PathBuf};

use qbank_core::Span;

/// One link whose target is a question or a bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionLink {
    /// `[text](target)`, brackets included.
    pub span: Span,
    /// The target inside the parentheses.
    pub target: Span,
    /// The bank path before `#` (`None` for `#id`, a link within the bank).
    pub bank: Option<Span>,
    /// The question id after `#` (`None` for a link to a whole bank).
    pub id: Option<Span>,
}

impl QuestionLink {
    pub fn bank_text<'a>(&self, text: &'a str) -> Option<&'a str> {
        self.bank.map(|s| &text[s.start..s.end])
    }

    pub fn id_text<'a>(&self, text: &'a str) -> Option<&'a str> {
        self.id.map(|s| &text[s.start..s.end])
    }
}

/// Whether `path` names a bank file (`.md` or `.markdown`).
pub fn is_bank_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Every question or bank link of `text`, in order; links inside fenced code blocks and code
/// spans are not links.
pub fn question_links(text: &str) -> Vec<QuestionLink> {
    let mut found = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let trimmed = line.trim_start_matches(' ');
        let marker = trimmed.bytes().next().filter(|b| *b == b'`' || *b == b'~');
        if let Some(m) = marker {
            let run = trimmed.bytes().take_while(|b| *b == m).count();
            if run >= 3 {
                match fence {
                    None => fence = Some((m, run)),
                    Some((fm, fr)) if fm == m && run >= fr && trimmed[run..].trim().is_empty() => fence = None,
                    Some(_) => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        scan_line(line, start, &mut found);
    }
    found
}

fn scan_line(line: &str, base: usize, found: &mut Vec<QuestionLink>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut code_run: Option<usize> = None;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            code_run = match code_run {
                None => Some(run),
                Some(open) if open == run => None,
                other => other,
            };
            i += run;
            continue;
        }
        if code_run.is_some() || bytes[i] != b'[' {
            i += 1;
            continue;
        }
        // `[text](target)`: the text has no `]`; the target has no whitespace, and parentheses
        // only balanced or escaped, or it is written `<…>` (then spaces are allowed).
        let Some(close) = line[i + 1..].find(']').map(|k| i + 1 + k) else { break };
        if bytes.get(close + 1) != Some(&b'(') {
            i = close + 1;
            continue;
        }
        let Some((target_start, target_end, end)) = destination(line, close + 2) else {
            i = close + 1;
            continue;
        };
        if let Some(link) = classify(&line[target_start..target_end], base + target_start) {
            found.push(QuestionLink { span: Span::new(base + i, base + end + 1), ..link });
        }
        i = end + 1;
    }
}

/// The link destination starting at `from` in `line` (just after `(`): its start and end, and
/// where the closing `)` is. `None` when it is not a destination qbank reads (a title after it,
/// an unbalanced parenthesis, no `)` on the line).
fn destination(line: &str, from: usize) -> Option<(usize, usize, usize)> {
    let bytes = line.as_bytes();
    if bytes.get(from) == Some(&b'<') {
        let close = line[from + 1..].find(['>', '\n']).map(|k| from + 1 + k)?;
        return (bytes[close] == b'>' && bytes.get(close + 1) == Some(&b')')).then_some((from + 1, close, close + 1));
    }
    let mut depth = 0usize;
    let mut k = from;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' => k += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => return Some((from, k, k)),
            b')' => depth -= 1,
            b if b.is_ascii_whitespace() => return None,
            _ => {}
        }
        k += 1;
    }
    None
}

/// `text` with the target of each question link replaced by what `retarget` returns for it
/// (the whole target: bank path and `#id`); links for which it returns `None` are left alone.
/// Only target bytes change: the link text and every other byte of `text` are kept. Returns the
/// new text and how many links changed.
pub fn rewrite_links(text: &str, mut retarget: impl FnMut(&QuestionLink) -> Option<String>) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut changed = 0;
    for link in question_links(text) {
        let Some(target) = retarget(&link) else { continue };
        if target == text[link.target.start..link.target.end] {
            continue;
        }
        out.push_str(&text[copied..link.target.start]);
        out.push_str(&target);
        copied = link.target.end;
        changed += 1;
    }
    out.push_str(&text[copied..]);
    (out, changed)
}

/// A link target (at `at`) as a question or bank link, or `None` (a web address, an image…).
fn classify(target: &str, at: usize) -> Option<QuestionLink> {
    if target.contains("://") || target.starts_with("mailto:") || target.starts_with('/') {
        return None;
    }
    let (path, fragment) = match target.find('#') {
        Some(k) => (&target[..k], Some((&target[k + 1..], at + k + 1))),
        None => (target, None),
    };
    if !path.is_empty() && !is_bank_path(path) {
        return None;
    }
    let id = fragment.filter(|(f, _)| !f.is_empty()).map(|(f, s)| Span::new(s, s + f.len()));
    if path.is_empty() && id.is_none() {
        return None;
    }
    let bank = (!path.is_empty()).then(|| Span::new(at, at + path.len()));
    Some(QuestionLink { span: Span::new(at, at), target: Span::new(at, at + target.len()), bank, id })
}

/// The file a link's bank path names, relative to the linking file `from` (lexically: `.` and
/// `..` resolved, no file system access).
pub fn resolve_bank(from: &Path, bank: &str) -> PathBuf {
    let base = from.parent().unwrap_or(Path::new(""));
    let decoded = percent_decode(bank);
    normalize(&base.join(decoded))
}

/// `path` with `.` and `..` resolved lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The relative path from the directory of `from` to `to`, with `/` separators: what a link in
/// `from` writes to reach `to`.
pub fn relative_link(from: &Path, to: &Path) -> String {
    let base: Vec<Component<'_>> = from.parent().map(|p| p.components().collect()).unwrap_or_default();
    let target: Vec<Component<'_>> = to.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..base.len() {
        parts.push("..".into());
    }
    for c in &target[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// [`relative_link`] written as a link destination: a space, `%`, parentheses, angle brackets
/// and control characters percent-encoded, so that the destination reads back as one and
/// [`resolve_bank`] finds `to` again (`my (old) 100% bank.md` → `my%20%28old%29%20100%25%20bank.md`).
pub fn link_path(from: &Path, to: &Path) -> String {
    let mut out = String::new();
    for c in relative_link(from, to).chars() {
        match c {
            ' ' | '%' | '(' | ')' | '<' | '>' | '\\' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {
                let mut buffer = [0u8; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `%20` and friends, as editors write spaces in link targets.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(value) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(value);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The span of a question's id in its metadata comment (`<!-- id: rollback -->`), searched in
/// `whole` (the question's span) of `text`.
pub fn id_span(text: &str, whole: Span, id: &str) -> Option<Span> {
    if id.is_empty() {
        return None;
    }
    let region = text.get(whole.start..whole.end.min(text.len()))?;
    let comment = region.find("<!--")?;
    let close = region[comment..].find("-->").map_or(region.len(), |k| comment + k);
    let inside = &region[comment..close];
    let key = inside.find("id:")?;
    let after = &inside[key + 3..];
    let lead = after.len() - after.trim_start().len();
    let value = &after[lead..];
    value.starts_with(id).then(|| {
        let start = whole.start + comment + key + 3 + lead;
        Span::new(start, start + id.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(Option<&str>, Option<&str>)> {
        question_links(text).iter().map(|l| (l.bank_text(text), l.id_text(text))).collect()
    }

    #[test]
    fn finds_question_and_bank_links_outside_code() {
        let text = "See [Q3](#rollback) and [other](ops/ünï.md#safe-rollout), [bank](b.markdown).\n\
                    Not [web](https://x.md#a), not [img](pic.png), not `[code](#x)`.\n\
                    ```\n[fenced](#y)\n```\n[after](#z)\n";
        assert_eq!(
            texts(text),
            [
                (None, Some("rollback")),
                (Some("ops/ünï.md"), Some("safe-rollout")),
                (Some("b.markdown"), None),
                (None, Some("z")),
            ]
        );
        let first = &question_links(text)[0];
        assert_eq!(&text[first.span.start..first.span.end], "[Q3](#rollback)");
        assert_eq!(&text[first.target.start..first.target.end], "#rollback");
    }

    #[test]
    fn destinations_with_parentheses_or_angle_brackets_are_links() {
        let text = "[a](my%20(old).md#x) [b](<my (old) bank.md#y>) [c](x\\).md#z) [d](un(balanced.md#w) \
                    [e](t.md#v \"title\") [f](ok.md#u)";
        assert_eq!(
            texts(text),
            [
                (Some("my%20(old).md"), Some("x")),
                (Some("my (old) bank.md"), Some("y")),
                (Some("x\\).md"), Some("z")),
                (Some("ok.md"), Some("u")),
            ]
        );
        let b = &question_links(text)[1];
        assert_eq!(&text[b.span.start..b.span.end], "[b](<my (old) bank.md#y>)");
    }

    #[test]
    fn rewriting_changes_only_link_targets() {
        let text = "Sé [`Q3` (#a)](#a) and [b](x.md#b), `[code](#a)`, [web](https://h/#a).\n";
        let (out, changed) = rewrite_links(text, |link| match link.id_text(text) {
            Some("a") => Some("#a-2".into()),
            Some("b") => Some("#b".into()),
            _ => None,
        });
        assert_eq!(out, "Sé [`Q3` (#a)](#a-2) and [b](#b), `[code](#a)`, [web](https://h/#a).\n");
        assert_eq!(changed, 2);
        let (same, none) = rewrite_links(text, |link| Some(text[link.target.start..link.target.end].to_string()));
        assert_eq!((same.as_str(), none), (text, 0));
    }

    #[test]
    fn paths_resolve_and_relate_lexically() {
        let from = Path::new("/w/a/bank.md");
        assert_eq!(resolve_bank(from, "../b/other%20bank.md"), PathBuf::from("/w/b/other bank.md"));
        assert_eq!(resolve_bank(from, "./same.md"), PathBuf::from("/w/a/same.md"));
        assert_eq!(relative_link(from, Path::new("/w/b/x.md")), "../b/x.md");
        assert_eq!(relative_link(from, Path::new("/w/a/y.md")), "y.md");
        // Written as a destination, every path reads back as itself.
        for name in ["/w/b/my (old) 100% bank.md", "/w/b/банк вопросов.md", "/w/a/tab\there.md", "/w/b/%20.md"]
        {
            let written = link_path(from, Path::new(name));
            assert!(!written.contains([' ', '(', ')', '\t']), "{written}");
            assert_eq!(resolve_bank(from, &written), PathBuf::from(name), "{written}");
        }
        assert_eq!(link_path(from, Path::new("/w/b/my (old) 100% bank.md")), "../b/my%20%28old%29%20100%25%20bank.md");
    }

    #[test]
    fn the_id_span_is_in_the_metadata_comment() {
        let text = "### 1. Why?\n<!-- id: why-ü; tags: a -->\n\nBecause.\n";
        let span = id_span(text, Span::new(0, text.len()), "why-ü").unwrap();
        assert_eq!(&text[span.start..span.end], "why-ü");
    }
}
