//! QB102 `invisible-character`: zero-width characters, soft hyphens, stray byte order marks
//! and no-break spaces pasted into a bank.

use qbank_core::Span;

use crate::context::{Context, Options};
use crate::registry::{Rule, Scope};
use crate::rule::RuleMeta;
use crate::{Diagnostic, Edit, Fix, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "QB102",
        name: "invisible-character",
        summary: "Invisible or look-alike space character",
        default_severity: Severity::Warning,
        docs: r#"## What it does
Flags characters that cannot be seen or look like a plain space: zero-width space (U+200B),
zero-width non-joiner and joiner (U+200C, U+200D), word joiner (U+2060), a byte order mark
(U+FEFF) anywhere but at the very start, soft hyphen (U+00AD), no-break space (U+00A0) and
narrow no-break space (U+202F). One finding per run of the same character, code blocks
included (a no-break space there breaks the code).

A joiner between two characters outside Latin script (an emoji sequence such as the
technologist emoji, a Persian or Indic word) is left alone: there it is part of the writing.

## Why is this bad?
They come from copy-paste out of web pages and word processors. Search, deduplication and
diffs treat `zero-downtime` with a hidden character as a different word, and a no-break space
in code is a syntax error.

## Example
```markdown
### 3. What is a zero-downtime deployment?
```
(with a zero-width space, U+200B, before the hyphen).

## Fix
Safe: no-break spaces become plain spaces, one for one; the other characters are removed."#,
        fixable: true,
    },
    scope: Scope::Question,
    check,
};

fn check(ctx: &Context<'_>, _: &Options<'_>, out: &mut Vec<Diagnostic>) {
    for &region in ctx.regions() {
        check_region(ctx, region, out);
    }
}

/// Regions start at line starts, so the character before one is a line break (or nothing),
/// which joins nothing: scanning a region alone finds what scanning the file finds there.
fn check_region(ctx: &Context<'_>, region: Span, out: &mut Vec<Diagnostic>) {
    let text = region.slice(ctx.source);
    if text.is_ascii() {
        return;
    }
    let mut run: Option<(Span, Invisible, usize)> = None;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().map(|(i, c)| (region.start + i, c)).peekable();
    while let Some((offset, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let found = classify(offset, c, previous, next);
        previous = Some(c);
        if let Some((span, kind, count)) = run.as_mut()
            && found == Some(*kind)
            && span.end == offset
        {
            span.end = offset + c.len_utf8();
            *count += 1;
            continue;
        }
        if let Some(done) = run.take() {
            report(ctx, done, out);
        }
        if let Some(kind) = found {
            run = Some((Span::new(offset, offset + c.len_utf8()), kind, 1));
        }
    }
    if let Some(done) = run {
        report(ctx, done, out);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Invisible {
    ZeroWidthSpace,
    ZeroWidthNonJoiner,
    ZeroWidthJoiner,
    WordJoiner,
    ByteOrderMark,
    SoftHyphen,
    NoBreakSpace,
    NarrowNoBreakSpace,
}

impl Invisible {
    /// The character's name and code point: `no-break space (U+00A0)`.
    fn name(self) -> (&'static str, u32) {
        match self {
            Invisible::ZeroWidthSpace => ("zero-width space", 0x200B),
            Invisible::ZeroWidthNonJoiner => ("zero-width non-joiner", 0x200C),
            Invisible::ZeroWidthJoiner => ("zero-width joiner", 0x200D),
            Invisible::WordJoiner => ("word joiner", 0x2060),
            Invisible::ByteOrderMark => ("byte order mark", 0xFEFF),
            Invisible::SoftHyphen => ("soft hyphen", 0x00AD),
            Invisible::NoBreakSpace => ("no-break space", 0x00A0),
            Invisible::NarrowNoBreakSpace => ("narrow no-break space", 0x202F),
        }
    }

    fn is_space(self) -> bool {
        matches!(self, Invisible::NoBreakSpace | Invisible::NarrowNoBreakSpace)
    }
}

fn classify(offset: usize, c: char, previous: Option<char>, next: Option<char>) -> Option<Invisible> {
    let kind = match c {
        '\u{200B}' => Invisible::ZeroWidthSpace,
        '\u{200C}' => Invisible::ZeroWidthNonJoiner,
        '\u{200D}' => Invisible::ZeroWidthJoiner,
        '\u{2060}' => Invisible::WordJoiner,
        '\u{FEFF}' if offset > 0 => Invisible::ByteOrderMark,
        '\u{00AD}' => Invisible::SoftHyphen,
        '\u{00A0}' => Invisible::NoBreakSpace,
        '\u{202F}' => Invisible::NarrowNoBreakSpace,
        _ => return None,
    };
    let joiner = matches!(kind, Invisible::ZeroWidthJoiner | Invisible::ZeroWidthNonJoiner);
    if joiner && previous.is_some_and(joins_in_writing) && next.is_some_and(joins_in_writing) {
        return None;
    }
    Some(kind)
}

/// Characters between which a joiner is part of the writing: emoji (and their variation
/// selectors) and letters of scripts beyond Latin.
fn joins_in_writing(c: char) -> bool {
    u32::from(c) > 0x24F && !c.is_whitespace() && !matches!(c, '\u{2000}'..='\u{206F}' | '\u{FEFF}')
}

fn report(ctx: &Context<'_>, (span, kind, count): (Span, Invisible, usize), out: &mut Vec<Diagnostic>) {
    let (name, code) = kind.name();
    let (message, fix) = match (kind.is_space(), count) {
        (true, 1) => (
            format!("{name} (U+{code:04X}) looks like a space but is not one; use a plain space"),
            Fix::safe("Replace with a plain space", vec![Edit::replace(span, " ")]),
        ),
        (true, n) => (
            format!("{n} {name}s (U+{code:04X}) look like spaces but are not; use plain spaces"),
            Fix::safe("Replace with plain spaces", vec![Edit::replace(span, " ".repeat(n))]),
        ),
        (false, 1) => (
            format!("invisible {name} (U+{code:04X}); remove it"),
            Fix::safe("Remove the invisible character", vec![Edit::delete(span)]),
        ),
        (false, n) => (
            format!("{n} invisible {name}s (U+{code:04X}) in a row; remove them"),
            Fix::safe("Remove the invisible characters", vec![Edit::delete(span)]),
        ),
    };
    out.push(ctx.diagnostic_with_fix(&RULE.meta, span, message, fix));
}
