//! Property tests of [`LineIndex`]: on arbitrary text (non-ASCII, astral characters, CRLF, lone `\r`), byte
//! offsets and (line, column) positions convert back and forth in both encodings, and agree with a naive model.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use super::*;
use PositionEncoding::{Utf16, Utf8};

/// The number of cases, and a fixed seed unless `PROPTEST_RNG_SEED` asks for another, so CI is repeatable.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases);
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_0011);
    }
    config
}

/// Text biased towards what breaks conversions: line breaks of both kinds, 2-, 3- and 4-byte characters.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("é".to_owned()),
        Just("日".to_owned()),
        Just("𝄞".to_owned()),
        Just("\u{feff}".to_owned()),
        "[a-z ]{0,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// The column of `offset` counted naively from the start of its line.
fn naive_col(text: &str, offset: usize, encoding: PositionEncoding) -> u32 {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let col = match encoding {
        Utf8 => prefix.len(),
        Utf16 => prefix.encode_utf16().count(),
    };
    col as u32
}

/// An offset after a `\r` that ends a line (before `\n`, or at the end of the text, as [`LineIndex`] and the
/// server's rope agree) is inside a line break: it has no column of its own.
fn inside_crlf(text: &str, offset: usize) -> bool {
    offset > 0
        && text.as_bytes().get(offset - 1) == Some(&b'\r')
        && matches!(text.as_bytes().get(offset), Some(b'\n') | None)
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn every_char_boundary_round_trips(text in text()) {
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            for encoding in [Utf8, Utf16] {
                let pos = index.position(&text, offset, encoding);
                prop_assert_eq!(pos.line as usize, text[..offset].matches('\n').count());
                prop_assert_eq!(pos.col, naive_col(&text, offset, encoding));
                let back = index.offset(&text, pos, encoding);
                if inside_crlf(&text, offset) {
                    // The position after `\r` clamps to the line's end, before the `\r`.
                    prop_assert_eq!(back, offset - 1);
                } else {
                    prop_assert_eq!(back, offset, "{:?} at {} ({:?})", text, offset, encoding);
                }
            }
        }
    }

    #[test]
    fn any_position_lands_on_a_boundary_and_is_stable(
        text in text(),
        line in 0u32..50,
        col in 0u32..200,
    ) {
        let index = LineIndex::new(&text);
        for encoding in [Utf8, Utf16] {
            let offset = index.offset(&text, LineCol { line, col }, encoding);
            prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
            // Converting the clamped offset back and forth changes nothing more.
            let pos = index.position(&text, offset, encoding);
            let back = index.offset(&text, pos, encoding);
            if inside_crlf(&text, offset) {
                prop_assert_eq!(back, offset - 1);
            } else {
                prop_assert_eq!(back, offset);
            }
            prop_assert!(pos.line < line.saturating_add(1) || line as usize >= index.line_count());
        }
    }

    #[test]
    fn offsets_inside_characters_snap_to_the_start(text in text(), at in any::<prop::sample::Index>()) {
        let index = LineIndex::new(&text);
        let offset = at.index(text.len() + 1);
        let mut start = offset;
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        for encoding in [Utf8, Utf16] {
            prop_assert_eq!(
                index.position(&text, offset, encoding),
                index.position(&text, start, encoding)
            );
        }
    }
}
