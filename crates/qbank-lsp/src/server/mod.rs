//! The `LanguageServer`: session negotiation, the document store, the workspace index's
//! lifecycle and the request handlers. Handlers are thin: they take a snapshot under a short
//! lock, run library calls on a blocking thread or under `catch_unwind`, and convert the
//! result through [`crate::convert`].
//!
//! Ordering: `tower-lsp-server` runs handlers concurrently but starts them in arrival order, so
//! every state change (open, change, close) happens synchronously before the handler's first
//! `.await`. Results computed for a version that is no longer the latest are dropped, and one
//! publisher task sends `publishDiagnostics` so an older version never overwrites a newer one.
//!
//! Cross-file duplicates ([`crate::corpus`]) come from a debounced pass over the whole index
//! ([`CORPUS_DEBOUNCE`] after the last change, on a blocking thread); its findings are merged
//! into a document's diagnostics only for the analysis the pass saw, and every document whose
//! findings changed is re-published when it finishes.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use qbank_core::Encoding;
use qbank_lint::check::{FileInfo, IncrementalCache, check_parsed};
use qbank_lint::fix::fix_until_stable;
use qbank_lint::{Applicability, Diagnostic};
use rayon::prelude::*;
use serde_json::{Value, json};
use tokio::sync::{OnceCell, mpsc};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::analysis::{self, Analysis};
use crate::convert::{self, RelatedFiles, TextView};
use crate::corpus;
use crate::features::{actions, symbols};
use crate::index::{self, WorkspaceIndex};
use crate::settings::{ClientSettings, ConfigStore, FileConfig, is_config_file};

mod commands;
mod corpus_pass;
mod documents;
mod edits;
mod session;
mod state;
mod workspace;

#[allow(unused_imports)]
use commands::*;
pub use commands::{CHECK_WORKSPACE, DUPLICATES, SHOW_LOCATION};
pub use corpus_pass::CORPUS_DEBOUNCE;
#[allow(unused_imports)]
use corpus_pass::*;
pub(crate) use session::lazy_data;
use session::*;
pub use state::TestHooks;
use state::*;
pub(crate) use state::{Core, Related, guard};

/// The qbank language server.
pub struct Backend {
    core: Core,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Backend")
    }
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend::with_hooks(client, TestHooks::default())
    }

    #[doc(hidden)]
    pub fn with_hooks(client: Client, hooks: TestHooks) -> Backend {
        let (publish_tx, publish_rx) = mpsc::unbounded_channel();
        let shared =
            Shared { state: Mutex::new(State::default()), hooks, publish_tx, publish_rx: Mutex::new(Some(publish_rx)) };
        Backend { core: Core { client, shared: Arc::new(shared) } }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let session = session_of(&params.capabilities);
        let (settings, problems) = ClientSettings::from_json(params.initialization_options.as_ref());
        {
            let mut state = self.core.lock();
            state.session = session;
            state.folders = folders_of(&params);
            state.configs.set_client_settings(settings);
        }
        for problem in problems {
            eprintln!("[qbank-lsp] {problem}");
        }
        self.core.spawn_publisher();
        Ok(InitializeResult {
            capabilities: capabilities(&session),
            server_info: Some(ServerInfo { name: "qbank".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.core.session().register_watchers {
            let watchers = ["**/*.md", "**/*.markdown", "**/qbank.toml"]
                .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
                .to_vec();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "qbank-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            let core = self.core.clone();
            tokio::spawn(async move {
                if let Err(e) = core.client.register_capability(vec![registration]).await {
                    core.log(MessageType::WARNING, format!("qbank: could not watch files: {}", e.message)).await;
                }
            });
        }
        let core = self.core.clone();
        tokio::spawn(async move {
            if let Err(e) = core.index_workspace().await {
                core.log(MessageType::ERROR, e.message.to_string()).await;
            }
            core.refresh_workspace_diagnostics().await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        {
            let mut state = self.core.lock();
            let path = convert::uri_path(&doc.uri);
            let file = state.configs.for_file(path.as_deref());
            let display = path.map_or_else(|| doc.uri.as_str().to_string(), |p| p.display().to_string());
            let generation = state.generation;
            let document = Document {
                version: doc.version,
                text: Arc::from(doc.text),
                path: display,
                file,
                generation,
                analysis: Arc::new(OnceCell::new()),
                cache: Arc::default(),
                check_requests: 0,
                checking: false,
            };
            state.documents.insert(doc.uri.clone(), document);
        }
        self.core.schedule_check(doc.uri);
        self.core.schedule_corpus(CORPUS_DEBOUNCE);
        self.core.report_config_problems().await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let applied = {
            let mut state = self.core.lock();
            let encoding = state.session.encoding;
            match state.documents.get_mut(&uri) {
                None => Err(format!("change for a document that is not open: {}", uri.as_str())),
                Some(doc) if version <= doc.version => {
                    Err(format!("ignored change to version {version} of {}: already at {}", uri.as_str(), doc.version))
                }
                Some(doc) => {
                    let mut text = doc.text.to_string();
                    let result = guard("applying an edit", || {
                        for change in params.content_changes {
                            convert::apply_change(&mut text, change, encoding);
                        }
                    });
                    doc.text = Arc::from(text);
                    doc.version = version;
                    drop_later(std::mem::replace(&mut doc.analysis, Arc::new(OnceCell::new())));
                    result.map_err(|e| e.message.to_string())
                }
            }
        };
        match applied {
            Ok(()) => {
                self.core.schedule_check(uri);
                self.core.schedule_corpus(CORPUS_DEBOUNCE);
            }
            Err(message) => self.core.log(MessageType::WARNING, message).await,
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // The analysis of this version is cached: this republishes it.
        self.core.schedule_check(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (published, pull) = {
            let mut state = self.core.lock();
            state.documents.remove(&uri);
            state.index.remove(&uri);
            (state.workspace_published, state.session.pull)
        };
        if !pull && !published {
            self.core.publish(uri.clone(), None, Vec::new());
        }
        self.core.schedule_corpus(CORPUS_DEBOUNCE);
        self.core.reload_from_disk(&uri).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (settings, problems) = ClientSettings::from_json(Some(&params.settings));
        for problem in problems {
            self.core.log(MessageType::WARNING, problem).await;
        }
        let changed = self.core.lock().configs.set_client_settings(settings);
        if changed {
            self.core.configuration_changed();
            let core = self.core.clone();
            tokio::spawn(async move {
                let _ = core.index_workspace().await;
                core.refresh_workspace_diagnostics().await;
            });
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        {
            let mut state = self.core.lock();
            let removed: Vec<PathBuf> = params.event.removed.iter().filter_map(|f| convert::uri_path(&f.uri)).collect();
            state.folders.retain(|f| !removed.contains(f));
            state.folders.extend(params.event.added.iter().filter_map(|f| convert::uri_path(&f.uri)));
        }
        let _ = self.core.index_workspace().await;
        self.core.refresh_workspace_diagnostics().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        let mut banks = Vec::new();
        for change in params.changes {
            let Some(path) = convert::uri_path(&change.uri) else { continue };
            if is_config_file(&path) {
                config_changed = true;
            } else if index::is_markdown(&path) {
                banks.push(change.uri);
            }
        }
        if config_changed {
            self.core.configuration_changed();
            let _ = self.core.index_workspace().await;
            self.core.report_config_problems().await;
            self.core.refresh_workspace_diagnostics().await;
            return;
        }
        for uri in &banks {
            self.core.reload_from_disk(uri).await;
        }
        if !banks.is_empty() && self.core.session().pull {
            self.core.refresh_workspace_diagnostics().await;
        }
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        self.core.document_diagnostic(params).await
    }

    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        self.core.workspace_diagnostic(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.core.completion(params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.core.hover(params).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        self.core.goto_definition(params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.core.code_action(params).await
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        self.core.code_action_resolve(action).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.core.document_link(params).await
    }

    async fn document_link_resolve(&self, link: DocumentLink) -> Result<DocumentLink> {
        self.core.document_link_resolve(link).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.core.references(params).await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.core.prepare_rename(params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.core.rename(params).await
    }

    async fn will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        self.core.will_rename_files(params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.core.code_lens(params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.core.inlay_hint(params).await
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        self.core.selection_range(params).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        self.core.document_highlight(params).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        self.core.semantic_tokens_full(params).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let hierarchical = self.core.session().hierarchical_symbols;
        self.core
            .with_analysis(&uri, "document symbols", |a, view| symbols::document_symbols(a, view, &uri, hierarchical))
            .await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let state = self.core.lock();
        let encoding = state.session.encoding;
        let found = guard("workspace symbols", || {
            symbols::workspace_symbols(&state.index.search(&params.query, 256), encoding)
        })?;
        Ok(Some(WorkspaceSymbolResponse::Nested(found)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.core.with_analysis(&params.text_document.uri, "folding ranges", symbols::folding_ranges).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let edits = self.core.formatting_edits(&params.text_document.uri).await?;
        Ok(edits.filter(|e| !e.is_empty()))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            CHECK_WORKSPACE => self.core.check_workspace().await.map(Some),
            DUPLICATES => self.core.duplicates(&params.arguments).await.map(Some),
            SHOW_LOCATION => self.core.show_location(&params.arguments).await.map(Some),
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}
