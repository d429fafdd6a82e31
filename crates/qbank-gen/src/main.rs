//! `qbank-gen`: writes a synthetic corpus of N questions across M bank files, in the seed
//! shapes, the canonical one or the raw template-heavy one, with planted exact and near
//! duplicates and a truth file (`truth.tsv`: `kind  id_a  id_b`) so benchmarks can measure
//! recall; or, with `--stress KIND`, one adversarial bank of a given size (`stress.rs`).

mod raw;
mod stress;

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(about = "Generate a synthetic question-bank corpus with planted duplicates")]
struct Args {
    /// Total number of questions.
    #[arg(long, default_value_t = 10_000)]
    questions: usize,
    /// Number of bank files.
    #[arg(long, default_value_t = 10)]
    files: usize,
    /// Output directory (created).
    #[arg(long)]
    out: PathBuf,
    /// Share of questions that are planted duplicates of an earlier one (half exact, half near).
    #[arg(long, default_value_t = 0.05)]
    dup_rate: f64,
    /// `canonical` (ids in metadata), `mixed` (the seed shapes: `##`/`###`, Approach, steps…) or
    /// `raw` (a scraped bank: few templates × many subjects, paraphrases, no ids or TL;DRs).
    #[arg(long, default_value = "canonical")]
    shape: String,
    /// Write one stress bank instead of a corpus: `identical`, `ones`, `giant-answer`, `tiny`
    /// or `varied` (see `stress.rs`), of about `--bytes` bytes, as `OUT/stress-KIND.md`.
    #[arg(long)]
    stress: Option<String>,
    /// Size of a `--stress` bank in bytes.
    #[arg(long, default_value_t = 20_000_000)]
    bytes: usize,
    /// Random seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// A small deterministic PRNG (SplitMix64): the same seed gives the same corpus everywhere.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub(crate) const STEMS: &[&str] = &[
    "How do you handle",
    "How would you troubleshoot",
    "What is your approach to",
    "Explain how you would design",
    "Describe how you monitor",
    "What are the trade-offs of",
    "How do you secure",
    "How would you scale",
    "What metrics matter for",
    "How do you test",
];
pub(crate) const TOPICS: &[&str] = &[
    "rollbacks",
    "database migrations",
    "blue-green deployments",
    "canary releases",
    "feature flags",
    "secret rotation",
    "log aggregation",
    "distributed tracing",
    "autoscaling",
    "rate limiting",
    "cache invalidation",
    "message queues",
    "schema changes",
    "TLS certificates",
    "DNS failover",
    "container images",
    "service discovery",
    "circuit breakers",
    "backup restores",
    "cost spikes",
    "memory leaks",
    "CPU throttling",
    "connection pools",
    "read replicas",
    "incident reviews",
    "on-call rotations",
    "error budgets",
    "load balancers",
    "API gateways",
    "batch jobs",
];
pub(crate) const SYSTEMS: &[&str] = &[
    "Kubernetes",
    "PostgreSQL",
    "Redis",
    "Kafka",
    "Terraform",
    "AWS Lambda",
    "a Go service",
    "a Python API",
    "a React frontend",
    "Elasticsearch",
    "nginx",
    "RabbitMQ",
    "DynamoDB",
    "GitHub Actions",
    "Prometheus",
];
pub(crate) const PLACES: &[&str] =
    &["in production", "across regions", "under heavy load", "during an outage", "for a startup", "at scale"];
pub(crate) const WORDS: &[&str] = &[
    "monitor",
    "alert",
    "deploy",
    "measure",
    "automate",
    "document",
    "review",
    "limit",
    "retry",
    "cache",
    "shard",
    "replicate",
    "roll",
    "drain",
    "verify",
    "isolate",
    "throttle",
    "profile",
    "audit",
    "rotate",
];
const REWORD: &[(&str, &str)] = &[
    ("in production", "in a production environment"),
    ("How do you", "How would you"),
    ("What is your approach to", "How do you approach"),
    ("under heavy load", "under high load"),
    ("at scale", "at large scale"),
    ("Explain how you would design", "How would you design"),
];

pub(crate) struct Question {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) answer: String,
    pub(crate) tldr: String,
    pub(crate) code: Option<(&'static str, String)>,
}

pub(crate) fn fresh(rng: &mut Rng, n: usize) -> Question {
    let text =
        format!("{} {} in {} {} (case {n})?", rng.pick(STEMS), rng.pick(TOPICS), rng.pick(SYSTEMS), rng.pick(PLACES));
    let mut answer = String::new();
    for _ in 0..2 + rng.below(3) {
        let _ = writeln!(
            answer,
            "- {} the {} and {} {} {}.",
            cap(rng.pick(WORDS)),
            rng.pick(TOPICS),
            rng.pick(WORDS),
            rng.pick(SYSTEMS),
            rng.pick(PLACES)
        );
    }
    let tldr = format!("{} {} first, then {} it.", cap(rng.pick(WORDS)), rng.pick(TOPICS), rng.pick(WORDS));
    let code = rng.chance(0.2).then(|| {
        if rng.chance(0.5) {
            ("yaml", format!("spec:\n  replicas: {}\n  strategy:\n    type: RollingUpdate", 1 + rng.below(9)))
        } else {
            ("python", format!("def handler(event):\n    return {{\"status\": {}}}", 200 + rng.below(3)))
        }
    });
    Question { id: format!("q{n}"), text, answer: answer.trim_end().to_string(), tldr, code }
}

pub(crate) fn cap(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn reword(rng: &mut Rng, text: &str) -> String {
    let applicable: Vec<&(&str, &str)> = REWORD.iter().filter(|(from, _)| text.contains(from)).collect();
    if applicable.is_empty() {
        return text.replacen("?", " exactly?", 1);
    }
    let (from, to) = applicable[rng.below(applicable.len())];
    text.replacen(from, to, 1)
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if args.files == 0 || args.questions == 0 {
        eprintln!("error: --questions and --files must be at least 1");
        return std::process::ExitCode::from(2);
    }
    if let Some(kind) = &args.stress {
        return match stress::write(kind, args.bytes, args.seed, &args.out) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::ExitCode::from(2)
            }
        };
    }
    if !["canonical", "mixed", "raw"].contains(&args.shape.as_str()) {
        eprintln!("error: --shape must be canonical, mixed or raw, not `{}`", args.shape);
        return std::process::ExitCode::from(2);
    }
    if args.shape == "raw" {
        return match raw::write(args.questions, args.files, args.dup_rate, args.seed, &args.out) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::ExitCode::from(2)
            }
        };
    }
    let mut rng = Rng(args.seed);
    let mut questions: Vec<Question> = Vec::with_capacity(args.questions);
    let mut truth = String::from("kind\tid_a\tid_b\n");
    for n in 0..args.questions {
        if n > 10 && rng.chance(args.dup_rate) {
            let original = rng.below(n);
            let exact = rng.chance(0.5);
            let o = &questions[original];
            let text = if exact { o.text.to_lowercase().replace('?', "") } else { reword(&mut rng, &o.text) };
            let (answer, tldr, code) = (o.answer.clone(), o.tldr.clone(), o.code.clone());
            let _ = writeln!(truth, "{}\t{}\tq{n}", if exact { "exact" } else { "near" }, o.id);
            questions.push(Question { id: format!("q{n}"), text, answer, tldr, code });
        } else {
            questions.push(fresh(&mut rng, n));
        }
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("error: {}: {e}", args.out.display());
        return std::process::ExitCode::from(2);
    }
    let per_file = args.questions.div_ceil(args.files);
    for (f, chunk) in questions.chunks(per_file).enumerate() {
        let text = if args.shape == "mixed" { mixed(f, chunk) } else { canonical(f, chunk) };
        let path = args.out.join(format!("bank-{f:04}.md"));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: {}: {e}", path.display());
            return std::process::ExitCode::from(2);
        }
    }
    if let Err(e) = std::fs::write(args.out.join("truth.tsv"), truth) {
        eprintln!("error: truth.tsv: {e}");
        return std::process::ExitCode::from(2);
    }
    std::process::ExitCode::SUCCESS
}

fn canonical(f: usize, questions: &[Question]) -> String {
    let mut out = format!("---\nid: bank-{f:04}\n---\n\n# Generated bank {f}\n");
    for (i, q) in questions.iter().enumerate() {
        if i % 25 == 0 {
            let _ = write!(out, "\n## Section {}\n", i / 25 + 1);
        }
        let _ = write!(out, "\n### {}. {}\n<!-- id: {} -->\n\n**Answer:**\n\n{}\n", i + 1, q.text, q.id, q.answer);
        if let Some((lang, code)) = &q.code {
            let _ = write!(out, "\n**Example ({lang}):**\n\n```{lang}\n{code}\n```\n");
        }
        let _ = write!(out, "\n**TL;DR:** {}\n", q.tldr);
    }
    out
}

/// The seed shapes, rotating per file: `##` + plain answers (seed 000), `###` + `**Answer:**`
/// (001), `**Approach:**` + examples + `---` (003), bare section titles + steps (004).
fn mixed(f: usize, questions: &[Question]) -> String {
    let mut out = String::new();
    match f % 4 {
        0 => {
            for (i, q) in questions.iter().enumerate() {
                let _ = write!(out, "\n## {}. {}\n\n{}\n\n", i + 1, q.text, q.answer.replace("- ", ""));
            }
        }
        1 => {
            let _ = writeln!(out, "# Generated bank {f}\n\n## Questions ({}-{})\n", 1, questions.len());
            for (i, q) in questions.iter().enumerate() {
                let _ = write!(
                    out,
                    "### {}. {}\n**Answer:** {}\n\n",
                    i + 1,
                    q.text,
                    q.answer.replace("\n- ", " ").trim_start_matches("- ")
                );
            }
        }
        2 => {
            let _ = writeln!(out, "# Generated bank {f}");
            for (i, q) in questions.iter().enumerate() {
                if i % 10 == 0 {
                    let _ = write!(out, "\n## {}. Section\n", i / 10 + 1);
                }
                let _ = write!(out, "\n### {}. {}\n**Approach:**\n{}\n", i % 10 + 1, q.text, q.answer);
                if let Some((lang, code)) = &q.code {
                    let _ = write!(out, "\n**Example ({lang}):**\n```{lang}\n{code}\n```\n");
                }
                let _ = write!(out, "\n**TL;DR:**  {}\n\n---\n", q.tldr);
            }
        }
        _ => {
            for (i, q) in questions.iter().enumerate() {
                if i % 25 == 0 {
                    let _ = write!(out, "\n\nGenerated Section {}\n\n\n", i / 25 + 1);
                }
                let _ = write!(out, "### {}. {}\n\n", i + 1, q.text);
                for (s, line) in q.answer.lines().enumerate() {
                    let _ = write!(out, "**Step {}: {}**\n{}\n\n", s + 1, cap(WORDS[s % WORDS.len()]), line);
                }
            }
        }
    }
    out
}
