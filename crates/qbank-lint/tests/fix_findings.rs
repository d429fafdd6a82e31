//! Regression tests for the fix-engine findings of the fuzzers (`fuzz/findings/`,
//! `docs/fuzzing.md`): `qbank check --fix` on each reproducer converges within
//! `MAX_FIX_PASSES`, a second pass changes nothing, and the result is what the fix promised.

use qbank_core::parse;
use qbank_lint::check::{FileInfo, check_parsed};
use qbank_lint::fix::{FixedText, MAX_FIX_PASSES, apply_fixes, fix_until_stable};
use qbank_lint::{Applicability, Config};

const FILE: FileInfo<'static> = FileInfo { path: "finding.md", relative_path: "finding.md" };

/// The fix loop at `level`, held to the `fix_engine` target's properties.
fn fix(source: &str, level: Applicability) -> FixedText {
    let config = Config::default();
    let check = |text: &str| check_parsed(FILE, text, &parse(text), &config);
    let fixed = fix_until_stable(source, level, check);
    assert!(fixed.passes <= MAX_FIX_PASSES);
    assert!(fixed.converged, "fixes did not converge in {MAX_FIX_PASSES} passes at {level:?}:\n{}", fixed.output);
    let again = check(&fixed.output);
    assert_eq!(fixed.remaining, again);
    let second = apply_fixes(&fixed.output, &again, level);
    assert!(second.applied.is_empty() || second.output == fixed.output, "a second pass changed the text");
    assert!(parse(&fixed.output).is_bank());
    fixed
}

#[test]
fn answer_label_goes_before_an_indented_code_block() {
    // fix-answer-label-into-indented-code: the label was inserted after the indentation, inside
    // the code block, once per pass.
    let source = "### 1. How do you print a value in Python?\n\n    print(value)\n\n**TL;DR:** Call `print`.\n";
    for level in [Applicability::Safe, Applicability::Unsafe] {
        let fixed = fix(source, level);
        assert_eq!(fixed.output.matches("**Answer:**").count(), 1, "{}", fixed.output);
        assert!(fixed.output.contains("**Answer:**\n\n    print(value)\n"), "{}", fixed.output);
        let parsed = parse(&fixed.output);
        let q = parsed.bank.questions().next().unwrap();
        assert_eq!(q.answer, "    print(value)");
        assert!(q.spans.answer_label.is_some());
    }
    // The minimised input: an unlabelled answer that is only an indented code line.
    let fixed = fix("# 5.\n    t", Applicability::Safe);
    assert_eq!(fixed.output.matches("**Answer:**").count(), 1, "{}", fixed.output);
}

#[test]
fn renumbering_under_non_canonical_headings_converges_in_a_few_passes() {
    // fix-renumbering-needs-more-than-10-passes: heading rewrites replaced whole headings (so
    // every renumbering waited a pass) and each renumbering fix only shifted one run, so the
    // loop stopped after ten passes half way.
    let numbers = [1, 6, 6, 1, 6, 6, 1, 6, 4, 4, 6];
    let source: String = numbers.iter().map(|n| format!("## {n}.\n")).collect();
    for level in [Applicability::Safe, Applicability::Unsafe] {
        let fixed = fix(source.trim_end(), level);
        let headings: Vec<&str> = fixed.output.lines().filter(|l| l.starts_with('#')).collect();
        let expected: Vec<String> = (1..=11).map(|n| format!("### {n}.")).collect();
        assert_eq!(headings, expected, "{}", fixed.output);
        assert!(fixed.passes <= 2, "{} passes", fixed.passes);
    }
    // With question texts, answers and sections that restart at 1.
    let mut source = String::from("# Bank\n");
    for (section, numbers) in [("One", [1, 3, 3, 2]), ("Two", [1, 1, 5, 4])] {
        source.push_str(&format!("\n# {section}\n"));
        for n in numbers {
            source.push_str(&format!("\n## {n}. Question {n}?\n\n**Answer:** Text.\n\n**TL;DR:** Short.\n"));
        }
    }
    let fixed = fix(&source, Applicability::Safe);
    let parsed = parse(&fixed.output);
    let numbers: Vec<Vec<u32>> =
        parsed.bank.sections.iter().map(|s| s.questions.iter().map(|q| q.number).collect()).collect();
    assert_eq!(numbers, [[1, 2, 3, 4], [1, 2, 3, 4]], "{}", fixed.output);
    assert!(fixed.passes <= 2, "{} passes", fixed.passes);
}

#[test]
fn fixes_move_prose_headings_with_the_questions() {
    // fmt-prose-heading-becomes-question / -section, in the fix engine: the heading-level fixes
    // moved `## N.` questions to level 3 and left `### 1. Build` in an answer, which became a
    // question. Prose headings now get their own heading-level fix.
    let source = "## 1. How do you ship a release?\n\nIn two steps.\n\n### 1. Build\n\nRun the build.\n\n### 2. Deploy\n\nRoll it out.\n\n## 2. How do you roll back?\n\nRedeploy the previous build.\n";
    let sections =
        "# 1. Ship?\n\nSteps.\n\n## Details\n\nBuild.\n\nMore\n---\n\nDeploy.\n\n# 2. Roll back?\n\nRedeploy.\n";
    for source in [source, sections] {
        let before = parse(source);
        for level in [Applicability::Safe, Applicability::Unsafe] {
            let fixed = fix(source, level);
            let after = parse(&fixed.output);
            let texts = |p: &qbank_core::Parsed| p.bank.questions().map(|q| q.question.clone()).collect::<Vec<_>>();
            assert_eq!(texts(&after), texts(&before), "{}", fixed.output);
            assert_eq!(after.bank.sections.len(), before.bank.sections.len(), "{}", fixed.output);
            assert!(after.shapes.is_empty(), "{:?}", after.shapes);
        }
    }
}

#[test]
fn paywall_text_in_a_heading_is_reported_but_the_heading_is_kept() {
    // fix-paywall-line-is-a-question-heading: the unsafe paywall fix deleted its whole line, and
    // a scrape had glued the paywall onto a question heading, so `--fix --unsafe-fixes` deleted
    // the question (the bank became a non-bank). Found by `fix_engine` after 40,750 executions.
    let config = Config::default();
    let sources = [
        "### 1. What is CI? Join thousands of developers preparing for their dream job.\n\n**Answer:**\n\nMerging often.\n",
        // A section title and the bank's title.
        "# Unlock full question bank\n\n## Basics Sign in to continue\n\n### 1. What is CI?\n\n**Answer:**\n\nMerging often.\n",
        // Level-2 question headings, bold.
        "## **1. What is CI? Upgrade to premium**\n\nMerging often.\n\n## 2. What is CD?\n\nShipping often.\n",
    ];
    for source in sources {
        let found = check_parsed(FILE, source, &parse(source), &config);
        let paywall: Vec<_> = found.iter().filter(|d| d.name == "paywall-text").collect();
        assert!(!paywall.is_empty(), "the paywall text is reported:\n{source}");
        assert!(paywall.iter().all(|d| d.fix.is_none() && d.message.contains("in a heading")), "{paywall:?}");
        let fixed = fix(source, Applicability::Unsafe);
        let (before, after) = (parse(source), parse(&fixed.output));
        assert_eq!(after.bank.question_count(), before.bank.question_count(), "{}", fixed.output);
        assert_eq!(after.bank.title, before.bank.title);
        let titles = |p: &qbank_core::Parsed| p.bank.sections.iter().map(|s| s.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&after), titles(&before));
    }
    // A paywall line of its own is still deleted by the unsafe fix.
    let source = "### 1. What is CI?\n\n**Answer:**\n\nMerging often.\n\nSign in to continue reading\n";
    let fixed = fix(source, Applicability::Unsafe);
    assert!(!fixed.output.contains("Sign in"), "{}", fixed.output);
}

#[test]
fn plain_answer_and_tldr_labels_are_labels() {
    // Issue 15: `Answer:` / `TL;DR:` written without bold made `--fix` insert a second label.
    let source = "# Ops\n\n### 1. How do you roll back a deployment?\n\nAnswer: Redeploy the previous image — \
                  `kubectl rollout undo`.\n\nTL;DR: Undo the rollout.\n";
    let parsed = parse(source);
    let q = parsed.bank.questions().next().unwrap();
    assert_eq!(q.answer, "Redeploy the previous image — `kubectl rollout undo`.");
    assert_eq!(q.tldr.as_deref(), Some("Undo the rollout."));
    assert!(q.spans.answer_label.is_some());
    for level in [Applicability::Safe, Applicability::Unsafe] {
        let fixed = fix(source, level);
        assert_eq!(fixed.output.matches("Answer:").count(), 1, "one answer label:\n{}", fixed.output);
        assert_eq!(fixed.output.matches("TL;DR:").count(), 1, "one TL;DR label:\n{}", fixed.output);
        let q2 = parse(&fixed.output);
        let q2 = q2.bank.questions().next().unwrap();
        assert_eq!((q2.answer.as_str(), q2.tldr.as_deref()), (q.answer.as_str(), q.tldr.as_deref()));
    }
    // A sentence that merely starts with the word stays answer text.
    let prose = parse("### 1. Why?\n\n**Answer:**\n\nAnswering: it depends.\n");
    assert_eq!(prose.bank.questions().next().unwrap().answer, "Answering: it depends.");
}

#[test]
fn an_empty_section_heading_is_written_without_trailing_space() {
    // fix-empty-section-heading-loop (fourth campaign, `fix_engine`, in its first seconds): an
    // empty `# ` heading among sections became a section `fmt` wrote `## `; `heading-whitespace`
    // removed the space and `unformatted` put it back, pass after pass. `fmt` writes `##` now.
    let source = "# Caching notes — кэш\n\n## 1. Overview\n\nCaches keep hot data close to where it is read.\n# \n\
                  ##What is a cache?\n\nA fast store in front of a slow one.\n\n### Why invalidate a cache?\n\n\
                  Stale entries serve wrong answers.\n\n## 2. Setup\n\nInstall Redis and point the service at it.\n";
    for level in [Applicability::Safe, Applicability::Unsafe] {
        let fixed = fix(source, level);
        assert!(!fixed.output.lines().any(|l| l.starts_with('#') && l.ends_with(' ')), "{}", fixed.output);
        assert!(fixed.output.contains("Stale entries serve wrong answers."), "{}", fixed.output);
    }
}

#[test]
fn an_unsure_files_finding_ends_on_a_character_boundary() {
    // fix-uncertain-shape-splits-a-character (fourth campaign, `fix_engine`): `uncertain-shape`
    // cut the doubt's long first line at 200 bytes, inside a two-byte character.
    let mut source = format!("# Networking — сети x{}\n\n", "я".repeat(150));
    source.push_str(
        "Q: What does DNS do?\nA: It resolves names.\n\n**Q:** Why use a CDN?\n**A:** Latency.\n\n\
         ### 1. Describe the CAP theorem?\n\nPick two.\n\n### 2. What is TCP?\n\nA protocol.\n",
    );
    let config = Config::default();
    let diagnostics = check_parsed(FILE, &source, &parse(&source), &config);
    for d in &diagnostics {
        assert!(
            source.is_char_boundary(d.span.start) && source.is_char_boundary(d.span.end),
            "{}: {:?}",
            d.code,
            d.span
        );
    }
    assert!(diagnostics.iter().any(|d| d.code == "QB021"), "{diagnostics:?}");
}
