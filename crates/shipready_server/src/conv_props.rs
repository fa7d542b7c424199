//! Property test of the two position conversions: an open document's rope and a snapshot's [`LineIndex`] give
//! the same byte offset for any position, on arbitrary text with CRLF, lone `\r` and astral characters.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use super::*;

/// The number of cases, and a fixed seed unless `PROPTEST_RNG_SEED` asks for another, so CI is repeatable.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases);
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_0011);
    }
    config
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("é".to_owned()),
        Just("𝄞".to_owned()),
        "[a-z ]{0,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn rope_and_line_index_agree(text in text()) {
        let index = LineIndex::new(&text);
        let rope = Rope::from_str(&text);
        let lines = index.line_count() as u32 + 1;
        for line in 0..lines {
            for col in 0..16 {
                for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                    let pos = Position::new(line, col);
                    prop_assert_eq!(
                        offset(&index, &text, pos, enc),
                        rope_offset(&rope, pos, enc),
                        "{:?} at {:?} ({:?})", text, pos, enc
                    );
                }
            }
        }
    }
}
