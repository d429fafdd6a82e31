//! Document highlight: every place in the document that names the same question id (its
//! metadata and the links to it) or the same tag (in metadata comments).

use qbank_core::Span;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::Analysis;
use crate::features::links::{link_at, target_of};
use crate::server::Core;

/// The tags of each metadata comment with their spans.
pub fn tag_spans(analysis: &Analysis) -> Vec<(String, Span)> {
    let parsed = analysis.parsed();
    let mut out = Vec::new();
    for q in parsed.bank.questions() {
        let Some(meta) = q.spans.metadata else { continue };
        let comment = &analysis.text[meta.start..meta.end];
        let Some(key) = comment.find("tags:") else { continue };
        let value_start = key + 5;
        let value_end = comment[value_start..]
            .find([';', '\n'])
            .map_or_else(|| comment.rfind("-->").unwrap_or(comment.len()).max(value_start), |k| value_start + k);
        let mut at = value_start;
        for part in comment[value_start..value_end].split(',') {
            let lead = part.len() - part.trim_start().len();
            let tag = part.trim();
            if !tag.is_empty() {
                let start = meta.start + at + lead;
                out.push((tag.to_string(), Span::new(start, start + tag.len())));
            }
            at += part.len() + 1;
        }
    }
    out
}

/// The highlights for the name under `offset`: (span, is the definition).
pub fn highlights(uri: &Uri, analysis: &Analysis, offset: usize) -> Vec<(Span, bool)> {
    let within = |s: &Span| s.start <= offset && offset <= s.end;
    let parsed = analysis.parsed();
    let id = link_at(analysis, offset)
        .and_then(|l| target_of(uri, analysis, l).filter(|t| &t.uri == uri).and_then(|t| t.id))
        .or_else(|| parsed.bank.questions().find(|q| q.spans.id.is_some_and(|s| within(&s))).map(|q| q.id.clone()));
    if let Some(id) = id {
        let mut found: Vec<(Span, bool)> =
            parsed.bank.questions().filter(|q| q.id == id).filter_map(|q| q.spans.id).map(|s| (s, true)).collect();
        for link in analysis.links() {
            if link.bank.is_none() && link.id_text(&analysis.text) == Some(id.as_str()) {
                found.push((link.id.expect("an id link has an id"), false));
            }
        }
        return found;
    }
    let tags = tag_spans(analysis);
    let Some((tag, _)) = tags.iter().find(|(_, s)| within(s)) else { return Vec::new() };
    tags.iter().filter(|(t, _)| t == tag).map(|(_, s)| (*s, false)).collect()
}

impl Core {
    pub(crate) async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let found = self
            .with_analysis(&uri, "document highlight", |analysis, view| {
                highlights(&uri, analysis, view.offset(position.position))
                    .into_iter()
                    .map(|(span, definition)| DocumentHighlight {
                        range: view.range(span),
                        kind: Some(if definition { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }),
                    })
                    .collect::<Vec<_>>()
            })
            .await?;
        Ok(found.filter(|f| !f.is_empty()))
    }
}
