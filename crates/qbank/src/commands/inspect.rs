//! `qbank inspect`: how qbank reads each file — the shape it detected and how sure it is, every
//! question with its line and first words, the markup it took as structure, and the prose it
//! left outside questions — for people and as JSON, so a bank can be checked before a merge.

use std::path::PathBuf;

use qbank_core::{LineIndex, Parsed, Span, parse};
use qbank_workspace::{discover, read_source};
use serde_json::json;

use crate::{Errors, Outcome};

#[derive(clap::Args, Debug)]
pub struct InspectArgs {
    /// Files (any extension) or directories (walked for *.md).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = ["human", "json"], default_value = "human")]
    pub format: String,
}

/// The first `n` words of a text, on one line.
fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = words[..words.len().min(n)].join(" ");
    if words.len() > n {
        out.push('…');
    }
    out
}

/// The reading of one text as JSON (also what the human output prints).
pub fn reading_json(path: &str, source: &str, parsed: &Parsed) -> serde_json::Value {
    let index = LineIndex::new(source);
    let line = |span: Span| index.line_of(span.start.min(source.len())) + 1;
    let reading = &parsed.reading;
    let questions: Vec<serde_json::Value> = parsed
        .bank
        .sections
        .iter()
        .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
        .map(|(section, q)| {
            json!({
                "line": line(q.spans.heading),
                "number": q.number,
                "question": first_words(&q.question, 12),
                "answer": first_words(&q.answer, 8),
                "answer_words": q.answer.split_whitespace().count(),
                "section": section.title,
            })
        })
        .collect();
    let mut prose: Vec<serde_json::Value> = Vec::new();
    if let Some(span) = parsed.intro_span {
        prose.push(json!({ "line": line(span), "where": "bank intro", "text": first_words(&parsed.bank.intro, 10) }));
    }
    for section in parsed.bank.sections.iter().filter(|s| !s.intro.is_empty()) {
        let at = section.title_span.unwrap_or(section.span);
        prose.push(json!({ "line": line(at), "where": "section intro", "text": first_words(&section.intro, 10) }));
    }
    json!({
        "path": path,
        "shape": reading.shape.as_str(),
        "sure": reading.is_sure(),
        "doubts": reading.doubts.iter().map(|d| json!({ "line": line(d.span), "message": d.message })).collect::<Vec<_>>(),
        "also": reading.also.iter().map(|(s, n)| json!({ "shape": s.as_str(), "questions": n })).collect::<Vec<_>>(),
        "question_level": parsed.question_level,
        "title": parsed.bank.title,
        "sections": parsed.bank.sections.iter().filter_map(|s| s.title.clone()).collect::<Vec<_>>(),
        "questions": questions,
        "structure": reading.structure.iter().take(200).map(|s| json!({ "line": line(*s), "text": first_words(s.slice(source), 6) })).collect::<Vec<_>>(),
        "answer_headings": reading.answer_headings.iter().map(|s| json!({ "line": line(*s), "text": first_words(s.slice(source), 8) })).collect::<Vec<_>>(),
        "prose": prose,
        "issues": parsed.issues.iter().map(|i| json!({ "line": line(i.span), "message": i.message })).collect::<Vec<_>>(),
    })
}

fn human(value: &serde_json::Value) -> String {
    let mut out = String::new();
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let questions = value["questions"].as_array().map_or(0, Vec::len);
    let sure = if value["sure"].as_bool().unwrap_or(false) { "sure" } else { "UNSURE" };
    out.push_str(&format!("{}: {} · {questions} questions · {sure}\n", s(&value["path"]), s(&value["shape"])));
    for doubt in value["doubts"].as_array().into_iter().flatten() {
        out.push_str(&format!("  doubt (line {}): {}\n", doubt["line"], s(&doubt["message"])));
    }
    for also in value["also"].as_array().into_iter().flatten() {
        out.push_str(&format!("  also found: {} ({} questions)\n", s(&also["shape"]), also["questions"]));
    }
    if let Some(level) = value["question_level"].as_u64() {
        out.push_str(&format!("  question headings: level {level}\n"));
    }
    for issue in value["issues"].as_array().into_iter().flatten() {
        out.push_str(&format!("  line {}: {}\n", issue["line"], s(&issue["message"])));
    }
    for q in value["questions"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  {:>5}  {:>3}. {}  [answer: {} words]\n",
            q["line"],
            q["number"],
            s(&q["question"]),
            q["answer_words"]
        ));
    }
    for h in value["answer_headings"].as_array().into_iter().flatten() {
        out.push_str(&format!("  {:>5}  answer structure: {}\n", h["line"], s(&h["text"])));
    }
    for p in value["prose"].as_array().into_iter().flatten() {
        out.push_str(&format!("  {:>5}  prose ({}): {}\n", p["line"], s(&p["where"]), s(&p["text"])));
    }
    out
}

pub fn run(args: &InspectArgs) -> Result<Outcome, Errors> {
    let found = discover(&args.paths)?;
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for path in &found.files {
        match read_source(path) {
            Ok(file) => {
                let parsed = parse(&file.text);
                values.push(reading_json(&path.display().to_string(), &file.text, &parsed));
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    if args.format == "json" {
        crate::outln!("{}", serde_json::to_string_pretty(&values).unwrap_or_default());
    } else {
        for value in &values {
            crate::out!("{}", human(value));
        }
    }
    Ok(Outcome::Clean)
}
