//! Semantic mode with the real all-MiniLM-L6-v2 model (installed by scripts/setup-model.sh;
//! these tests fail, never skip, when it is missing).

mod common;

use qbank_dedup::{Embedder, Index, Item, Mode, PairKind, Thresholds, find_duplicates};

const ROLLBACK: &str = "How do you handle rollbacks in production?";
const STRATEGY: &str = "What is your rollback strategy?";
const MIGRATIONS: &str = "How do you handle database migrations in production?";

fn item(key: &str, question: &str) -> Item<'static> {
    Item { key: key.to_owned().into(), question: question.to_owned().into(), ..Item::default() }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn embeddings_match_sentence_transformers() {
    let embedder = Embedder::load(&common::model_dir()).unwrap();
    assert_eq!(embedder.dim(), 384);
    let vectors = embedder.embed(&[ROLLBACK, STRATEGY, MIGRATIONS]).unwrap();
    for vector in &vectors {
        let norm = cosine(vector, vector).sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }
    // Reference figures from an independent NumPy implementation of the same model
    // (BERT forward pass in float64, mean pooling over tokens, L2 normalisation).
    let reference_head = [-0.0562, 0.03435, -0.00254, -0.01428, -0.03029];
    for (got, want) in vectors[0].iter().zip(reference_head) {
        assert!((got - want).abs() < 2e-4, "{:?}", &vectors[0][..5]);
    }
    assert!((cosine(&vectors[0], &vectors[1]) - 0.79739).abs() < 1e-3);
    assert!((cosine(&vectors[0], &vectors[2]) - 0.46776).abs() < 1e-3);
    // Padding in a batch changes nothing: the same text alone embeds the same.
    let alone = Embedder::load(&common::model_dir()).unwrap().embed(&[STRATEGY]).unwrap();
    assert!(cosine(&alone[0], &vectors[1]) > 0.99999);
}

#[test]
fn semantic_mode_finds_rewordings_that_share_no_template() {
    let corpus = vec![item("a", ROLLBACK), item("b", MIGRATIONS), item("c", STRATEGY)];
    let thresholds = Thresholds::default();
    let lexical = find_duplicates(&corpus, &Mode::Lexical, &thresholds).unwrap();
    assert!(lexical.pairs.is_empty(), "{lexical:?}");
    let mode = Mode::Semantic { model_dir: common::model_dir(), cache_file: None };
    let semantic = find_duplicates(&corpus, &mode, &thresholds).unwrap();
    let found: Vec<(usize, usize, PairKind)> = semantic.pairs.iter().map(|p| (p.a, p.b, p.kind)).collect();
    assert_eq!(found, [(0, 2, PairKind::Near)]);
    assert!(semantic.pairs[0].scores.semantic.unwrap() > thresholds.semantic);
}

#[test]
fn cache_file_is_written_and_reused() {
    let dir = std::env::temp_dir().join(format!("qbank-dedup-cache-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cache = dir.join("embeddings.bin");
    let corpus = vec![item("a", ROLLBACK), item("b", MIGRATIONS), item("c", STRATEGY)];
    let mode = Mode::Semantic { model_dir: common::model_dir(), cache_file: Some(cache.clone()) };
    let first = find_duplicates(&corpus, &mode, &Thresholds::default()).unwrap();
    let written = std::fs::metadata(&cache).unwrap().len();
    assert_eq!(written, 28 + 3 * (8 + 4 * 384));

    let embedder = Embedder::load(&common::model_dir()).unwrap();
    assert_eq!(embedder.read_cache(&cache), 3);
    assert!(!embedder.cache_is_dirty());
    embedder.embed(&[ROLLBACK, STRATEGY]).unwrap();
    assert!(!embedder.cache_is_dirty(), "served from the file");

    assert_eq!(find_duplicates(&corpus, &mode, &Thresholds::default()).unwrap(), first);
    // A damaged cache is ignored and rewritten.
    std::fs::write(&cache, b"QBEMBED1 garbage").unwrap();
    assert_eq!(find_duplicates(&corpus, &mode, &Thresholds::default()).unwrap(), first);
    assert_eq!(std::fs::metadata(&cache).unwrap().len(), written);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn semantic_index_queries_and_reports_like_the_batch_run() {
    let embedder = Embedder::load(&common::model_dir()).unwrap();
    let mut index = Index::with_embedder(Thresholds::default(), embedder);
    index.extend([item("bank/1", ROLLBACK), item("bank/2", MIGRATIONS)]).unwrap();
    let matches = index.query(&item("new/1", STRATEGY)).unwrap();
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0].key, "bank/1");

    index.insert(item("bank/3", STRATEGY)).unwrap();
    let by_key: Vec<Item> = index.items().cloned().collect();
    let mode = Mode::Semantic { model_dir: common::model_dir(), cache_file: None };
    let batch = find_duplicates(&by_key, &mode, &Thresholds::default()).unwrap();
    assert_eq!(index.report(), batch);
    assert_eq!(index.embedder().unwrap().cached(), 3);
}
