//! Parse throughput on a corpus: parses every `.md` file of each directory five times and
//! prints the best wall time, so two versions of the parser can be compared on the same files
//! (`cargo run --release -p qbank-core --example parse_dir -- DIR…`; corpora from `qbank-gen`).
//! With `QBANK_PARSE_HEADINGS=1` the shape readers are skipped (`shape = "headings"`), which
//! shows what they cost.

use std::time::Instant;

use qbank_core::{Shape, ShapeHint, parse_hinted};

fn main() {
    let hint = if std::env::var_os("QBANK_PARSE_HEADINGS").is_some() {
        ShapeHint { shape: Some(Shape::Headings), question_level: None }
    } else {
        ShapeHint::default()
    };
    for dir in std::env::args().skip(1) {
        let mut texts = Vec::new();
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|x| x == "md") {
                texts.push(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
            }
        }
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut best = f64::MAX;
        let mut questions = 0;
        for _ in 0..5 {
            let start = Instant::now();
            questions = texts.iter().map(|t| parse_hinted(t, &hint).bank.question_count()).sum::<usize>();
            best = best.min(start.elapsed().as_secs_f64());
        }
        let mb = bytes as f64 / 1e6;
        println!("{dir}: {questions} questions, {mb:.1} MB, best of 5: {best:.3} s ({:.1} MB/s)", mb / best);
    }
}
