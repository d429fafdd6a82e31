//! Fuzz target `parse`: any bytes (decoded lossily) → `qbank_core::parse` never panics, every
//! span it reports is a forward range inside the text on character boundaries, a text without
//! questions gets a `NotABank` issue, and writing the model back (`format_bank`) never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qbank_fuzz::{assert_parsed_spans, text_from_bytes};

fuzz_target!(|data: &[u8]| {
    let source = text_from_bytes(data);
    let parsed = qbank_core::parse(&source);
    assert_parsed_spans(&source, &parsed);
    // Documented on `Parsed`: a text with no questions has a `NotABank` issue.
    if !parsed.is_bank() {
        assert!(parsed.issues.iter().any(|i| i.kind == qbank_core::IssueKind::NotABank));
    }
    let _ = qbank_core::format_bank(&parsed.bank);
});
