//! Fragment rewrites (wrappers, prompt stripping, placeholder blanking) and the map from
//! rewritten offsets back to the snippet's own offsets.

use std::ops::Range;

/// Which terminal prompts [`Transform::StripPrompts`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PromptStyle {
    /// `$ cmd`, `% cmd`, `user@host:~$ cmd`; continuation `> `.
    Shell,
    /// `>>> code`; continuation `... `.
    Python,
    /// `mysql> `, `sqlite> `, `db=# `, `db=> `; continuation `-> `, `...> `, `db-# `.
    Sql,
}

/// A rewrite tried on a fragment that does not parse as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transform {
    /// `prefix` + code + `suffix`: gives members a class, fields a struct, a tail
    /// expression a function.
    Wrap { prefix: &'static str, suffix: &'static str },
    /// Keeps only what was typed at a prompt; output lines become empty lines.
    StripPrompts(PromptStyle),
    /// The snippet unchanged, only when it has no prompt (else [`Self::StripPrompts`] is
    /// the reading: `$ for …` parses as a command named `$`).
    Unprompted(PromptStyle),
    /// Blanks lines starting with one of `markers` (Jupyter `!pip`, `%timeit`).
    BlankLines { markers: &'static [&'static str] },
    /// `<pod-name>` becomes `_pod-name_`.
    AnglePlaceholders,
    /// A standalone `...` or `…` ("code omitted") becomes spaces, with one adjacent comma;
    /// where an expression is due (`x = ...`, `a: /* ... */`) it becomes `_` instead.
    Ellipses,
    /// Helm/Jinja `{{ … }}` and `{% … %}` become a plain scalar, or spaces on lines of their own.
    YamlTemplates,
    /// A fragment whose first line is indented deeper than later ones gets synthetic parents.
    YamlParents,
    /// Commas before `}` or `]` become spaces (JSONC).
    TrailingCommas,
}

/// Rewritten text and how to map its offsets back.
#[derive(Debug)]
pub(crate) struct Rewritten {
    text: String,
    /// Spans copied from the input, in increasing order of `new`; `None` means every offset
    /// maps to itself (same-length substitutions).
    spans: Option<Vec<Span>>,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    new: usize,
    old: usize,
    len: usize,
}

impl Rewritten {
    /// Maps an offset in the rewritten text to one in the input. Offsets inside inserted
    /// text map to the end of the copied text before them (or the start of the first copy).
    fn to_input(&self, offset: usize) -> usize {
        let Some(spans) = &self.spans else {
            return offset;
        };
        let index = spans.partition_point(|span| span.new <= offset);
        if index == 0 {
            return spans.first().map_or(0, |span| span.old);
        }
        let span = spans[index - 1];
        span.old + (offset - span.new).min(span.len)
    }
}

/// A snippet after zero or more rewrites.
#[derive(Debug)]
pub(crate) struct Rewrites<'a> {
    original: &'a str,
    steps: Vec<Rewritten>,
}

impl<'a> Rewrites<'a> {
    /// Applies `transforms` in order; `None` when one of them does not apply to the snippet
    /// (so the attempt would repeat another one).
    pub(crate) fn apply(original: &'a str, transforms: &[Transform]) -> Option<Self> {
        let mut steps: Vec<Rewritten> = Vec::with_capacity(transforms.len() + 1);
        if original.contains("\r\n") {
            // Grammars expect `\n` (a Dockerfile `\` before `\r\n` continues nothing).
            steps.push(without_carriage_returns(original));
        }
        for transform in transforms {
            let input = steps.last().map_or(original, |step| step.text.as_str());
            steps.push(transform.apply(input)?);
        }
        Some(Rewrites { original, steps })
    }

    pub(crate) fn text(&self) -> &str {
        self.steps.last().map_or(self.original, |step| step.text.as_str())
    }

    /// Maps an offset in [`Self::text`] to one in the original snippet.
    pub(crate) fn to_original(&self, offset: usize) -> usize {
        let offset = self.steps.iter().rev().fold(offset, |offset, step| step.to_input(offset));
        offset.min(self.original.len())
    }
}

/// Builds a [`Rewritten`] from copies of the input and inserted text.
struct Builder<'a> {
    input: &'a str,
    text: String,
    spans: Vec<Span>,
}

impl<'a> Builder<'a> {
    fn new(input: &'a str) -> Self {
        Builder { input, text: String::with_capacity(input.len() + 64), spans: Vec::new() }
    }

    fn copy(&mut self, range: Range<usize>) {
        let Some(slice) = self.input.get(range.clone()) else {
            return;
        };
        if slice.is_empty() {
            return;
        }
        let new = self.text.len();
        match self.spans.last_mut() {
            Some(last) if last.new + last.len == new && last.old + last.len == range.start => {
                last.len += slice.len();
            }
            _ => self.spans.push(Span { new, old: range.start, len: slice.len() }),
        }
        self.text.push_str(slice);
    }

    fn insert(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn finish(self) -> Rewritten {
        Rewritten { text: self.text, spans: Some(self.spans) }
    }
}

/// `input` with each `\r\n` turned into `\n`. The `\n` is inserted rather than copied so
/// that an error at the end of a line maps to before the `\r`, not after it.
fn without_carriage_returns(input: &str) -> Rewritten {
    let mut builder = Builder::new(input);
    let mut copied = 0;
    for (at, _) in input.match_indices("\r\n") {
        builder.copy(copied..at);
        builder.insert("\n");
        copied = at + 2;
    }
    builder.copy(copied..input.len());
    builder.finish()
}

/// Same-length replacements: offsets stay put. `None` when there is nothing to replace.
fn substitute(input: &str, edits: &[(Range<usize>, u8)]) -> Option<Rewritten> {
    if edits.is_empty() {
        return None;
    }
    let mut bytes = input.as_bytes().to_vec();
    for (range, fill) in edits {
        if let Some(slice) = bytes.get_mut(range.clone()) {
            slice.fill(*fill);
        }
    }
    // Every edited range covers whole characters, so this only fails on a bug; then the
    // attempt is skipped.
    let text = String::from_utf8(bytes).ok()?;
    Some(Rewritten { text, spans: None })
}

/// `(start, line without its line break, end including the break)` for each line.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        (start, line, offset)
    })
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

impl Transform {
    /// The rewritten snippet, or `None` when this rewrite does not apply.
    pub(crate) fn apply(&self, input: &str) -> Option<Rewritten> {
        match *self {
            Transform::Wrap { prefix, suffix } => {
                let mut builder = Builder::new(input);
                builder.insert(prefix);
                builder.copy(0..input.len());
                builder.insert(suffix);
                Some(builder.finish())
            }
            Transform::StripPrompts(style) => strip_prompts(input, style),
            Transform::Unprompted(style) => {
                let prompted = lines(input).any(|(_, line, _)| prompt_len(style, line).is_some());
                (!prompted).then(|| Rewritten { text: input.to_string(), spans: None })
            }
            Transform::BlankLines { markers } => blank_lines(input, markers),
            Transform::AnglePlaceholders => angle_placeholders(input),
            Transform::Ellipses => ellipses(input),
            Transform::YamlTemplates => yaml_templates(input),
            Transform::YamlParents => yaml_parents(input),
            Transform::TrailingCommas => trailing_commas(input),
        }
    }
}

/// Length of the prompt that opens `line`, if any.
fn prompt_len(style: PromptStyle, line: &str) -> Option<usize> {
    match style {
        PromptStyle::Shell => {
            for prompt in ["$ ", "% "] {
                if line.starts_with(prompt) {
                    return Some(prompt.len());
                }
            }
            if line == "$" {
                return Some(1);
            }
            // `user@host:~/dir$ cmd` and `[user@host dir]# cmd`.
            let (head, _) = line.split_once(' ').unwrap_or((line, ""));
            let head_end = head.len();
            let prompt_like = head.contains('@') && (head.ends_with('$') || head.ends_with('#'));
            let bracketed = head.starts_with('[') && line.contains("]$ ");
            if bracketed {
                return line.find("]$ ").map(|at| at + 3);
            }
            prompt_like.then_some((head_end + 1).min(line.len()))
        }
        PromptStyle::Python => {
            if line.starts_with(">>> ") {
                Some(4)
            } else if line == ">>>" {
                Some(3)
            } else {
                None
            }
        }
        PromptStyle::Sql => {
            for prompt in ["mysql> ", "mariadb> ", "MariaDB> ", "sqlite> ", "SQL> ", "hive> ", "duckdb> "] {
                if line.starts_with(prompt) {
                    return Some(prompt.len());
                }
            }
            // psql: `dbname=# ` and `dbname=> `.
            let name_len = line.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let rest = &line[name_len..];
            (name_len > 0 && (rest.starts_with("=# ") || rest.starts_with("=> "))).then_some(name_len + 3)
        }
    }
}

/// Length of the continuation prompt that opens `line`, if any.
fn continuation_len(style: PromptStyle, line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let markers: &[&str] = match style {
        PromptStyle::Shell => &["> "],
        PromptStyle::Python => &["... "],
        PromptStyle::Sql => &["-> ", "...> "],
    };
    for marker in markers {
        if trimmed.starts_with(marker) {
            return Some(indent + marker.len());
        }
        if trimmed == marker.trim_end() {
            return Some(line.len());
        }
    }
    if style == PromptStyle::Sql {
        let name_len = line.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let rest = &line[name_len..];
        let psql = ["-# ", "-> ", "(# ", "'# ", "\"# "].iter().any(|cont| rest.starts_with(cont));
        if name_len > 0 && psql {
            return Some(name_len + 3);
        }
    }
    None
}

fn strip_prompts(input: &str, style: PromptStyle) -> Option<Rewritten> {
    let mut builder = Builder::new(input);
    let mut found = false;
    let mut in_command = false;
    let mut continued = false;
    for (start, line, end) in lines(input) {
        let line_end = start + line.len();
        if let Some(len) = prompt_len(style, line) {
            found = true;
            in_command = true;
            builder.copy(start + len..end);
        } else if let Some(len) = continuation_len(style, line).filter(|_| in_command) {
            builder.copy(start + len..end);
        } else if in_command && continued {
            builder.copy(start..end);
        } else {
            in_command = false;
            builder.copy(line_end..end);
        }
        continued = style == PromptStyle::Shell && line.trim_end().ends_with('\\');
    }
    found.then(|| builder.finish())
}

fn blank_lines(input: &str, markers: &[&str]) -> Option<Rewritten> {
    let edits: Vec<(Range<usize>, u8)> = lines(input)
        .filter(|(_, line, _)| {
            let trimmed = line.trim_start();
            markers.iter().any(|marker| trimmed.starts_with(marker))
        })
        .map(|(start, line, _)| (start..start + line.len(), b' '))
        .collect();
    substitute(input, &edits)
}

fn angle_placeholders(input: &str) -> Option<Rewritten> {
    let bytes = input.as_bytes();
    let mut edits = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] != b'<' {
            index += 1;
            continue;
        }
        let opens_word =
            index == 0 || bytes[index - 1].is_ascii_whitespace() || b"=(,:/\"'[{".contains(&bytes[index - 1]);
        let name_len =
            bytes[index + 1..].iter().take_while(|b| b.is_ascii_alphanumeric() || b"_-./".contains(b)).count();
        let close = index + 1 + name_len;
        let starts_with_letter = bytes.get(index + 1).is_some_and(u8::is_ascii_alphabetic);
        let closes = bytes.get(close) == Some(&b'>')
            && !bytes.get(close + 1).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if opens_word && starts_with_letter && name_len <= 64 && closes {
            edits.push((index..index + 1, b'_'));
            edits.push((close..close + 1, b'_'));
            index = close + 1;
        } else {
            index += 1;
        }
    }
    substitute(input, &edits)
}

fn ellipses(input: &str) -> Option<Rewritten> {
    const UNICODE_ELLIPSIS: &str = "\u{2026}";
    let bytes = input.as_bytes();
    let mut edits = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let rest = &input[index..];
        let (len, comment) = if rest.starts_with("...") {
            (3, false)
        } else if rest.starts_with(UNICODE_ELLIPSIS) {
            (UNICODE_ELLIPSIS.len(), false)
        } else if let Some(len) = ellipsis_comment_len(rest) {
            (len, true)
        } else {
            index += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let end = index + len;
        let previous = input[..index].trim_end();
        if expects_expression(previous) {
            // `x = ...`, `a: /* ... */`, `() => ...`: an expression is missing; `_` stands in.
            edits.push((index..index + 1, b'_'));
            edits.push((index + 1..end, b' '));
            index = end;
            continue;
        }
        if comment {
            // Elsewhere a comment is already harmless.
            index = end;
            continue;
        }
        let before = index.checked_sub(1).map(|at| bytes[at]);
        let after = bytes.get(end).copied();
        // `xs...` (Go) and `...rest` (JS spread) are real syntax, and so are longer runs.
        let glued_before = before.is_some_and(|b| b.is_ascii_alphanumeric() || b"_.)]}\"'`".contains(&b));
        let glued_after = after.is_some_and(|b| b.is_ascii_alphanumeric() || b"_.$([{\"'`".contains(&b));
        if glued_before || glued_after {
            index = end;
            continue;
        }
        edits.push((index..end, b' '));
        if previous.ends_with(',') {
            edits.push((previous.len() - 1..previous.len(), b' '));
        } else {
            let next = input[end..].trim_start();
            if next.starts_with(',') {
                let at = input.len() - next.len();
                edits.push((at..at + 1, b' '));
            }
        }
        index = end;
    }
    substitute(input, &edits)
}

/// Length of a block comment holding only an ellipsis (`/* ... */`) at the start of `text`.
fn ellipsis_comment_len(text: &str) -> Option<usize> {
    let body_and_rest = text.strip_prefix("/*")?;
    let close = body_and_rest.find("*/")?;
    let body = body_and_rest[..close].trim();
    let only_dots = !body.is_empty() && body.chars().all(|c| c == '.' || c == '\u{2026}');
    only_dots.then_some(2 + close + 2)
}

/// Whether code ending in `previous` needs an expression next (after `=`, `:` or `=>`).
fn expects_expression(previous: &str) -> bool {
    previous.ends_with(['=', ':']) || previous.ends_with("=>")
}

fn yaml_templates(input: &str) -> Option<Rewritten> {
    let mut edits = Vec::new();
    for (start, line, _) in lines(input) {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(open) = line[from..].find('{').map(|at| from + at) {
            let close = match line.as_bytes().get(open + 1) {
                Some(b'{') => "}}",
                Some(b'%') => "%}",
                Some(b'#') => "#}",
                _ => {
                    from = open + 1;
                    continue;
                }
            };
            let Some(end) = line[open + 2..].find(close).map(|at| open + 2 + at + 2) else {
                break;
            };
            found.push(open..end);
            from = end;
        }
        if found.is_empty() {
            continue;
        }
        let mut rest = line.to_string();
        for range in found.iter().rev() {
            rest.replace_range(range.clone(), "");
        }
        let fill = if rest.trim().is_empty() { b' ' } else { b'_' };
        edits.extend(found.into_iter().map(|range| (start + range.start..start + range.end, fill)));
    }
    substitute(input, &edits)
}

fn yaml_parents(input: &str) -> Option<Rewritten> {
    let content: Vec<usize> = lines(input)
        .filter(|(_, line, _)| {
            let trimmed = line.trim();
            !trimmed.is_empty() && !trimmed.starts_with('#') && trimmed != "---"
        })
        .map(|(_, line, _)| indentation(line))
        .collect();
    let first = *content.first()?;
    let mut levels: Vec<usize> = content.iter().copied().filter(|indent| *indent < first).collect();
    if levels.is_empty() {
        return None;
    }
    levels.sort_unstable();
    levels.dedup();
    let mut builder = Builder::new(input);
    for level in levels {
        builder.insert(&" ".repeat(level));
        builder.insert("_q:\n");
    }
    builder.copy(0..input.len());
    Some(builder.finish())
}

fn trailing_commas(input: &str) -> Option<Rewritten> {
    let bytes = input.as_bytes();
    let mut edits = Vec::new();
    let mut index = 0;
    let mut pending_comma: Option<usize> = None;
    while index < bytes.len() {
        match bytes[index] {
            b'"' => {
                pending_comma = None;
                index += 1;
                while index < bytes.len() && bytes[index] != b'"' {
                    index += if bytes[index] == b'\\' { 2 } else { 1 };
                }
                index += 1;
            }
            b'/' if bytes.get(index + 1) == Some(&b'/') => {
                index = input[index..].find('\n').map_or(bytes.len(), |at| index + at);
            }
            b'/' if bytes.get(index + 1) == Some(&b'*') => {
                index = input[index + 2..].find("*/").map_or(bytes.len(), |at| index + at + 4);
            }
            b'}' | b']' => {
                if let Some(comma) = pending_comma.take() {
                    edits.push((comma..comma + 1, b' '));
                }
                index += 1;
            }
            b',' => {
                pending_comma = Some(index);
                index += 1;
            }
            byte if byte.is_ascii_whitespace() => index += 1,
            _ => {
                pending_comma = None;
                index += 1;
            }
        }
    }
    substitute(input, &edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(transform: Transform, input: &str) -> Option<String> {
        transform.apply(input).map(|rewritten| rewritten.text)
    }

    #[test]
    fn wrap_maps_offsets_back() {
        let transforms = [Transform::Wrap { prefix: "fn f() {\n", suffix: "\n}" }];
        let rewrites = Rewrites::apply("let x = 1;", &transforms).unwrap();
        assert_eq!(rewrites.text(), "fn f() {\nlet x = 1;\n}");
        assert_eq!(rewrites.to_original(0), 0, "prefix maps to the start");
        assert_eq!(rewrites.to_original(9 + 4), 4, "copied text maps one to one");
        assert_eq!(rewrites.to_original(rewrites.text().len()), 10, "suffix maps to the end");
    }

    #[test]
    fn chained_rewrites_map_through_every_step() {
        let transforms = [Transform::StripPrompts(PromptStyle::Shell), Transform::AnglePlaceholders];
        let code = "$ kubectl logs <pod>\nsome output\n$ echo hi\n";
        let rewrites = Rewrites::apply(code, &transforms).unwrap();
        assert_eq!(rewrites.text(), "kubectl logs _pod_\n\necho hi\n");
        let echo = rewrites.text().find("echo").unwrap();
        assert_eq!(rewrites.to_original(echo), code.find("echo").unwrap());
    }

    #[test]
    fn carriage_returns_are_dropped_and_mapped() {
        let code = "a\r\nbc\r\n";
        let rewrites = Rewrites::apply(code, &[]).unwrap();
        assert_eq!(rewrites.text(), "a\nbc\n");
        assert_eq!(rewrites.to_original(1), 1, "a line's end is before its `\\r`");
        assert_eq!(rewrites.to_original(2), 3, "`b` follows the `\\r\\n`");
        assert_eq!(rewrites.to_original(5), 5, "so does the end of the text");
    }

    #[test]
    fn prompts_keep_commands_and_continuations() {
        let shell = Transform::StripPrompts(PromptStyle::Shell);
        assert_eq!(
            rewrite(shell, "$ cat <<EOF\n> hi\n> EOF\noutput\n$ ls \\\n  -la\n").as_deref(),
            Some("cat <<EOF\nhi\nEOF\n\nls \\\n  -la\n")
        );
        assert_eq!(rewrite(shell, "user@box:~$ ls\nfile\n").as_deref(), Some("ls\n\n"));
        assert_eq!(rewrite(shell, "ls -la\n"), None, "no prompt, nothing to strip");
        let python = Transform::StripPrompts(PromptStyle::Python);
        assert_eq!(
            rewrite(python, ">>> def f():\n...     return 1\n>>> f()\n1\n").as_deref(),
            Some("def f():\n    return 1\nf()\n\n")
        );
        let sql = Transform::StripPrompts(PromptStyle::Sql);
        assert_eq!(rewrite(sql, "mydb=# SELECT 1\nmydb-# ;\n ?column?\n").as_deref(), Some("SELECT 1\n;\n\n"));
    }

    #[test]
    fn placeholders_and_ellipses_keep_lengths() {
        assert_eq!(
            rewrite(Transform::AnglePlaceholders, "kubectl logs <pod-name> -n <ns>").as_deref(),
            Some("kubectl logs _pod-name_ -n _ns_")
        );
        assert_eq!(rewrite(Transform::AnglePlaceholders, "sort <in.txt >out"), None);
        assert_eq!(rewrite(Transform::AnglePlaceholders, "cat <<EOF"), None);
        assert_eq!(rewrite(Transform::Ellipses, "[1, 2, ...]").as_deref(), Some("[1, 2     ]"));
        assert_eq!(rewrite(Transform::Ellipses, "f(..., b)").as_deref(), Some("f(     b)"));
        assert_eq!(rewrite(Transform::Ellipses, "{ … }").as_deref(), Some("{     }"));
        assert_eq!(rewrite(Transform::Ellipses, "f(...args); g(xs...)"), None);
        assert_eq!(rewrite(Transform::Ellipses, "x = ...;").as_deref(), Some("x = _  ;"));
        assert_eq!(
            rewrite(Transform::Ellipses, "a = /* ... */; f(/* ... */)").as_deref(),
            Some("a = _        ; f(/* ... */)")
        );
    }

    #[test]
    fn yaml_rewrites() {
        assert_eq!(
            rewrite(Transform::YamlTemplates, "image: {{ .Values.image }}\n{{- if .x }}\n").as_deref(),
            Some("image: ___________________\n            \n")
        );
        assert_eq!(
            rewrite(Transform::YamlParents, "    a: 1\n  b:\n    c: 2\nd: 3\n").as_deref(),
            Some("_q:\n  _q:\n    a: 1\n  b:\n    c: 2\nd: 3\n")
        );
        assert_eq!(rewrite(Transform::YamlParents, "a:\n  b: 1\n"), None);
    }

    #[test]
    fn trailing_commas_skip_strings_and_comments() {
        assert_eq!(
            rewrite(Transform::TrailingCommas, "{\"a,]\": [1,], // x,}\n}").as_deref(),
            Some("{\"a,]\": [1 ]  // x,}\n}")
        );
        assert_eq!(rewrite(Transform::TrailingCommas, "[1, 2]"), None);
    }
}
