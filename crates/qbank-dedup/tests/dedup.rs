//! The public API on small hand-made corpora: normalisation, exact and near duplicates,
//! template near-misses, clustering, the incremental index, explanations and errors.

mod common;

use qbank_dedup::{
    Cluster, Index, Item, Mode, Pair, PairKind, Report, Scores, Thresholds, clusters, explain, find_duplicates,
    normalize,
};

fn item(key: &str, question: &str) -> Item<'static> {
    Item { key: key.to_owned().into(), question: question.to_owned().into(), ..Item::default() }
}

fn items(questions: &[&str]) -> Vec<Item<'static>> {
    questions.iter().enumerate().map(|(n, q)| item(&format!("bank/{n:02}"), q)).collect()
}

fn lexical(items: &[Item]) -> Report {
    find_duplicates(items, &Mode::Lexical, &Thresholds::default()).unwrap()
}

/// Reported pairs as `(a, b, kind)`, the shape most tests compare.
fn pairs(report: &Report) -> Vec<(usize, usize, PairKind)> {
    report.pairs.iter().map(|p| (p.a, p.b, p.kind)).collect()
}

/// Production questions that share the "How do you handle … in production?" stem.
const PRODUCTION: &[&str] = &[
    "How do you handle rollbacks in production?",
    "How do you handle database migrations in production?",
    "How do you handle secrets in production?",
    "How do you handle scaling in a production environment?",
    "How do you handle rollbacks in a production environment?",
    "How do you handle on-call rotations in production?",
];

#[test]
fn normalize_strips_markup_stop_words_and_suffixes() {
    assert_eq!(
        normalize("How do you handle **rollbacks** in a [production](https://x.io) environment?"),
        "handl rollback product environ"
    );
    assert_eq!(normalize("Use `kubectl rollout undo`.\n```bash\nkubectl get pods\n```"), "use kubectl rollout undo");
    assert_eq!(normalize("Ｗｈｙ DON'T you cache?"), "not cach");
}

#[test]
fn exact_duplicates_ignore_case_markup_and_stop_words() {
    let report = lexical(&items(&[
        "How do you handle rollbacks in production?",
        "What is a service mesh?",
        "how do YOU handle *rollbacks* in production",
        "How to handle rollbacks in production?",
    ]));
    assert_eq!(pairs(&report), [(0, 2, PairKind::Exact), (0, 3, PairKind::Exact)]);
    assert_eq!(report.clusters, [Cluster { representative: 0, members: vec![0, 2, 3], kind: PairKind::Exact }]);
}

#[test]
fn questions_of_stop_words_only_are_not_all_equal() {
    let report = lexical(&items(&["What is it?", "Why is that?", "What is it?"]));
    assert_eq!(pairs(&report), [(0, 2, PairKind::Exact)]);
}

#[test]
fn five_word_questions_are_found_among_many_of_the_same_template() {
    // Fifty short questions on one template; only the reordered pair is a duplicate.
    let mut questions: Vec<String> = (0..50)
        .map(|n| {
            format!(
                "How do you configure {}?",
                ["queues", "caches", "probes", "quotas", "proxies"][n % 5].to_owned() + &format!(" tier{n}")
            )
        })
        .collect();
    questions.push("How do you configure Kubernetes autoscaling?".into());
    questions.push("How do you configure autoscaling in Kubernetes?".into());
    let refs: Vec<&str> = questions.iter().map(String::as_str).collect();
    let report = lexical(&items(&refs));
    assert_eq!(pairs(&report), [(50, 51, PairKind::Near)]);
}

#[test]
fn typos_in_long_words_are_forgiven() {
    let mut corpus: Vec<&str> = PRODUCTION.to_vec();
    corpus.push("How do you configure Kubernetes autoscaling?");
    corpus.push("How do you configure Kubernates autoscalling?");
    corpus.push("How do you configure HTTP2 proxies?");
    corpus.push("How do you configure HTTP3 proxies?");
    let report = lexical(&items(&corpus));
    let found: Vec<(usize, usize, PairKind)> = pairs(&report).into_iter().filter(|p| p.0 >= 6).collect();
    assert_eq!(found, [(6, 7, PairKind::Near)], "{report:?}");
}

#[test]
fn template_stem_near_miss_is_not_reported_but_the_rewording_is() {
    let report = lexical(&items(PRODUCTION));
    // Rollbacks in production ≈ rollbacks in a production environment; nothing else.
    assert_eq!(pairs(&report), [(0, 4, PairKind::Near)]);
    let rollback = &report.pairs[0].scores;
    assert!(rollback.question > 0.85, "{rollback:?}");
}

#[test]
fn answers_strengthen_and_weaken_a_pair() {
    let answer = "Keep the previous release artefact, switch the load balancer back to it, \
                  and run the down migrations only when they are backward compatible.";
    let with_answers = |first: &str, second: &str| {
        let mut corpus = items(PRODUCTION);
        corpus[0].answer = first.to_owned().into();
        corpus[4].answer = second.to_owned().into();
        lexical(&corpus).pairs.iter().find(|p| (p.a, p.b) == (0, 4)).map(|p| p.scores)
    };
    let bare = lexical(&items(PRODUCTION)).pairs[0].scores.combined;
    let same = with_answers(answer, answer).unwrap();
    let different = with_answers(answer, "Page the on-call engineer and open an incident channel.").unwrap();
    assert!(same.combined > bare && bare > different.combined, "{same:?} {bare} {different:?}");
    assert_eq!(same.answer, Some(1.0));
}

#[test]
fn identical_answers_find_differently_worded_questions() {
    let answer = "Tag every image, keep the last three releases in the registry, and roll back \
                  with kubectl rollout undo while the database stays backward compatible.";
    let mut corpus = items(&[
        "What is your rollback strategy for Kubernetes releases?",
        "How would you revert a broken Kubernetes release?",
        "How do you size Kubernetes nodes?",
    ]);
    corpus[0].answer = answer.to_owned().into();
    corpus[1].answer = answer.to_owned().into();
    corpus[2].answer = "Measure requests and limits first.".to_owned().into();
    let report = lexical(&corpus);
    assert_eq!(pairs(&report), [(0, 1, PairKind::Near)]);
    let scores = report.pairs[0].scores;
    assert!(scores.question < Thresholds::default().near, "carried by the answer: {scores:?}");
}

fn pair(a: usize, b: usize, kind: PairKind) -> Pair {
    Pair { a, b, kind, scores: Scores { question: 1.0, answer: None, tldr: None, combined: 1.0, semantic: None } }
}

#[test]
fn clusters_have_a_representative_and_never_chain() {
    use PairKind::{Exact, Near};
    // 0≈1, 1≈2 (but 2 is not a duplicate of 0), 0≡3, 4≈5, 2≈5.
    let found = clusters(&[pair(0, 1, Near), pair(1, 2, Near), pair(0, 3, Exact), pair(4, 5, Near), pair(2, 5, Near)]);
    assert_eq!(
        found,
        [
            Cluster { representative: 0, members: vec![0, 1, 3], kind: Near },
            Cluster { representative: 2, members: vec![2, 5], kind: Near },
        ]
    );
    // Every member duplicates its representative directly.
    let all = [(0, 1), (1, 2), (0, 3), (4, 5), (2, 5)];
    for cluster in &found {
        for &member in &cluster.members[1..] {
            assert!(all.contains(&(cluster.representative, member)));
        }
    }
}

#[test]
fn copies_of_a_question_share_its_near_duplicates() {
    let report = lexical(&items(&[
        "How do you handle rollbacks in production?",
        "How do you handle rollbacks in a production environment?",
        "How do you handle **rollbacks** in production",
    ]));
    assert_eq!(pairs(&report), [(0, 1, PairKind::Near), (0, 2, PairKind::Exact), (1, 2, PairKind::Near)]);
    assert_eq!(report.clusters[0].members, [0, 1, 2]);
}

fn seed_corpus() -> Vec<Item<'static>> {
    let mut corpus = common::seed_items();
    corpus.extend(PRODUCTION.iter().enumerate().map(|(n, q)| item(&format!("extra/{n}"), q)));
    corpus
}

#[test]
fn index_edits_report_what_a_fresh_index_reports() {
    let corpus = seed_corpus();
    let thresholds = Thresholds::default();

    let mut edited = Index::new(thresholds);
    edited.extend(corpus.iter().cloned()).unwrap();
    // Re-index one bank with a changed question, drop another bank, add an item twice.
    let bank = corpus[0].key.split('/').next().unwrap().to_owned() + "/";
    let removed = edited.remove_prefix(&bank);
    assert!(removed > 10, "{removed}");
    let mut final_items: Vec<Item> = corpus.iter().filter(|i| !i.key.starts_with(&bank)).cloned().collect();
    let mut changed = corpus.iter().filter(|i| i.key.starts_with(&bank)).cloned().collect::<Vec<_>>();
    changed[0].question = "How do you handle rollbacks of a production environment?".into();
    edited.extend(changed.iter().cloned()).unwrap();
    final_items.extend(changed);
    let gone = final_items.remove(3);
    assert_eq!(edited.remove(&gone.key), Some(gone));
    edited.insert(final_items[7].clone()).unwrap();

    let mut fresh = Index::new(thresholds);
    fresh.extend(final_items.iter().rev().cloned()).unwrap();
    assert_eq!(edited.len(), fresh.len());
    assert!(edited.items().eq(fresh.items()));
    let report = edited.report();
    assert_eq!(report, fresh.report());
    assert!(!report.pairs.is_empty());

    // The batch function agrees when given the items in key order.
    let by_key: Vec<Item> = fresh.items().cloned().collect();
    assert_eq!(find_duplicates(&by_key, &Mode::Lexical, &thresholds).unwrap(), report);
}

#[test]
fn index_query_finds_the_rewording_but_not_the_template_sibling() {
    let mut index = Index::new(Thresholds::default());
    index.extend(seed_corpus().into_iter().filter(|i| !i.question.contains("environment?"))).unwrap();
    let query = item("new/1", "How do you handle rollbacks in a production environment?");
    let matches = index.query(&query).unwrap();
    let questions: Vec<&str> = matches.iter().map(|m| &*index.get(&m.key).unwrap().question).collect();
    // The seed bank's copy and the extra one; not "… database migrations in production?".
    assert_eq!(questions, ["How do you handle rollbacks in production?"; 2], "{matches:?}");
    assert!(matches.iter().all(|m| m.kind == PairKind::Near));

    // Every pair of an indexed item in all_pairs is also among its query matches.
    let keys: Vec<String> = index.items().map(|i| i.key.to_string()).collect();
    for pair in index.all_pairs() {
        let item = index.get(&keys[pair.a]).unwrap().clone();
        let found = index.query(&item).unwrap();
        assert!(found.iter().any(|m| m.key == keys[pair.b]), "{pair:?}");
    }
}

#[test]
fn explanation_shows_the_word_diff_and_each_threshold() {
    let corpus = items(PRODUCTION);
    let report = lexical(&corpus);
    let pair = &report.pairs[0];
    let explanation = explain(&corpus[pair.a], &corpus[pair.b], pair, &Thresholds::default());
    assert_eq!(explanation.word_diff, "How do you handle rollbacks in [-production?-]{+a production environment?+}");
    let text = explanation.lines.join("\n");
    let combined = pair.scores.combined;
    assert!(text.contains("exact: no"), "{text}");
    assert!(text.contains(&format!("combined {combined:.2} >= near 0.64")), "{text}");
    assert!(text.contains("answer n/a"), "{text}");
    assert!(text.ends_with("verdict: near duplicate (lexical)"), "{text}");
}

#[test]
fn missing_model_directory_is_a_clear_error() {
    let dir = std::env::temp_dir().join("qbank-dedup-test-no-such-model");
    let mode = Mode::Semantic { model_dir: dir.clone(), cache_file: None };
    let error = find_duplicates(&items(PRODUCTION), &mode, &Thresholds::default()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains(&dir.display().to_string()), "{message}");
    assert!(message.contains("scripts/setup-model.sh"), "{message}");
}

#[test]
fn output_is_deterministic_and_sorted() {
    let corpus = seed_corpus();
    let first = lexical(&corpus);
    assert_eq!(first, lexical(&corpus));
    assert!(first.pairs.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)));
    assert!(first.pairs.iter().all(|p| p.a < p.b));
    assert!(first.clusters.windows(2).all(|w| w[0].representative < w[1].representative));
}
