//! Whatever the input, `check` returns, within its limits, with well-formed errors.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use qbank_syntax::{CheckOutcome, LanguageInfo, MAX_CODE_BYTES, MAX_NESTING, check, known_languages, resolve_language};

fn checked_languages() -> Vec<&'static LanguageInfo> {
    known_languages().iter().copied().filter(|language| language.checked).collect()
}

/// A block within the limits is always checked (a caught panic would make it
/// `Unsupported`), and every error points into the block consistently.
fn assert_well_formed(language: &LanguageInfo, code: &str) {
    let CheckOutcome::Checked(errors) = check(language, code) else {
        panic!("{}: {code:?} was not checked", language.id);
    };
    assert!(errors.len() <= 3, "{}: {code:?}: {errors:?}", language.id);
    let mut previous = 0;
    for error in &errors {
        let range = error.range.clone();
        assert!(range.start <= range.end && range.end <= code.len(), "{}: {code:?}: {error:?}", language.id);
        assert!(code.is_char_boundary(range.start) && code.is_char_boundary(range.end));
        assert!(range.start >= previous, "errors are in order");
        previous = range.start;
        let before = &code[..range.start];
        assert_eq!(error.line as usize, before.matches('\n').count());
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        assert_eq!(error.column as usize, range.start - line_start);
        assert!(!error.message.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_checked(code in "\\PC{0,120}") {
        for language in checked_languages() {
            assert_well_formed(language, &code);
        }
    }

    #[test]
    fn code_like_text_is_checked(code in "[a-z0-9 \\t\\r\\n(){}\\[\\]<>\"'`$#%:;,.=|&!*/\\\\-]{0,200}") {
        for language in checked_languages() {
            assert_well_formed(language, &code);
        }
    }

    #[test]
    fn prompts_and_templates_are_checked(
        lines in proptest::collection::vec("(\\$ |>>> |\\.\\.\\. |mysql> |  |    |- )?[a-z{}%<>()\\[\\]:\"' .]{0,20}", 0..12)
    ) {
        let code = lines.join("\n");
        for language in checked_languages() {
            assert_well_formed(language, &code);
        }
    }
}

#[test]
fn deep_nesting_is_refused_or_checked() {
    let json = resolve_language("json").unwrap();
    assert_eq!(check(json, &"[".repeat(MAX_NESTING + 1)), CheckOutcome::Unsupported);
    let nested = format!("{}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
    assert_eq!(check(json, &nested), CheckOutcome::Checked(Vec::new()));
    for language in checked_languages() {
        for open in ["(", "[", "{", "{{", "(\n"] {
            assert_well_formed(language, &open.repeat(MAX_NESTING / open.len()));
        }
    }
}

#[test]
fn deep_indentation_is_checked() {
    let python = resolve_language("python").unwrap();
    let code: String = (0..240).map(|depth| format!("{}if x:\n", " ".repeat(depth))).collect();
    assert_well_formed(python, &code);
    let yaml = resolve_language("yaml").unwrap();
    let code: String = (0..240).map(|depth| format!("{}k{depth}:\n", " ".repeat(depth))).collect();
    assert_eq!(check(yaml, &code), CheckOutcome::Checked(Vec::new()));
}

#[test]
fn large_blocks_are_refused_or_checked_in_time() {
    let python = resolve_language("python").unwrap();
    assert_eq!(check(python, &"x = 1\n".repeat(MAX_CODE_BYTES / 6 + 1)), CheckOutcome::Unsupported);

    // Just under the limit. `let = ;` makes JavaScript's error recovery quadratic: the
    // deadline ends it (TypeScript and TSX behave the same). The others are broken on every line, so every reading fails.
    let units = [
        ("javascript", "let = ;\n"),
        ("python", "def f(x)\n"),
        ("yaml", "a: b: c\n"),
        ("json", "{\"a\" 1}\n"),
        ("go", "x := := 1\n"),
        ("java", "int = ;\n"),
        ("html", "</a>\n"),
    ];
    for (info, unit) in units {
        let code = unit.repeat(MAX_CODE_BYTES / unit.len());
        let started = Instant::now();
        let outcome = check(resolve_language(info).unwrap(), &code);
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(5), "{info}: {elapsed:?}");
        if let CheckOutcome::Checked(errors) = outcome {
            assert!(!errors.is_empty() && errors.len() <= 3, "{info}: {errors:?}");
        }
    }
    let valid = "def f(x):\n    return [x, {'a': (1, 2)}]\n".repeat(MAX_CODE_BYTES / 40);
    assert_eq!(check(python, &valid), CheckOutcome::Checked(Vec::new()), "large valid blocks are checked");
}

#[test]
fn threads_check_independently() {
    let handles: Vec<_> = (0..4)
        .map(|thread| {
            std::thread::spawn(move || {
                for round in 0..50 {
                    let python = resolve_language("python").unwrap();
                    let yaml = resolve_language("yaml").unwrap();
                    assert_eq!(check(python, "x = [1, 2]\n"), CheckOutcome::Checked(Vec::new()));
                    let CheckOutcome::Checked(errors) = check(yaml, "a:\n  b: 1\n c: 2\n") else {
                        panic!("thread {thread} round {round}: unsupported");
                    };
                    assert_eq!(errors.first().map(|error| error.line), Some(2));
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}
