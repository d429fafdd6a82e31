//! Parsing under a deadline, with one cached parser per grammar and thread.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::Instant;

use tree_sitter::{Language, ParseOptions, ParseState, Parser, Tree};

use crate::language::Grammar;

thread_local! {
    /// Parsers by grammar name: creating one per block would dominate checking time.
    static PARSERS: RefCell<Vec<(&'static str, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parses `text`; `None` when the grammar cannot be loaded or the deadline passes.
///
/// Tree-sitter consults the deadline only between steps, and error recovery over long
/// stretches of broken text makes steps slow (quadratic), so callers also bound the size.
pub(crate) fn parse(grammar: &'static Grammar, text: &str, deadline: Instant) -> Option<Tree> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.try_borrow_mut().ok()?;
        let index = match parsers.iter().position(|(name, _)| *name == grammar.name) {
            Some(index) => index,
            None => {
                let mut parser = Parser::new();
                parser.set_language(&Language::new(grammar.language)).ok()?;
                parsers.push((grammar.name, parser));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[index].1;
        let bytes = text.as_bytes();
        let mut progress = |_: &ParseState| {
            if Instant::now() >= deadline { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        };
        let tree = parser.parse_with_options(
            &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        if tree.is_none() {
            // A cancelled parse would otherwise resume on the next call.
            parser.reset();
        }
        tree
    })
}
