//! Parse and format throughput: a generated 2,000-question bank and the raw seed banks.
//! Run with `cargo bench -p qbank-core --bench core`.

use std::collections::HashSet;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use qbank_core::{format_bank, format_source, parse};

#[path = "support/generated.rs"]
mod generated;

fn parse_benches(c: &mut Criterion) {
    let bank = generated::bank(2_000, 0);
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bank.len() as u64));
    group.bench_function("generated 2000 questions", |b| b.iter(|| parse(black_box(&bank))));
    for (name, text) in generated::seeds() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("seed {name}"), |b| b.iter(|| parse(black_box(&text))));
    }
    group.finish();
}

fn fmt_benches(c: &mut Criterion) {
    let bank = generated::bank(2_000, 0);
    let parsed = parse(&bank);
    assert_eq!(parsed.bank.question_count(), 2_000);
    let mut group = c.benchmark_group("fmt");
    group.throughput(Throughput::Bytes(bank.len() as u64));
    // The formatter alone, on a parsed bank.
    group.bench_function("format_bank, generated 2000 questions", |b| b.iter(|| format_bank(black_box(&parsed.bank))));
    // What `qbank fmt FILE` does per file: parse, assign ids, format.
    group.bench_function("format_source, generated 2000 questions", |b| {
        b.iter_batched(
            HashSet::new,
            |mut taken| format_source(black_box(&bank), "generated", &mut taken),
            BatchSize::SmallInput,
        )
    });
    for (name, text) in generated::seeds() {
        let stem = name.trim_end_matches(".txt").to_string();
        if format_source(&text, &stem, &mut HashSet::new()).is_err() {
            continue; // not a bank (the paywall page)
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("format_source, seed {name}"), |b| {
            b.iter_batched(
                HashSet::new,
                |mut taken| format_source(black_box(&text), &stem, &mut taken),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, parse_benches, fmt_benches);
criterion_main!(benches);
