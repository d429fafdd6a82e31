//! Language cues the shape readers decide from: whether a line of text reads as a question (a
//! question mark, full-width `？` included, or an interrogative or imperative opening in the
//! languages banks are written in), and which headings are answer structure (`Overview`, `Key
//! takeaways`, `Example`…) rather than questions.

use std::collections::HashSet;

/// Openings of English questions and interview prompts (lower case, first word).
const ENGLISH_OPENERS: &[&str] = &[
    "what",
    "what's",
    "whats",
    "how",
    "how's",
    "why",
    "why's",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "whose",
    "is",
    "are",
    "was",
    "were",
    "can",
    "could",
    "do",
    "does",
    "did",
    "should",
    "would",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "has",
    "have",
    "had",
    "explain",
    "describe",
    "design",
    "compare",
    "define",
    "list",
    "name",
    "implement",
    "write",
    "tell",
    "give",
    "discuss",
    "differentiate",
    "distinguish",
    "contrast",
    "outline",
    "state",
    "mention",
    "identify",
    "suggest",
    "propose",
    "create",
    "build",
    "walk",
    "elaborate",
    "summarize",
    "summarise",
    "illustrate",
    "demonstrate",
    "predict",
    "calculate",
    "find",
    "reverse",
    "convert",
    "detect",
    "determine",
    "evaluate",
    "justify",
    "show",
    "prove",
    "derive",
    "solve",
    "debug",
    "optimize",
    "optimise",
    "in",
    "if",
    "suppose",
    "imagine",
    "assume",
    "given",
    "say",
    "share",
];

/// Openings of questions in other Latin and Cyrillic languages (lower case, first word).
const OTHER_OPENERS: &[&str] = &[
    // Russian
    "что",
    "как",
    "каков",
    "какой",
    "какая",
    "какое",
    "какие",
    "каким",
    "какую",
    "зачем",
    "почему",
    "чем",
    "где",
    "когда",
    "кто",
    "сколько",
    "объясните",
    "расскажите",
    "опишите",
    "назовите",
    "сравните",
    "перечислите",
    "в",
    "для",
    "можно",
    "нужно",
    "есть",
    "чём",
    "чего",
    "назови",
    "расскажи",
    "объясни",
    "опиши",
    "сравни",
    "перечисли",
    // Spanish, Portuguese, French, German, Italian
    "qué",
    "que",
    "cómo",
    "como",
    "cuál",
    "cual",
    "cuáles",
    "por",
    "dónde",
    "cuándo",
    "explique",
    "describa",
    "explica",
    "menciona",
    "compara",
    "enumera",
    "quais",
    "qual",
    "o",
    "comment",
    "pourquoi",
    "quelle",
    "quel",
    "quels",
    "quelles",
    "qu'est-ce",
    "expliquez",
    "was",
    "wie",
    "warum",
    "welche",
    "welcher",
    "wann",
    "erklären",
    "erkläre",
    "beschreiben",
    "cosa",
    "perché",
    "quale",
    "spiega",
];

/// Substrings that mark a question in Chinese and Japanese text.
const CJK_MARKS: &[&str] = &[
    "什么",
    "什麼",
    "如何",
    "怎么",
    "怎樣",
    "怎样",
    "为什么",
    "為什麼",
    "哪些",
    "哪个",
    "哪種",
    "哪种",
    "是否",
    "吗",
    "嗎",
    "简述",
    "簡述",
    "说说",
    "說說",
    "谈谈",
    "談談",
    "介绍一下",
    "区别",
    "區別",
    "请解释",
    "請解釋",
    "とは",
    "ですか",
    "ますか",
    "なぜ",
    "どう",
    "何が",
    "何を",
    "何です",
    "説明してください",
    "違い",
];

/// Words of headings that organise an answer (or a one-question file) rather than ask.
const STRUCTURE_WORDS: &[&str] = &[
    "overview",
    "introduction",
    "intro",
    "summary",
    "key takeaways",
    "takeaways",
    "key points",
    "example",
    "examples",
    "solution",
    "solutions",
    "answer",
    "answers",
    "explanation",
    "definition",
    "follow-up",
    "follow up",
    "followup",
    "interview point",
    "interview tip",
    "interview tips",
    "note",
    "notes",
    "conclusion",
    "code",
    "output",
    "scenario",
    "task",
    "tasks",
    "requirements",
    "objectives",
    "objective",
    "assumptions",
    "background",
    "approach",
    "complexity",
    "references",
    "resources",
    "hint",
    "hints",
    "table of contents",
    "contents",
    "toc",
    "key differences",
    "differences",
    "advantages",
    "disadvantages",
    "pros and cons",
    "pros",
    "cons",
    "use cases",
    "usage",
    "syntax",
    "implementation",
    "steps",
    "step",
    "best practices",
    "tips",
    "related",
    "see also",
    "further reading",
    "problem",
    "problem statement",
    "description",
    "constraints",
    "input",
    "expected output",
    "good to hear",
    "additional links",
    "diagram",
    "architecture",
    "trade-offs",
    "tradeoffs",
    "why is this asked?",
    "common mistakes",
    "pitfalls",
];

/// [`ENGLISH_OPENERS`] and [`OTHER_OPENERS`] as sets, for one lookup per line.
static OPENERS: std::sync::LazyLock<(HashSet<&'static str>, HashSet<&'static str>)> =
    std::sync::LazyLock::new(|| (ENGLISH_OPENERS.iter().copied().collect(), OTHER_OPENERS.iter().copied().collect()));

/// `text` lower-cased into `buffer`, without allocating: `None` when it is not ASCII or longer
/// than the buffer.
fn ascii_lowercase<'b>(text: &str, buffer: &'b mut [u8; 32]) -> Option<&'b str> {
    let word = buffer.get_mut(..text.len()).filter(|_| text.is_ascii())?;
    word.copy_from_slice(text.as_bytes());
    word.make_ascii_lowercase();
    std::str::from_utf8(word).ok()
}

/// The text with decorations stripped from both ends: Markdown emphasis, spaces, quotes.
fn core(text: &str) -> &str {
    text.trim().trim_matches(|c: char| matches!(c, '*' | '_' | '`' | '"' | '\'' | '“' | '”') || c.is_whitespace())
}

/// Whether `text` (one heading or line of prose, decorations allowed) reads as a question or an
/// interview prompt.
pub fn is_question_text(text: &str) -> bool {
    let t = core(text);
    if t.is_empty() {
        return false;
    }
    let trimmed_end =
        t.trim_end_matches(|c: char| matches!(c, ')' | ']' | '*' | '_' | '`' | '"' | '.') || c.is_whitespace());
    // `? ` inside the text (a question then a note): most lines have no `?` at all, found by
    // memchr before the pair is searched.
    let ascii = t.is_ascii();
    if trimmed_end.ends_with(['?', '？']) || (t.contains('?') && t.contains("? ")) || (!ascii && t.contains('？')) {
        return true;
    }
    // The marks are Chinese and Japanese characters: an ASCII text holds none.
    if !ascii && CJK_MARKS.iter().any(|m| t.contains(m)) {
        return true;
    }
    let mut words = t.split_whitespace();
    let first = words.next().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
    if words.next().is_none() {
        return false;
    }
    // Most first words are ASCII and short: lower-cased on the stack and looked up in a set.
    if first.is_ascii() {
        let mut buffer = [0u8; 32];
        // Longer than any opener.
        let Some(word) = ascii_lowercase(first, &mut buffer) else {
            return false;
        };
        let (english, other) = &*OPENERS;
        return english.contains(word) && !is_structure_text(t)
            || other.contains(word)
            || word.len() >= 10 && asks_for_a_difference(word, t);
    }
    let first = first.to_lowercase();
    OTHER_OPENERS.contains(&first.as_str()) || asks_for_a_difference(&first, t)
}

/// `Difference between Git and GitHub`, `Diferencias entre var y let`, `Разница между …`: a
/// prompt to compare, written without a verb.
fn asks_for_a_difference(first: &str, text: &str) -> bool {
    const NOUNS: &[&str] =
        &["difference", "differences", "diferencia", "diferencias", "différence", "разница", "отличие", "отличия"];
    const LINKS: &[&str] = &["between", "entre", "между"];
    NOUNS.contains(&first) && {
        let second = text.split_whitespace().nth(1).unwrap_or("").to_lowercase();
        LINKS.contains(&second.as_str())
    }
}

/// Whether `text` (a heading) names a part of an answer or a task (`Overview`, `Key takeaways`,
/// `Example: …`, `Step 2`…) rather than asking something.
pub fn is_structure_text(text: &str) -> bool {
    let t = core(text).trim_end_matches([':', '：', '.']).trim();
    // Structure words are short (at most 18 bytes): only the start of a longer text can hold
    // one, so only the start is lower-cased.
    let mut cut = t.len().min(32);
    while !t.is_char_boundary(cut) {
        cut -= 1;
    }
    // Lower-cased on the stack when ASCII (most headings), else in a new string.
    let mut buffer = [0u8; 32];
    let owned;
    let lower: &str = match ascii_lowercase(&t[..cut], &mut buffer) {
        Some(lower) => lower,
        None => {
            owned = t[..cut].to_lowercase();
            &owned
        }
    };
    if cut == t.len() && STRUCTURE_WORDS.contains(&lower) {
        return true;
    }
    // `Example — Object counter`, `Step 2: install`, `Solution (Python)`.
    let head_end = lower
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c == ' ' || c == '-'))
        .map_or(lower.len(), |(i, _)| i);
    let head = lower[..head_end].trim();
    (STRUCTURE_WORDS.contains(&head) && t.len() > head.len() && !t.ends_with(['?', '？'])) || lower.starts_with("step ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_in_many_scripts() {
        for q in [
            "What is a pod?",
            "How do you roll back a deployment",
            "Explain the event loop",
            "Design a URL shortener",
            "什么是闭包",
            "RabbitMQ 如何保证消息不丢失？",
            "DOCTYPE は何のためにありますか？",
            "Что такое замыкание?",
            "¿Qué es un índice?",
            "**What is X?**",
            "Difference between NoSQL and SQL",
            "Diferencias entre `var`, `let` y `const`",
            "Explica los métodos `call()` y `bind()`",
            "Назови 3 плюса и 3 минуса",
        ] {
            assert!(is_question_text(q), "{q}");
        }
        for not in [
            "Overview",
            "Key takeaways",
            "1. Overview",
            "Installation",
            "Table of Contents",
            "Kubernetes",
            "",
            "Differences",
            "Key differences between versions",
        ] {
            assert!(!is_question_text(not), "{not}");
        }
    }

    #[test]
    fn answer_structure_headings() {
        for s in [
            "Overview",
            "Key Takeaways",
            "Example — Object Counter",
            "Step 2: install",
            "Solution (Python)",
            "Scenario",
        ] {
            assert!(is_structure_text(s), "{s}");
        }
        for q in ["What is an example of X?", "Kubernetes networking"] {
            assert!(!is_structure_text(q), "{q}");
        }
    }
}
