//! How a file was read: the bank shape the parser detected, how sure it is, and what it took as
//! markup or answer structure. One reader per shape beside this module; the parser asks each
//! and keeps the reading with the most questions, and says when it is unsure, so that `fmt`,
//! `--fix` and the editor leave an unsure file as it is.

pub(crate) mod admonitions;
pub(crate) mod build;
pub mod cues;
pub(crate) mod single;
pub mod summary;
pub(crate) mod units;

use serde::Serialize;

use crate::Span;

/// The shapes of bank the parser reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// No questions found.
    #[default]
    NotABank,
    /// The canonical shape `qbank fmt` writes.
    Canonical,
    /// Question headings (`### 1. …`, `## What is a pod?`, `## Q. …`, `### **12. …**`).
    Headings,
    /// `### Question` + text, then `### Answer` + answer.
    LabelledHeadings,
    /// `<details><summary>Question?</summary> answer </details>`.
    Collapsible,
    /// `**Q:** …` / `**A:** …`, `Q:` / `A:` lines, `**Question 3:** …`.
    QaLines,
    /// List items as questions (`1. **What is X?**` with the answer indented below).
    List,
    /// A question | answer table.
    Table,
    /// One question per file: the title is the question, the body its answer.
    SingleQuestion,
    /// mkdocs admonitions: `??? question "What is X?"` with the answer indented below.
    Admonitions,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::NotABank => "not-a-bank",
            Shape::Canonical => "canonical",
            Shape::Headings => "headings",
            Shape::LabelledHeadings => "labelled-headings",
            Shape::Collapsible => "collapsible",
            Shape::QaLines => "qa-lines",
            Shape::List => "list",
            Shape::Table => "table",
            Shape::SingleQuestion => "single-question",
            Shape::Admonitions => "admonitions",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        [
            Shape::NotABank,
            Shape::Canonical,
            Shape::Headings,
            Shape::LabelledHeadings,
            Shape::Collapsible,
            Shape::QaLines,
            Shape::List,
            Shape::Table,
            Shape::SingleQuestion,
            Shape::Admonitions,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// Why a reading is unsure, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doubt {
    pub span: Span,
    pub message: String,
}

/// How the parser read one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub shape: Shape,
    /// The other shapes found in the file, as (shape, questions), for `inspect`.
    pub also: Vec<(Shape, usize)>,
    /// Reasons the reading may be wrong; empty when sure. An unsure file is never restructured.
    pub doubts: Vec<Doubt>,
    /// Markup the reading consumed (`<details>`, `Q:`, `### Answer`, `🔹 Q.` …).
    pub structure: Vec<Span>,
    /// Headings read as answer structure, not questions.
    pub answer_headings: Vec<Span>,
}

impl Reading {
    pub fn is_sure(&self) -> bool {
        self.doubts.is_empty()
    }
}

/// Hints from configuration for a corpus the detector cannot settle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShapeHint {
    /// Read the file as this shape.
    pub shape: Option<Shape>,
    /// Questions are headings of this level.
    pub question_level: Option<u8>,
}
