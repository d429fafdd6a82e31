//! Document symbols (sections → questions), workspace symbols (every indexed question) and
//! folding ranges (sections and questions).

use qbank_core::Span;
use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolResponse, FoldingRange, FoldingRangeKind, Location, OneOf, SymbolInformation,
    SymbolKind, Uri, WorkspaceSymbol,
};

use crate::analysis::Analysis;
use crate::convert::TextView;
use crate::index::QuestionRef;

fn question_name(number: u32, text: &str) -> String {
    if text.is_empty() { format!("{number}.") } else { format!("{number}. {text}") }
}

/// Sections with their questions as children (`hierarchical`), or a flat list for clients
/// without hierarchical support.
pub fn document_symbols(
    analysis: &Analysis,
    view: &TextView<'_>,
    uri: &Uri,
    hierarchical: bool,
) -> DocumentSymbolResponse {
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    for section in &analysis.parsed().bank.sections {
        let questions: Vec<DocumentSymbol> = section
            .questions
            .iter()
            .map(|q| {
                symbol(
                    question_name(q.number, &q.question),
                    Some(q.id.clone()),
                    SymbolKind::STRING,
                    q.spans.whole.cover(q.spans.heading),
                    q.spans.heading,
                    None,
                    view,
                )
            })
            .collect();
        match (&section.title, section.title_span) {
            (Some(title), Some(title_span)) => {
                let whole = section.span.cover(title_span);
                let children = (!questions.is_empty()).then_some(questions);
                roots.push(symbol(title.clone(), None, SymbolKind::NAMESPACE, whole, title_span, children, view));
            }
            _ => roots.extend(questions),
        }
    }
    if hierarchical {
        return DocumentSymbolResponse::Nested(roots);
    }
    let mut flat = Vec::new();
    for root in roots {
        let container = root.name.clone();
        let children = root.children.clone().unwrap_or_default();
        flat.push(information(root, uri, None));
        flat.extend(children.into_iter().map(|child| information(child, uri, Some(container.clone()))));
    }
    DocumentSymbolResponse::Flat(flat)
}

#[allow(deprecated, reason = "`deprecated` is a required field of the LSP type")]
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    whole: Span,
    selection: Span,
    children: Option<Vec<DocumentSymbol>>,
    view: &TextView<'_>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail: detail.filter(|d| !d.is_empty()),
        kind,
        tags: None,
        deprecated: None,
        range: view.range(whole),
        selection_range: view.range(selection),
        children,
    }
}

#[allow(deprecated, reason = "`deprecated` is a required field of the LSP type")]
fn information(symbol: DocumentSymbol, uri: &Uri, container_name: Option<String>) -> SymbolInformation {
    SymbolInformation {
        name: symbol.name,
        kind: symbol.kind,
        tags: None,
        deprecated: None,
        location: Location::new(uri.clone(), symbol.selection_range),
        container_name,
    }
}

/// Workspace symbols for the index's search results.
pub fn workspace_symbols(found: &[QuestionRef<'_>], encoding: qbank_core::Encoding) -> Vec<WorkspaceSymbol> {
    found
        .iter()
        .map(|q| {
            let view = TextView::new(&q.analysis.text, q.analysis.line_index(), encoding);
            let container = if q.analysis.title.is_empty() {
                q.analysis.path.rsplit(['/', '\\']).next().unwrap_or_default().to_string()
            } else {
                q.analysis.title.clone()
            };
            WorkspaceSymbol {
                name: question_name(q.question.number, &q.question.text),
                kind: SymbolKind::STRING,
                tags: None,
                container_name: Some(container),
                location: OneOf::Left(Location::new(q.uri.clone(), view.range(q.question.heading))),
                data: None,
            }
        })
        .collect()
}

/// One folding range per titled section and per question.
pub fn folding_ranges(analysis: &Analysis, view: &TextView<'_>) -> Vec<FoldingRange> {
    let mut ranges = Vec::new();
    let push = |span: Span, ranges: &mut Vec<FoldingRange>| {
        let start = view.index.line_of(span.start);
        let end = view.index.line_of(span.end.saturating_sub(1).max(span.start));
        if end > start {
            ranges.push(FoldingRange {
                start_line: start,
                start_character: None,
                end_line: end,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            });
        }
    };
    for section in &analysis.parsed().bank.sections {
        if let Some(title) = section.title_span {
            push(section.span.cover(title), &mut ranges);
        }
        for q in &section.questions {
            push(q.spans.whole.cover(q.spans.heading), &mut ranges);
        }
    }
    ranges.sort_by_key(|r| (r.start_line, std::cmp::Reverse(r.end_line)));
    ranges
}
