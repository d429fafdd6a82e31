//! `qbank inspect`: how qbank reads each file — the shape it detected and how sure it is, every
//! question with its line and first words, the markup it took as structure, and the prose it
//! left outside questions — for people and as JSON, so a bank can be checked before a merge.
//! Each file is read with its `qbank.toml` shape override, as `check` reads it.

use std::path::PathBuf;

use qbank_core::shapes::summary::reading_json;
use qbank_workspace::{discover, read_source};

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
    let hints = super::load::shape_hints(&found.files)?;
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for (path, hint) in found.files.iter().zip(&hints) {
        match read_source(path) {
            Ok(file) => {
                let parsed = qbank_core::parse_hinted(&file.text, hint);
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
