//! Lexical `find_duplicates` on generated corpora of 10k and 100k questions (a fifth of them
//! planted rewordings). Run with `cargo bench -p qbank-dedup`.

#[path = "../tests/common/generate.rs"]
mod generate;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use qbank_dedup::{Mode, Thresholds, find_duplicates};

fn lexical(c: &mut Criterion) {
    let mut group = c.benchmark_group("lexical");
    group.sample_size(10);
    for size in [10_000, 100_000] {
        let corpus = generate::generate(size * 4 / 5, size / 5);
        group.bench_with_input(BenchmarkId::from_parameter(size), &corpus.items, |b, items| {
            b.iter(|| find_duplicates(items, &Mode::Lexical, &Thresholds::default()).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, lexical);
criterion_main!(benches);
