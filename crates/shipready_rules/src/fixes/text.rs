//! Text helpers shared by the fixes: the file's line ending, line boundaries, and insertions that keep the
//! surrounding text byte-for-byte as it was.

use shipready_text::TextRange;

use crate::Edit;

/// The line ending the file uses: `\r\n` when its first line break is one, else `\n`.
pub(crate) fn eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// Rewrite `\n` line breaks of generated text to `eol`.
pub(crate) fn with_eol(generated: &str, eol: &str) -> String {
    if eol == "\n" {
        generated.to_owned()
    } else {
        generated.replace('\n', eol)
    }
}

/// The start of the line holding `offset`.
pub(crate) fn line_start(text: &str, offset: usize) -> usize {
    let offset = floor_boundary(text, offset);
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The start of the line after the one holding `offset`, or `None` when that line is the last and has no
/// line break.
pub(crate) fn next_line_start(text: &str, offset: usize) -> Option<usize> {
    let offset = floor_boundary(text, offset);
    text.get(offset..)
        .and_then(|t| t.find('\n'))
        .map(|i| offset + i + 1)
}

/// The text of the line holding `offset`, without its line break.
pub(crate) fn line_at(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let rest = text.get(start..).unwrap_or("");
    let end = rest.find('\n').unwrap_or(rest.len());
    rest.get(..end).unwrap_or("").trim_end_matches('\r')
}

/// The leading spaces and tabs of the line holding `offset`.
pub(crate) fn indent_at(text: &str, offset: usize) -> &str {
    let line = line_at(text, offset);
    let trimmed = line.trim_start_matches([' ', '\t']);
    line.get(..line.len() - trimmed.len()).unwrap_or("")
}

/// An insertion of `block` (lines ending in `eol`) as whole lines after the line holding `offset`. At the end
/// of a file without a final line break, the break is added in front of the block.
pub(crate) fn insert_lines_after(file: &str, text: &str, offset: usize, block: &str) -> Edit {
    match next_line_start(text, offset) {
        Some(at) => insert(file, at, block.to_owned()),
        None => insert(file, text.len(), format!("{}{block}", eol(text))),
    }
}

/// An insertion of `new_text` at `offset`.
pub(crate) fn insert(file: &str, offset: usize, new_text: String) -> Edit {
    Edit::Replace {
        file: file.to_owned(),
        range: TextRange::empty(offset),
        new_text,
    }
}

/// Whether the text before `offset` ends with a blank line (or is empty), so a block inserted there is
/// already separated from what precedes it.
pub(crate) fn blank_line_before(text: &str, offset: usize) -> bool {
    let before = text.get(..floor_boundary(text, offset)).unwrap_or("");
    let trimmed = before.trim_end_matches([' ', '\t', '\r']);
    if trimmed.is_empty() {
        return true;
    }
    let Some(rest) = trimmed.strip_suffix('\n') else {
        return false;
    };
    rest.trim_end_matches([' ', '\t', '\r']).ends_with('\n') || rest.trim().is_empty()
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings() {
        assert_eq!(eol("a\r\nb\n"), "\r\n");
        assert_eq!(eol("a\nb\r\n"), "\n");
        assert_eq!(eol("no break"), "\n");
        assert_eq!(with_eol("a\nb\n", "\r\n"), "a\r\nb\r\n");
    }

    #[test]
    fn lines() {
        let t = "ab\r\n\tcé\nlast";
        assert_eq!(line_start(t, 6), 4);
        assert_eq!(next_line_start(t, 1), Some(4));
        assert_eq!(next_line_start(t, 12), None);
        assert_eq!(line_at(t, 0), "ab");
        assert_eq!(indent_at(t, 5), "\t");
        assert!(blank_line_before("a\n\n", 3));
        assert!(blank_line_before("a\r\n\r\n", 6));
        assert!(!blank_line_before("a\nb\n", 4));
        assert!(blank_line_before("", 0));
    }
}
