//! Times lexical `find_duplicates` on a generated corpus of N questions (a fifth of them
//! planted rewordings) and checks recall: `cargo run --release -p qbank-dedup --example scale 1000000`.

#[path = "../tests/common/generate.rs"]
mod generate;

use std::time::Instant;

use qbank_dedup::{Mode, Thresholds, find_duplicates};

fn main() {
    let size: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let corpus = generate::generate(size * 4 / 5, size / 5);
    let start = Instant::now();
    let report = find_duplicates(&corpus.items, &Mode::Lexical, &Thresholds::default()).unwrap();
    let elapsed = start.elapsed();
    let found =
        corpus.planted.iter().filter(|&&pair| report.pairs.binary_search_by_key(&pair, |p| (p.a, p.b)).is_ok()).count();
    let unplanted = report.pairs.iter().filter(|p| corpus.origin[p.a] != corpus.origin[p.b]).count();
    println!(
        "{} questions: {elapsed:.2?}; {} pairs, planted recall {:.4}, {unplanted} pairs of different origin",
        corpus.items.len(),
        report.pairs.len(),
        found as f64 / corpus.planted.len() as f64,
    );
}
