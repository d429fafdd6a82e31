//! Code lenses and inlay hints. Lenses: on a question with duplicates, "near duplicate of
//! Q12 · other-bank.md (0.91)", which opens it (the `qbank.showLocation` command); on the bank
//! title, "N questions · M without TL;DR · K duplicates". Inlay hints (off unless the client
//! sets `qbank.inlayHints.numbers`): the expected number after a wrongly written one, as
//! `broken-numbering` (QB016) computes it.

use qbank_core::Span;
use serde_json::json;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::Analysis;
use crate::convert::TextView;
use crate::server::{Core, SHOW_LOCATION};

/// The `# ` title line of a bank.
pub fn title_span(text: &str) -> Option<Span> {
    let mut start = 0;
    let mut fence = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        if !fence && trimmed.starts_with("# ") {
            return Some(Span::new(start, start + trimmed.len()));
        }
        start += line.len();
    }
    None
}

/// "N questions · M without TL;DR · K duplicates".
pub fn bank_summary(analysis: &Analysis, duplicates: usize) -> String {
    let count = analysis.questions.len();
    let without = analysis.questions.iter().filter(|q| q.tldr.trim().is_empty()).count();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} · {without} without TL;DR · {}",
        plural(count, "question", "questions"),
        plural(duplicates, "duplicate", "duplicates")
    )
}

/// The expected numbers where the written ones are wrong: (number span, expected).
pub fn number_hints(analysis: &Analysis) -> Vec<(Span, String)> {
    analysis
        .diagnostics()
        .iter()
        .filter(|d| d.code == "QB016")
        .filter_map(|d| {
            let edit = d.fix.as_ref()?.edits.first()?;
            Some((edit.span, edit.replacement.clone()))
        })
        .collect()
}

impl Core {
    pub(crate) async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.analysis(&uri).await? else { return Ok(None) };
        if !analysis.is_bank() {
            return Ok(None);
        }
        let view = TextView::new(&analysis.text, analysis.line_index(), self.session().encoding);
        let mut lenses = Vec::new();
        let mut with_duplicates = 0;
        for (index, question) in analysis.questions.iter().enumerate() {
            let found = self.known_duplicates(&uri, &analysis, index);
            let Some(first) = found.first() else { continue };
            with_duplicates += 1;
            let file = first.uri.as_str().rsplit('/').next().unwrap_or_default().to_string();
            let kind = match first.link.kind {
                qbank_dedup::PairKind::Exact => "exact duplicate",
                qbank_dedup::PairKind::Near => "near duplicate",
            };
            let more = if found.len() > 1 { format!(" (+{} more)", found.len() - 1) } else { String::new() };
            let title = format!("{kind} of Q{} · {file} ({:.2}){more}", first.number, first.link.score);
            lenses.push(CodeLens {
                range: view.range(question.heading),
                command: Some(Command {
                    title,
                    command: SHOW_LOCATION.into(),
                    arguments: Some(vec![json!(Location { uri: first.uri.clone(), range: first.range })]),
                }),
                data: None,
            });
        }
        if let Some(title) = title_span(&analysis.text) {
            lenses.insert(
                0,
                CodeLens {
                    range: view.range(title),
                    command: Some(Command {
                        title: bank_summary(&analysis, with_duplicates),
                        command: String::new(),
                        arguments: None,
                    }),
                    data: None,
                },
            );
        }
        Ok(Some(lenses))
    }

    pub(crate) async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.lock().configs.client_settings().inlay_numbers {
            return Ok(None);
        }
        let visible = params.range;
        self.with_analysis(&params.text_document.uri, "inlay hints", |analysis, view| {
            let range = view.span(visible);
            number_hints(analysis)
                .into_iter()
                .filter(|(span, _)| range.start <= span.start && span.end <= range.end)
                .map(|(span, expected)| InlayHint {
                    position: view.position(span.end),
                    label: InlayHintLabel::String(format!("→ {expected}")),
                    kind: None,
                    text_edits: Some(vec![TextEdit::new(view.range(span), expected.clone())]),
                    tooltip: Some(InlayHintTooltip::String(format!("broken-numbering (QB016): expected {expected}"))),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect()
        })
        .await
    }
}
