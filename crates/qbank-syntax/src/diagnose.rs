//! Turns a tree-sitter tree's ERROR and MISSING nodes into short messages at the right spot.

use std::ops::Range;

use tree_sitter::{Node, Tree};

use crate::language::{Anchor, PostCheck};

/// At most this many errors are reported per block; the first is what matters.
pub(crate) const MAX_ERRORS: usize = 3;

/// Leaves examined per ERROR node when looking for the unbalanced bracket.
const MAX_LEAVES: usize = 20_000;

/// An error in the coordinates of the text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawError {
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
}

/// Whether a tree is free of errors, including those only the post-checks see.
pub(crate) fn is_clean(tree: &Tree, text: &str, post_checks: &[PostCheck]) -> bool {
    !tree.root_node().has_error() && post_check_errors(tree, text, post_checks).is_empty()
}

/// The errors of a tree, in source order, at most [`MAX_ERRORS`].
pub(crate) fn errors(tree: &Tree, text: &str, anchor: Anchor, post_checks: &[PostCheck]) -> Vec<RawError> {
    let mut errors = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let mut descend = false;
        if node.is_missing() {
            errors.push(missing(node, text));
        } else if node.is_error() {
            errors.push(unexpected(node, text, anchor));
        } else {
            descend = node.has_error();
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    errors.extend(post_check_errors(tree, text, post_checks));
    errors.sort_by_key(|error| error.range.start);
    errors.dedup_by_key(|error| error.range.start);
    errors.truncate(MAX_ERRORS);
    errors
}

fn missing(node: Node<'_>, text: &str) -> RawError {
    // Tree-sitter puts a missing token before the next one, often lines later; the place to
    // add it is right after the previous token.
    let at = text[..node.start_byte().min(text.len())].trim_end().len();
    let kind = node.kind();
    let message =
        if node.is_named() { format!("missing {}", kind.replace('_', " ")) } else { format!("missing `{kind}`") };
    RawError { range: at..at, message }
}

fn unexpected(node: Node<'_>, text: &str, anchor: Anchor) -> RawError {
    let leaves = leaves(node);
    if let Some(error) = unclosed_quote(node, &leaves, text) {
        return error;
    }
    if let Some(error) = unbalanced_bracket(node, &leaves, text) {
        return error;
    }
    let start = node.start_byte();
    match anchor {
        Anchor::End => {
            let end = node.end_byte().min(text.len());
            let after = text.len() - text[end..].trim_start().len();
            match token_at(text, after) {
                Some(token) => RawError { message: format!("unexpected `{}`", &text[token.clone()]), range: token },
                None => {
                    RawError { range: node.end_byte()..node.end_byte(), message: "unexpected end of input".to_string() }
                }
            }
        }
        Anchor::Start => {
            let skipped_text = leaves.first().is_none_or(|leaf| leaf.start_byte() > start);
            let single_token = leaves.len() <= 1;
            if let Some(error) = expected_before_line_break(node, text) {
                return error;
            }
            if skipped_text || single_token {
                let token = token_at(text, start).unwrap_or(start..node.end_byte());
                return RawError { message: format!("unexpected `{}`", &text[token.clone()]), range: token };
            }
            let line_end = text[start..].find('\n').map_or(text.len(), |at| start + at);
            let end = line_end.min(node.end_byte());
            let fragment = text[start..end].trim_end();
            RawError {
                range: start..start + fragment.len(),
                message: format!("invalid syntax at `{}`", shorten(fragment)),
            }
        }
    }
}

/// Tokens skipped from the start of a line so that the parser could take the token after them
/// (`for i in range(5)⏎ try:` skips `try` to reach the `:`): the parser really failed at the
/// end of the line before, where that token was expected — which is where the language's own
/// parser stops (Python: "expected ':'" on the `for` line).
fn expected_before_line_break(node: Node<'_>, text: &str) -> Option<RawError> {
    let previous = node.prev_sibling()?;
    let wanted =
        node.next_sibling().filter(|next| !next.is_named() && !next.is_missing() && next.child_count() == 0)?;
    let gap = text.get(previous.end_byte()..node.start_byte())?;
    let wanted_text = text.get(wanted.byte_range())?;
    // A closing bracket after the skipped text ends a block the text was in; an opening one
    // before it starts that block: neither says what the line before lacked.
    let brackets = |t: &str| t.starts_with([')', ']', '}']) || t.ends_with(['(', '[', '{']);
    if !gap.contains('\n')
        || wanted_text.is_empty()
        || wanted_text.chars().any(char::is_alphanumeric)
        || brackets(wanted_text)
        || text.get(previous.byte_range()).is_none_or(brackets)
    {
        return None;
    }
    let at = previous.end_byte();
    Some(RawError { range: at..at, message: format!("expected `{wanted_text}`") })
}

/// The leaves under `node`, in order, at most [`MAX_LEAVES`].
fn leaves(node: Node<'_>) -> Vec<Node<'_>> {
    let mut leaves = Vec::new();
    let mut cursor = node.walk();
    'walk: loop {
        let current = cursor.node();
        if current.child_count() == 0 {
            leaves.push(current);
            if leaves.len() >= MAX_LEAVES {
                break;
            }
        } else if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == node {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    leaves
}

/// An ERROR that opens with a quote: the string never ends.
fn unclosed_quote(node: Node<'_>, leaves: &[Node<'_>], text: &str) -> Option<RawError> {
    let first = leaves.first()?;
    if first.start_byte() != node.start_byte() {
        return None;
    }
    let leaf_text = &text[first.byte_range()];
    let quote = ["\"\"\"", "'''", "\"", "'", "`"]
        .into_iter()
        .find(|quote| leaf_text == *quote || (first.is_error() && leaf_text.starts_with(quote)))?;
    // A lone quote that is closed later inside the same ERROR is not the problem.
    let closed_later = leaves[1..].iter().any(|leaf| &text[leaf.byte_range()] == quote);
    (!closed_later || first.kind() == "string_start").then(|| RawError {
        range: first.start_byte()..first.start_byte() + quote.len(),
        message: format!("unclosed `{quote}`"),
    })
}

/// An unbalanced bracket among the ERROR's punctuation tokens.
fn unbalanced_bracket(node: Node<'_>, leaves: &[Node<'_>], text: &str) -> Option<RawError> {
    let mut stack: Vec<(char, usize)> = Vec::new();
    for leaf in leaves {
        let kind = leaf.kind();
        if leaf.is_named() || leaf.is_missing() || kind.chars().any(char::is_alphanumeric) {
            continue;
        }
        let leaf_text = &text[leaf.byte_range()];
        if leaf_text != kind {
            continue;
        }
        for (offset, c) in kind.char_indices() {
            let at = leaf.start_byte() + offset;
            match c {
                '(' | '[' | '{' => stack.push((c, at)),
                ')' | ']' | '}' => match stack.pop() {
                    Some((open, _)) if open == opener(c) => {}
                    Some((open, open_at)) => return Some(unclosed(open, open_at)),
                    None => {
                        return Some(RawError { range: at..at + 1, message: format!("unexpected `{c}`") });
                    }
                },
                _ => {}
            }
        }
    }
    let (open, open_at) = stack.pop()?;
    // The partner may sit right after the ERROR, outside it.
    let after = text.get(node.end_byte()..).unwrap_or_default().trim_start();
    let closed_outside = stack.is_empty() && after.starts_with(closer(open));
    (!closed_outside).then(|| unclosed(open, open_at))
}

fn unclosed(open: char, at: usize) -> RawError {
    RawError { range: at..at + 1, message: format!("unclosed `{open}`") }
}

fn opener(close: char) -> char {
    match close {
        ')' => '(',
        ']' => '[',
        _ => '{',
    }
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// The token starting at `at`: a word, a run of one punctuation character (at most three,
/// for `...`), or one other character; `None` at the end of the text.
fn token_at(text: &str, at: usize) -> Option<Range<usize>> {
    let rest = text.get(at..)?;
    let first = rest.chars().next()?;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let len = if is_word(first) {
        rest.find(|c: char| !is_word(c)).unwrap_or(rest.len()).min(40)
    } else if first.is_ascii_punctuation() {
        rest.bytes().take(3).take_while(|b| *b == first as u8).count()
    } else {
        first.len_utf8()
    };
    let mut end = at + len;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(at..end)
}

/// At most 30 characters of `fragment`, with an ellipsis when cut.
fn shorten(fragment: &str) -> String {
    const LIMIT: usize = 30;
    match fragment.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &fragment[..cut]),
        None => fragment.to_string(),
    }
}

fn post_check_errors(tree: &Tree, text: &str, post_checks: &[PostCheck]) -> Vec<RawError> {
    if post_checks.is_empty() {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        for check in post_checks {
            if let Some(error) = post_check(*check, node, text) {
                errors.push(error);
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    errors
}

fn post_check(check: PostCheck, node: Node<'_>, text: &str) -> Option<RawError> {
    match check {
        PostCheck::Forbid { kind, message } => (node.kind() == kind && !node.is_missing())
            .then(|| RawError { range: node.byte_range(), message: message.to_string() }),
        PostCheck::GluedKeyword { node_suffix, message } => {
            if !node.kind().ends_with(node_suffix) {
                return None;
            }
            let keyword = node.child(0)?;
            let after = text[keyword.end_byte()..].chars().next()?;
            if after.is_whitespace() || after == '\\' || keyword.is_named() {
                return None;
            }
            let word_end = text[keyword.start_byte()..]
                .find(char::is_whitespace)
                .map_or(text.len(), |at| keyword.start_byte() + at);
            let word = &text[keyword.start_byte()..word_end];
            Some(RawError { range: keyword.start_byte()..word_end, message: format!("{message} `{}`", shorten(word)) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_at_takes_words_and_punctuation_runs() {
        let text = "foo ... ,, é";
        assert_eq!(token_at(text, 0), Some(0..3));
        assert_eq!(token_at(text, 4), Some(4..7));
        assert_eq!(token_at(text, 8), Some(8..10));
        assert_eq!(token_at(text, 11), Some(11..13));
        assert_eq!(token_at(text, text.len()), None);
    }

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("short"), "short");
        let long = "é".repeat(40);
        assert_eq!(shorten(&long), format!("{}…", "é".repeat(30)));
    }
}
