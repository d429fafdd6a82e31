//! Whatever the input, `check` returns, within its limits, with well-formed errors.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use qbank_syntax::{CheckOutcome, LanguageInfo, MAX_CODE_BYTES, check, known_languages, resolve_language};

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
    fn code_like_text_is_checked(code in "[a-z0-9 \\t\\n(){}\\[\\]<>\"'`$#%:;,.=|&!*/\\\\-]{0,200}") {
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
    let deep = "[".repeat(100_000);
    assert_eq!(check(json, &deep), CheckOutcome::Unsupported, "beyond the nesting limit");
    let nested = format!("{}1{}", "[".repeat(500), "]".repeat(500));
    assert_eq!(check(json, &nested), CheckOutcome::Checked(Vec::new()));
    let unclosed = "[".repeat(500);
    assert!(matches!(check(json, &unclosed), CheckOutcome::Checked(errors) if !errors.is_empty()));
}

#[test]
fn deep_indentation_is_checked() {
    let python = resolve_language("python").unwrap();
    let code: String = (0..2_000).map(|depth| format!("{}if x:\n", " ".repeat(depth))).collect();
    assert!(matches!(check(python, &code), CheckOutcome::Checked(_)));
    let yaml = resolve_language("yaml").unwrap();
    let code: String = (0..2_000).map(|depth| format!("{}k{depth}:\n", " ".repeat(depth))).collect();
    assert!(matches!(check(yaml, &code), CheckOutcome::Checked(_)));
}

#[test]
fn large_blocks_finish_quickly_or_are_refused() {
    let python = resolve_language("python").unwrap();
    let too_big = "x = 1\n".repeat(MAX_CODE_BYTES / 6 + 1);
    assert_eq!(check(python, &too_big), CheckOutcome::Unsupported);

    // Just under the limit, broken everywhere: every reading fails, none may hang.
    for (info, unit) in [("python", "def f(:\n"), ("yaml", "a: b: c\n"), ("javascript", "let = ;\n"), ("bash", "echo \"x\n")] {
        let code = unit.repeat((MAX_CODE_BYTES - 1) / unit.len());
        let started = Instant::now();
        let outcome = check(resolve_language(info).unwrap(), &code);
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(10), "{info}: {elapsed:?}");
        if let CheckOutcome::Checked(errors) = outcome {
            assert!(!errors.is_empty() && errors.len() <= 3, "{info}: {errors:?}");
        }
    }
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
