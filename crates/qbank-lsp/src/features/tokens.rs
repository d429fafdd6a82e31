//! Semantic tokens (full document) for what plain Markdown highlighting cannot tell apart: the
//! bold labels and the metadata comment. The legend (documented in `docs/editors.md`):
//!
//! | index | type       | what                                                        |
//! |-------|------------|-------------------------------------------------------------|
//! | 0     | `keyword`  | a label: `**Answer:**`, `**TL;DR:**`, `**Example (…):**`    |
//! | 1     | `property` | a metadata key (`id`, `tags`, `difficulty`, …)              |
//! | 2     | `string`   | a metadata value                                            |
//! | 3     | `number`   | the question number in a heading                            |
//!
//! No modifiers.

use qbank_core::Span;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::Analysis;
use crate::convert::TextView;
use crate::server::Core;

pub const LABEL: u32 = 0;
pub const KEY: u32 = 1;
pub const VALUE: u32 = 2;
pub const NUMBER: u32 = 3;

/// The legend announced in `initialize`, in the order of the indices above.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,
            SemanticTokenType::PROPERTY,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
        ],
        token_modifiers: Vec::new(),
    }
}

/// The bold label at the start of `span` (`**…:**`), if any.
fn label_at(text: &str, span: Span) -> Option<Span> {
    let region = text.get(span.start..span.end)?;
    if !region.starts_with("**") {
        return None;
    }
    let end = region[2..].find("**")? + 4;
    Some(Span::new(span.start, span.start + end))
}

/// Every token of the text as (span, type), in document order, on one line each.
pub fn tokens(analysis: &Analysis) -> Vec<(Span, u32)> {
    let parsed = analysis.parsed();
    let text = &analysis.text;
    let mut out: Vec<(Span, u32)> = Vec::new();
    for q in parsed.bank.questions() {
        out.push((q.spans.number, NUMBER));
        if let Some(meta) = q.spans.metadata {
            metadata_tokens(text, meta, &mut out);
        }
        let labels = q.spans.answer_label.into_iter().chain(q.spans.tldr.and_then(|s| label_at(text, s)));
        for label in labels.chain(q.spans.examples.iter().filter_map(|s| label_at(text, *s))) {
            out.push((label, LABEL));
        }
    }
    out.retain(|(s, _)| s.start < s.end && !text[s.start..s.end].contains('\n'));
    out.sort_by_key(|(s, _)| s.start);
    out.dedup_by(|b, a| b.0.start < a.0.end);
    out
}

/// `<!-- key: value; key: value -->`: each key and value.
fn metadata_tokens(text: &str, meta: Span, out: &mut Vec<(Span, u32)>) {
    let comment = &text[meta.start..meta.end];
    let open = comment.find("<!--").map_or(0, |k| k + 4);
    let close = comment.rfind("-->").unwrap_or(comment.len()).max(open);
    let mut at = open;
    for part in comment[open..close].split(';') {
        if let Some(colon) = part.find(':') {
            let key = &part[..colon];
            let key_start = at + key.len() - key.trim_start().len();
            out.push((Span::new(meta.start + key_start, meta.start + key_start + key.trim().len()), KEY));
            let value = &part[colon + 1..];
            let value_start = at + colon + 1 + value.len() - value.trim_start().len();
            out.push((Span::new(meta.start + value_start, meta.start + value_start + value.trim().len()), VALUE));
        }
        at += part.len() + 1;
    }
}

/// The tokens in the protocol's relative encoding.
pub fn encode(view: &TextView<'_>, tokens: &[(Span, u32)]) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut character) = (0, 0);
    for (span, kind) in tokens {
        let start = view.position(span.start);
        let end = view.position(span.end);
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 { start.character - character } else { start.character };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: *kind,
            token_modifiers_bitset: 0,
        });
        (line, character) = (start.line, start.character);
    }
    out
}

impl Core {
    pub(crate) async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let found = self
            .with_analysis(&params.text_document.uri, "semantic tokens", |analysis, view| {
                encode(view, &tokens(analysis))
            })
            .await?;
        Ok(found.map(|data| SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
    }
}
