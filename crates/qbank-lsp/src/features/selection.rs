//! Selection range: the answer (or TL;DR, example), then the question, the section, the bank.

use qbank_core::Span;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::Analysis;
use crate::convert::TextView;
use crate::server::Core;

/// The spans around `offset`, innermost first, each strictly larger than the one before.
pub fn enclosing(analysis: &Analysis, offset: usize) -> Vec<Span> {
    let parsed = analysis.parsed();
    let contains = |s: &Span| s.start <= offset && offset <= s.end;
    let mut spans: Vec<Span> = Vec::new();
    for section in &parsed.bank.sections {
        if !contains(&section.span) {
            continue;
        }
        for q in &section.questions {
            if !contains(&q.spans.whole) {
                continue;
            }
            let parts = q.spans.answer.iter().chain(&q.spans.tldr).chain(&q.spans.examples).chain(&q.spans.metadata);
            if let Some(part) = parts.filter(|s| contains(s)).min_by_key(|s| s.end - s.start) {
                spans.push(*part);
            }
            spans.push(q.spans.whole);
        }
        spans.push(section.span);
    }
    spans.push(Span::new(0, analysis.text.len()));
    let mut out: Vec<Span> = Vec::new();
    for span in spans {
        if out.last().is_none_or(|last| span.start <= last.start && last.end <= span.end && span != *last) {
            out.push(span);
        }
    }
    out
}

fn selection_range(view: &TextView<'_>, spans: &[Span]) -> SelectionRange {
    let mut parent: Option<Box<SelectionRange>> = None;
    for span in spans.iter().rev() {
        parent = Some(Box::new(SelectionRange { range: view.range(*span), parent }));
    }
    parent.map_or_else(|| SelectionRange { range: view.range(Span::new(0, 0)), parent: None }, |b| *b)
}

impl Core {
    pub(crate) async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        let positions = params.positions;
        self.with_analysis(&params.text_document.uri, "selection range", |analysis, view| {
            positions.iter().map(|p| selection_range(view, &enclosing(analysis, view.offset(*p)))).collect()
        })
        .await
    }
}
