//! One document's analysis: the parse, the diagnostics the editor shows and the question
//! entries the workspace index keeps, computed once per document version by the same library
//! calls `qbank check` makes. No LSP types here.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use qbank_core::{Difficulty, LineIndex, Parsed, Span};
use qbank_lint::Diagnostic;
use qbank_lint::check::{FileInfo, IncrementalCache, check_source_incremental, check_source_parsed};

use crate::settings::FileConfig;

/// Everything the handlers need to know about one text.
#[derive(Debug)]
pub struct Analysis {
    pub text: Arc<str>,
    /// Computed on first use: most indexed files are never shown.
    line_index: OnceLock<LineIndex>,
    /// The parse, kept for open documents only. A workspace of 100k questions would hold about
    /// 120 MB of parses for files nobody edits; what the index needs of those is in
    /// [`Analysis::questions`], and a handler that needs more parses again ([`Analysis::parsed`]).
    parsed: Option<Parsed>,
    /// The bank's title (the `# ` heading), and its bank-level tags.
    pub title: String,
    pub bank_tags: Vec<String>,
    /// What the editor shows: `check_source` output, or nothing for a file that is not a bank
    /// (unless the config asks for `not-a-bank`) or that `qbank.toml` leaves out. Computed
    /// with the analysis for open documents, on first use for files the index only parsed.
    diagnostics: OnceLock<Vec<Diagnostic>>,
    /// Whether diagnostics are shown for this file at all.
    shown: bool,
    /// Every question, in document order (empty when the text is not a bank).
    pub questions: Vec<QuestionEntry>,
    /// The path the checker was given (`Related::path` of this file's own findings).
    pub path: String,
    /// The path relative to the config's folder (per-file ignores of the corpus pass).
    pub relative_path: String,
    /// The configuration the text was checked with (the corpus pass uses it too).
    pub config: Arc<qbank_lint::Config>,
    /// The configuration generation the analysis was made with.
    pub generation: u64,
    /// Unique per analysis: the `resultId` of pull diagnostics.
    pub serial: u64,
    /// `qbank fmt`'s output for this text, computed on first use.
    canonical: OnceLock<Option<String>>,
    /// The links to questions and banks in this text, found on first use.
    links: OnceLock<Vec<crate::links::QuestionLink>>,
}

/// What the workspace index keeps about one question.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionEntry {
    pub id: String,
    pub number: u32,
    pub text: String,
    /// Lower-cased with whitespace collapsed: equal values are duplicates.
    pub normalized: String,
    /// The heading line.
    pub heading: Span,
    /// Heading to the end of the question's last block.
    pub whole: Span,
    /// The section title, shared by the section's questions.
    pub section: Option<Arc<str>>,
    pub tags: Vec<String>,
    pub difficulty: Option<Difficulty>,
    /// The question text inside the heading.
    pub question_span: Span,
    /// The answer and TL;DR as the model has them (the duplicate pass compares them).
    pub answer: Box<str>,
    pub tldr: Box<str>,
}

/// Where a text comes from and how it is checked.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The path shown in related locations (a file path, or the uri for unsaved documents).
    pub path: &'a str,
    pub file: &'a FileConfig,
    pub generation: u64,
}

static SERIAL: AtomicU64 = AtomicU64::new(1);

/// Parse and check `text`.
pub fn analyze(text: Arc<str>, input: Input<'_>) -> Analysis {
    analyze_with(text, input, None)
}

/// [`analyze`] for an open document: re-parses and re-checks only what changed since the last
/// analysis with `cache` (which must belong to this document and this configuration).
pub fn analyze_incremental(text: Arc<str>, input: Input<'_>, cache: &mut IncrementalCache) -> Analysis {
    analyze_with(text, input, Some(cache))
}

fn analyze_with(text: Arc<str>, input: Input<'_>, cache: Option<&mut IncrementalCache>) -> Analysis {
    let info = FileInfo { path: input.path, relative_path: &input.file.relative_path };
    let (report, parsed) = match cache {
        Some(cache) => check_source_incremental(info, &text, &input.file.config, cache),
        None => check_source_parsed(info, &text, &input.file.config),
    };
    let analysis = new_analysis(text, parsed, input, true);
    let diagnostics = if analysis.shown { report.diagnostics } else { Vec::new() };
    analysis.diagnostics.set(diagnostics).expect("a new analysis has no diagnostics yet");
    analysis
}

/// Parse `text` only and keep what the workspace index needs of a file nobody has open (not
/// the parse). Its diagnostics are computed on first use.
pub fn analyze_for_index(text: Arc<str>, input: Input<'_>) -> Analysis {
    let parsed = qbank_core::parse(&text);
    new_analysis(text, parsed, input, false)
}

fn new_analysis(text: Arc<str>, parsed: Parsed, input: Input<'_>, keep_parse: bool) -> Analysis {
    let shown = input.file.included && (parsed.is_bank() || input.file.report_not_a_bank);
    let questions = if input.file.included { question_entries(&parsed) } else { Vec::new() };
    let title = parsed.bank.title.clone();
    let bank_tags = parsed.bank.tags.clone();
    Analysis {
        line_index: OnceLock::new(),
        text,
        parsed: keep_parse.then_some(parsed),
        title,
        bank_tags,
        diagnostics: OnceLock::new(),
        shown,
        questions,
        path: input.path.to_string(),
        relative_path: input.file.relative_path.clone(),
        config: input.file.config.clone(),
        generation: input.generation,
        serial: SERIAL.fetch_add(1, Ordering::Relaxed),
        canonical: OnceLock::new(),
        links: OnceLock::new(),
    }
}

impl Analysis {
    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The parse of [`Analysis::text`]: the one kept for an open document, or a new one.
    pub fn parsed(&self) -> Cow<'_, Parsed> {
        match &self.parsed {
            Some(parsed) => Cow::Borrowed(parsed),
            None => Cow::Owned(qbank_core::parse(&self.text)),
        }
    }

    /// What the duplicate pass compares of each question.
    pub fn corpus_questions(&self) -> Vec<qbank_lint::corpus::CorpusQuestion<'_>> {
        self.questions
            .iter()
            .map(|q| qbank_lint::corpus::CorpusQuestion {
                id: &q.id,
                number: q.number,
                question: &q.text,
                answer: &q.answer,
                tldr: &q.tldr,
                span: q.question_span,
            })
            .collect()
    }

    /// What the editor shows for this text (see the field).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.diagnostics.get_or_init(|| {
            if !self.shown {
                return Vec::new();
            }
            let info = FileInfo { path: &self.path, relative_path: &self.relative_path };
            let mut diagnostics = qbank_lint::check::check_parsed(info, &self.text, &self.parsed(), &self.config);
            qbank_lint::check::fill_related_paths(&mut diagnostics, &self.path);
            diagnostics
        })
    }

    /// The text as `qbank fmt FILE` writes it (ids assigned as for that one file), or `None`
    /// when the text is not a bank.
    pub fn canonical(&self) -> Option<&str> {
        self.canonical
            .get_or_init(|| {
                let stem = std::path::Path::new(&self.path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                qbank_core::format_source(&self.text, &stem, &mut HashSet::new()).ok().map(|(text, _)| text)
            })
            .as_deref()
    }

    /// The links to questions and banks in this text ([`crate::links::question_links`]).
    pub fn links(&self) -> &[crate::links::QuestionLink] {
        self.links.get_or_init(|| crate::links::question_links(&self.text))
    }

    /// The index of the question with this id.
    pub fn question_by_id(&self, id: &str) -> Option<usize> {
        (!id.is_empty()).then(|| self.questions.iter().position(|q| q.id == id)).flatten()
    }

    pub fn is_bank(&self) -> bool {
        !self.questions.is_empty()
    }

    /// The question whose span holds `offset` (its heading line included).
    pub fn question_at(&self, offset: usize) -> Option<(usize, &QuestionEntry)> {
        let i = self.questions.partition_point(|q| q.whole.start <= offset);
        let (index, q) = (i.checked_sub(1)?, &self.questions[i - 1]);
        (offset <= q.whole.end.max(q.heading.end)).then_some((index, q))
    }
}

fn question_entries(parsed: &Parsed) -> Vec<QuestionEntry> {
    let mut entries = Vec::with_capacity(parsed.bank.question_count());
    for section in &parsed.bank.sections {
        let title: Option<Arc<str>> = section.title.as_deref().map(Arc::from);
        for q in &section.questions {
            entries.push(QuestionEntry {
                id: q.id.clone(),
                number: q.number,
                text: q.question.clone(),
                normalized: normalize(&q.question),
                heading: q.spans.heading,
                whole: q.spans.whole,
                section: title.clone(),
                tags: q.tags.clone(),
                difficulty: q.difficulty,
                question_span: q.spans.question,
                answer: q.answer.as_str().into(),
                tldr: q.tldr.as_deref().unwrap_or_default().into(),
            });
        }
    }
    entries
}

/// Lower-case, whitespace collapsed: the index's same-text key (`qbank.duplicates` for a
/// document outside the workspace folders, which the duplicate pass does not see).
pub fn normalize(text: &str) -> String {
    qbank_core::text::lowercase_words(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_case_and_spacing() {
        assert_eq!(normalize("  What  is\tCI?\n"), "what is ci?");
        assert_eq!(normalize("What is CI?"), normalize("what   IS ci?"));
        assert_ne!(normalize("What is CI?"), normalize("What is CD?"));
    }

    /// A file the index only read keeps no parse, yet gives what an open one gives: the same
    /// diagnostics, the same texts for the duplicate pass, the same parse on demand.
    #[test]
    fn an_indexed_file_without_its_parse_answers_like_an_open_one() {
        let text: Arc<str> = Arc::from(
            "---\nid: café\ntags: [rust]\n---\n# Ünïcode bank\n\n## Basics\n\n### 1. What is ownership?\n\
             **Answer:**\n\nEach value has one owner — “moved” on assignment.\n\n**TL;DR:** One owner.\n\n\
             ### 3. What is borrowing\n\nA reference.\n",
        );
        let file = FileConfig {
            config: Arc::new(qbank_lint::Config::default()),
            root: None,
            relative_path: "bank.md".into(),
            included: true,
            report_not_a_bank: false,
        };
        let input = Input { path: "bank.md", file: &file, generation: 0 };
        let open = analyze(text.clone(), input);
        let indexed = analyze_for_index(text.clone(), input);
        assert!(indexed.parsed.is_none(), "the index keeps no parse");
        assert!(matches!(indexed.parsed(), Cow::Owned(_)));
        assert!(matches!(open.parsed(), Cow::Borrowed(_)));
        assert_eq!(indexed.parsed().bank, open.parsed().bank);
        assert!(!open.diagnostics().is_empty(), "the sample has findings (numbering, labels)");
        assert_eq!(indexed.diagnostics(), open.diagnostics());
        assert_eq!(indexed.questions, open.questions);
        assert_eq!((&indexed.title, &indexed.bank_tags), (&"Ünïcode bank".to_string(), &vec!["rust".to_string()]));
        let parsed = qbank_core::parse(&text);
        let expected = qbank_lint::corpus::corpus_questions(&parsed);
        let got = indexed.corpus_questions();
        assert_eq!(got.len(), 2);
        for (a, b) in got.iter().zip(&expected) {
            assert_eq!(
                (a.id, a.number, a.question, a.answer, a.tldr, a.span),
                (b.id, b.number, b.question, b.answer, b.tldr, b.span)
            );
        }
        assert_eq!(
            indexed.line_index().line_of(text.find("### 3.").unwrap()),
            open.line_index().line_of(text.find("### 3.").unwrap())
        );
    }
}
