//! Edit → diagnostics latency on a generated 2,000-question bank: the work the server does
//! after a one-character `didChange` (apply the edit, parse, check), next to the library call
//! alone. Run with `cargo bench -p qbank-lsp`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};

/// The allocator the `qbank` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use qbank_core::Encoding;
use qbank_lint::Config;
use qbank_lint::check::IncrementalCache;
use qbank_lint::check::{FileInfo, check_source};
use qbank_lsp::analysis::{Input, analyze, analyze_incremental};
use qbank_lsp::convert::apply_change;
use qbank_lsp::settings::FileConfig;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// The generated bank the parse, format and check benches use.
#[path = "../../qbank-core/benches/support/generated.rs"]
mod generated;

fn edit_latency(c: &mut Criterion) {
    let original = generated::bank(2_000, 0);
    let config = Arc::new(Config::default());
    let file = FileConfig {
        config: config.clone(),
        root: None,
        relative_path: "generated.md".into(),
        included: true,
        report_not_a_bank: false,
    };
    // One character typed in the middle of question 1,000's answer.
    let line = original.lines().position(|l| l.contains("incident 1000.")).unwrap() as u32;
    let change = TextDocumentContentChangeEvent {
        range: Some(Range::new(Position::new(line, 10), Position::new(line, 10))),
        range_length: None,
        text: "x".into(),
    };
    let mut group = c.benchmark_group("edit_latency_2000_questions");
    group.sample_size(10);
    group.bench_function("server: apply edit + analyze", |b| {
        b.iter(|| {
            let mut text = original.clone();
            apply_change(&mut text, change.clone(), Encoding::Utf16);
            analyze(Arc::from(text), Input { path: "generated.md", file: &file, generation: 0 })
        })
    });
    // What the server runs per keystroke: the document's cache holds the version before the edit.
    group.bench_function("server: apply edit + incremental analyze", |b| {
        let mut cache = IncrementalCache::default();
        let mut typed = original.clone();
        let mut column = 10;
        analyze_incremental(
            Arc::from(typed.as_str()),
            Input { path: "generated.md", file: &file, generation: 0 },
            &mut cache,
        );
        b.iter(|| {
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(line, column), Position::new(line, column))),
                range_length: None,
                text: "x".into(),
            };
            column += 1;
            apply_change(&mut typed, change, Encoding::Utf16);
            analyze_incremental(
                Arc::from(typed.as_str()),
                Input { path: "generated.md", file: &file, generation: 0 },
                &mut cache,
            )
        })
    });
    group.bench_function("library: check_source", |b| {
        let mut text = original.clone();
        apply_change(&mut text, change.clone(), Encoding::Utf16);
        b.iter(|| check_source(FileInfo { path: "generated.md", relative_path: "generated.md" }, &text, &config))
    });
    group.bench_function("library: parse", |b| b.iter(|| qbank_core::parse(&original)));
    group.finish();
}

criterion_group!(benches, edit_latency);
criterion_main!(benches);
