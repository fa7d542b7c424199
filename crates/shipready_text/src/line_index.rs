//! [`LineIndex`]: converts byte offsets to (line, column) positions and back, in UTF-8 or UTF-16 columns.

use serde::{Deserialize, Serialize};

/// How columns are counted: the LSP `positionEncoding` negotiated with the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PositionEncoding {
    /// Columns count UTF-8 bytes.
    Utf8,
    /// Columns count UTF-16 code units (the LSP default).
    #[default]
    Utf16,
}

/// A zero-based line and column; the column unit depends on the [`PositionEncoding`].
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line start offsets of one text. Lines end at `\n`; a `\r` before it belongs to the line break, not the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte offset where zero-based `line` starts, or the end of the text for a line past the end.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// The zero-based line holding byte `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte range of a line's content, without its `\n` or `\r\n`.
    pub fn line_content(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = if line + 1 < self.line_starts.len() {
            self.line_starts[line + 1] - 1
        } else {
            self.len
        };
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The position of byte `offset` in `encoding` columns. Offsets inside a character snap to its start;
    /// offsets past the end snap to the end.
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let prefix = text.get(start..offset).unwrap_or("");
        let col = match encoding {
            PositionEncoding::Utf8 => prefix.len(),
            PositionEncoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a position. A line past the end gives the end of the text; a column past the end of
    /// its line is clamped to the line's end; a column inside a character snaps to the character's start.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let content = self.line_content(text, line);
        let line_text = text.get(content.clone()).unwrap_or("");
        let want = pos.col as usize;
        let mut units = 0;
        for (i, ch) in line_text.char_indices() {
            let w = match encoding {
                PositionEncoding::Utf8 => ch.len_utf8(),
                PositionEncoding::Utf16 => ch.len_utf16(),
            };
            if units + w > want {
                return content.start + i;
            }
            units += w;
        }
        content.end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf16, Utf8};

    #[test]
    fn ascii_round_trip() {
        let text = "ab\ncd\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.position(text, 4, Utf16), LineCol { line: 1, col: 1 });
        assert_eq!(idx.offset(text, LineCol { line: 1, col: 1 }, Utf16), 4);
    }

    #[test]
    fn non_ascii_columns_differ_by_encoding() {
        // "é" is 2 UTF-8 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes and 2 units.
        let text = "é𝄞x";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x, Utf8).col, 6);
        assert_eq!(idx.position(text, x, Utf16).col, 3);
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 3 }, Utf16), x);
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 6 }, Utf8), x);
        // A column inside the surrogate pair snaps to the character's start.
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 2 }, Utf16), 2);
    }

    #[test]
    fn crlf_is_not_part_of_the_line() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_content(text, 0), 0..2);
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 99 }, Utf16), 2);
        assert_eq!(idx.position(text, 4, Utf16), LineCol { line: 1, col: 0 });
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 10 }, Utf8), 2);
        assert_eq!(idx.offset(text, LineCol { line: 9, col: 0 }, Utf8), 5);
        assert_eq!(idx.position(text, 100, Utf8), LineCol { line: 1, col: 2 });
    }

    #[test]
    fn offsets_inside_a_char_snap_back() {
        let text = "é";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 1, Utf16), LineCol { line: 0, col: 0 });
    }
}

#[cfg(test)]
#[path = "line_index_props.rs"]
mod props;
