//! A deterministic corpus of template questions with planted duplicates, shared by the
//! `generated` test and the benchmarks.
#![allow(dead_code)]

use std::collections::HashSet;

use qbank_dedup::Item;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Like `pick`, but early items far more often (density falling as 1/x^(3/4)).
    fn pick_skewed<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        &items[((unit.powi(4) * items.len() as f64) as usize).min(items.len() - 1)]
    }
}

/// Pairs of templates that ask the same thing; `{}` is the topic.
const REWORDINGS: &[(&str, &str)] = &[
    ("How do you handle {} in production?", "How do you handle {} in a production environment?"),
    ("What is your approach to {}?", "How do you approach {}?"),
    ("Explain {}.", "Can you explain {}?"),
    ("Describe your {} strategy.", "What is your strategy for {}?"),
    ("What are the best practices for {}?", "What are best practices when dealing with {}?"),
    ("How would you implement {} for a backend service?", "How do you implement {} for backend services?"),
    ("How do you troubleshoot {} issues?", "How would you troubleshoot issues with {}?"),
    ("How do you monitor {} in a distributed system?", "How would you monitor {} across distributed systems?"),
    ("Why is {} important?", "Why does {} matter?"),
    ("What problems does {} solve?", "Which problems does {} solve?"),
];

const FILLER: &[&str] = &[
    "use", "the", "team", "service", "deploy", "monitor", "alert", "metric", "log", "cluster", "config", "release",
    "version", "pipeline", "test", "traffic", "latency", "error", "cache", "database", "queue", "retry", "timeout",
    "budget", "owner", "review", "document", "rollout",
];

fn word(rng: &mut Rng) -> String {
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch", "cl",
        "dr", "fl", "gr", "kr", "pl", "sh", "sp", "st", "th", "tr", "qu",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "y", "ai", "ea", "ie", "oo", "ou", "au"];
    // Three or four syllables: real rare words are far apart in spelling; short random
    // words would all be one typo from each other.
    let syllables = 3 + rng.below(2);
    (0..syllables).map(|_| format!("{}{}", rng.pick(ONSETS), rng.pick(VOWELS))).collect()
}

/// Thirty words: the topic now and then, common filler, and other words, most of them common
/// (as in prose, a few words make most of the text).
fn answer(rng: &mut Rng, topic: &str, vocabulary: &[String]) -> String {
    let mut words: Vec<String> = Vec::new();
    for _ in 0..30 {
        match rng.below(10) {
            0 => words.push(topic.to_owned()),
            1..=4 => words.push((*rng.pick(FILLER)).to_owned()),
            _ => words.push(rng.pick_skewed(vocabulary).clone()),
        }
    }
    words.join(" ")
}

pub struct Corpus {
    pub items: Vec<Item<'static>>,
    /// The base question each item was made from (itself for base questions).
    pub origin: Vec<usize>,
    pub planted: Vec<(usize, usize)>,
}

/// `base_count` questions from shared templates with random two-word topics, then
/// `planted_count` rewordings of random base questions.
pub fn generate(base_count: usize, planted_count: usize) -> Corpus {
    let mut rng = Rng(2026);
    let vocabulary: Vec<String> = {
        let mut seen = HashSet::new();
        let mut words = Vec::new();
        // Enough words that a topic is rare, as real topics are.
        let size = (base_count / 2).max(3000);
        while words.len() < size {
            let w = word(&mut rng);
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        words
    };
    let mut items = Vec::new();
    let mut sources = Vec::new();
    for n in 0..base_count {
        let topic = format!("{} {}", rng.pick(&vocabulary), rng.pick(&vocabulary));
        let (template, _) = *rng.pick(REWORDINGS);
        let answer = answer(&mut rng, &topic, &vocabulary);
        items.push(Item {
            key: format!("base/{n}").into(),
            question: template.replace("{}", &topic).into(),
            answer: answer.into(),
            tldr: Default::default(),
        });
        sources.push((topic, template));
    }
    let mut origin: Vec<usize> = (0..base_count).collect();
    let mut planted = Vec::new();
    for n in 0..planted_count {
        let original = rng.below(base_count);
        let (topic, template) = sources[original].clone();
        let pair = REWORDINGS.iter().find(|(a, _)| *a == template).unwrap();
        let (question, answer) = match n % 4 {
            // The same answer lightly edited under a differently phrased question.
            0 => (pair.1.replace("{}", &topic).to_uppercase(), format!("{} and review", items[original].answer)),
            1 => (pair.1.replace("{}", &format!("**{topic}**")), answer(&mut rng, &topic, &vocabulary)),
            _ => (pair.1.replace("{}", &topic), answer(&mut rng, &topic, &vocabulary)),
        };
        planted.push((original, items.len()));
        origin.push(original);
        items.push(Item {
            key: format!("planted/{n}").into(),
            question: question.into(),
            answer: answer.into(),
            tldr: Default::default(),
        });
    }
    Corpus { items, origin, planted }
}
