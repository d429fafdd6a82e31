//! The language table: fence names, aliases, grammars and the fragment attempts for each.

use std::collections::HashMap;
use std::sync::LazyLock;

use tree_sitter_language::LanguageFn;

use crate::rewrite::{PromptStyle, Transform};

/// A language qbank recognises in a fence info string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LanguageInfo {
    /// Canonical id, e.g. `"python"`.
    pub id: &'static str,
    /// Whether qbank has a grammar for it (so [`crate::check`] can check it).
    pub checked: bool,
    /// Other names for it in info strings (lowercase; the id itself is not repeated).
    pub aliases: &'static [&'static str],
}

/// A tree-sitter grammar; `name` identifies its cached parser.
pub(crate) struct Grammar {
    pub(crate) name: &'static str,
    pub(crate) language: LanguageFn,
}

impl std::fmt::Debug for Grammar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grammar").field("name", &self.name).finish_non_exhaustive()
    }
}

/// One way of reading a snippet: a grammar and the rewrites applied before parsing.
#[derive(Debug)]
pub(crate) struct Attempt {
    pub(crate) grammar: &'static Grammar,
    pub(crate) transforms: &'static [Transform],
}

/// Where an ERROR node's problem is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// At the node's first token: the construct the parser could not finish.
    Start,
    /// At the first token after the node: indentation-based grammars (YAML) give up there.
    End,
}

/// Which parse errors are reported once every attempt has failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    /// Every ERROR and MISSING node.
    Strict,
    /// Only dialect-independent SQL mistakes (see `crate::sql`): one grammar cannot know
    /// every dialect's statements, so its other complaints are not trusted.
    SqlLexical,
}

/// Checks on a tree that parsed, for things the grammar accepts but the language does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PostCheck {
    /// Nodes of this kind are errors (JSON comments).
    Forbid { kind: &'static str, message: &'static str },
    /// An instruction keyword glued to the next word (`RUNN` lexes as `RUN` + `N`).
    GluedKeyword { node_suffix: &'static str, message: &'static str },
}

/// How a checked language is checked.
#[derive(Debug)]
pub(crate) struct Checker {
    /// Tried in order until one parses; when none does, the errors of the reading whose
    /// first error comes latest are reported (it understood the most), earlier ones on ties.
    pub(crate) attempts: &'static [Attempt],
    pub(crate) anchor: Anchor,
    pub(crate) policy: Policy,
    pub(crate) post_checks: &'static [PostCheck],
}

/// A row of the language table.
#[derive(Debug)]
pub(crate) struct LanguageSpec {
    pub(crate) info: LanguageInfo,
    pub(crate) checker: Option<Checker>,
}

const fn checked(id: &'static str, aliases: &'static [&'static str], checker: Checker) -> LanguageSpec {
    LanguageSpec { info: LanguageInfo { id, checked: true, aliases }, checker: Some(checker) }
}

const fn recognised(id: &'static str, aliases: &'static [&'static str]) -> LanguageSpec {
    LanguageSpec { info: LanguageInfo { id, checked: false, aliases }, checker: None }
}

const fn strict(attempts: &'static [Attempt]) -> Checker {
    Checker { attempts, anchor: Anchor::Start, policy: Policy::Strict, post_checks: &[] }
}

const fn attempt(grammar: &'static Grammar, transforms: &'static [Transform]) -> Attempt {
    Attempt { grammar, transforms }
}

// Grammars.
static BASH: Grammar = Grammar { name: "bash", language: tree_sitter_bash::LANGUAGE };
static CSS: Grammar = Grammar { name: "css", language: tree_sitter_css::LANGUAGE };
static DOCKERFILE: Grammar = Grammar { name: "dockerfile", language: arborium_dockerfile::language() };
static GO: Grammar = Grammar { name: "go", language: tree_sitter_go::LANGUAGE };
static HCL: Grammar = Grammar { name: "hcl", language: tree_sitter_hcl::LANGUAGE };
static HTML: Grammar = Grammar { name: "html", language: tree_sitter_html::LANGUAGE };
static JAVA: Grammar = Grammar { name: "java", language: tree_sitter_java::LANGUAGE };
static JAVASCRIPT: Grammar = Grammar { name: "javascript", language: tree_sitter_javascript::LANGUAGE };
static JSON: Grammar = Grammar { name: "json", language: tree_sitter_json::LANGUAGE };
static PYTHON: Grammar = Grammar { name: "python", language: tree_sitter_python::LANGUAGE };
static RUST: Grammar = Grammar { name: "rust", language: tree_sitter_rust::LANGUAGE };
static SQL: Grammar = Grammar { name: "sql", language: tree_sitter_sequel::LANGUAGE };
static TOML: Grammar = Grammar { name: "toml", language: tree_sitter_toml_ng::LANGUAGE };
static TSX: Grammar = Grammar { name: "tsx", language: tree_sitter_typescript::LANGUAGE_TSX };
static TYPESCRIPT: Grammar = Grammar { name: "typescript", language: tree_sitter_typescript::LANGUAGE_TYPESCRIPT };
static YAML: Grammar = Grammar { name: "yaml", language: tree_sitter_yaml::LANGUAGE };

/// Every grammar, for tests that load each one.
#[cfg(test)]
pub(crate) static GRAMMARS: &[&Grammar] = &[
    &BASH,
    &CSS,
    &DOCKERFILE,
    &GO,
    &HCL,
    &HTML,
    &JAVA,
    &JAVASCRIPT,
    &JSON,
    &PYTHON,
    &RUST,
    &SQL,
    &TOML,
    &TSX,
    &TYPESCRIPT,
    &YAML,
];

use Transform::{
    AnglePlaceholders, BlankLines, Ellipses, StripPrompts, TrailingCommas, Unprompted, Wrap, YamlParents, YamlTemplates,
};

// Wrappers. Top-level statements need none: these grammars accept them as they are.
const GO_STRUCT: Transform = Wrap { prefix: "type _ struct {\n", suffix: "\n}\n" };
const JAVA_CLASS: Transform = Wrap { prefix: "class _Q {\n", suffix: "\n}\n" };
const JS_CLASS: Transform = Wrap { prefix: "class _Q {\n", suffix: "\n}\n" };
const JSON_OBJECT: Transform = Wrap { prefix: "{\n", suffix: "\n}\n" };
const RUST_FN: Transform = Wrap { prefix: "fn _f() {\n", suffix: "\n}\n" };

const SHELL: PromptStyle = PromptStyle::Shell;
const SHELL_ATTEMPTS: &[Attempt] = &[
    attempt(&BASH, &[StripPrompts(SHELL)]),
    attempt(&BASH, &[Unprompted(SHELL)]),
    attempt(&BASH, &[StripPrompts(SHELL), AnglePlaceholders]),
    attempt(&BASH, &[Unprompted(SHELL), AnglePlaceholders]),
];

const JAVASCRIPT_ATTEMPTS: &[Attempt] = &[
    attempt(&JAVASCRIPT, &[]),
    attempt(&JAVASCRIPT, &[JS_CLASS]),
    attempt(&JAVASCRIPT, &[Ellipses]),
    attempt(&JAVASCRIPT, &[Ellipses, JS_CLASS]),
    attempt(&TSX, &[]),
    attempt(&TYPESCRIPT, &[]),
    attempt(&TSX, &[Ellipses]),
];

const TYPESCRIPT_ATTEMPTS: &[Attempt] = &[
    attempt(&TYPESCRIPT, &[]),
    attempt(&TSX, &[]),
    attempt(&TYPESCRIPT, &[JS_CLASS]),
    attempt(&TYPESCRIPT, &[Ellipses]),
    attempt(&TYPESCRIPT, &[Ellipses, JS_CLASS]),
    attempt(&TSX, &[Ellipses]),
];

const TSX_ATTEMPTS: &[Attempt] = &[
    attempt(&TSX, &[]),
    attempt(&TYPESCRIPT, &[]),
    attempt(&TSX, &[JS_CLASS]),
    attempt(&TSX, &[Ellipses]),
    attempt(&TSX, &[Ellipses, JS_CLASS]),
];

const JSON_ATTEMPTS: &[Attempt] = &[
    attempt(&JSON, &[]),
    attempt(&JSON, &[JSON_OBJECT]),
    attempt(&JSON, &[Ellipses]),
    attempt(&JSON, &[Ellipses, JSON_OBJECT]),
];

const JSONC_ATTEMPTS: &[Attempt] = &[
    attempt(&JSON, &[]),
    attempt(&JSON, &[TrailingCommas]),
    attempt(&JSON, &[JSON_OBJECT]),
    attempt(&JSON, &[JSON_OBJECT, TrailingCommas]),
    attempt(&JSON, &[Ellipses]),
    attempt(&JSON, &[Ellipses, JSON_OBJECT]),
];

const SQL_PROMPT: PromptStyle = PromptStyle::Sql;
// Placeholders (`%s`, `:id`), missing semicolons and dialect statements need no rewrite:
// under `Policy::SqlLexical` a failed reading reports only dialect-independent mistakes.
const SQL_ATTEMPTS: &[Attempt] =
    &[attempt(&SQL, &[StripPrompts(SQL_PROMPT)]), attempt(&SQL, &[Unprompted(SQL_PROMPT)])];

const PYTHON_PROMPT: PromptStyle = PromptStyle::Python;

const YAML_ATTEMPTS: &[Attempt] = &[
    attempt(&YAML, &[]),
    attempt(&YAML, &[YamlTemplates]),
    attempt(&YAML, &[YamlParents]),
    attempt(&YAML, &[YamlTemplates, YamlParents]),
];

/// The table. Order does not matter ([`known_languages`] sorts); ids and aliases are unique.
static LANGUAGES: &[LanguageSpec] = &[
    // Checked languages.
    checked("bash", &["sh", "shell", "zsh", "ksh", "shellscript", "shell-script"], strict(SHELL_ATTEMPTS)),
    checked(
        "console",
        &["shell-session", "shellsession", "sh-session", "bash-session", "terminal"],
        strict(SHELL_ATTEMPTS),
    ),
    checked("css", &[], strict(&[attempt(&CSS, &[])])),
    checked(
        "dockerfile",
        &["docker", "containerfile"],
        Checker {
            attempts: &[attempt(&DOCKERFILE, &[])],
            anchor: Anchor::Start,
            policy: Policy::Strict,
            post_checks: &[PostCheck::GluedKeyword { node_suffix: "_instruction", message: "unknown instruction" }],
        },
    ),
    checked("go", &["golang"], strict(&[attempt(&GO, &[]), attempt(&GO, &[GO_STRUCT]), attempt(&GO, &[Ellipses])])),
    checked(
        "hcl",
        &["tf", "terraform", "tfvars", "hcl2", "opentofu"],
        strict(&[attempt(&HCL, &[]), attempt(&HCL, &[AnglePlaceholders]), attempt(&HCL, &[Ellipses])]),
    ),
    checked("html", &["htm", "xhtml"], strict(&[attempt(&HTML, &[])])),
    checked(
        "java",
        &[],
        strict(&[
            attempt(&JAVA, &[]),
            attempt(&JAVA, &[JAVA_CLASS]),
            attempt(&JAVA, &[Ellipses]),
            attempt(&JAVA, &[Ellipses, JAVA_CLASS]),
        ]),
    ),
    checked(
        "javascript",
        &["js", "jsx", "mjs", "cjs", "node", "nodejs", "es6", "ecmascript"],
        strict(JAVASCRIPT_ATTEMPTS),
    ),
    checked(
        "json",
        &["geojson", "jsonl", "ndjson", "json-lines"],
        Checker {
            attempts: JSON_ATTEMPTS,
            anchor: Anchor::Start,
            policy: Policy::Strict,
            post_checks: &[PostCheck::Forbid {
                kind: "comment",
                message: "comments are not allowed in JSON (use `jsonc`)",
            }],
        },
    ),
    checked("jsonc", &["json-with-comments"], strict(JSONC_ATTEMPTS)),
    checked(
        "python",
        &["py", "python3", "py3", "pycon", "python-repl", "ipython", "python2", "py2", "gyp"],
        strict(&[
            attempt(&PYTHON, &[StripPrompts(PYTHON_PROMPT)]),
            attempt(&PYTHON, &[Unprompted(PYTHON_PROMPT)]),
            attempt(&PYTHON, &[Unprompted(PYTHON_PROMPT), BlankLines { markers: &["!", "%"] }]),
            attempt(&PYTHON, &[Unprompted(PYTHON_PROMPT), AnglePlaceholders]),
            attempt(&PYTHON, &[StripPrompts(PYTHON_PROMPT), AnglePlaceholders]),
        ]),
    ),
    checked(
        "rust",
        &["rs"],
        strict(&[
            attempt(&RUST, &[]),
            attempt(&RUST, &[RUST_FN]),
            attempt(&RUST, &[Ellipses]),
            attempt(&RUST, &[Ellipses, RUST_FN]),
        ]),
    ),
    checked(
        "sql",
        &[
            "postgresql",
            "postgres",
            "pgsql",
            "mysql",
            "mariadb",
            "sqlite",
            "sqlite3",
            "sql92",
            "ansi-sql",
            "hive",
            "hiveql",
            "sparksql",
            "spark-sql",
            "bigquery",
            "snowflake",
            "redshift",
            "duckdb",
            "clickhouse",
            "presto",
            "trino",
            "cql",
        ],
        Checker { attempts: SQL_ATTEMPTS, anchor: Anchor::Start, policy: Policy::SqlLexical, post_checks: &[] },
    ),
    checked("toml", &[], strict(&[attempt(&TOML, &[])])),
    checked("tsx", &[], strict(TSX_ATTEMPTS)),
    checked("typescript", &["ts", "mts", "cts"], strict(TYPESCRIPT_ATTEMPTS)),
    checked(
        "yaml",
        &["yml", "k8s", "kubernetes", "helm", "ansible", "docker-compose", "compose"],
        Checker { attempts: YAML_ATTEMPTS, anchor: Anchor::End, policy: Policy::Strict, post_checks: &[] },
    ),
    // Recognised, without a grammar.
    recognised("apache", &["apacheconf", "htaccess"]),
    recognised("asm", &["assembly", "nasm", "x86asm", "armasm", "s"]),
    recognised("awk", &["gawk"]),
    recognised("batch", &["bat", "cmd", "dos"]),
    recognised("c", &["h"]),
    recognised("clojure", &["clj", "cljs", "edn"]),
    recognised("cmake", &[]),
    recognised("cpp", &["c++", "cc", "cxx", "hpp", "hxx", "h++"]),
    recognised("csharp", &["cs", "c#", "dotnet"]),
    recognised("csv", &["tsv"]),
    recognised("cypher", &["neo4j"]),
    recognised("dart", &[]),
    recognised("diff", &["patch", "udiff"]),
    recognised("dotenv", &["env"]),
    recognised("elixir", &["ex", "exs"]),
    recognised("erlang", &["erl"]),
    recognised("fsharp", &["fs", "f#"]),
    recognised("graphql", &["gql"]),
    recognised("graphviz", &["dot"]),
    recognised("groovy", &["gradle", "jenkinsfile"]),
    recognised("haskell", &["hs"]),
    recognised("http", &["https", "rest"]),
    recognised("ini", &["cfg", "conf", "config", "systemd", "desktop"]),
    recognised("jinja", &["jinja2", "j2", "django", "twig", "liquid"]),
    recognised("json5", &[]),
    recognised("julia", &["jl"]),
    recognised("kotlin", &["kt", "kts"]),
    recognised("latex", &["tex"]),
    recognised("less", &[]),
    recognised("lisp", &["elisp", "emacs-lisp", "common-lisp", "scheme", "racket"]),
    recognised("log", &["logs", "logfile"]),
    recognised("lua", &[]),
    recognised("makefile", &["make", "mk", "mak"]),
    recognised("markdown", &["md", "mdx", "gfm"]),
    recognised("matlab", &["octave"]),
    recognised("mermaid", &["mmd"]),
    recognised("nginx", &["nginxconf"]),
    recognised("nix", &[]),
    recognised("objectivec", &["objc", "objective-c", "obj-c", "mm"]),
    recognised("ocaml", &["ml"]),
    recognised("output", &["out", "stdout", "stderr", "result"]),
    recognised("perl", &["pl", "pm"]),
    recognised("php", &[]),
    recognised("plantuml", &["puml", "uml"]),
    recognised("powershell", &["ps1", "pwsh", "ps", "posh"]),
    recognised("promql", &["prometheus"]),
    recognised("properties", &["java-properties"]),
    recognised("protobuf", &["proto", "proto3"]),
    recognised("r", &["rlang", "rscript"]),
    recognised("regex", &["regexp"]),
    recognised("ruby", &["rb", "erb", "gemfile"]),
    recognised("sass", &[]),
    recognised("scala", &["sc", "sbt"]),
    recognised("scss", &[]),
    recognised("solidity", &["sol"]),
    recognised("swift", &[]),
    recognised("text", &["plaintext", "txt", "plain", "none", "nohighlight", "no-highlight"]),
    recognised("tsql", &["mssql", "sqlserver", "t-sql"]),
    recognised("plsql", &["oracle", "plpgsql", "pl/sql"]),
    recognised("vb", &["vbnet", "vb.net", "vba", "vbscript"]),
    recognised("vim", &["vimscript", "viml"]),
    recognised("vue", &["svelte", "astro"]),
    recognised("xml", &["svg", "xsl", "xslt", "xsd", "plist", "rss", "atom", "wsdl", "pom"]),
    recognised("zig", &[]),
];

/// Every spec by lowercase id and alias.
static BY_NAME: LazyLock<HashMap<&'static str, &'static LanguageSpec>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for spec in LANGUAGES {
        map.insert(spec.info.id, spec);
        for alias in spec.info.aliases {
            map.insert(*alias, spec);
        }
    }
    map
});

static KNOWN: LazyLock<Vec<&'static LanguageInfo>> = LazyLock::new(|| {
    let mut known: Vec<&'static LanguageInfo> = LANGUAGES.iter().map(|spec| &spec.info).collect();
    known.sort_by_key(|info| info.id);
    known
});

/// Every language qbank knows, checked or not, sorted by id (each carries its aliases).
pub fn known_languages() -> &'static [&'static LanguageInfo] {
    KNOWN.as_slice()
}

/// Resolves a fence info string to a language.
///
/// Only the first word counts, case-insensitively; `{.python}`, `{python}`,
/// `python title="x"`, `python{1,3}` and `js:title.js` all name their first word.
pub fn resolve_language(info: &str) -> Option<&'static LanguageInfo> {
    spec_for_name(info_word(info)?).map(|spec| &spec.info)
}

/// The table row behind `info`, if it is one of ours (matched by id).
pub(crate) fn spec_for(info: &LanguageInfo) -> Option<&'static LanguageSpec> {
    BY_NAME.get(info.id).copied().filter(|spec| spec.info.id == info.id)
}

fn spec_for_name(word: &str) -> Option<&'static LanguageSpec> {
    if let Some(spec) = BY_NAME.get(word) {
        return Some(spec);
    }
    let lower = word.to_ascii_lowercase();
    BY_NAME.get(lower.as_str()).copied()
}

/// The language word of an info string: the first word, without pandoc's `{.` and `}`
/// and without attributes glued on with `{`, `:` or `,`.
fn info_word(info: &str) -> Option<&str> {
    let trimmed = info.trim_start().trim_start_matches('{').trim_start();
    let word = trimmed.trim_start_matches('.');
    let end = word
        .find(|c: char| c.is_whitespace() || matches!(c, '{' | '}' | ':' | ',' | '=' | ';' | '`'))
        .unwrap_or(word.len());
    let word = &word[..end];
    (!word.is_empty()).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_aliases_are_unique_and_lowercase() {
        let mut seen = std::collections::HashSet::new();
        for spec in LANGUAGES {
            for name in std::iter::once(&spec.info.id).chain(spec.info.aliases) {
                assert!(seen.insert(*name), "`{name}` is listed twice");
                assert_eq!(name.to_ascii_lowercase(), *name, "`{name}` is not lowercase");
                assert_eq!(info_word(name), Some(*name), "`{name}` is not a single word");
            }
        }
    }

    #[test]
    fn checked_flag_matches_the_checker() {
        for spec in LANGUAGES {
            assert_eq!(spec.info.checked, spec.checker.is_some(), "{}", spec.info.id);
            if let Some(checker) = &spec.checker {
                assert!(!checker.attempts.is_empty(), "{}", spec.info.id);
            }
        }
    }

    #[test]
    fn every_grammar_loads() {
        for grammar in GRAMMARS {
            let language = tree_sitter::Language::new(grammar.language);
            let mut parser = tree_sitter::Parser::new();
            assert!(parser.set_language(&language).is_ok(), "{} does not load", grammar.name);
        }
    }

    #[test]
    fn info_word_takes_the_first_word() {
        assert_eq!(info_word("python title=\"x.py\""), Some("python"));
        assert_eq!(info_word("{.python .numberLines}"), Some("python"));
        assert_eq!(info_word("{python}"), Some("python"));
        assert_eq!(info_word("js:title.js"), Some("js"));
        assert_eq!(info_word("python{1,3}"), Some("python"));
        assert_eq!(info_word("  yaml  "), Some("yaml"));
        assert_eq!(info_word("c++"), Some("c++"));
        assert_eq!(info_word(""), None);
        assert_eq!(info_word("{}"), None);
    }
}
