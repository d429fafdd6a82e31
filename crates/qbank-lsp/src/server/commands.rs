//! `workspace/executeCommand`: check the workspace, list a question's duplicates, show a
//! location.

#[allow(unused_imports)]
use super::*;

/// `workspace/executeCommand`: check every indexed bank, publish, return `{files, findings}`.
pub const CHECK_WORKSPACE: &str = "qbank.checkWorkspace";
/// `workspace/executeCommand` with `[{uri, position}]`: the question's exact and near
/// duplicates in the workspace (from the corpus pass), as `[{uri, range, score, kind, question}]`.
pub const DUPLICATES: &str = "qbank.duplicates";
/// `workspace/executeCommand` with `[{uri, range}]` (a `Location`): the server asks the client
/// to open it (`window/showDocument`, focused, the range selected). The command of the
/// "Go to duplicate" code action: the server runs it, so it needs nothing client-specific and
/// works wherever `window/showDocument` does (VS Code, Neovim ≥ 0.8, Helix, Zed …).
pub const SHOW_LOCATION: &str = "qbank.showLocation";

impl Core {
    pub(crate) async fn check_workspace(&self) -> Result<Value> {
        self.index_workspace().await?;
        let open: Vec<Uri> = self.lock().documents.keys().cloned().collect();
        for uri in &open {
            let _ = self.analysis(uri).await;
        }
        // Not debounced: the answer counts the cross-file findings too.
        self.run_corpus().await;
        self.check_indexed().await;
        let (files, findings, session) = {
            let mut state = self.lock();
            state.workspace_published = true;
            let findings: usize = state.index.files().map(|(u, a)| state.diagnostics(u, a).0.len()).sum();
            (state.index.len(), findings, state.session)
        };
        if session.pull {
            if session.refresh_diagnostics {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else {
            self.publish_closed_files().await;
            for uri in open {
                self.schedule_check(uri);
            }
        }
        Ok(json!({ "files": files, "findings": findings }))
    }

    pub(crate) async fn duplicates(&self, arguments: &[Value]) -> Result<Value> {
        let Some(params) = arguments
            .first()
            .and_then(|a| serde_json::from_value::<TextDocumentPositionParams>(a.clone()).ok())
            .or_else(|| {
                let a = arguments.first()?;
                let uri: Uri = serde_json::from_value(a.get("uri")?.clone()).ok()?;
                let position: Position = serde_json::from_value(a.get("position")?.clone()).ok()?;
                Some(TextDocumentPositionParams { text_document: TextDocumentIdentifier { uri }, position })
            })
        else {
            return Err(Error::invalid_params("qbank.duplicates takes [{ uri, position }]"));
        };
        let uri = params.text_document.uri;
        let Some(analysis) = self.analysis(&uri).await? else { return Ok(json!([])) };
        let encoding = self.session().encoding;
        let offset = TextView::new(&analysis.text, analysis.line_index(), encoding).offset(params.position);
        let Some((index, _)) = analysis.question_at(offset) else { return Ok(json!([])) };
        let indexed = self.lock().index.get(&uri).is_some_and(|a| Arc::ptr_eq(a, &analysis));
        if !indexed {
            // Not indexed (outside the workspace folders), so not in the corpus pass: compare
            // its normalised text with the index all the same.
            let state = self.lock();
            let mut scratch = WorkspaceIndex::default();
            for (u, a) in state.index.files() {
                scratch.insert(u.clone(), a.clone());
            }
            scratch.insert(uri.clone(), analysis.clone());
            return Ok(same_text_json(&scratch, &uri, index, encoding));
        }
        let found = self.duplicates_of(&uri, &analysis, index).await;
        Ok(Value::Array(
            found
                .iter()
                .map(|d| {
                    json!({
                        "uri": d.uri,
                        "range": d.range,
                        "score": rounded(d.link.score),
                        "questionScore": rounded(d.link.question_score),
                        "kind": kind_name(d.link.kind),
                        "question": d.text,
                        "wordDiff": d.link.word_diff,
                    })
                })
                .collect(),
        ))
    }

    /// `qbank.showLocation [{ uri, range }]`: asks the client to open and select the location.
    pub(crate) async fn show_location(&self, arguments: &[Value]) -> Result<Value> {
        let Some(location) = arguments.first().and_then(|a| serde_json::from_value::<Location>(a.clone()).ok()) else {
            return Err(Error::invalid_params("qbank.showLocation takes [{ uri, range }]"));
        };
        let params = ShowDocumentParams {
            uri: location.uri,
            external: Some(false),
            take_focus: Some(true),
            selection: Some(location.range),
        };
        let shown = self.client.show_document(params).await.unwrap_or(false);
        Ok(json!({ "success": shown }))
    }
}

/// A score with four decimals (no `0.99999994` in answers).
pub(crate) fn rounded(score: f32) -> f64 {
    (f64::from(score) * 10_000.0).round() / 10_000.0
}

pub(crate) fn kind_name(kind: qbank_dedup::PairKind) -> &'static str {
    match kind {
        qbank_dedup::PairKind::Exact => "exact",
        qbank_dedup::PairKind::Near => "near",
    }
}

pub(crate) fn same_text_json(index: &WorkspaceIndex, uri: &Uri, question: usize, encoding: Encoding) -> Value {
    let found: Vec<Value> = index
        .same_text(uri, question)
        .into_iter()
        .map(|q| {
            let view = TextView::new(&q.analysis.text, q.analysis.line_index(), encoding);
            json!({
                "uri": q.uri,
                "range": view.range(q.question.heading),
                "score": 1.0,
                "questionScore": 1.0,
                "kind": "exact",
                "question": q.question.text,
                "wordDiff": q.question.text,
            })
        })
        .collect();
    Value::Array(found)
}
