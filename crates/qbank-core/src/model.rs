//! The question-bank model: bank → sections → questions, as exported to JSON and described by
//! `schema/qbank.schema.json` (generated from these types).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Span;

/// A question bank: one Markdown file of numbered questions grouped in sections.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bank {
    /// Stable identifier of the bank, unique in the corpus (kebab-case). Written in the
    /// front matter as `id:`.
    pub id: String,
    /// Human title of the bank, written as the `# ` heading.
    pub title: String,
    /// Topic tags for the whole bank, written in the front matter as `tags: [a, b]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where the bank came from (a URL, a file name or a note), front-matter key `source:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Markdown prose between the title and the first section or question.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro: String,
    /// Front-matter keys qbank does not interpret, kept verbatim so nothing is lost.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// Comment lines of the front matter (`# Reviewed in 2026-11`), `#` included, in order;
    /// kept so nothing is lost and written back after the keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub front_matter_comments: Vec<String>,
    /// The sections in order. Questions before the first section title belong to a section
    /// without a title.
    pub sections: Vec<Section>,
}

/// A group of questions under one title.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Section title, written as a `## ` heading; absent for questions that precede any
    /// section title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Markdown prose between the section title and its first question.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro: String,
    /// The questions of this section, in document order.
    pub questions: Vec<Question>,
    /// Where the section starts and ends in the source (bytes; not exported).
    #[serde(skip)]
    #[schemars(skip)]
    pub span: Span,
    /// The section title's text in the source (bytes; not exported).
    #[serde(skip)]
    #[schemars(skip)]
    pub title_span: Option<Span>,
}

/// How hard a question is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// Warm-up or screening level.
    Easy,
    /// Expected of a practitioner.
    Medium,
    /// Expected of a senior or specialist.
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    pub fn parse(text: &str) -> Option<Difficulty> {
        Difficulty::ALL.into_iter().find(|d| d.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// One interview question with its answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable identifier, unique in the corpus (kebab-case). Survives renumbering, editing and
    /// merging; `qbank fmt` assigns one where it is missing. Written in the metadata comment
    /// under the heading as `id: …`.
    pub id: String,
    /// The number displayed in the heading (`### 12. …`). Numbering may restart per section.
    #[schemars(range(min = 0))]
    pub number: u32,
    /// The question text, as written in the heading (Markdown inline).
    pub question: String,
    /// The reference answer (Markdown), under `**Answer:**`.
    #[serde(default)]
    pub answer: String,
    /// A one-line summary of the answer, written as `**TL;DR:** …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tldr: Option<String>,
    /// Worked examples, each under an `**Example (title):**` label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    /// Topic tags of this question, in the metadata comment as `tags: a, b`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// How hard the question is, in the metadata comment as `difficulty: …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<Difficulty>,
    /// Metadata keys qbank does not interpret, kept verbatim so nothing is lost.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// Source positions of the question's parts (bytes; not exported).
    #[serde(skip)]
    #[schemars(skip)]
    pub spans: QuestionSpans,
}

/// Byte spans of a question's parts in the text it was parsed from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuestionSpans {
    /// The whole question: heading to the end of its last block.
    pub whole: Span,
    /// The heading line (without its line break).
    pub heading: Span,
    /// The question text inside the heading.
    pub question: Span,
    /// The number inside the heading.
    pub number: Span,
    /// The metadata comment, if any.
    pub metadata: Option<Span>,
    /// The `id` value inside the metadata comment, if any.
    pub id: Option<Span>,
    /// The answer's blocks (from the first to the last; excludes the label).
    pub answer: Option<Span>,
    /// The answer label (`**Answer:**`, `**Approach:**`…), if any.
    pub answer_label: Option<Span>,
    /// The TL;DR paragraph, label included.
    pub tldr: Option<Span>,
    /// The TL;DR text after its label.
    pub tldr_text: Option<Span>,
    /// Each example, label included, in the order of `Question::examples`.
    pub examples: Vec<Span>,
    /// Every fenced or indented code block inside the question (examples and answer alike).
    pub code_blocks: Vec<CodeBlock>,
}

impl QuestionSpans {
    /// The same spans with the origin moved from byte `from` to byte `to` (every span must
    /// start at or after `from`).
    pub fn moved(&self, from: usize, to: usize) -> QuestionSpans {
        let m = |s: Span| s.moved(from, to);
        QuestionSpans {
            whole: m(self.whole),
            heading: m(self.heading),
            question: m(self.question),
            number: m(self.number),
            metadata: self.metadata.map(m),
            id: self.id.map(m),
            answer: self.answer.map(m),
            answer_label: self.answer_label.map(m),
            tldr: self.tldr.map(m),
            tldr_text: self.tldr_text.map(m),
            examples: self.examples.iter().copied().map(m).collect(),
            code_blocks: self.code_blocks.iter().map(|c| c.moved(from, to)).collect(),
        }
    }
}

/// A code block found in the source, for checks that look at code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeBlock {
    /// The whole block, fences included.
    pub span: Span,
    /// The code between the fences (source bytes, before dedenting).
    pub content: Span,
    /// The info string after the opening fence (empty if none).
    pub info: String,
    /// The info string's position, if there is one.
    pub info_span: Option<Span>,
    /// Whether the block is fenced (``` or ~~~) rather than indented.
    pub fenced: bool,
    /// Whether a closing fence was found before the end of its container.
    pub closed: bool,
    /// The code itself, dedented to the fence's indentation.
    pub code: String,
}

impl CodeBlock {
    /// The same block with the origin of its spans moved from byte `from` to byte `to`.
    pub fn moved(&self, from: usize, to: usize) -> CodeBlock {
        CodeBlock {
            span: self.span.moved(from, to),
            content: self.content.moved(from, to),
            info_span: self.info_span.map(|s| s.moved(from, to)),
            ..self.clone()
        }
    }
}

/// A worked example: code (with its language) or Markdown text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The title in the label: `**Example (Kubernetes rolling update):**`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The code block's language, from its fence info string (`yaml`, `python`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The code, when the example is exactly one fenced code block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The example as Markdown, when it is prose, a list, a quote or mixed content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Bank {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn questions_mut(&mut self) -> impl Iterator<Item = &mut Question> {
        self.sections.iter_mut().flat_map(|s| s.questions.iter_mut())
    }

    pub fn question_count(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }
}
