// scratch (to be deleted)
use std::io::Read;
use std::ops::ControlFlow;
fn main() {
    let mut code = String::new();
    std::io::stdin().read_to_string(&mut code).unwrap();
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_javascript::LANGUAGE.into()).unwrap();
    let bytes = code.as_bytes();
    let start = std::time::Instant::now();
    let mut calls = 0u64;
    let mut last = std::time::Instant::now();
    let mut cb = |s: &tree_sitter::ParseState| {
        calls += 1;
        let gap = last.elapsed();
        last = std::time::Instant::now();
        if calls % 2000 == 0 || gap.as_millis() > 50 { eprintln!("call {calls} t={:?} gap={gap:?} off={} err={}", start.elapsed(), s.current_byte_offset(), s.has_error()); }
        if start.elapsed().as_secs() >= 2 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    };
    let t = p.parse_with_options(&mut |i, _| bytes.get(i..).unwrap_or_default(), None, Some(tree_sitter::ParseOptions::new().progress_callback(&mut cb)));
    eprintln!("done {:?} tree={} calls={calls}", start.elapsed(), t.is_some());
}
