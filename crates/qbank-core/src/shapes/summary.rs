//! A reading as data: the shape, how sure, the doubts and every question with its line, the
//! markup taken as structure and the prose left outside questions. `qbank inspect` prints it
//! (human or JSON) and the language server's hover on the bank title shows it, so both say the
//! same thing about the same file.

use serde_json::json;

use crate::{LineIndex, Parsed, Span};

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

/// The reading in a few Markdown lines, for the hover on a bank's title: the shape, how sure,
/// the doubts and the other shapes found, how many questions and answer-structure headings.
pub fn reading_markdown(value: &serde_json::Value) -> String {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let questions = value["questions"].as_array().map_or(0, Vec::len);
    let sure = value["sure"].as_bool().unwrap_or(false);
    let mut out = format!(
        "**Read as** `{}` · {questions} question{} · {}",
        s(&value["shape"]),
        if questions == 1 { "" } else { "s" },
        if sure { "sure" } else { "**unsure**: `fmt` and fixes leave this file as it is" }
    );
    if let Some(level) = value["question_level"].as_u64() {
        out.push_str(&format!("\n\n- question headings: level {level}"));
    }
    for doubt in value["doubts"].as_array().into_iter().flatten() {
        out.push_str(&format!("\n- doubt, line {}: {}", doubt["line"], s(&doubt["message"])));
    }
    for also in value["also"].as_array().into_iter().flatten() {
        out.push_str(&format!("\n- also found: `{}` ({} questions)", s(&also["shape"]), also["questions"]));
    }
    let headings = value["answer_headings"].as_array().map_or(0, Vec::len);
    if headings > 0 {
        out.push_str(&format!(
            "\n- {headings} heading{} read as answer structure",
            if headings == 1 { "" } else { "s" }
        ));
    }
    for p in value["prose"].as_array().into_iter().flatten() {
        out.push_str(&format!("\n- prose, line {} ({}): {}", p["line"], s(&p["where"]), s(&p["text"])));
    }
    out.push_str("\n\n`qbank inspect` prints every question with its line.");
    out
}
