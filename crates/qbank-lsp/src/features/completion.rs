//! Completion: a new question (next number, fresh id), the bold labels, code-fence languages,
//! and metadata keys and values (difficulty levels, the workspace's tags).

use std::collections::HashSet;

use qbank_core::Span;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat, MarkupContent, MarkupKind,
    TextEdit,
};

use crate::analysis::Analysis;
use crate::convert::TextView;
use crate::metadata::{self, Slot};

/// What completion needs besides the document.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Tags in use in the workspace, most used first.
    pub tags: &'a [(String, usize)],
    /// Question ids used anywhere in the workspace (this document's included).
    pub taken_ids: &'a HashSet<String>,
    /// Whether the client takes snippets.
    pub snippets: bool,
}

pub fn completions(analysis: &Analysis, view: &TextView<'_>, offset: usize, cx: Context<'_>) -> Vec<CompletionItem> {
    let line = view.index.line_of(offset);
    let line_start = view.index.line_start(line);
    let before = &analysis.text[line_start..offset];
    let typed = Span::new(line_start, offset);
    if let Some(slot) = metadata::slot(before) {
        return metadata_items(slot, view, offset, cx.tags);
    }
    let trimmed = before.trim_start();
    if let Some(lang) = trimmed.strip_prefix("```").or_else(|| trimmed.strip_prefix("~~~")) {
        if !lang.contains(char::is_whitespace) && !lang.starts_with(['`', '~']) {
            return language_items(view, Span::new(offset - lang.len(), offset));
        }
        return Vec::new();
    }
    let mut items = Vec::new();
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '#') {
        items.push(new_question(analysis, view, offset, typed, cx));
    }
    if trimmed.is_empty() || (trimmed.starts_with('*') && !trimmed.contains(':')) {
        items.extend(label_items(view, Span::new(offset - trimmed.len(), offset), cx.snippets));
    }
    items
}

fn new_question(
    analysis: &Analysis,
    view: &TextView<'_>,
    offset: usize,
    typed: Span,
    cx: Context<'_>,
) -> CompletionItem {
    let number = next_number(analysis, offset);
    let id = fresh_id(analysis, number, cx.taken_ids);
    let hashes = "#".repeat(usize::from(analysis.parsed().question_level.unwrap_or(3)));
    let (text, format) = if cx.snippets {
        (
            format!(
                "{hashes} {number}. ${{1:Question?}}\n<!-- id: ${{2:{id}}} -->\n\n**Answer:**\n\n$0\n\n**TL;DR:** ${{3:One-line summary.}}"
            ),
            InsertTextFormat::SNIPPET,
        )
    } else {
        (
            format!(
                "{hashes} {number}. Question?\n<!-- id: {id} -->\n\n**Answer:**\n\n\n\n**TL;DR:** One-line summary."
            ),
            InsertTextFormat::PLAIN_TEXT,
        )
    };
    CompletionItem {
        label: format!("{hashes} {number}. New question"),
        kind: Some(CompletionItemKind::SNIPPET),
        detail: Some(format!("question {number} with id `{id}`")),
        filter_text: Some(format!("{hashes} {number}. question")),
        sort_text: Some("0".into()),
        insert_text_format: Some(format),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(view.range(typed), text))),
        ..CompletionItem::default()
    }
}

/// The number after the last question before `offset` in its section, or 1 when the bank
/// restarts numbering per section and this section has none before the cursor yet.
fn next_number(analysis: &Analysis, offset: usize) -> u32 {
    let parsed = analysis.parsed();
    let bank = &parsed.bank;
    let section = bank.sections.iter().rposition(|s| s.span.start <= offset);
    let restarts = bank.sections.iter().filter(|s| !s.questions.is_empty()).count() > 1
        && bank.sections.iter().filter(|s| !s.questions.is_empty()).all(|s| s.questions[0].number == 1);
    let last_in_section = section
        .and_then(|i| bank.sections[i].questions.iter().rfind(|q| q.spans.whole.start < offset))
        .map(|q| q.number);
    let last_before = bank.questions().filter(|q| q.spans.whole.start < offset).last().map(|q| q.number);
    match (last_in_section, restarts) {
        (Some(n), _) => n.saturating_add(1),
        (None, true) => 1,
        (None, false) => last_before.map_or(1, |n| n.saturating_add(1)),
    }
}

/// `{bank-id}-{number}` (or `question-{number}`), suffixed until no question uses it.
fn fresh_id(analysis: &Analysis, number: u32, taken: &HashSet<String>) -> String {
    let parsed = analysis.parsed();
    let bank_id = &parsed.bank.id;
    let base = if qbank_core::text::is_valid_id(bank_id) {
        format!("{bank_id}-{number}")
    } else {
        format!("question-{number}")
    };
    let used = |id: &str| taken.contains(id) || analysis.questions.iter().any(|q| q.id == id);
    let mut id = base.clone();
    let mut n = 2;
    while used(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn label_items(view: &TextView<'_>, typed: Span, snippets: bool) -> Vec<CompletionItem> {
    let labels: [(&str, &str, &str, &str); 3] = [
        ("**Answer:**", "**Answer:**\n\n$0", "**Answer:**\n\n", "The reference answer follows."),
        ("**TL;DR:**", "**TL;DR:** $0", "**TL;DR:** ", "A one-line summary of the answer."),
        (
            "**Example (…):**",
            "**Example (${1:title}):**\n\n```${2:language}\n$0\n```",
            "**Example (title):**\n\n```\n\n```",
            "A worked example: a title, then one fenced code block.",
        ),
    ];
    labels
        .iter()
        .enumerate()
        .map(|(i, (label, snippet, plain, doc))| CompletionItem {
            label: (*label).to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            documentation: Some(Documentation::String((*doc).to_string())),
            sort_text: Some(format!("1{i}")),
            filter_text: Some((*label).to_string()),
            insert_text_format: Some(if snippets { InsertTextFormat::SNIPPET } else { InsertTextFormat::PLAIN_TEXT }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                view.range(typed),
                (if snippets { *snippet } else { *plain }).to_string(),
            ))),
            ..CompletionItem::default()
        })
        .collect()
}

fn language_items(view: &TextView<'_>, typed: Span) -> Vec<CompletionItem> {
    qbank_syntax::known_languages()
        .iter()
        .map(|language| {
            let detail = if language.checked { "syntax-checked by qbank" } else { "recognised" };
            let aliases = if language.aliases.is_empty() {
                String::new()
            } else {
                format!(" (also: {})", language.aliases.join(", "))
            };
            CompletionItem {
                label: language.id.to_string(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(format!("{detail}{aliases}")),
                sort_text: Some(format!("{}{}", u8::from(!language.checked), language.id)),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(view.range(typed), language.id.to_string()))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn metadata_items(slot: Slot<'_>, view: &TextView<'_>, offset: usize, tags: &[(String, usize)]) -> Vec<CompletionItem> {
    let doc = |text: String| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: text });
    match slot {
        Slot::Key(typed) => metadata::KEYS
            .iter()
            .map(|key| CompletionItem {
                label: (*key).to_string(),
                kind: Some(CompletionItemKind::PROPERTY),
                documentation: metadata::key_description(key).map(doc),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    view.range(Span::new(offset - typed.len(), offset)),
                    format!("{key}: "),
                ))),
                ..CompletionItem::default()
            })
            .collect(),
        Slot::Value { key: "difficulty", typed } => metadata::difficulty_values()
            .into_iter()
            .map(|(value, description)| CompletionItem {
                label: value.clone(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                documentation: Some(doc(description)),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    view.range(Span::new(offset - typed.len(), offset)),
                    value,
                ))),
                ..CompletionItem::default()
            })
            .collect(),
        Slot::Value { key: "tags", typed } => tags
            .iter()
            .enumerate()
            .map(|(rank, (tag, count))| CompletionItem {
                label: tag.clone(),
                kind: Some(CompletionItemKind::VALUE),
                detail: Some(format!("used {count}× in the workspace")),
                sort_text: Some(format!("{rank:05}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    view.range(Span::new(offset - typed.len(), offset)),
                    tag.clone(),
                ))),
                ..CompletionItem::default()
            })
            .collect(),
        Slot::Value { .. } => Vec::new(),
    }
}

mod handler {
    //! The handler: a snapshot of the server state, the functions above, the conversion.

    use tower_lsp_server::jsonrpc::Result;
    use tower_lsp_server::ls_types::*;

    #[allow(unused_imports)]
    use crate::features::{actions, completion, hover, links};
    use crate::server::Core;

    impl Core {
        pub(crate) async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
            let position = params.text_document_position;
            let uri = position.text_document.uri;
            let (tags, taken, snippets) = {
                let state = self.lock();
                let taken = state.index.files().flat_map(|(_, a)| a.questions.iter().map(|q| q.id.clone())).collect();
                (state.index.tag_vocabulary(), taken, state.session.snippets)
            };
            let items = self
                .with_analysis(&uri, "completion", |analysis, view| {
                    let offset = view.offset(position.position);
                    let line_start = view.index.line_start(view.index.line_of(offset));
                    let before = &analysis.text[line_start..offset];
                    let linked = {
                        let state = self.lock();
                        links::completions(&uri, analysis, view, &state.index, before, offset)
                    };
                    if let Some(items) = linked {
                        return items;
                    }
                    completion::completions(
                        analysis,
                        view,
                        offset,
                        completion::Context { tags: &tags, taken_ids: &taken, snippets },
                    )
                })
                .await?;
            Ok(items.filter(|i| !i.is_empty()).map(CompletionResponse::Array))
        }
    }
}
