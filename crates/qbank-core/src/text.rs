//! Small text helpers shared by the parser and the formatter: block normalisation, fences,
//! slugs.

/// Normalise a Markdown block the way the model stores it: line endings (`\r\n`, `\n`, and a
/// lone `\r`, which CommonMark reads as a line ending too) become `\n`,
/// whitespace-only lines become empty, trailing whitespace outside code fences is dropped,
/// runs of blank lines outside code fences shrink to one, and leading/trailing blank lines go.
///
/// Idempotent: `normalize_block(normalize_block(x)) == normalize_block(x)`.
pub fn normalize_block(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<Fence> = None;
    let mut pending_blank = false;
    let lines = text.split('\n').flat_map(|raw| raw.strip_suffix('\r').unwrap_or(raw).split('\r'));
    for line in lines {
        let blank = line.trim().is_empty();
        if let Some(open) = fence {
            if blank {
                out.push('\n');
                continue;
            }
            out.push_str(line);
            out.push('\n');
            if open.closed_by(line) {
                fence = None;
            }
            continue;
        }
        if blank {
            pending_blank = !out.is_empty();
            continue;
        }
        if pending_blank {
            out.push('\n');
            pending_blank = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
        fence = Fence::opened_by(line);
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// An open code fence: its character, length and indentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fence {
    pub ch: u8,
    pub len: usize,
    pub indent: usize,
}

impl Fence {
    /// The fence a line opens, if it is an opening code fence (```` ``` ```` or `~~~`, up to
    /// three spaces of indentation relative to its container — we accept any, as list items
    /// indent their fences).
    pub fn opened_by(line: &str) -> Option<Fence> {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        let ch = *trimmed.as_bytes().first()?;
        if ch != b'`' && ch != b'~' {
            return None;
        }
        let len = trimmed.bytes().take_while(|&b| b == ch).count();
        if len < 3 {
            return None;
        }
        if ch == b'`' && trimmed[len..].contains('`') {
            return None;
        }
        Some(Fence { ch, len, indent })
    }

    /// Whether `line` closes this fence.
    pub fn closed_by(self, line: &str) -> bool {
        let trimmed = line.trim();
        let run = trimmed.bytes().take_while(|&b| b == self.ch).count();
        run >= self.len && run == trimmed.len()
    }
}

/// The shortest backtick fence that does not occur inside `code`.
pub fn fence_for(code: &str) -> String {
    let longest = code
        .lines()
        .map(|l| {
            let t = l.trim_start();
            t.bytes().take_while(|&b| b == b'`').count()
        })
        .max()
        .unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Remove up to `indent` leading spaces (tabs count as one) from each line.
pub fn dedent(text: &str, indent: usize) -> String {
    if indent == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let strip = line.bytes().take(indent).take_while(|&b| b == b' ' || b == b'\t').count();
        out.push_str(&line[strip..]);
    }
    out
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "any", "are", "as", "at", "be", "between", "both", "by", "can", "could", "describe", "do",
    "does", "explain", "for", "from", "give", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "of",
    "on", "or", "s", "so", "some", "tell", "that", "the", "their", "then", "there", "these", "this", "to", "under",
    "us", "use", "used", "using", "was", "we", "what", "when", "where", "which", "while", "who", "why", "will", "with",
    "would", "you", "your",
];

/// Lower-cased words separated by one space: the key under which question texts that differ
/// only in case and spacing are equal.
pub fn lowercase_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    out
}

/// A kebab-case slug of at most `max_words` significant words (stop words dropped unless
/// nothing else is left). Only ASCII letters and digits survive.
pub fn slugify(text: &str, max_words: usize) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let significant: Vec<&String> = words.iter().filter(|w| !STOP_WORDS.contains(&w.as_str())).collect();
    let chosen: Vec<&String> = if significant.is_empty() { words.iter().collect() } else { significant };
    let mut slug = String::new();
    for word in chosen.into_iter().take(max_words) {
        if slug.len() + word.len() + 1 > 64 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

/// Whether `id` is a valid question or bank id: kebab-case ASCII, 1–80 chars.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_blank_runs_and_trailing_space_outside_fences() {
        let text = "\n\nline one  \n   \n\n\n- item\t\n```yaml\nkey: v  \n\n\n  x\n```\n\n\nend\n\n";
        let normalized = normalize_block(text);
        assert_eq!(normalized, "line one\n\n- item\n```yaml\nkey: v  \n\n\n  x\n```\n\nend");
        assert_eq!(normalize_block(&normalized), normalized);
    }

    #[test]
    fn crlf_is_folded() {
        assert_eq!(normalize_block("a\r\n\r\nb\r\n"), "a\n\nb");
        // A lone `\r` ends a line too (fuzz finding fmt-cr-before-crlf-in-fence).
        assert_eq!(normalize_block("```\np\r\r\n```"), "```\np\n\n```");
        assert_eq!(normalize_block("a\rb\r\r\rc"), "a\nb\n\nc");
    }

    #[test]
    fn fences() {
        assert_eq!(Fence::opened_by("   ```yaml"), Some(Fence { ch: b'`', len: 3, indent: 3 }));
        assert_eq!(Fence::opened_by("``not"), None);
        assert_eq!(Fence::opened_by("```a`b"), None);
        let f = Fence::opened_by("~~~~").unwrap();
        assert!(f.closed_by("  ~~~~~ "));
        assert!(!f.closed_by("~~~"));
        assert_eq!(fence_for("a\n```\nb"), "````");
        assert_eq!(fence_for("plain"), "```");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("How do you handle rollbacks in production?", 6), "handle-rollbacks-production");
        assert_eq!(
            slugify("Can you explain the concept of \"Infrastructure as Code\"?", 6),
            "concept-infrastructure-code"
        );
        assert_eq!(slugify("What is it?", 6), "what-is-it");
        assert_eq!(slugify("Youâ€™ve rolled out", 6), "ve-rolled-out");
        assert!(is_valid_id("handle-rollbacks-production"));
        assert!(!is_valid_id("Bad_Id"));
    }

    #[test]
    fn dedents() {
        assert_eq!(dedent("     a:\n       b\n  c", 5), "a:\n  b\nc");
    }
}
