//! Property test of [`PythonDocument`]: any sequence of incremental edits (arbitrary ranges, including inverted,
//! past the end and inside characters; text from Python fragments and arbitrary characters) leaves the same
//! text, tree and facts as a fresh parse of the final text.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use super::tests::{FRAGMENTS, SEED_TEXT};
use super::*;

/// The number of cases, and a fixed seed unless `PROPTEST_RNG_SEED` asks for another, so CI is repeatable.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases);
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_0011);
    }
    config
}

/// One edit as drawn: raw byte positions (resolved against the text at the time) and the inserted text.
#[derive(Clone, Debug)]
struct RawEdit {
    start: prop::sample::Index,
    len: usize,
    new_text: String,
    /// Send the range as given (possibly inverted, past the end or inside a character) to test the clamping.
    raw: Option<(usize, usize)>,
}

fn new_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => Just(String::new()),
        2 => any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
}

fn raw_edit() -> impl Strategy<Value = RawEdit> {
    (
        any::<prop::sample::Index>(),
        prop_oneof![Just(0usize), 0usize..30],
        new_text(),
        prop::option::weighted(0.1, (0usize..2000, 0usize..2000)),
    )
        .prop_map(|(start, len, new_text, raw)| RawEdit {
            start,
            len,
            new_text,
            raw,
        })
}

/// What the document should do with `edit`: the same clamping as [`PythonDocument::apply_edits`], done naively.
fn expected(text: &str, edit: &RawEdit) -> TextEdit {
    let (start, end) = match edit.raw {
        Some((a, b)) => (a, b),
        None => {
            let start = edit.start.index(text.len() + 1);
            (start, (start + edit.len).min(text.len()))
        }
    };
    TextEdit {
        range: TextRange { start, end },
        new_text: edit.new_text.clone(),
    }
}

fn sexp(doc: &PythonDocument) -> String {
    doc.tree()
        .map(|t| t.root_node().to_sexp())
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn incremental_edits_equal_a_fresh_parse(
        rounds in prop::collection::vec(prop::collection::vec(raw_edit(), 1..4), 1..6)
    ) {
        let mut doc = PythonDocument::new(SEED_TEXT);
        for round in &rounds {
            let mut edits = Vec::new();
            let mut shadow = doc.text().to_owned();
            for raw in round {
                let edit = expected(&shadow, raw);
                let (start, end) = clamp(&shadow, edit.range);
                shadow.replace_range(start..end, &edit.new_text);
                edits.push(edit);
            }
            doc.apply_edits(&edits);
            prop_assert_eq!(doc.text(), shadow.as_str());
            let fresh = PythonDocument::new(&shadow);
            super::tests::settle_if_apart(&mut doc, &fresh);
            prop_assert_eq!(sexp(&doc), sexp(&fresh));
            prop_assert_eq!(doc.facts(), fresh.facts());
        }
    }
}
