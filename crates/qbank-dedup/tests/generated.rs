//! Recall and precision on a generated corpus with planted duplicates: 4,000 questions built
//! from shared templates (so most pairs share a stem) plus 1,000 planted rewordings.

#[path = "common/generate.rs"]
mod generate;

use std::collections::HashSet;

use generate::generate;
use qbank_dedup::{Mode, Thresholds, find_duplicates};

#[test]
fn planted_duplicates_are_found_among_template_questions() {
    let corpus = generate(4000, 1000);
    let report = find_duplicates(&corpus.items, &Mode::Lexical, &Thresholds::default()).unwrap();
    let reported: HashSet<(usize, usize)> = report.pairs.iter().map(|p| (p.a, p.b)).collect();
    let found = corpus.planted.iter().filter(|pair| reported.contains(pair)).count();
    let recall = found as f64 / corpus.planted.len() as f64;
    let wrong: Vec<_> = report.pairs.iter().filter(|p| corpus.origin[p.a] != corpus.origin[p.b]).collect();
    let precision = 1.0 - wrong.len() as f64 / report.pairs.len() as f64;
    eprintln!(
        "generated: {} pairs, recall {recall:.3} ({found}/{}), precision {precision:.3}",
        report.pairs.len(),
        corpus.planted.len()
    );
    for pair in wrong.iter().take(5) {
        let (a, b) = (&corpus.items[pair.a].question, &corpus.items[pair.b].question);
        eprintln!("  not planted: {a:?} / {b:?} {:?}", pair.scores);
    }
    assert!(recall >= 0.95, "recall {recall:.3}");
    // Base questions share templates and often one topic word; they are not duplicates.
    assert!(precision >= 0.95, "precision {precision:.3}");
}
