//! Code actions: each rule fix as a quick fix, "Renumber this section", and the two
//! whole-document actions (`source.fixAll.qbank`, "Convert this bank to the canonical shape"),
//! whose edits the server computes (eagerly, or on `codeAction/resolve`).

use std::collections::HashMap;

use qbank_core::Span;
use qbank_lint::Applicability;
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, TextEdit, Uri, WorkspaceEdit};

use crate::analysis::Analysis;
use crate::convert::{self, RelatedFiles, TextView};

/// `source.fixAll.qbank`: apply every safe fix, re-checking until stable.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.qbank")
}

/// The whole-document rewrite into `qbank fmt`'s shape.
pub fn canonical_kind() -> CodeActionKind {
    CodeActionKind::new("source.canonical.qbank")
}

pub const FIX_ALL_TITLE: &str = "Fix all safe qbank findings";
pub const CANONICAL_TITLE: &str = "Convert this bank to the canonical shape";

/// Whether the client asked for `kind` (`only` absent, or an entry equal to or a parent of it).
pub fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str())))
    })
}

pub fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..WorkspaceEdit::default() }
}

/// A quick fix for every diagnostic with a fix that touches `range`.
pub fn quick_fixes(
    analysis: &Analysis,
    view: &TextView<'_>,
    uri: &Uri,
    range: Span,
    related: &dyn RelatedFiles,
) -> Vec<CodeAction> {
    analysis
        .diagnostics()
        .iter()
        .filter(|d| d.span.start <= range.end && range.start <= d.span.end)
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let edits = fix.edits.iter().map(|e| view.text_edit(e)).collect();
            Some(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert::diagnostic(view, d, related)]),
                edit: Some(workspace_edit(uri, edits)),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// Whether any finding has a safe fix (so `source.fixAll.qbank` has something to do).
pub fn has_safe_fix(analysis: &Analysis) -> bool {
    analysis.diagnostics().iter().any(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe))
}

/// "Renumber this section" when the section under `offset` has a `broken-numbering` finding:
/// its questions numbered consecutively from where the section should start.
pub fn renumber_section(analysis: &Analysis, view: &TextView<'_>, uri: &Uri, offset: usize) -> Option<CodeAction> {
    let parsed = analysis.parsed();
    let bank = &parsed.bank;
    let index = bank.sections.iter().rposition(|s| s.span.cover(s.title_span.unwrap_or(s.span)).start <= offset)?;
    let section = &bank.sections[index];
    let first = section.questions.first()?;
    let whole = section.questions.iter().fold(first.spans.whole, |span, q| span.cover(q.spans.whole));
    let broken = analysis
        .diagnostics()
        .iter()
        .any(|d| d.code == "QB016" && whole.start <= d.span.start && d.span.end <= whole.end);
    if !broken {
        return None;
    }
    let with_questions: Vec<_> = bank.sections.iter().filter(|s| !s.questions.is_empty()).collect();
    let restarts = with_questions.len() > 1 && with_questions.iter().all(|s| s.questions[0].number == 1);
    let previous = bank.sections[..index].iter().rev().find_map(|s| s.questions.last()).map(|q| q.number);
    let start = match (restarts, previous) {
        (true, _) => 1,
        (false, Some(n)) => n.saturating_add(1),
        (false, None) => first.number,
    };
    let edits: Vec<TextEdit> = (start..)
        .zip(&section.questions)
        .filter(|(n, q)| *n != q.number)
        .map(|(n, q)| TextEdit::new(view.range(q.spans.number), n.to_string()))
        .collect();
    if edits.is_empty() {
        return None;
    }
    let title = match &section.title {
        Some(title) => format!("Renumber this section ({title}) from {start}"),
        None => format!("Renumber this section from {start}"),
    };
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::REFACTOR_REWRITE),
        edit: Some(workspace_edit(uri, edits)),
        ..CodeAction::default()
    })
}

/// One edit replacing the whole text with `new_text`, or none when they are equal.
pub fn whole_text_edit(view: &TextView<'_>, new_text: &str) -> Vec<TextEdit> {
    if new_text == view.text { Vec::new() } else { vec![TextEdit::new(view.full_range(), new_text.to_string())] }
}

mod handler {
    //! The handler: a snapshot of the server state, the functions above, the conversion.

    use serde_json::Value;
    use tower_lsp_server::jsonrpc::Result;
    use tower_lsp_server::ls_types::*;

    use crate::convert::TextView;
    #[allow(unused_imports)]
    use crate::features::{actions, completion, hover, links};
    use crate::server::{Core, Related, guard, lazy_data};

    impl Core {
        pub(crate) async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
            let uri = params.text_document.uri;
            let only = params.context.only.clone();
            let only = only.as_deref();
            let Some(analysis) = self.analysis(&uri).await? else { return Ok(None) };
            let session = self.session();
            let view = TextView::new(&analysis.text, analysis.line_index(), session.encoding);
            let range = view.span(params.range);
            let mut found: Vec<CodeAction> = Vec::new();
            if actions::wanted(only, &CodeActionKind::QUICKFIX) {
                let state = analysis
                    .diagnostics()
                    .iter()
                    .flat_map(|d| &d.related)
                    .any(|r| r.path != analysis.path)
                    .then(|| self.lock());
                let related = Related {
                    uri: &uri,
                    analysis: &analysis,
                    encoding: session.encoding,
                    index: state.as_deref().map(|s| &s.index),
                };
                found.extend(guard("code actions", || actions::quick_fixes(&analysis, &view, &uri, range, &related))?);
                drop(state);
                found.extend(self.go_to_duplicate_actions(&uri, &analysis, params.range));
            }
            if actions::wanted(only, &CodeActionKind::REFACTOR_REWRITE) {
                found.extend(guard("code actions", || actions::renumber_section(&analysis, &view, &uri, range.start))?);
            }
            if actions::wanted(only, &actions::fix_all_kind()) && actions::has_safe_fix(&analysis) {
                let edit = if session.resolve_code_actions { None } else { self.fix_all_edit(&uri).await? };
                if session.resolve_code_actions || edit.is_some() {
                    found.push(CodeAction {
                        title: actions::FIX_ALL_TITLE.into(),
                        kind: Some(actions::fix_all_kind()),
                        data: session.resolve_code_actions.then(|| lazy_data(&uri, "fixAll")),
                        edit,
                        ..CodeAction::default()
                    });
                }
            }
            if actions::wanted(only, &actions::canonical_kind())
                && let Some(edit) = self.canonical_edit(&uri).await?
            {
                found.push(CodeAction {
                    title: actions::CANONICAL_TITLE.into(),
                    kind: Some(actions::canonical_kind()),
                    edit: Some(edit),
                    ..CodeAction::default()
                });
            }
            Ok(Some(found.into_iter().map(CodeActionOrCommand::CodeAction).collect()))
        }

        pub(crate) async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
            let data = action.data.clone().unwrap_or_default();
            let uri: Option<Uri> = data.get("uri").and_then(|u| serde_json::from_value(u.clone()).ok());
            let (Some(uri), Some("fixAll")) = (uri, data.get("action").and_then(Value::as_str)) else {
                return Ok(action);
            };
            action.edit = self.fix_all_edit(&uri).await?;
            Ok(action)
        }
    }
}
