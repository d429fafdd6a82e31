//! `check_source` throughput (every rule, default configuration) on the generated
//! 2,000-question bank and the raw seed banks. Syntax checks of code examples are memoised per
//! process by (language, code): "warm" re-checks the same text (every code block a memo hit),
//! "cold" checks a bank whose code blocks were never seen (a fresh salt per iteration).
//! Run with `cargo bench -p qbank-lint --bench check`.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use qbank_lint::Config;
use qbank_lint::check::{FileInfo, check_source};

#[path = "../../qbank-core/benches/support/generated.rs"]
mod generated;

fn check_benches(c: &mut Criterion) {
    let config = Config::default();
    let info = FileInfo { path: "generated.md", relative_path: "generated.md" };
    let bank = generated::bank(2_000, 0);
    let report = check_source(info, &bank, &config);
    assert!(report.bank_id.is_some(), "the generated text is a bank");

    let mut group = c.benchmark_group("check_source");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(bank.len() as u64));
    group.bench_function("generated 2000 questions, warm code memo", |b| {
        b.iter(|| check_source(info, black_box(&bank), &config))
    });
    let mut salt = 0;
    group.bench_function("generated 2000 questions, cold code memo", |b| {
        b.iter_batched(
            || {
                salt += 1;
                generated::bank(2_000, salt)
            },
            |text| check_source(info, black_box(&text), &config),
            BatchSize::LargeInput,
        )
    });
    for (name, text) in generated::seeds() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        let info = FileInfo { path: &name, relative_path: &name };
        group.bench_function(format!("seed {name}"), |b| b.iter(|| check_source(info, black_box(&text), &config)));
    }
    group.finish();
}

criterion_group!(benches, check_benches);
criterion_main!(benches);
