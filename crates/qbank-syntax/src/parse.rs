//! Parsing under limits: one cached parser per grammar and thread, a deadline, and a cap on
//! how far a parse may run in error.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::Instant;

use tree_sitter::{Language, ParseOptions, ParseState, Parser, Tree};

use crate::language::Grammar;

/// How far past its first error a parse may go. Error recovery costs grow with the length of
/// text parsed in error (160 KB of broken JavaScript takes seconds and gigabytes), and only
/// the first errors are reported, so a parse stops here.
pub(crate) const ERROR_WINDOW: usize = 4 * 1024;

thread_local! {
    /// Parsers by grammar name: creating one per block would dominate checking time.
    static PARSERS: RefCell<Vec<(&'static str, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// The result of parsing a text.
#[derive(Debug)]
pub(crate) enum Parsed {
    Tree(Tree),
    /// The text has an error, first noticed near `near` (at or after it), and parsing
    /// stopped [`ERROR_WINDOW`] bytes later.
    Stopped { near: usize },
    /// The deadline passed, or the grammar could not be loaded.
    Abandoned,
}

/// Parses `text` with `grammar`'s cached parser.
pub(crate) fn parse(grammar: &'static Grammar, text: &str, deadline: Instant) -> Parsed {
    PARSERS.with(|parsers| {
        let Ok(mut parsers) = parsers.try_borrow_mut() else { return Parsed::Abandoned };
        let index = match parsers.iter().position(|(name, _)| *name == grammar.name) {
            Some(index) => index,
            None => {
                let mut parser = Parser::new();
                if parser.set_language(&Language::new(grammar.language)).is_err() {
                    return Parsed::Abandoned;
                }
                parsers.push((grammar.name, parser));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[index].1;
        let bytes = text.as_bytes();
        let mut first_error: Option<usize> = None;
        let mut progress = |state: &ParseState| {
            if Instant::now() >= deadline {
                return ControlFlow::Break(());
            }
            // `has_error` means every parse version is recovering from an error at once,
            // so the tree will have one; it may read false again once they recover.
            if state.has_error() && first_error.is_none() {
                first_error = Some(state.current_byte_offset());
            }
            if first_error.is_some_and(|at| state.current_byte_offset() > at + ERROR_WINDOW) {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        };
        let tree = parser.parse_with_options(
            &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        match tree {
            Some(tree) => Parsed::Tree(tree),
            None => {
                // A cancelled parse would otherwise resume on the next call.
                parser.reset();
                match first_error {
                    Some(near) if Instant::now() < deadline => Parsed::Stopped { near },
                    _ => Parsed::Abandoned,
                }
            }
        }
    })
}
