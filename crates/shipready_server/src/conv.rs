//! The one place where LSP positions meet byte offsets: ranges and positions in the negotiated encoding
//! (UTF-8 or UTF-16 columns), for snapshot texts (through [`LineIndex`]) and for open documents' ropes.
//! Positions past the end of a line are clamped to the line's end; lines past the end to the text's end.

use ropey::Rope;
use shipready_text::{LineCol, LineIndex, PositionEncoding, TextRange};
use tower_lsp::lsp_types::{ClientCapabilities, Position, PositionEncodingKind, Range};

/// The encoding to use with a client: UTF-8 when it offers it (no conversion at all), else the mandatory UTF-16.
pub fn negotiate(caps: &ClientCapabilities) -> PositionEncoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}

/// The LSP name of an encoding.
pub fn kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
    }
}

/// A byte offset of `text` as an LSP position.
pub fn position(index: &LineIndex, text: &str, offset: usize, enc: PositionEncoding) -> Position {
    let lc = index.position(text, offset, enc);
    Position::new(lc.line, lc.col)
}

/// A byte range of `text` as an LSP range.
pub fn range(index: &LineIndex, text: &str, range: TextRange, enc: PositionEncoding) -> Range {
    Range::new(
        position(index, text, range.start, enc),
        position(index, text, range.end, enc),
    )
}

/// An LSP position in `text` as a byte offset, clamped to the text.
pub fn offset(index: &LineIndex, text: &str, pos: Position, enc: PositionEncoding) -> usize {
    index.offset(
        text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    )
}

/// An LSP range in `text` as a byte range, clamped to the text and never inverted.
pub fn text_range(index: &LineIndex, text: &str, range: Range, enc: PositionEncoding) -> TextRange {
    TextRange::new(
        offset(index, text, range.start, enc),
        offset(index, text, range.end, enc),
    )
}

/// An LSP position in a rope as a byte offset, with the same clamping rules as [`LineIndex::offset`]: a line
/// past the end gives the end of the text, a column past the end of its line the line's end (before `\r\n`),
/// and a column inside a character the character's start.
pub fn rope_offset(rope: &Rope, pos: Position, enc: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let want = pos.character as usize;
    let mut units = 0;
    let mut bytes = 0;
    let mut chars = rope.line(line).chars().peekable();
    while let Some(ch) = chars.next() {
        // A `\r` ends the line only before `\n` or at the end of the text, as in `LineIndex`.
        let line_break = ch == '\n' || (ch == '\r' && matches!(chars.peek(), Some('\n') | None));
        if line_break {
            break;
        }
        let width = match enc {
            PositionEncoding::Utf8 => ch.len_utf8(),
            PositionEncoding::Utf16 => ch.len_utf16(),
        };
        if units + width > want {
            break;
        }
        units += width;
        bytes += ch.len_utf8();
    }
    start + bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf16, Utf8};

    fn both(text: &str, line: u32, col: u32, enc: PositionEncoding) -> (usize, usize) {
        let pos = Position::new(line, col);
        let index = LineIndex::new(text);
        (
            offset(&index, text, pos, enc),
            rope_offset(&Rope::from_str(text), pos, enc),
        )
    }

    #[test]
    fn rope_and_index_agree_on_non_ascii_crlf_and_clamping() {
        let text = "é𝄞x\r\nab\ncafé\n";
        for line in 0..5 {
            for col in 0..12 {
                for enc in [Utf8, Utf16] {
                    let (a, b) = both(text, line, col, enc);
                    assert_eq!(a, b, "line {line} col {col} {enc:?}");
                }
            }
        }
    }

    #[test]
    fn columns_count_in_the_negotiated_encoding() {
        let text = "é𝄞x";
        assert_eq!(both(text, 0, 3, Utf16).1, 6);
        assert_eq!(both(text, 0, 6, Utf8).1, 6);
        let index = LineIndex::new(text);
        assert_eq!(position(&index, text, 6, Utf16), Position::new(0, 3));
        assert_eq!(position(&index, text, 6, Utf8), Position::new(0, 6));
    }

    #[test]
    fn past_the_end_is_clamped() {
        let text = "ab\r\ncd";
        assert_eq!(both(text, 0, 99, Utf16), (2, 2));
        assert_eq!(both(text, 7, 0, Utf16), (6, 6));
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let mut caps = ClientCapabilities::default();
        assert_eq!(negotiate(&caps), Utf16);
        caps.general = Some(tower_lsp::lsp_types::GeneralClientCapabilities {
            position_encodings: Some(vec![
                PositionEncodingKind::UTF16,
                PositionEncodingKind::UTF8,
            ]),
            ..Default::default()
        });
        assert_eq!(negotiate(&caps), Utf8);
    }
}

#[cfg(test)]
#[path = "conv_props.rs"]
mod props;
