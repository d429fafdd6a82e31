// scratch: dump trees (to be deleted)
use std::io::Read;
use tree_sitter::{Language, Parser};

fn lang(name: &str) -> Language {
    match name {
        "python" => tree_sitter_python::LANGUAGE.into(),
        "yaml" => tree_sitter_yaml::LANGUAGE.into(),
        "json" => tree_sitter_json::LANGUAGE.into(),
        "bash" => tree_sitter_bash::LANGUAGE.into(),
        "js" => tree_sitter_javascript::LANGUAGE.into(),
        "ts" => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        "tsx" => tree_sitter_typescript::LANGUAGE_TSX.into(),
        "go" => tree_sitter_go::LANGUAGE.into(),
        "hcl" => tree_sitter_hcl::LANGUAGE.into(),
        "sql" => tree_sitter_sequel::LANGUAGE.into(),
        "docker" => arborium_dockerfile::language().into(),
        "rust" => tree_sitter_rust::LANGUAGE.into(),
        "toml" => tree_sitter_toml_ng::LANGUAGE.into(),
        "html" => tree_sitter_html::LANGUAGE.into(),
        "css" => tree_sitter_css::LANGUAGE.into(),
        "java" => tree_sitter_java::LANGUAGE.into(),
        _ => panic!("lang"),
    }
}

fn main() {
    let name = std::env::args().nth(1).unwrap();
    let mut code = String::new();
    std::io::stdin().read_to_string(&mut code).unwrap();
    let mut p = Parser::new();
    p.set_language(&lang(&name)).unwrap();
    let started = std::time::Instant::now();
    let t = p.parse(&code, None).unwrap();
    eprintln!("parse took {:?}", started.elapsed());
    if std::env::var("ONLY_PARSE").is_ok() { return; }
    let root = t.root_node();
    println!("has_error={}", root.has_error());
    if std::env::args().nth(2).is_some() {
        println!("{}", root.to_sexp());
    }
    let mut c = root.walk();
    loop {
        let n = c.node();
        if n.is_error() || n.is_missing() {
            println!("{} {:?} {:?} {:?} parent={}", if n.is_missing() {"MISSING"} else {"ERROR"}, n.kind(), n.byte_range(), n.start_position(), n.parent().map(|p| p.kind()).unwrap_or(""));
            let mut leaf = n;
            while let Some(ch) = leaf.child(0) { leaf = ch; }
            println!("   first leaf {:?} {:?}", leaf.kind(), &code[leaf.byte_range()]);
            let mut cc = n.walk();
            for ch in n.children(&mut cc) {
                let la: Vec<String> = match t.language().lookahead_iterator(ch.next_parse_state()) { Some(mut it) => { let v: Vec<String> = it.iter_names().map(|s| s.to_string()).collect(); if v.len() > 12 { vec![format!("{} names", v.len())] } else { v } }, None => vec!["none".into()] };
                println!("     child {} {:?} {:?} {:?} missing={} ps={} nps={} la={:?}", ch.kind(), &code[ch.byte_range()].chars().take(30).collect::<String>(), ch.start_position(), ch.byte_range(), ch.is_missing(), ch.parse_state(), ch.next_parse_state(), la); }
        }
        if !n.is_error() && c.goto_first_child() { continue; }
        loop {
            if c.goto_next_sibling() { break; }
            if !c.goto_parent() { return; }
        }
    }
}
