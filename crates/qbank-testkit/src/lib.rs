//! Generated banks in the seed shapes and the other shapes the parser reads (collapsible
//! `<details>`, `### Question` / `### Answer` headings, `**Q:**` / `**A:**` lines, list items),
//! shared by the property tests
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

/// How the questions of a generated bank are written (docs/format.md, "Shapes qbank reads").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `## 1. Question?` / `### 1. Question?` headings, the seed shapes.
    Headings,
    /// `<details><summary>Question?</summary> answer </details>`.
    Collapsible,
    /// `### Question`, the question, `### Answer`, the answer.
    LabelledHeadings,
    /// `**Q:** question` then `**A:** answer`.
    QaLines,
    /// `1. **Question?**` with the answer indented below.
    List,
}

/// Every [`Layout`].
pub const LAYOUTS: &[Layout] =
    &[Layout::Headings, Layout::Collapsible, Layout::LabelledHeadings, Layout::QaLines, Layout::List];

impl Layout {
    /// Whether a bank in this layout carries TL;DRs: the other shapes have no TL;DR line of
    /// their own, so a generated bank in them has none (the answer holds everything).
    pub fn has_tldr(self) -> bool {
        self == Layout::Headings
    }
}

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

impl GenQuestion {
    /// The answer's paragraphs (or bullet items) as written in every layout.
    fn answer_text(&self) -> String {
        let mut out = String::new();
        for paragraph in &self.answer {
            if self.bullets {
                out.push_str(&format!("- {paragraph}\n"));
            } else {
                out.push_str(&format!("{paragraph}\n\n"));
            }
        }
        out
    }
}

/// How a generated bank is written.
#[derive(Clone, Debug)]
pub struct Shape {
    /// How questions are written; every field below applies to [`Layout::Headings`], and
    /// `question_hashes == 3` means `## Section` headings in every layout.
    pub layout: Layout,
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
        if !self.shape.layout.has_tldr() {
            return 0;
        }
        self.sections.iter().flat_map(|(_, q)| q).filter(|q| q.tldr.is_some()).count()
    }

    /// The bank as Markdown: the title and an intro, then each question with its answer, its
    /// example and its TL;DR in the shape's style.
    pub fn render(&self) -> String {
        if self.shape.layout != Layout::Headings {
            return self.render_units();
        }
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
                out.push_str(&q.answer_text());
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

impl GenBank {
    /// A bank in one of the layouts whose questions are not numbered headings: `## Section`
    /// headings when `question_hashes == 3`, each question's answer paragraphs (or bullets)
    /// and its example's fence inside its unit; no TL;DR (see [`Layout::has_tldr`]).
    fn render_units(&self) -> String {
        let mut out = format!("# {}\n\nSome intro prose.\n", self.title);
        let mut n = 0;
        for (section, questions) in &self.sections {
            if self.shape.question_hashes == 3 {
                out.push_str(&format!("\n## {section}\n"));
            }
            for q in questions {
                n += 1;
                let mut answer = q.answer_text();
                if let Some((lang, code)) = &q.code {
                    answer.push_str(&format!("\n```{lang}\n{code}\n```\n"));
                }
                let answer = answer.trim_end();
                match self.shape.layout {
                    Layout::Headings => unreachable!("render writes headings"),
                    Layout::Collapsible => {
                        out.push_str(&format!(
                            "\n<details>\n<summary>{}</summary>\n\n{answer}\n\n</details>\n",
                            q.text
                        ));
                    }
                    Layout::LabelledHeadings => {
                        out.push_str(&format!("\n### Question\n\n{}\n\n### Answer\n\n{answer}\n", q.text));
                    }
                    Layout::QaLines => out.push_str(&format!("\n**Q:** {}\n\n**A:** {answer}\n", q.text)),
                    Layout::List => {
                        let indented: Vec<String> = answer
                            .lines()
                            .map(|l| if l.is_empty() { String::new() } else { format!("   {l}") })
                            .collect();
                        out.push_str(&format!("\n{n}. **{}**\n\n{}\n", q.text, indented.join("\n")));
                    }
                }
                if self.shape.separators {
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
            shape: Shape {
                layout: Layout::Headings,
                question_hashes: 3,
                label: "**Answer:**",
                separators: true,
                restart_numbers: true,
            },
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
