//! Syntax checks for code examples, through tree-sitter grammars.
