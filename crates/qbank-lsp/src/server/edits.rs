//! Whole-file edits: fix all, canonical form, formatting.

#[allow(unused_imports)]
use super::*;

impl Core {
    pub(crate) async fn fix_all_edit(&self, uri: &Uri) -> Result<Option<WorkspaceEdit>> {
        let Some(analysis) = self.analysis(uri).await? else { return Ok(None) };
        let file = {
            let mut state = self.lock();
            state
                .documents
                .get(uri)
                .map(|d| d.file.clone())
                .unwrap_or_else(|| state.configs.for_file(convert::uri_path(uri).as_deref()))
        };
        let encoding = self.session().encoding;
        let path = analysis.path.clone();
        let source = analysis.clone();
        let fixed = blocking("fix all", move || {
            let info = FileInfo { path: &path, relative_path: &file.relative_path };
            let check =
                |text: &str| -> Vec<Diagnostic> { check_parsed(info, text, &qbank_core::parse(text), &file.config) };
            fix_until_stable(&source.text, Applicability::Safe, check).output
        })
        .await?;
        let view = TextView::new(&analysis.text, analysis.line_index(), encoding);
        let edits = actions::whole_text_edit(&view, &fixed);
        Ok((!edits.is_empty()).then(|| actions::workspace_edit(uri, edits)))
    }

    pub(crate) async fn canonical_edit(&self, uri: &Uri) -> Result<Option<WorkspaceEdit>> {
        let Some(edits) = self.formatting_edits(uri).await? else { return Ok(None) };
        Ok((!edits.is_empty()).then(|| actions::workspace_edit(uri, edits)))
    }

    pub(crate) async fn formatting_edits(&self, uri: &Uri) -> Result<Option<Vec<TextEdit>>> {
        let Some(analysis) = self.analysis(uri).await? else { return Ok(None) };
        let encoding = self.session().encoding;
        let formatted = {
            let analysis = analysis.clone();
            blocking("formatting", move || analysis.canonical().map(str::to_string)).await?
        };
        let Some(formatted) = formatted else { return Ok(None) };
        let view = TextView::new(&analysis.text, analysis.line_index(), encoding);
        Ok(Some(actions::whole_text_edit(&view, &formatted)))
    }

    /// "Go to duplicate" for each QB301/QB302 finding under `range`: runs [`SHOW_LOCATION`]
    /// with the finding's related location (the other question).
    pub(crate) fn go_to_duplicate_actions(&self, uri: &Uri, analysis: &Analysis, range: Range) -> Vec<CodeAction> {
        let overlaps = |r: &Range| r.start <= range.end && range.start <= r.end;
        self.lsp_diagnostics(uri, analysis)
            .into_iter()
            .filter(|d| {
                matches!(&d.code, Some(NumberOrString::String(code)) if code == "QB301" || code == "QB302")
                    && overlaps(&d.range)
            })
            .filter_map(|d| {
                let related = d.related_information.as_ref()?.first()?.clone();
                let title = format!("Go to duplicate: {}", related.message);
                Some(CodeAction {
                    title: title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    command: Some(Command {
                        title,
                        command: SHOW_LOCATION.into(),
                        arguments: Some(vec![json!(related.location)]),
                    }),
                    diagnostics: Some(vec![d]),
                    ..CodeAction::default()
                })
            })
            .collect()
    }
}
