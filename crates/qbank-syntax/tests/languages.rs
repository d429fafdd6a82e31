//! Fence info strings, the language list, and what is checked.

use qbank_syntax::{CheckOutcome, LanguageInfo, check, known_languages, resolve_language};

fn resolved(info: &str) -> Option<&'static str> {
    resolve_language(info).map(|language| language.id)
}

#[test]
fn aliases_resolve_to_canonical_ids() {
    let cases = [
        ("py", "python"),
        ("python3", "python"),
        ("pycon", "python"),
        ("js", "javascript"),
        ("jsx", "javascript"),
        ("node", "javascript"),
        ("ts", "typescript"),
        ("tsx", "tsx"),
        ("yml", "yaml"),
        ("sh", "bash"),
        ("shell", "bash"),
        ("zsh", "bash"),
        ("console", "console"),
        ("shell-session", "console"),
        ("golang", "go"),
        ("tf", "hcl"),
        ("terraform", "hcl"),
        ("hcl", "hcl"),
        ("postgresql", "sql"),
        ("mysql", "sql"),
        ("docker", "dockerfile"),
        ("containerfile", "dockerfile"),
        ("rs", "rust"),
        ("toml", "toml"),
        ("html", "html"),
        ("css", "css"),
        ("java", "java"),
        ("json", "json"),
        ("jsonc", "jsonc"),
        ("txt", "text"),
        ("plaintext", "text"),
        ("md", "markdown"),
        ("c++", "cpp"),
        ("c#", "csharp"),
        ("ps1", "powershell"),
        ("proto", "protobuf"),
        ("gql", "graphql"),
    ];
    for (info, id) in cases {
        assert_eq!(resolved(info), Some(id), "{info}");
    }
}

#[test]
fn only_the_first_word_counts_case_insensitively() {
    assert_eq!(resolved("Python"), Some("python"));
    assert_eq!(resolved("YAML"), Some("yaml"));
    assert_eq!(resolved("Dockerfile"), Some("dockerfile"));
    assert_eq!(resolved("python title=\"app.py\""), Some("python"));
    assert_eq!(resolved("{.python .numberLines}"), Some("python"));
    assert_eq!(resolved("{bash}"), Some("bash"));
    assert_eq!(resolved("js:title.js"), Some("javascript"));
    assert_eq!(resolved("go {linenos=true}"), Some("go"));
    assert_eq!(resolved("  sql  "), Some("sql"));
    assert_eq!(resolved("klingon"), None);
    assert_eq!(resolved(""), None);
    assert_eq!(resolved("title=\"x\" python"), None, "the first word is the language");
}

#[test]
fn known_languages_are_sorted_and_complete() {
    let known = known_languages();
    let ids: Vec<&str> = known.iter().map(|language| language.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "sorted by id, each once");
    let names: Vec<&str> =
        known.iter().flat_map(|language| std::iter::once(&language.id).chain(language.aliases)).copied().collect();
    for name in [
        "text",
        "plaintext",
        "txt",
        "markdown",
        "md",
        "diff",
        "ini",
        "nginx",
        "properties",
        "xml",
        "c",
        "cpp",
        "csharp",
        "ruby",
        "php",
        "kotlin",
        "swift",
        "scala",
        "powershell",
        "makefile",
        "protobuf",
        "graphql",
        "promql",
        "log",
        "output",
        "http",
        "python",
        "yaml",
    ] {
        assert!(names.contains(&name), "`{name}` is not known");
        assert!(resolve_language(name).is_some(), "`{name}` does not resolve");
    }
}

#[test]
fn checked_flag_matches_what_check_does() {
    for language in known_languages() {
        let outcome = check(language, "");
        if language.checked {
            assert_eq!(outcome, CheckOutcome::Checked(Vec::new()), "{}: an empty block is fine", language.id);
        } else {
            assert_eq!(outcome, CheckOutcome::Unsupported, "{}", language.id);
        }
    }
    let checked: Vec<&str> =
        known_languages().iter().filter(|language| language.checked).map(|language| language.id).collect();
    assert_eq!(
        checked,
        [
            "bash",
            "console",
            "css",
            "dockerfile",
            "go",
            "hcl",
            "html",
            "java",
            "javascript",
            "json",
            "jsonc",
            "python",
            "rust",
            "sql",
            "toml",
            "tsx",
            "typescript",
            "yaml",
        ]
    );
}

#[test]
fn unknown_and_unchecked_languages_are_unsupported() {
    assert_eq!(check(resolve_language("ruby").unwrap(), "puts 'hi'"), CheckOutcome::Unsupported);
    assert_eq!(check(resolve_language("text").unwrap(), "(((("), CheckOutcome::Unsupported);
    let made_up = LanguageInfo { id: "klingon", checked: true, aliases: &[] };
    assert_eq!(check(&made_up, "Qapla'"), CheckOutcome::Unsupported);
}
