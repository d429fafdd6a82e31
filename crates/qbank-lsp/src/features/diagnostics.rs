//! Pull diagnostics (`textDocument/diagnostic`, `workspace/diagnostic`): full reports, or
//! `unchanged` when the client already has the result (`resultId`).

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::Analysis;
use crate::server::Core;

impl Core {
    pub(crate) async fn document_diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let analysis = self.analysis(&uri).await?;
        let (result_id, items) = match &analysis {
            Some(a) => (self.result_id(&uri, a), self.lsp_diagnostics(&uri, a)),
            None => ("none".to_string(), Vec::new()),
        };
        let report = if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
            })
        } else {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: Some(result_id), items },
            })
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    pub(crate) async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let open: Vec<(Uri, i32)> = self.lock().documents.iter().map(|(u, d)| (u.clone(), d.version)).collect();
        for (uri, _) in &open {
            self.analysis(uri).await?;
        }
        self.check_indexed().await;
        let files: Vec<(Uri, Arc<Analysis>)> = self.lock().index.files().map(|(u, a)| (u.clone(), a.clone())).collect();
        let previous: HashMap<&Uri, &str> =
            params.previous_result_ids.iter().map(|p| (&p.uri, p.value.as_str())).collect();
        let mut items = Vec::new();
        for (uri, analysis) in files {
            let version = open.iter().find(|(u, _)| *u == uri).map(|(_, v)| i64::from(*v));
            let result_id = self.result_id(&uri, &analysis);
            if previous.get(&uri) == Some(&result_id.as_str()) {
                items.push(WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
                    uri,
                    version,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
                }));
                continue;
            }
            let diagnostics = self.lsp_diagnostics(&uri, &analysis);
            items.push(WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri,
                version,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: diagnostics,
                },
            }));
        }
        Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items }))
    }
}
