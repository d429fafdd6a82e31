//! Question-bank model, lenient parser, canonical formatter and JSON export.
//!
//! Everything here takes `&str` and returns values: no I/O, no printing, and parsing never
//! fails (what it cannot place becomes a [`ParseIssue`]).

pub mod blocks;
pub mod export;
pub mod format;
pub mod line_index;
pub mod model;
pub mod parse;
pub mod roundtrip;
pub mod schema;
pub mod shapes;
pub mod span;
pub mod text;

pub use blocks::BlockCache;
pub use format::{FormatError, assign_ids, format_bank, format_parsed, format_source, keep_line_endings, unique_id};
pub use line_index::{Encoding, LineCol, LineIndex};
pub use model::{Bank, CodeBlock, Difficulty, Example, Question, QuestionSpans, Section};
pub use parse::ParseCache;
pub use parse::{IssueKind, ParseIssue, Parsed, ShapeKind, ShapeNote, parse, parse_hinted, parse_with};
pub use shapes::{Doubt, Reading, Shape, ShapeHint};
pub use span::Span;
