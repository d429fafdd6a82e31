//! The `qbank lsp` language server.
