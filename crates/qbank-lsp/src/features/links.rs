//! Links between questions ([`crate::links`]): document links (resolved lazily), go to
//! definition, find references across the workspace, completion of ids and bank files, rename
//! of a question id, and link updates when a bank file is renamed or moved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use qbank_core::Span;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use crate::analysis::Analysis;
use crate::convert::{self, TextView};
use crate::index::WorkspaceIndex;
use crate::links::{self, QuestionLink};
use crate::server::{Core, guard};

/// A question (or a whole bank when `question` is `None`) a link points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub uri: Uri,
    pub id: Option<String>,
}

/// What a link in `from` (at `from_uri`) points at; `None` when it names no file.
pub fn target_of(from_uri: &Uri, from: &Analysis, link: &QuestionLink) -> Option<Target> {
    let uri = match link.bank_text(&from.text) {
        None => from_uri.clone(),
        Some(bank) => {
            let path = convert::uri_path(from_uri)?;
            convert::file_uri(&links::resolve_bank(&path, bank))?
        }
    };
    Some(Target { uri, id: link.id_text(&from.text).map(str::to_string) })
}

/// The analysis of a target's bank: the linking document itself, or an indexed bank.
fn bank_of<'a>(target: &Target, from_uri: &Uri, from: &'a Analysis, index: &'a WorkspaceIndex) -> Option<&'a Analysis> {
    if &target.uri == from_uri { Some(from) } else { index.get(&target.uri).map(Arc::as_ref) }
}

/// The heading of the question a target names, or the start of its bank.
fn target_span(target: &Target, bank: &Analysis) -> Option<Span> {
    match &target.id {
        Some(id) => bank.question_by_id(id).map(|i| bank.questions[i].heading),
        None => Some(Span::new(0, 0)),
    }
}

/// The link under `offset`, if any.
pub fn link_at(analysis: &Analysis, offset: usize) -> Option<&QuestionLink> {
    analysis.links().iter().find(|l| l.span.start <= offset && offset <= l.span.end)
}

/// The question a position names for references and rename: the id in a link, the id in a
/// metadata comment, or a question heading. With the span of the name under the cursor.
pub fn question_at(uri: &Uri, analysis: &Analysis, offset: usize) -> Option<(Target, Option<Span>)> {
    if let Some(link) = link_at(analysis, offset) {
        let target = target_of(uri, analysis, link)?;
        target.id.as_ref()?;
        return Some((target, link.id));
    }
    let (index, q) = analysis.question_at(offset)?;
    let id_span = links::id_span(&analysis.text, q.whole, &q.id);
    let on_id = id_span.is_some_and(|s| s.start <= offset && offset <= s.end);
    let on_heading = q.heading.start <= offset && offset <= q.heading.end;
    if !on_id && !on_heading || q.id.is_empty() {
        return None;
    }
    let _ = index;
    Some((Target { uri: uri.clone(), id: Some(q.id.clone()) }, if on_id { id_span } else { Some(q.heading) }))
}

/// Every link in the given files that points at `target`: (file, link).
fn links_to<'a>(
    files: &'a [(Uri, Arc<Analysis>)],
    target: &Target,
) -> Vec<(&'a Uri, &'a Arc<Analysis>, &'a QuestionLink)> {
    let mut found = Vec::new();
    for (uri, analysis) in files {
        for link in analysis.links() {
            if target_of(uri, analysis, link)
                .is_some_and(|t| t.uri == target.uri && (target.id.is_none() || t.id == target.id))
            {
                found.push((uri, analysis, link));
            }
        }
    }
    found
}

/// Whether a new id can stand in a metadata comment and a link target.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.chars().any(|c| c.is_whitespace() || matches!(c, '#' | '(' | ')' | ';' | '[' | ']' | '<' | '>'))
}

/// A list of text edits as a `WorkspaceEdit` (one entry per file, edits in document order).
fn workspace_edit(mut changes: HashMap<Uri, Vec<TextEdit>>) -> WorkspaceEdit {
    for edits in changes.values_mut() {
        edits.sort_by_key(|e| (e.range.start.line, e.range.start.character));
        edits.dedup();
    }
    WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }
}

/// Completion inside a link target: bank files after `](`, ids after `](#` or `](bank.md#`.
/// `before` is the line up to the cursor, `offset` the cursor.
pub fn completions(
    uri: &Uri,
    analysis: &Analysis,
    view: &TextView<'_>,
    index: &WorkspaceIndex,
    before: &str,
    offset: usize,
) -> Option<Vec<CompletionItem>> {
    let open = before.rfind("](")?;
    let typed = &before[open + 2..];
    if typed.contains([')', ' ', '\t']) {
        return None;
    }
    let edit = |from: usize, label: String, detail: String, kind: CompletionItemKind| CompletionItem {
        label: label.clone(),
        kind: Some(kind),
        detail: Some(detail),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(view.range(Span::new(from, offset)), label))),
        ..CompletionItem::default()
    };
    if let Some(hash) = typed.find('#') {
        let bank = &typed[..hash];
        let from = offset - (typed.len() - hash - 1);
        let target = if bank.is_empty() {
            Some(analysis)
        } else {
            let path = links::resolve_bank(&convert::uri_path(uri)?, bank);
            index.get(&convert::file_uri(&path)?).map(Arc::as_ref)
        }?;
        let items = target
            .questions
            .iter()
            .filter(|q| !q.id.is_empty())
            .map(|q| edit(from, q.id.clone(), format!("{}. {}", q.number, q.text), CompletionItemKind::REFERENCE))
            .collect();
        return Some(items);
    }
    let from = offset - typed.len();
    let here = convert::uri_path(uri)?;
    let mut banks: Vec<CompletionItem> = index
        .files()
        .filter(|(u, a)| *u != uri && a.is_bank())
        .filter_map(|(u, a)| {
            let path = convert::uri_path(u)?;
            let label = links::link_path(&here, &path);
            Some(edit(from, label, format!("{} ({} questions)", a.title, a.questions.len()), CompletionItemKind::FILE))
        })
        .collect();
    banks.sort_by(|a, b| a.label.cmp(&b.label));
    Some(banks)
}

/// The text edits that keep every link valid when files move: `moved` maps old paths to new.
pub fn moved_file_edits(
    files: &[(Uri, Arc<Analysis>)],
    moved: &HashMap<PathBuf, PathBuf>,
    encoding: qbank_core::Encoding,
) -> HashMap<Uri, Vec<TextEdit>> {
    let known: std::collections::HashSet<PathBuf> = files.iter().filter_map(|(u, _)| convert::uri_path(u)).collect();
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (uri, analysis) in files {
        let Some(old_path) = convert::uri_path(uri) else { continue };
        let new_path = moved.get(&old_path).unwrap_or(&old_path);
        let view = TextView::new(&analysis.text, analysis.line_index(), encoding);
        for link in analysis.links() {
            let (Some(bank_span), Some(bank)) = (link.bank, link.bank_text(&analysis.text)) else { continue };
            let target_old = links::resolve_bank(&old_path, bank);
            if !known.contains(&target_old) {
                continue; // not a bank we know: leave it alone
            }
            let target_new = moved.get(&target_old).unwrap_or(&target_old);
            if new_path == &old_path && target_new == &target_old {
                continue;
            }
            let written = links::link_path(new_path, target_new);
            if written != bank {
                changes.entry(uri.clone()).or_default().push(TextEdit::new(view.range(bank_span), written));
            }
        }
    }
    changes
}

/// `moved` for a rename of `old` to `new` (a file, or a folder and everything under it).
pub fn moves(known: &[PathBuf], old: &Path, new: &Path) -> HashMap<PathBuf, PathBuf> {
    known
        .iter()
        .filter_map(|p| {
            let rest = p.strip_prefix(old).ok()?;
            Some((p.clone(), if rest.as_os_str().is_empty() { new.to_path_buf() } else { new.join(rest) }))
        })
        .collect()
}

impl Core {
    /// The analyses of every indexed bank, open documents as edited, and `uri`'s own.
    async fn linked_files(&self, uri: &Uri) -> Result<Vec<(Uri, Arc<Analysis>)>> {
        let open: Vec<Uri> = self.lock().documents.keys().cloned().collect();
        let mut files: HashMap<Uri, Arc<Analysis>> = HashMap::new();
        for u in &open {
            if let Some(a) = self.analysis(u).await? {
                files.insert(u.clone(), a);
            }
        }
        if let Some(a) = self.analysis(uri).await? {
            files.insert(uri.clone(), a);
        }
        for (u, a) in self.lock().index.files() {
            files.entry(u.clone()).or_insert_with(|| a.clone());
        }
        let mut files: Vec<(Uri, Arc<Analysis>)> = files.into_iter().collect();
        files.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        Ok(files)
    }

    /// The location a link points at (definition), if it resolves.
    pub(crate) async fn link_definition(&self, uri: &Uri, offset: usize) -> Result<Option<Location>> {
        let Some(analysis) = self.analysis(uri).await? else { return Ok(None) };
        let Some(target) = link_at(&analysis, offset).and_then(|l| target_of(uri, &analysis, l)) else {
            return Ok(None);
        };
        let encoding = self.session().encoding;
        let state = self.lock();
        let Some(bank) = bank_of(&target, uri, &analysis, &state.index) else { return Ok(None) };
        let Some(span) = target_span(&target, bank) else { return Ok(None) };
        let view = TextView::new(&bank.text, bank.line_index(), encoding);
        Ok(Some(Location { uri: target.uri, range: view.range(span) }))
    }

    pub(crate) async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri;
        self.with_analysis(&uri, "document links", |analysis, view| {
            analysis
                .links()
                .iter()
                .filter_map(|link| {
                    let target = target_of(&uri, analysis, link)?;
                    Some(DocumentLink {
                        range: view.range(link.target),
                        target: None,
                        tooltip: Some(match &target.id {
                            Some(id) => format!("Go to question `{id}`"),
                            None => "Open the bank".into(),
                        }),
                        data: Some(json!({ "uri": target.uri, "id": target.id })),
                    })
                })
                .collect()
        })
        .await
    }

    /// Fills a document link's target: the bank's uri with `#L<line>` of the question heading.
    pub(crate) async fn document_link_resolve(&self, mut link: DocumentLink) -> Result<DocumentLink> {
        let data = link.data.clone().unwrap_or(Value::Null);
        let Some(uri) = data.get("uri").and_then(|u| serde_json::from_value::<Uri>(u.clone()).ok()) else {
            return Ok(link);
        };
        let id = data.get("id").and_then(Value::as_str).map(str::to_string);
        let analysis = self.analysis(&uri).await?;
        let line = match (&analysis, &id) {
            (Some(a), Some(id)) => a.question_by_id(id).map(|i| a.line_index().line_of(a.questions[i].heading.start)),
            _ => None,
        };
        let target = match line {
            Some(line) => format!("{}#L{}", uri.as_str(), line + 1),
            None => uri.as_str().to_string(),
        };
        link.target = target.parse().ok();
        Ok(link)
    }

    pub(crate) async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let Some(analysis) = self.analysis(&uri).await? else { return Ok(None) };
        let encoding = self.session().encoding;
        let offset = TextView::new(&analysis.text, analysis.line_index(), encoding).offset(position.position);
        let Some((target, _)) = question_at(&uri, &analysis, offset) else { return Ok(None) };
        let files = self.linked_files(&uri).await?;
        let mut found: Vec<Location> = Vec::new();
        if params.context.include_declaration
            && let Some((_, bank)) = files.iter().find(|(u, _)| *u == target.uri)
            && let Some(span) = target_span(&target, bank)
        {
            let view = TextView::new(&bank.text, bank.line_index(), encoding);
            found.push(Location { uri: target.uri.clone(), range: view.range(span) });
        }
        guard("references", || {
            for (u, a, link) in links_to(&files, &target) {
                let view = TextView::new(&a.text, a.line_index(), encoding);
                found.push(Location { uri: u.clone(), range: view.range(link.span) });
            }
        })?;
        Ok(Some(found))
    }

    pub(crate) async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.analysis(&uri).await? else { return Ok(None) };
        let view = TextView::new(&analysis.text, analysis.line_index(), self.session().encoding);
        let offset = view.offset(params.position);
        let Some((target, Some(span))) = question_at(&uri, &analysis, offset) else { return Ok(None) };
        let placeholder = target.id.unwrap_or_default();
        Ok(Some(PrepareRenameResponse::RangeWithPlaceholder { range: view.range(span), placeholder }))
    }

    /// Renames a question id: its metadata comment and every link to it in the workspace.
    pub(crate) async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let new_id = params.new_name.trim().to_string();
        if !valid_id(&new_id) {
            return Err(Error::invalid_params(format!(
                "`{new_id}` cannot be a question id: use letters, digits and dashes, no spaces"
            )));
        }
        let Some(analysis) = self.analysis(&uri).await? else { return Ok(None) };
        let encoding = self.session().encoding;
        let offset = TextView::new(&analysis.text, analysis.line_index(), encoding).offset(position.position);
        let Some((target, _)) = question_at(&uri, &analysis, offset) else { return Ok(None) };
        let files = self.linked_files(&uri).await?;
        let Some((_, bank)) = files.iter().find(|(u, _)| *u == target.uri) else { return Ok(None) };
        let old_id = target.id.clone().unwrap_or_default();
        if new_id != old_id && bank.question_by_id(&new_id).is_some() {
            return Err(Error::invalid_params(format!("the bank already has a question with id `{new_id}`")));
        }
        let Some(question) = bank.question_by_id(&old_id) else { return Ok(None) };
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        if let Some(span) = links::id_span(&bank.text, bank.questions[question].whole, &old_id) {
            let view = TextView::new(&bank.text, bank.line_index(), encoding);
            changes.entry(target.uri.clone()).or_default().push(TextEdit::new(view.range(span), new_id.clone()));
        }
        for (u, a, link) in links_to(&files, &target) {
            let Some(id) = link.id else { continue };
            let view = TextView::new(&a.text, a.line_index(), encoding);
            changes.entry(u.clone()).or_default().push(TextEdit::new(view.range(id), new_id.clone()));
        }
        Ok(Some(workspace_edit(changes)))
    }

    /// `workspace/willRenameFiles`: rewrites the bank paths of links to (and from) moved banks.
    pub(crate) async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        let Some(first) = params.files.first() else { return Ok(None) };
        let Ok(any) = first.old_uri.parse::<Uri>() else { return Ok(None) };
        let files = self.linked_files(&any).await?;
        let known: Vec<PathBuf> = files.iter().filter_map(|(u, _)| convert::uri_path(u)).collect();
        let mut moved: HashMap<PathBuf, PathBuf> = HashMap::new();
        for rename in &params.files {
            let (Ok(old), Ok(new)) = (rename.old_uri.parse::<Uri>(), rename.new_uri.parse::<Uri>()) else { continue };
            let (Some(old), Some(new)) = (convert::uri_path(&old), convert::uri_path(&new)) else { continue };
            moved.extend(moves(&known, &old, &new));
        }
        if moved.is_empty() {
            return Ok(None);
        }
        let encoding = self.session().encoding;
        let changes = guard("file rename", || moved_file_edits(&files, &moved, encoding))?;
        Ok((!changes.is_empty()).then(|| workspace_edit(changes)))
    }
}
