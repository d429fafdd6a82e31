//! Regression tests for the formatter findings of the fuzzers (`fuzz/findings/`,
//! `docs/fuzzing.md`): each reproducer is held to the properties of the `fmt_roundtrip` target
//! (`fmt` idempotent, `parse(fmt(x))` the model of `parse(x)`, no shape notes in the output,
//! every word kept), plus what the finding was about.

use std::collections::HashSet;

use qbank_core::{format_source, parse, roundtrip};

/// `fmt(source)`, held to the round-trip properties of `fuzz/fuzz_targets/fmt_roundtrip.rs`
/// ([`roundtrip::check`]).
pub fn round_trip(source: &str) -> String {
    let (formatted, first) = format_source(source, "fuzz", &mut HashSet::new()).expect("a bank");
    if let Err(problem) = roundtrip::check(source, &formatted, &first) {
        panic!("{problem}");
    }
    formatted
}

#[test]
fn answer_starting_with_indented_code_keeps_its_indentation() {
    // fmt-answer-starting-with-indented-code: pulldown-cmark starts an indented code block after
    // its indentation, so the answer lost it and `fmt` wrote the code as a paragraph.
    let source = "### 1. How do you print a value in Python?\n\n**Answer:**\n\n     print(value)  # indented five spaces: a code block\n\nprints it.\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("\n     print(value)  # indented five spaces: a code block\n"), "{formatted}");
    let parsed = parse(source);
    assert!(parsed.bank.questions().next().unwrap().answer.starts_with("     print(value)"));
    round_trip("# 1.\n     a");
    round_trip("# 1.\n\n    print(value)\n");
    // The same in a bank and a section intro.
    let intro = round_trip("# Bank\n\n    make deploy\n\n## Section\n\n\tmake test\n\n### 1. Q?\n\nA.\n");
    assert!(intro.contains("\n    make deploy\n") && intro.contains("\n\tmake test\n"), "{intro}");
}

#[test]
fn a_second_tldr_stays_put() {
    // fmt-second-tldr-swaps: the first TL;DR was the question's, so `fmt` wrote the second one
    // (in the answer) before it and every run swapped them. The last one is the question's now.
    let source = "### 1. What is CI?\n\n**Answer:**\n\nMerging often.\n\n**TL;DR:** one\n\n**TL;DR:** two\n";
    let formatted = round_trip(source);
    let q = parse(source).bank.sections[0].questions[0].clone();
    assert_eq!(q.tldr.as_deref(), Some("two"));
    assert_eq!(q.answer, "Merging often.\n\n**TL;DR:** one");
    assert!(formatted.ends_with("Merging often.\n\n**TL;DR:** one\n\n**TL;DR:** two\n"), "{formatted}");
    round_trip("# 3.\n**TLDR:**\n\n**TLDR:**");
    round_trip(
        "### 1. Q?\n\n**TL;DR:** one\n\nmore\n\n**Answer:** A.\n\n**Example:**\n\ntext\n\n**TL;DR:** two\n\nafter\n",
    );
}

#[test]
fn a_block_left_open_after_the_tldr_is_closed_in_the_answer() {
    // fmt-unclosed-block-after-tldr: text after the TL;DR moves into the answer, which `fmt`
    // writes before the TL;DR; a block only the end of the file closed then swallowed the TL;DR.
    let source = "### 1. How do you hide a note in Markdown?\n\n**Answer:**\n\nWith an HTML comment.\n\n**TL;DR:** Use an HTML comment.\n\n<!-- TODO: add an example\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("<!-- TODO: add an example\n-->\n\n**TL;DR:** Use an HTML comment.\n"), "{formatted}");
    round_trip("# 1.\n**TLDR:**\n<!--");
    let fence = round_trip("### 1. Q?\n\nA.\n\n**TL;DR:** Short.\n\n````bash\necho hi\n```\n");
    assert!(fence.contains("````bash\necho hi\n```\n````\n\n**TL;DR:** Short.\n"), "{fence}");
    for open in
        ["<script>\nlet x;", "<?php echo", "<![CDATA[ x", "<!DOCTYPE html", "~~~\ncode", "<pre class=\"x\">\ntext"]
    {
        round_trip(&format!("### 1. Q?\n\nA.\n\n**TL;DR:** Short.\n\n{open}\n"));
        round_trip(&format!("### 1. Q?\n\nA.\n\n**Example:**\n\n{open}\n"));
        round_trip(&format!("### 1. Q?\n\nA.\n\n**TL;DR:** Short.\n\n**Example:**\n\nSee:\n\n{open}\n"));
    }
}

#[test]
fn answer_text_on_the_label_line_stays_a_paragraph() {
    // fmt-label-line-text-becomes-heading: `fmt` moves the text after `**Answer:**` to a line
    // of its own, where `# of replicas…` was a heading (and the answer a new section).
    let source = "### 1. How many replicas should a service run?\n\n**Answer:** # of replicas depends on load and failure domains.\n\n### 2. What is a canary?\n\n**Answer:** A small first rollout.\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("**Answer:**\n\n\\# of replicas depends on load and failure domains.\n"), "{formatted}");
    round_trip("### 1.\n**Answer:**#");
    for rest in [
        "## Details",
        "<!-- note -->",
        "<div>",
        "```bash",
        "~~~",
        "---",
        "***",
        "**TL;DR:** short",
        "**Example:** text",
        "| a | b |",
        "#7 is fine",
        "####### seven",
        "- a list",
        "> a quote",
        "<b>bold</b> text",
    ] {
        for label in ["**Answer:**", "**Approach:**", "**Example:**", "**Example (x):**"] {
            round_trip(&format!("### 1. Q?\n\n{label} {rest}\n\n**TL;DR:** T.\n\n### 2. R?\n\nA.\n"));
        }
    }
    // Text that is a paragraph on a line of its own is left alone.
    let plain = round_trip("### 1. Q?\n\n**Answer:** <b>bold</b> and #7.\n");
    assert!(plain.contains("\n<b>bold</b> and #7.\n"), "{plain}");
}

#[test]
fn a_lone_cr_before_crlf_in_a_fence_is_a_line_ending() {
    // fmt-cr-before-crlf-in-fence: `\r\r\n` kept a `\r` in the model (`p\r`) that the next
    // `fmt` turned into a line ending.
    round_trip("```\np\r\r\n```\n# 0.");
    round_trip("# T\r\rIntro\r\r```\r\rcode\r\r\n```\r\n\r\n### 1. Q?\r\n\r\nA\r\rB\r\n");
}

#[test]
fn fence_info_after_the_language_is_kept() {
    // fmt-drops-fence-info-after-language: the model keeps only a language, so `fmt` wrote
    // ```` ```bash ```` and dropped `title="rollback.sh"`. Such an example is Markdown text now.
    let source = "### 1. How do you roll back a deployment?\n\n**Answer:**\n\nUndo the rollout.\n\n**Example (kubectl):**\n\n```bash title=\"rollback.sh\"\nkubectl rollout undo deployment/web\n```\n";
    let formatted = round_trip(source);
    assert!(
        formatted.contains("```bash title=\"rollback.sh\"\nkubectl rollout undo deployment/web\n```"),
        "{formatted}"
    );
    let example = &parse(source).bank.sections[0].questions[0].examples[0];
    assert_eq!((example.code.as_deref(), example.language.as_deref()), (None, None));
    round_trip("# 2.\n**Example():**\n```o deployment");
    // A fence with only a language stays code.
    let plain = parse("### 1. Q?\n\nA.\n\n**Example:**\n\n```bash\nls\n```\n");
    assert_eq!(plain.bank.sections[0].questions[0].examples[0].language.as_deref(), Some("bash"));
}

#[test]
fn a_repeated_key_adds_up_or_is_an_issue() {
    // fmt-repeated-key-drops-value: of a key written twice the last value won and `fmt`
    // dropped the other silently. Tags now add up; other keys keep the last value and say so.
    let source = "---\nid: devops-basics\nsource: https://example.com/devops\nsource: seed 000\n---\n\n# DevOps Basics\n\n### 1. What is CI?\n<!-- id: what-is-ci; tags: ci; tags: delivery; difficulty: easy; difficulty: hard -->\n\n**Answer:**\n\nMerging often.\n";
    let formatted = round_trip(source);
    let parsed = parse(source);
    let q = parsed.bank.questions().next().unwrap();
    assert_eq!(q.tags, ["ci", "delivery"]);
    assert!(formatted.contains("tags: ci, delivery"), "{formatted}");
    let messages: Vec<&str> = parsed.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "front-matter key `source` is written twice; only the last value is kept (`https://example.com/devops` is dropped)",
            "metadata key `difficulty` is written twice; only the last value is kept (`easy` is dropped)",
        ]
    );
    assert_eq!(parsed.issues[0].span.slice(source), "source: seed 000");
    assert_eq!(parsed.bank.source.as_deref(), Some("seed 000"));
    // Front-matter tags add up too.
    let parsed = parse("---\ntags: [a, b]\ntags: c\n---\n### 1. Q?\n\nA.\n");
    assert_eq!(parsed.bank.tags, ["a", "b", "c"]);
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    round_trip("---\nid:p\nid:\n---\n# 1.");
    // fmt-repeated-key-same-value-dropped (second campaign, after 12,741 executions): a key
    // written twice with the same value was no issue, and `fmt` wrote it once, so a line went
    // without a word. It is an issue too now (`invalid-metadata` in `qbank check`).
    round_trip("---\nid:de\nid:de\n---\n# 1.");
    let parsed = parse("---\nid: x\nid: x\n---\n### 1. Q?\n<!-- id: q; id: q -->\n\nA.\n");
    let messages: Vec<&str> = parsed.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "front-matter key `id` is written twice with the same value; it is kept once",
            "metadata key `id` is written twice with the same value; it is kept once",
        ]
    );
}

#[test]
fn a_multi_line_setext_heading_is_one_line() {
    // fmt-multiline-setext-heading: `fmt` wrote the first line as the heading and the second
    // became prose. The lines are joined, as they render.
    let source = "# Operations\n\n### 1. What is CI?\n\nMerging often.\n\nDeployment and\nRelease Engineering\n-------------------\n\n### 2. What is CD?\n\nReleasing often.\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("\n## Deployment and Release Engineering\n"), "{formatted}");
    round_trip("### 3.\ns\nt\n-");
    let bank = parse("Multi-line\nbank title\n===\n\n### 1. What is CD?\n\nReleasing.\n").bank;
    assert_eq!(bank.title, "Multi-line bank title");
    round_trip("Multi-line\r\nbank title\r\n===\r\n\r\n### 1. What is CD?\r\n\r\nReleasing.\r\n");
    round_trip("Multi-line\rbank title\r===\r\r### 1. What is CD?\r\rReleasing.\r");
}

#[test]
fn a_setext_heading_may_start_with_a_hash() {
    // fmt-setext-heading-starting-with-hash: `#1 Priority: Reliability` / `and Operations` /
    // `---` was read as an ATX heading, so the title lost `and Operations`.
    let source =
        "# Operations\n\n#1 Priority: Reliability\nand Operations\n---\n\n### 1. What is CI?\n\nMerging often.\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("\n## #1 Priority: Reliability and Operations\n"), "{formatted}");
    round_trip("#-\nt\n-\n### 1.");
    round_trip("#i\nb\n-\r/\n### 1.");
    round_trip("-\r#.\ne\n-\r### 1.");
}

#[test]
fn prose_before_the_title_joins_the_intro() {
    // fmt-drops-text-before-title: the intro started after the `# ` title, so `fmt` deleted
    // what came before it. It now opens the intro, under the title.
    let source = "Interview prep notes, updated weekly by the platform team.\n\n# DevOps Questions\n\nStart here.\n\n## 1. What is CI?\n\nMerging often.\n\n## 2. What is CD?\n\nReleasing often.\n";
    let formatted = round_trip(source);
    let parsed = parse(source);
    assert_eq!(parsed.bank.title, "DevOps Questions");
    assert_eq!(parsed.bank.intro, "Interview prep notes, updated weekly by the platform team.\n\nStart here.");
    assert!(formatted.contains("\n# DevOps Questions\n\nInterview prep notes"), "{formatted}");
    let intro = parsed.intro_span.unwrap();
    assert!(intro.slice(source).starts_with("Interview") && intro.slice(source).ends_with("Start here."));
    round_trip("h\r#\n### 1.");
    round_trip("h\r\n# T\r\n\r\n### 1. Q\r\n");
    round_trip("Preamble only.\n\n---\n\n# Title\n\n### 1. Q?\n\nA.\n");
}

#[test]
fn prose_headings_move_with_the_questions() {
    // fmt-prose-heading-becomes-question / -section: `fmt` moved `## 1.` (or `# 1.`) questions
    // to level 3 but copied the headings in their prose as they were, so `### 1. Build` became
    // a question and `## Details` a section. They move down as far as the questions do.
    let source = "## 1. How do you ship a release?\n\nIn two steps.\n\n### 1. Build\n\nRun the build.\n\n### 2. Deploy\n\nRoll it out.\n\n## 2. How do you roll back?\n\nRedeploy the previous build.\n\n## 3. What is a canary?\n\nA small first rollout.\n";
    let formatted = round_trip(source);
    assert_eq!(parse(&formatted).bank.question_count(), 3);
    assert!(formatted.contains("\n#### 1. Build\n\nRun the build.\n\n#### 2. Deploy\n"), "{formatted}");
    let source = "# 1. How do you ship a release?\n\nIn two steps.\n\n## Details\n\nBuild, then deploy.\n\nMore\n====\n\n# 2. How do you roll back?\n\nRedeploy the previous build.\n";
    let formatted = round_trip(source);
    let bank = parse(&formatted).bank;
    assert_eq!((bank.sections.len(), bank.question_count()), (1, 2));
    assert!(formatted.contains("\n#### Details\n\nBuild, then deploy.\n\n### More\n"), "{formatted}");
    // The minimised inputs: in an answer, in the bank intro, a setext heading ending in `\r`.
    round_trip("## 2.\n## 1.\n### 1.\nT");
    round_trip("### 3.\n[\n## 7.\n## 8.");
    round_trip("# 1.\no\r-");
    round_trip("# 5.\n##");
    round_trip("h\r#\n## 7.s\n#\n## 1.");
    // Bold, closing hashes, and level 6 (which stays 6).
    round_trip("## 1. Q?\n\n### **Bold** ###\n\n###### Six\n\n## 2. R?\n\nA.\n");
    // Every shape note of these has a replacement that fixes it: `check --fix` keeps them prose.
    let parsed = parse("## 1. Q?\n\n### 1. Build\n\n## 2. R?\n\nA.\n");
    let notes: Vec<(&str, &str)> = parsed
        .shapes
        .iter()
        .map(|n| (n.span.slice("## 1. Q?\n\n### 1. Build\n\n## 2. R?\n\nA.\n"), n.replacement.as_str()))
        .collect();
    assert!(notes.contains(&("### 1. Build", "#### 1. Build")), "{notes:?}");
}

#[test]
fn front_matter_comments_are_kept() {
    // fmt-drops-front-matter-comments: `# …` lines in the front matter were skipped and `fmt`,
    // which writes the front matter from the model, deleted them. The model keeps them now.
    let source = "---\nid: devops-basics\n# Reviewed by the platform team, 2026-11.\nsource: seed\n  #indented\n---\n\n# DevOps Basics\n\n### 1. What is CI?\n\n**Answer:**\n\nMerging often.\n";
    let formatted = round_trip(source);
    assert!(
        formatted.starts_with(
            "---\nid: devops-basics\nsource: seed\n# Reviewed by the platform team, 2026-11.\n#indented\n---\n"
        ),
        "{formatted}"
    );
    assert_eq!(parse(source).bank.front_matter_comments, ["# Reviewed by the platform team, 2026-11.", "#indented"]);
    // An unclosed front matter has none: it is not front matter.
    assert!(parse("---\n# x\n### 1. Q?\n\nA.\n").bank.front_matter_comments.is_empty());
    round_trip("---\n#41\n---\n# 1.");
}

#[test]
fn text_pulldown_cmark_drops_is_kept() {
    // fmt-lost-text-after-indented-code-and-lone-cr: after an indented code block followed by a
    // lone `\r` line break, pulldown-cmark yields no more blocks, so the rest of the segment was
    // missing from the model and `fmt` deleted it. Found by `fmt_roundtrip` after 20,811
    // executions (a seed bank with a `\r` pasted before a list item's text); minimised:
    round_trip("# 3.\n    \u{8}\n\ri");
    let source = "### 3. Q?\n\n    code\n\rtext\n";
    let formatted = round_trip(source);
    assert_eq!(parse(source).bank.sections[0].questions[0].answer, "    code\n\ntext");
    assert!(formatted.contains("    code\n\ntext\n"), "{formatted}");
    // What follows is read as CommonMark reads it: here a heading, which starts a section.
    let heading = "### 1. Q?\n\n    code\n\r## Next\n\n### 2. R?\n\nMore.\n";
    round_trip(heading);
    let parsed = parse(heading);
    assert_eq!(parsed.bank.sections.len(), 2);
    assert_eq!(parsed.bank.sections[1].title.as_deref(), Some("Next"));
    assert_eq!(parsed.bank.question_count(), 2);
    // Link reference definitions, which pulldown-cmark consumes, are kept as text.
    let definition = "### 1. Where are the docs?\n\nSee [the guide][g].\n\n[g]: https://example.com/guide\n";
    let formatted = round_trip(definition);
    assert!(formatted.contains("[g]: https://example.com/guide\n"), "{formatted}");
    assert!(parse(definition).bank.sections[0].questions[0].answer.ends_with("[g]: https://example.com/guide"));
}

#[test]
fn a_fence_line_inside_an_html_block_does_not_reach_the_next_block() {
    // fmt-fence-in-html-block-swallows-blank-lines: answer text was normalised as one text, and
    // a ```` ```> ```` line inside an HTML block (`<!v…` up to the line with `>`) opened a fence
    // there, so the real fence after it read as closing one and its blank lines collapsed;
    // before `fmt` moved the label, the two were normalised apart. Found by `fmt_roundtrip`
    // after 14,995 executions; minimised:
    round_trip("# 1. \n<!v\0\n```>\n**Answer:**\n```\n\n\n c");
    let source = "### 1. Q?\n\n<!v\n```>\n\n```\n\n\n c\n```\n";
    let formatted = round_trip(source);
    assert_eq!(parse(source).bank.sections[0].questions[0].answer, "<!v\n```>\n\n```\n\n\n c\n```");
    assert!(formatted.contains("```\n\n\n c\n```"), "{formatted}");
}

#[test]
fn a_title_line_after_leading_separators_is_a_section_title() {
    // fmt-intro-becomes-section-title: a title-like line first in the file is a bare section
    // title, but after a `---` (here the opener of an unclosed front matter) it was intro text;
    // `fmt` drops leading separators, so its output made the line a section title. Found by
    // `fmt_roundtrip` after 16,067 executions; minimised:
    round_trip("---\nVrod\n# 2.");
    let parsed = parse("---\n\nProduction Questions\n\n### 1. What is CI?\n\nMerging often.\n");
    assert_eq!(parsed.bank.sections[0].title.as_deref(), Some("Production Questions"));
    assert!(parsed.bank.intro.is_empty());
}

#[test]
fn a_lone_cr_is_a_line_ending_for_the_markdown_parser_too() {
    // fmt-lone-cr-after-html-comment-hides-a-fence: pulldown-cmark did not take the lone `\r`
    // after `<!-->` for a line ending, so `~~~` was part of the comment line and the question
    // after it was found; `fmt` wrote the `\r` as `\n`, and in its output `~~~` opened a fence
    // that swallowed the question. The parser now reads every lone `\r` as `\n` (offsets kept).
    // Found by `fmt_roundtrip` after 92,309 executions; minimised, and with the question kept:
    let source = "<!-->\r~~~\n# 1.";
    assert!(!parse(source).is_bank(), "the fence hides the question, as in fmt's output");
    let source = "### 1. Q?\n\n<!-- note -->\rSee below.\r\r~~~\rcode\r~~~\r";
    let formatted = round_trip(source);
    let parsed = parse(source);
    assert_eq!(parsed.bank.sections[0].questions[0].answer, "<!-- note -->\nSee below.\n\n~~~\ncode\n~~~");
    assert!(formatted.contains("~~~\ncode\n~~~\n"), "{formatted}");
    // Spans are offsets in the text as given.
    let heading = parsed.bank.sections[0].questions[0].spans.heading;
    assert_eq!(heading.slice(source), "### 1. Q?");
}

#[test]
fn whitespace_other_than_spaces_after_a_label_is_text() {
    // fmt-label-drops-vertical-tab-before-fence: the text after a label was trimmed of every
    // Unicode space, so `\u{b}```` (a paragraph) lost its vertical tab and `fmt` wrote a fence.
    // Found by `fmt_roundtrip` after 31,730 executions; minimised:
    round_trip("# 5.\n**Example:**\n\u{b}```");
    let source = "### 1. Q?\n\n**Answer:**\n\u{a0}# not a heading\n";
    round_trip(source);
    assert_eq!(parse(source).bank.sections[0].questions[0].answer, "\u{a0}# not a heading");
}

#[test]
fn a_title_line_after_an_empty_title_heading_is_a_section_title() {
    // fmt-empty-heading-then-title-line: like `fmt-intro-becomes-section-title`, with an empty
    // `#` heading (an empty title, which `fmt` does not write) before the line. Found by
    // `fmt_roundtrip` after 17,409 executions; minimised:
    round_trip("#\rInsg\n## 1.");
    let parsed = parse("#\n\nProduction Questions\n\n### 1. What is CI?\n\nMerging often.\n");
    assert_eq!(parsed.bank.sections[0].title.as_deref(), Some("Production Questions"));
}

#[test]
fn a_table_with_a_row_that_is_no_question_stays_a_table() {
    // fmt-table-continuation-row-lost (session 6, the first `fmt_roundtrip` run with the shape
    // fixtures as seeds): a line without pipes under a question | answer table is one more row
    // of it, which the table reader skipped, so `fmt` dropped `return "Hello, World!"`.
    let source = "# JavaScript quick answers\n\n| # | Question | Answer |\n|---|----------|--------|\n| 1 | What is \
                  hoisting? | Declarations move up. |\n    return \"Hello, World!\"\n\n### 2. How do you deploy?\n\nCarefully.\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("return \"Hello, World!\""), "{formatted}");
    // A column that is not numbering (`Notes`) would be lost the same way.
    let notes = "# Quick answers\n\n| Question | Answer | Notes |\n|---|---|---|\n| What is X? | A thing. | see ch. 2 |\n| What is Y? | Another. | |\n";
    assert!(!parse(notes).is_bank() || parse(notes).reading.shape != qbank_core::Shape::Table);
    // A `#` column is numbering: the table is read.
    let numbered = "# Quick answers\n\n| # | Question | Answer |\n|---|---|---|\n| 1 | What is X? | A thing. |\n| 2 | What is Y? | Another. |\n";
    assert_eq!(parse(numbered).bank.question_count(), 2);
    round_trip(numbered);
}

#[test]
fn a_summary_whose_closing_tag_never_ends_is_no_panic() {
    // parse-summary-close-past-details (session 6, `parse` target): a `</summary` whose `>` is
    // missing took the `>` of `</details>`, which put the answer's start past its end, and
    // slicing panicked.
    let source = "# Exercises\n\n## Pods\n\n<details>\n<summary>Why roll back?</summary\n</details>\n\n\
                  <details>\n<summary>What is a pod?</summary>\n\nThe smallest unit.\n</details>\n";
    let parsed = parse(source);
    assert!(parsed.bank.questions().any(|q| q.question == "What is a pod?"));
}

#[test]
fn a_fence_left_open_in_a_list_item_answer_is_closed_in_the_answer() {
    // fmt-list-item-fence-runs-on (session 6, `fmt_roundtrip`): the end of a list item closes
    // a fence opened in it; dedented to a top-level answer by `fmt`, the fence ran on and swallowed
    // the table after the list.
    let source = "# PostgreSQL\n\n1. **What is VACUUM?**\n   - It reclaims dead tuples.\n2. **How does MVCC work?**\n\n   \
                  Snapshots.\n\n   ```sql\n   SELECT xmin\n| # | Notes |\n|---|---|\n| 1 | kept |\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("SELECT xmin\n```"), "{formatted}");
    let parsed = parse(source);
    assert_eq!(parsed.bank.question_count(), 2);
}

#[test]
fn a_rule_that_ends_a_list_item_answer_is_no_answer_text() {
    // fmt-list-item-rule-in-answer (session 6, `fmt_roundtrip`): `- ---` is a thematic break,
    // and ending an answer under a canonical heading it read as a separator between questions.
    let source = "# Bank\n\n1. **What is X?**\n   A thing.\n\n   - ---\n2. **What is Y?**\n   - ---\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("A thing."), "{formatted}");
    assert_eq!(parse(&formatted).bank.question_count(), 2);
}

#[test]
fn a_one_question_files_metadata_comment_is_the_questions() {
    // fmt-single-question-title-metadata (session 6, `fmt_roundtrip`): a file whose title asks,
    // followed by an `<!-- id: … -->` comment and an `**Answer:**` label, was read with both in
    // its answer; `fmt` wrote them under its own `**Answer:**`, where they read back otherwise.
    let source = "# Why is the query slow in production?\n<!-- id: slow-query; difficulty: hard -->\n\n\
                  **Answer:**\n\nStatistics differ: 1. compare plans.\n\n**TL;DR:** compare the plans — сравните планы\n";
    let parsed = parse(source);
    let q = parsed.bank.questions().next().expect("one question");
    assert_eq!(q.id, "slow-query");
    assert_eq!(q.answer, "Statistics differ: 1. compare plans.");
    assert_eq!(q.tldr.as_deref(), Some("compare the plans — сравните планы"));
    let tldr = q.spans.tldr_text.expect("the TL;DR's span");
    assert_eq!(tldr.slice(source), "compare the plans — сравните планы");
    let formatted = round_trip(source);
    assert!(formatted.contains("<!-- id: slow-query; difficulty: hard -->"), "{formatted}");
    round_trip(
        "# Cachize it?\n<!-- id: database-query-running-significantly-slower -->\n\n**Answer:**\n\n\
         To troubleshoot and optimize a slow database query in\u{7f}\0\0\0duction:\n\n1. **Compare Environments",
    );
}

#[test]
fn labels_inside_a_unit_answer_read_as_the_canonical_parts() {
    // The same finding in every unit shape: a `<details>` answer holding `**Answer:**` and
    // `**TL;DR:**` is read as `fmt` writes it, the TL;DR the question's own.
    let source = "# Bank\n\n<details><summary>What is X?</summary>\n\n**Answer:** X is a thing.\n\n\
                  **TL;DR:** a thing\n\n</details>\n\n<details><summary>What is Y?</summary>\n\nY is other.\n\n</details>\n";
    let parsed = parse(source);
    let x = parsed.bank.questions().next().unwrap();
    assert_eq!((x.answer.as_str(), x.tldr.as_deref()), ("X is a thing.", Some("a thing")));
    assert_eq!(x.spans.tldr.unwrap().slice(source), "**TL;DR:** a thing");
    round_trip(source);
    // `**Q:**` / `**A:**` lines with a TL;DR after the answer.
    round_trip(
        "# Bank\n\n**Q:** What is a pod?\n\n**A:** The smallest unit.\n\n**TL;DR:** a unit\n\n**Q:** What is a node?\n\n**A:** A machine.\n",
    );
}

#[test]
fn an_html_block_left_open_is_closed_where_its_piece_of_the_answer_ends() {
    // fmt-tldr-fence-before-answer-label (second campaign, `fmt_roundtrip`): an answer in two
    // pieces (after `**Answer:**`, and a fence after an empty `**TLDR:**`), the first ending in
    // an `<!e` HTML block the end of the file closed. `fmt` closed it after the last piece, but
    // the fence's `>` closed it earlier and the rest became a fence.
    let source = "# 4.\n**TLDR:**\n```>\n```\n**Answer:**i\n<!e";
    let formatted = round_trip(source);
    assert!(formatted.contains("<!e\n>\n\n```>\n```"), "{formatted}");
}

#[test]
fn a_crlf_fence_keeps_no_carriage_return_in_its_code() {
    // Found by the `unformatted` rule's fix-loop property: in a CRLF file the `\r` before a
    // closing fence stayed in the example's code, and `fmt` wrote `\r\r\n` there, one more `\r`
    // each run.
    let source = "# Bank\r\n\r\n### 1. What does deploy print?\r\n\r\n**Answer:**\r\n\r\nIts name — имя.\r\n\r\n\
                  **Example:**\r\n\r\n```python\r\nprint('deploy')\r\n```\r\n";
    let formatted = round_trip(source);
    assert!(formatted.contains("print('deploy')\r\n```\r\n"), "{formatted:?}");
    let q = parse(source).bank.questions().next().cloned().unwrap();
    assert_eq!(q.examples[0].code.as_deref(), Some("print('deploy')"));
}

#[test]
fn a_fence_that_runs_past_a_details_answer_makes_no_question() {
    // fmt-details-fence-runs-past-its-end (fourth campaign, `fmt_roundtrip`): a ```` ``` ````
    // line inside a `<details>` answer opens a fence the end of the file closes, so the
    // `</details>` after it and every question below are code. The unit cut at that
    // `</details>` left the code after it to no one, and `fmt` dropped it. Such a unit is not
    // read now: here the page has no question at all, and `fmt` leaves it as it is.
    let source = "# Kubernetes — Кубернетес\n\n<details>\n<summary>What is a pod?</summary><br><b>\n\n\
                  The smallest deployable unit.\nkubectl get pods -A -o wide\n```\n</b></details>\n\n\
                  <details>\n<summary>What does a Service of type ClusterIP expose?</summary>\n\nA virtual IP.\n</details>\n";
    let parsed = parse(source);
    assert!(!parsed.is_bank(), "{:?}", parsed.bank.questions().map(|q| &q.question).collect::<Vec<_>>());
    // Closed, the same fence is the answer's code and both questions are read.
    let closed = source.replace("```\n</b>", "```\n```\n</b>");
    assert_eq!(parse(&closed).bank.question_count(), 2);
    round_trip(&closed);
}

#[test]
fn a_front_matter_title_unlike_the_heading_is_kept() {
    // fmt-front-matter-title-lost (fourth campaign, `fmt_roundtrip`): the `# ` heading replaced
    // the front matter's `title`, and `fmt` wrote only the heading, so the front matter's words
    // were lost. Both are kept now.
    let source = "---\ntitle: \"kill — send a signal to a process\"\n---\n\n# `kill` — отправить сигнал\n\n\
                  ### 1. What does SIGINT do?\n\n**Answer:**\n\nInterrupts a process.\n";
    let formatted = round_trip(source);
    assert!(
        formatted.contains("title: kill — send a signal to a process")
            || formatted.contains("title: \"kill — send a signal to a process\""),
        "{formatted}"
    );
    assert!(formatted.contains("# `kill` — отправить сигнал"), "{formatted}");
    assert_eq!(parse(source).bank.title, "`kill` — отправить сигнал");
}
