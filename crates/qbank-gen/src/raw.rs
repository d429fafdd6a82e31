//! The raw shape: what a bank scraped from the web looks like. Few question templates × many
//! subjects, so most questions share most of their words; planted paraphrases (another wording
//! of the same template and subject) and exact repeats; no ids, no TL;DRs, answers with and
//! without a label, code fences without a language, first-person answers and a numbering slip
//! in some sections — thousands of findings per file.
//!
//! The truth file names questions by place, as the banks have no ids: `bank-0003.md:117` is the
//! question whose heading is on line 117 of `bank-0003.md`.

use std::fmt::Write as _;
use std::path::Path;

use crate::{PLACES, Rng, SYSTEMS, TOPICS, WORDS, cap};

/// Question templates, each with the wordings a paraphrase may use; `{s}` is the subject.
const TEMPLATES: &[&[&str]] = &[
    &["What is {s}?", "Can you explain what {s} is?", "Define {s}."],
    &["How do you configure {s}?", "How would you set up {s}?", "What steps do you take to configure {s}?"],
    &["What are the advantages of {s}?", "What are the benefits of {s}?", "Why would a team adopt {s}?"],
    &["When would you use {s}?", "In which situations would you choose {s}?"],
    &["How do you troubleshoot {s}?", "How would you debug problems with {s}?"],
    &["How do you monitor {s}?", "Which metrics do you watch for {s}?"],
    &["Explain {s} with an example.", "Give an example of {s}."],
    &["What are common mistakes with {s}?", "What pitfalls do you see with {s}?"],
    &["How do you secure {s}?", "How would you harden {s}?"],
    &["How do you test {s}?", "How would you verify {s} works?"],
];

/// Syllables of the made-up product names that make subjects distinct (64³ names).
const SYLLABLES: &[&str] = &[
    "ba", "be", "bo", "da", "de", "do", "fa", "fe", "fo", "ga", "ge", "go", "ka", "ke", "ko", "la", "le", "lo", "ma",
    "me", "mo", "na", "ne", "no", "pa", "pe", "po", "ra", "re", "ro", "sa", "se", "so", "ta", "te", "to", "va", "ve",
    "vo", "za", "ze", "zo", "bri", "dru", "fli", "gro", "kra", "plu", "sti", "tro", "vex", "lin", "mar", "nor", "pix",
    "qua", "rix", "sol", "tek", "ul", "wen", "yar", "zen", "kor",
];
/// What a named thing is; with the topic words, the template material of a subject.
const KINDS: &[&str] = &[
    "cache",
    "scheduler",
    "message broker",
    "load balancer",
    "service mesh",
    "build system",
    "feature store",
    "object store",
    "metrics pipeline",
    "API gateway",
    "job queue",
    "config service",
];

/// Sentences of an answer; `{s}` is the subject, `{w}` a verb, `{t}` a topic, `{y}` a system.
const ANSWER_SENTENCES: &[&str] = &[
    "{S} lets a team {w} {t} without touching {y}.",
    "The usual approach is to {w} the {t} first and then {w} {y}.",
    "In practice you {w} {s} {p} and keep {t} separate.",
    "A common mistake is to {w} {t} before {s} is ready.",
    "Most teams {w} {s} with {y} and alert on {t}.",
    "It matters because {t} fails {p} when nobody can {w} it.",
];

/// One question of the corpus: template, wording and subject.
#[derive(Clone)]
struct RawQuestion {
    template: usize,
    wording: usize,
    subject: String,
    text: String,
    answer: String,
    code: bool,
}

/// The subject of question `index`: a made-up product name (distinct for the first 64³
/// subjects, then repeating) and what it is, sometimes with a topic and a system.
fn subject(index: usize) -> String {
    let index = (index.wrapping_mul(7_919) + 13) % SYLLABLES.len().pow(3);
    let n = SYLLABLES.len();
    let name =
        cap(&format!("{}{}{}", SYLLABLES[index % n], SYLLABLES[(index / n) % n], SYLLABLES[(index / n / n) % n]));
    let kind = KINDS[(index / 7) % KINDS.len()];
    match index % 4 {
        0 => format!("the {name} {kind}"),
        1 => format!("{} in the {name} {kind}", TOPICS[(index / 3) % TOPICS.len()]),
        2 => format!("the {name} {kind} on {}", SYSTEMS[(index / 5) % SYSTEMS.len()]),
        _ => format!("the {name} {kind} {}", PLACES[(index / 11) % PLACES.len()]),
    }
}

fn text_of(template: usize, wording: usize, subject: &str) -> String {
    TEMPLATES[template][wording].replace("{s}", subject)
}

fn answer(rng: &mut Rng, subject: &str, first_person: bool) -> String {
    let mut out = String::new();
    if first_person {
        out.push_str("I would start by asking what the team needs. ");
    }
    for n in 0..2 + rng.below(3) {
        if n > 0 {
            out.push(' ');
        }
        let sentence = ANSWER_SENTENCES[rng.below(ANSWER_SENTENCES.len())]
            .replace("{S}", &cap(subject))
            .replace("{s}", subject)
            .replace("{t}", rng.pick(TOPICS))
            .replace("{y}", rng.pick(SYSTEMS))
            .replace("{p}", rng.pick(PLACES));
        let mut sentence = sentence.replacen("{w}", rng.pick(WORDS), 1);
        while sentence.contains("{w}") {
            sentence = sentence.replacen("{w}", rng.pick(WORDS), 1);
        }
        out.push_str(&sentence);
    }
    out
}

fn fresh(rng: &mut Rng, n: usize) -> RawQuestion {
    // Subjects are distinct until they run out, then repeat with other templates (a big scraped
    // pile asks about the same thing many times).
    let template = rng.below(TEMPLATES.len());
    let subject = subject(n);
    let first_person = rng.chance(0.05);
    RawQuestion {
        template,
        wording: 0,
        text: text_of(template, 0, &subject),
        answer: answer(rng, &subject, first_person),
        subject,
        code: rng.chance(0.1),
    }
}

/// Writes `files` banks holding `questions` questions, and `truth.tsv`.
pub(crate) fn write(questions: usize, files: usize, dup_rate: f64, seed: u64, out: &Path) -> Result<(), String> {
    let mut rng = Rng(seed);
    let mut all: Vec<RawQuestion> = Vec::with_capacity(questions);
    // (kind, earlier, later) by question index; turned into places once the files are laid out.
    let mut planted: Vec<(&str, usize, usize)> = Vec::new();
    for n in 0..questions {
        if n > 10 && rng.chance(dup_rate) {
            let original = rng.below(n);
            let o = all[original].clone();
            let wordings = TEMPLATES[o.template].len();
            let (kind, q) = if rng.chance(0.5) || wordings == 1 {
                let text = o.text.to_lowercase().trim_end_matches(['?', '.']).to_string();
                ("exact", RawQuestion { text, ..o })
            } else {
                let wording = (o.wording + 1 + rng.below(wordings - 1)) % wordings;
                let text = text_of(o.template, wording, &o.subject);
                ("near", RawQuestion { wording, text, ..o })
            };
            planted.push((kind, original, n));
            all.push(q);
        } else {
            all.push(fresh(&mut rng, n));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let per_file = questions.div_ceil(files);
    let mut places: Vec<String> = Vec::with_capacity(questions);
    for (f, chunk) in all.chunks(per_file).enumerate() {
        let name = format!("bank-{f:04}.md");
        let text = bank(f, chunk, &mut rng, |line| places.push(format!("{name}:{line}")));
        let path = out.join(&name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut truth = String::from("kind\tid_a\tid_b\n");
    for (kind, a, b) in planted {
        let _ = writeln!(truth, "{kind}\t{}\t{}", places[a], places[b]);
    }
    std::fs::write(out.join("truth.tsv"), truth).map_err(|e| format!("truth.tsv: {e}"))
}

/// One raw bank; `place` gets each question's one-based heading line, in order.
fn bank(f: usize, questions: &[RawQuestion], rng: &mut Rng, mut place: impl FnMut(usize)) -> String {
    let mut out = format!("# Interview Questions, Part {}\n\nCollected from around the web.\n", f + 1);
    let labelled = f % 2 == 1;
    let mut number = 0;
    // Lines written so far, counted per piece rather than over the whole text each time.
    let mut lines = 3;
    for (i, q) in questions.iter().enumerate() {
        let mut piece = String::new();
        if i % 50 == 0 {
            let _ = write!(piece, "\n## Part {}\n", i / 50 + 1);
            number = 0;
        }
        number += 1;
        // One numbering slip in some sections: a number written twice.
        if i % 50 == 20 && rng.chance(0.3) {
            number -= 1;
        }
        let trailing = if rng.chance(0.02) { "  " } else { "" };
        piece.push('\n');
        place(lines + piece.matches('\n').count() + 1);
        let _ = write!(piece, "### {number}. {}{trailing}\n\n", q.text);
        if labelled {
            piece.push_str("**Answer:** ");
        }
        piece.push_str(&q.answer);
        piece.push('\n');
        if q.code {
            let command =
                q.subject.split(' ').find(|w| w.starts_with(char::is_uppercase)).unwrap_or("run").to_lowercase();
            let _ = write!(piece, "\n```\n{command} --{} {}\n```\n", rng.pick(WORDS), rng.below(100));
        }
        lines += piece.matches('\n').count();
        out.push_str(&piece);
    }
    out
}
