//! Inline suppression: `<!-- qbank-disable… -->` comments in a bank that turn rules off for the
//! next line, a region, or the whole file.
//!
//! ```markdown
//! <!-- qbank-disable-next-line QB101 missing-tldr -->   next non-blank line; codes or names,
//! <!-- qbank-disable QB205 -->                          separated by spaces or commas;
//! …                                                     no code = every rule
//! <!-- qbank-enable QB205 -->                           (`qbank-enable` alone ends them all)
//! <!-- qbank-disable-file mojibake -->                  the whole file, wherever it stands
//! <!-- qbank-disable-next-line QB101 because … -->     text after `because` is the reason
//! ```
//!
//! Only real HTML comments count: a directive inside a code block or code span is text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use qbank_core::Span;

use crate::{Diagnostic, RuleMeta, Suppressed, SuppressedBy};

/// The suppression directives of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppressions {
    /// In text order.
    directives: Vec<Directive>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Directive {
    kind: Kind,
    /// The whole comment, `<!--` to `-->`.
    comment: Span,
    /// Empty: every rule.
    selectors: Vec<Selector>,
    /// The text after the word `because`, trimmed: why the rule is off here. (Not `--`, which
    /// XML and CommonMark before 0.31 do not allow inside a comment.)
    justification: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// The line it silences (its text, without terminator), or `None` at the end of the file.
    NextLine(Option<Span>),
    Disable,
    Enable,
    File,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Selector {
    text: String,
    span: Span,
}

impl Selector {
    fn matches(&self, code: &str, name: &str) -> bool {
        self.text.eq_ignore_ascii_case(code) || self.text.eq_ignore_ascii_case(name)
    }
}

impl Suppressions {
    /// Finds the directives in `source`. Never fails: a comment that is not a directive is
    /// ignored, unknown codes are kept for [`Suppressions::unknown_codes`].
    pub fn parse(source: &str) -> Suppressions {
        if !source.contains("qbank-") {
            return Suppressions::default(); // the common case, without a Markdown pass
        }
        let mut directives = Vec::new();
        let mut scanned_to = 0;
        for range in html_ranges(source) {
            let mut cursor = range.start.max(scanned_to);
            while cursor < range.end {
                let Some(open) = source[cursor..range.end].find("<!--").map(|at| cursor + at) else {
                    break;
                };
                let body_start = open + "<!--".len();
                let Some(close) = source[body_start..].find("-->").map(|at| body_start + at) else {
                    cursor = range.end;
                    break;
                };
                let comment = Span::new(open, close + "-->".len());
                if let Some(directive) = directive(source, comment, Span::new(body_start, close)) {
                    directives.push(directive);
                }
                cursor = comment.end;
            }
            scanned_to = scanned_to.max(cursor);
        }
        let mut suppressions = Suppressions { directives };
        suppressions.resolve_next_lines(source);
        suppressions
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// Whether a finding of rule `code`/`name` starting at byte `offset` is silenced.
    ///
    /// Regions are replayed in order: `qbank-disable X` silences X from the end of the comment;
    /// `qbank-enable X` ends that (and, inside a blanket `qbank-disable`, re-enables X);
    /// `qbank-enable` ends everything.
    pub fn is_suppressed(&self, code: &str, name: &str, offset: usize) -> bool {
        self.suppressing(code, name, offset).is_some()
    }

    /// The directive that silences a finding of rule `code`/`name` at `offset`, if one does.
    fn suppressing(&self, code: &str, name: &str, offset: usize) -> Option<&Directive> {
        let applies = |directive: &Directive| {
            directive.selectors.is_empty() || directive.selectors.iter().any(|s| s.matches(code, name))
        };
        let mut all_disabled: Option<&Directive> = None;
        let mut excepted = false;
        let mut disabled: Option<&Directive> = None;
        for directive in &self.directives {
            match &directive.kind {
                Kind::File if applies(directive) => return Some(directive),
                Kind::NextLine(Some(line)) if line.start <= offset && offset <= line.end && applies(directive) => {
                    return Some(directive);
                }
                Kind::Disable | Kind::Enable if directive.comment.end > offset => {}
                Kind::Disable if directive.selectors.is_empty() => {
                    all_disabled = Some(directive);
                    excepted = false;
                }
                Kind::Disable if applies(directive) => {
                    disabled = Some(directive);
                    excepted = false;
                }
                Kind::Enable if directive.selectors.is_empty() => {
                    all_disabled = None;
                    excepted = false;
                    disabled = None;
                }
                Kind::Enable if applies(directive) => {
                    disabled = None;
                    excepted = all_disabled.is_some();
                }
                _ => {}
            }
        }
        disabled.or(all_disabled.filter(|_| !excepted))
    }

    /// `diagnostics` without the silenced ones.
    pub fn filter(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        self.partition(diagnostics).0
    }

    /// `diagnostics` split into the ones kept and the ones silenced (with the comment's reason).
    pub fn partition(&self, diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Suppressed>) {
        if self.is_empty() {
            return (diagnostics, Vec::new());
        }
        let mut kept = Vec::with_capacity(diagnostics.len());
        let mut suppressed = Vec::new();
        for diagnostic in diagnostics {
            match self.suppressing(diagnostic.code, diagnostic.name, diagnostic.span.start) {
                Some(directive) => suppressed.push(Suppressed {
                    diagnostic,
                    by: SuppressedBy::Comment,
                    justification: directive.justification.clone(),
                }),
                None => kept.push(diagnostic),
            }
        }
        (kept, suppressed)
    }

    /// Codes and names in directives that match no rule in `known`, in text order, for the
    /// caller to report.
    pub fn unknown_codes(&self, known: &[RuleMeta]) -> Vec<(Span, String)> {
        self.directives
            .iter()
            .flat_map(|directive| &directive.selectors)
            .filter(|selector| !known.iter().any(|rule| selector.matches(rule.code, rule.name)))
            .map(|selector| (selector.span, selector.text.clone()))
            .collect()
    }

    /// Points each `disable-next-line` at the next line that is neither blank nor made only of
    /// directive comments (so directives can stack).
    fn resolve_next_lines(&mut self, source: &str) {
        let comments: Vec<Span> = self.directives.iter().map(|d| d.comment).collect();
        let only_directives = |line: Span| {
            let mut cursor = line.start;
            for comment in comments.iter().filter(|c| c.start >= line.start && c.end <= line.end) {
                if !source[cursor..comment.start].trim().is_empty() {
                    return false;
                }
                cursor = comment.end;
            }
            cursor > line.start && source[cursor..line.end].trim().is_empty()
        };
        for directive in &mut self.directives {
            if let Kind::NextLine(target) = &mut directive.kind {
                let mut start = source[directive.comment.end..]
                    .find('\n')
                    .map_or(source.len(), |at| directive.comment.end + at + 1);
                *target = None;
                while start < source.len() {
                    let end = source[start..].find('\n').map_or(source.len(), |at| start + at);
                    let line = Span::new(start, end);
                    let text = line.slice(source);
                    if !text.trim().is_empty() && !only_directives(line) {
                        *target = Some(Span::new(start, end - usize::from(text.ends_with('\r'))));
                        break;
                    }
                    start = end + 1;
                }
            }
        }
    }
}

/// Byte ranges of HTML blocks and inline HTML: where comments are comments, not code.
fn html_ranges(source: &str) -> Vec<std::ops::Range<usize>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => block_start = Some(range.start),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start.min(range.start)..range.end.max(start));
                }
            }
            Event::InlineHtml(_) | Event::Html(_) if block_start.is_none() => ranges.push(range),
            _ => {}
        }
    }
    ranges.sort_by_key(|range| range.start);
    ranges
}

/// The directive in one comment, if it is one.
fn directive(source: &str, comment: Span, body: Span) -> Option<Directive> {
    let mut words = words(source, body);
    let (keyword, _) = words.next()?;
    let kind = match keyword {
        "qbank-disable-next-line" => Kind::NextLine(None),
        "qbank-disable" => Kind::Disable,
        "qbank-enable" => Kind::Enable,
        "qbank-disable-file" => Kind::File,
        _ => return None,
    };
    let mut selectors = Vec::new();
    let mut justification = None;
    for (text, span) in words.by_ref() {
        if text == "because" {
            let reason = source[span.end..body.end].trim();
            justification = (!reason.is_empty()).then(|| reason.to_owned());
            break;
        }
        selectors.push(Selector { text: text.to_owned(), span });
    }
    Some(Directive { kind, comment, selectors, justification })
}

/// Words of `body` separated by whitespace or commas, with their spans.
fn words(source: &str, body: Span) -> impl Iterator<Item = (&str, Span)> {
    let text = body.slice(source);
    text.split(|c: char| c.is_whitespace() || c == ',').filter(|word| !word.is_empty()).map(move |word| {
        let start = body.start + (word.as_ptr() as usize - text.as_ptr() as usize);
        (word, Span::new(start, start + word.len()))
    })
}
