//! Generated banks in the seed shapes, shared by the property tests
//! (`crates/qbank-core/tests/properties.rs`, with proptest strategies) and the `fmt_roundtrip`
//! fuzz target (`fuzz/src/lib.rs`, with `arbitrary`): each draws its choices its own way, from
//! the vocabularies here, into a [`GenBank`], and [`GenBank::render`] writes it.

/// Words of answers and questions: non-ASCII, mojibake, inline code, digits.
pub const WORDS: &[&str] = &[
    "deploy",
    "rollback",
    "cache",
    "latency",
    "Kubernetes",
    "pod",
    "café",
    "naïve",
    "isn’t",
    "â€™s",
    "日本",
    "🚀",
    "metrics",
    "alerts",
    "`kubectl`",
    "p99",
    "SLO",
    "queue",
    "retry",
    "TLS",
];

/// Languages of the code examples (`""`: a fence without one).
pub const LANGUAGES: &[&str] = &["python", "yaml", "bash", ""];

/// Answer labels of the seed shapes (`""`: none).
pub const LABELS: &[&str] = &["", "**Answer:**", "**Approach:**"];

/// Question heading levels of the seed shapes: `##` without sections, `###` under `##` ones.
pub const QUESTION_HASHES: &[usize] = &[2, 3];

/// One generated question.
#[derive(Clone, Debug)]
pub struct GenQuestion {
    /// The question, ending in `?`.
    pub text: String,
    /// Answer paragraphs (or bullet items).
    pub answer: Vec<String>,
    pub bullets: bool,
    /// (language, code) of an example.
    pub code: Option<(String, String)>,
    pub tldr: Option<String>,
}

/// How a generated bank is written.
#[derive(Clone, Debug)]
pub struct Shape {
    /// One of [`QUESTION_HASHES`]; with 3, sections are written as `## N Title` headings.
    pub question_hashes: usize,
    /// One of [`LABELS`].
    pub label: &'static str,
    /// `---` after every question.
    pub separators: bool,
    /// Numbering restarts in every section.
    pub restart_numbers: bool,
}

/// A generated bank: title, sections of questions, and the shape to write them in.
#[derive(Clone, Debug)]
pub struct GenBank {
    pub title: String,
    pub sections: Vec<(String, Vec<GenQuestion>)>,
    pub shape: Shape,
}

impl GenBank {
    pub fn question_count(&self) -> usize {
        self.sections.iter().map(|(_, q)| q.len()).sum()
    }

    pub fn tldr_count(&self) -> usize {
        self.sections.iter().flat_map(|(_, q)| q).filter(|q| q.tldr.is_some()).count()
    }

    /// The bank as Markdown: the title and an intro, then each question with its answer, its
    /// example and its TL;DR in the shape's style.
    pub fn render(&self) -> String {
        let shape = &self.shape;
        let mut out = format!("# {}\n\nSome intro prose.\n", self.title);
        let mut n = 0;
        for (s, (section, questions)) in self.sections.iter().enumerate() {
            if shape.question_hashes == 3 {
                out.push_str(&format!("\n## {} {section}\n", s + 1));
            }
            if shape.restart_numbers {
                n = 0;
            }
            for q in questions {
                n += 1;
                out.push_str(&format!("\n{} {n}. {}\n", "#".repeat(shape.question_hashes), q.text));
                if shape.label.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{}\n", shape.label));
                }
                for paragraph in &q.answer {
                    if q.bullets {
                        out.push_str(&format!("- {paragraph}\n"));
                    } else {
                        out.push_str(&format!("{paragraph}\n\n"));
                    }
                }
                if let Some((lang, code)) = &q.code {
                    out.push_str(&format!("\n**Example ({lang} demo):**\n```{lang}\n{code}\n```\n"));
                }
                if let Some(tldr) = &q.tldr {
                    out.push_str(&format!("\n**TL;DR:**  {tldr}\n"));
                }
                if shape.separators {
                    out.push_str("\n---\n");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_writes_every_part_in_the_shape() {
        let question = |text: &str, tldr: Option<&str>| GenQuestion {
            text: text.into(),
            answer: vec!["First.".into(), "Second.".into()],
            bullets: false,
            code: Some(("bash".into(), "echo hi".into())),
            tldr: tldr.map(Into::into),
        };
        let bank = GenBank {
            title: "Ops".into(),
            sections: vec![
                ("Deploy Basics".into(), vec![question("Why deploy?", Some("Ship."))]),
                ("Cache Rules".into(), vec![question("Why cache?", None)]),
            ],
            shape: Shape { question_hashes: 3, label: "**Answer:**", separators: true, restart_numbers: true },
        };
        assert_eq!((bank.question_count(), bank.tldr_count()), (2, 1));
        assert_eq!(
            bank.render(),
            "# Ops\n\nSome intro prose.\n\n## 1 Deploy Basics\n\n### 1. Why deploy?\n**Answer:**\nFirst.\n\n\
             Second.\n\n\n**Example (bash demo):**\n```bash\necho hi\n```\n\n**TL;DR:**  Ship.\n\n---\n\n\
             ## 2 Cache Rules\n\n### 1. Why cache?\n**Answer:**\nFirst.\n\nSecond.\n\n\n**Example (bash demo):**\n\
             ```bash\necho hi\n```\n\n---\n"
        );
    }
}
