//! What the client told us about itself at `initialize`, and the capabilities we answer with.

#[allow(unused_imports)]
use super::*;

/// What the client told us about itself, fixed at `initialize`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Session {
    pub(crate) encoding: Encoding,
    /// The client pulls diagnostics (`textDocument.diagnostic`); the server then never pushes.
    pub(crate) pull: bool,
    pub(crate) snippets: bool,
    pub(crate) hierarchical_symbols: bool,
    pub(crate) refresh_diagnostics: bool,
    pub(crate) resolve_code_actions: bool,
    pub(crate) register_watchers: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            encoding: Encoding::Utf16,
            pull: false,
            snippets: false,
            hierarchical_symbols: false,
            refresh_diagnostics: false,
            resolve_code_actions: false,
            register_watchers: false,
        }
    }
}

pub(crate) fn folders_of(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders.iter().filter_map(|f| convert::uri_path(&f.uri)).collect();
    }
    #[allow(deprecated, reason = "older clients send only rootUri")]
    let root = params.root_uri.as_ref().and_then(convert::uri_path);
    root.into_iter().collect()
}

pub(crate) fn session_of(capabilities: &ClientCapabilities) -> Session {
    let text = capabilities.text_document.as_ref();
    let workspace = capabilities.workspace.as_ref();
    Session {
        encoding: convert::negotiate_encoding(capabilities),
        pull: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
        snippets: text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
        hierarchical_symbols: text
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|s| s.hierarchical_document_symbol_support)
            .unwrap_or(false),
        refresh_diagnostics: workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        resolve_code_actions: text
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        register_watchers: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false),
    }
}

pub(crate) fn capabilities(session: &Session) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(session.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        })),
        diagnostic_provider: session.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("qbank".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["#", "*", "`", ":", ",", " ", "("].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: crate::features::tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
                actions::fix_all_kind(),
                actions::canonical_kind(),
            ]),
            resolve_provider: Some(session.resolve_code_actions),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![CHECK_WORKSPACE.into(), DUPLICATES.into(), SHOW_LOCATION.into()],
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: Some(WorkspaceFileOperationsServerCapabilities {
                will_rename: Some(bank_file_operations()),
                ..WorkspaceFileOperationsServerCapabilities::default()
            }),
        }),
        ..ServerCapabilities::default()
    }
}

/// The files whose renames change links: Markdown files, and folders (which may hold some).
fn bank_file_operations() -> FileOperationRegistrationOptions {
    let filter = |glob: &str, matches| FileOperationFilter {
        scheme: Some("file".into()),
        pattern: FileOperationPattern { glob: glob.into(), matches: Some(matches), options: None },
    };
    FileOperationRegistrationOptions {
        filters: vec![
            filter("**/*.{md,markdown}", FileOperationPatternKind::File),
            filter("**", FileOperationPatternKind::Folder),
        ],
    }
}

/// Data carried by a lazily resolved code action.
pub(crate) fn lazy_data(uri: &Uri, action: &str) -> Value {
    json!({ "uri": uri, "action": action })
}
