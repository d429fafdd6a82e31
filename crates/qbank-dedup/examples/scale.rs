#[path = "../tests/common/generate.rs"]
mod generate;
use std::time::Instant;
use qbank_dedup::{Mode, Thresholds, find_duplicates};
fn main() {
    let size: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let t = Instant::now();
    let corpus = generate::generate(size * 4 / 5, size / 5);
    eprintln!("generated {} in {:?}", corpus.items.len(), t.elapsed());
    let t = Instant::now();
    let report = find_duplicates(&corpus.items, &Mode::Lexical, &Thresholds::default()).unwrap();
    let el = t.elapsed();
    let found = corpus.planted.iter().filter(|&&p| report.pairs.binary_search_by_key(&p, |x| (x.a, x.b)).is_ok()).count();
    let wrong = report.pairs.iter().filter(|p| corpus.origin[p.a] != corpus.origin[p.b]).count();
    eprintln!("find_duplicates: {el:?}; {} pairs, recall {:.4}, wrong {}", report.pairs.len(), found as f64 / corpus.planted.len() as f64, wrong);
}
