//! A small scanner over Python source for fixes that edit inside an expression (a Starlette `routes=[...]`
//! list): it walks significant tokens, skipping whitespace, comments and the contents of string literals, so
//! brackets and commas inside strings or comments never count.
//!
//! The facts give the ranges of statements and calls; this finds the brackets and commas between them.

/// A significant piece of source: one byte of code, or a whole string literal (`byte` is then its quote).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub byte: u8,
}

/// The shape of a list literal: its brackets, its first element and what ends its last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ListShape {
    pub open: usize,
    pub close: usize,
    /// The start of the first element, `None` for an empty list.
    pub first: Option<usize>,
    /// The end of the last element.
    pub last_end: Option<usize>,
    /// The end of the comma after the last element, when the list has a trailing comma.
    pub trailing_comma: Option<usize>,
}

/// The significant tokens of `src` from `from` on.
pub(crate) fn tokens(src: &str, from: usize) -> impl Iterator<Item = Token> + '_ {
    let bytes = src.as_bytes();
    let mut at = from;
    std::iter::from_fn(move || loop {
        let &b = bytes.get(at)?;
        let start = at;
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\\' => at += 1,
            b'#' => {
                while bytes.get(at).is_some_and(|&c| c != b'\n') {
                    at += 1;
                }
            }
            b'"' | b'\'' => {
                at = string_end(bytes, at);
                return Some(Token {
                    start,
                    end: at,
                    byte: b,
                });
            }
            _ => {
                at += 1;
                return Some(Token {
                    start,
                    end: at,
                    byte: b,
                });
            }
        }
    })
}

/// The offset of the bracket that closes the one at `open`.
pub(crate) fn matching_close(src: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for t in tokens(src, open) {
        match t.byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(t.start);
                }
            }
            _ => {}
        }
    }
    None
}

/// The start of the value of keyword argument `name` in the call whose `(` is at `open`.
pub(crate) fn keyword_value(src: &str, open: usize, name: &str) -> Option<usize> {
    let close = matching_close(src, open)?;
    let mut depth = 0usize;
    let mut prev = b'(';
    let mut found: Option<usize> = None;
    for t in tokens(src, open).take_while(|t| t.start <= close) {
        if let Some(after) = found {
            // The rest of the name's own characters come first.
            if t.start < after {
                continue;
            }
            if t.byte == b'=' && src.as_bytes().get(t.end) != Some(&b'=') {
                return tokens(src, t.end).next().map(|v| v.start);
            }
            found = None;
        }
        match t.byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ if depth == 1 && matches!(prev, b'(' | b',') => {
                let rest = src.get(t.start..).unwrap_or("");
                let ident_ends = rest
                    .get(name.len()..)
                    .and_then(|r| r.bytes().next())
                    .is_some_and(|c| !(c.is_ascii_alphanumeric() || c == b'_'));
                if rest.starts_with(name) && ident_ends {
                    found = Some(t.start + name.len());
                }
            }
            _ => {}
        }
        prev = t.byte;
    }
    None
}

/// The shape of the list literal whose `[` is at `open`; `None` for a comprehension, which has no
/// elements to add to.
pub(crate) fn list_shape(src: &str, open: usize) -> Option<ListShape> {
    if src.as_bytes().get(open) != Some(&b'[') {
        return None;
    }
    let close = matching_close(src, open)?;
    let inner: Vec<Token> = tokens(src, open + 1)
        .take_while(|t| t.start < close)
        .collect();
    if has_top_level_for(src, &inner) {
        return None;
    }
    let first = inner.first().map(|t| t.start);
    let (last_end, trailing_comma) = match inner.as_slice() {
        [.., before, comma] if comma.byte == b',' => (Some(before.end), Some(comma.end)),
        [.., last] => (Some(last.end), None),
        [] => (None, None),
    };
    Some(ListShape {
        open,
        close,
        first,
        last_end,
        trailing_comma,
    })
}

/// Whether the keyword `for` appears among `inner` outside nested brackets.
fn has_top_level_for(src: &str, inner: &[Token]) -> bool {
    let is_ident = |b: Option<&u8>| b.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    inner.iter().any(|t| {
        match t.byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0
            && src.get(t.start..).is_some_and(|r| r.starts_with("for"))
            && !is_ident(t.start.checked_sub(1).and_then(|i| bytes.get(i)))
            && !is_ident(bytes.get(t.start + 3))
    })
}

/// The end of the string literal whose opening quote is at `at` (single or triple quoted, with escapes).
fn string_end(bytes: &[u8], at: usize) -> usize {
    let Some(&quote) = bytes.get(at) else {
        return at;
    };
    let triple = bytes.get(at + 1) == Some(&quote) && bytes.get(at + 2) == Some(&quote);
    let mut i = if triple { at + 3 } else { at + 1 };
    while let Some(&c) = bytes.get(i) {
        if c == b'\\' {
            i += 2;
        } else if c == quote
            && (!triple || (bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote)))
        {
            return i + if triple { 3 } else { 1 };
        } else if c == b'\n' && !triple {
            return i;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let src = "x = [\"]\", '''a]\n]''',  # ] here\n  f(1),\n]\n";
        let open = src.find('[').unwrap_or_default();
        let shape = list_shape(src, open);
        assert_eq!(shape.map(|s| s.close), src.rfind(']'));
        assert_eq!(
            shape.and_then(|s| s.trailing_comma),
            src.rfind("),").map(|i| i + 2)
        );
    }

    #[test]
    fn keyword_values_at_the_calls_own_depth() {
        let src = "Starlette(debug=f(routes=1), routes = routes, x=a==b)";
        let open = src.find('(').unwrap_or_default();
        assert_eq!(keyword_value(src, open, "routes"), Some(38));
        assert_eq!(keyword_value(src, open, "route"), None);
        assert_eq!(keyword_value(src, open, "x"), src.rfind("a=="));
    }

    #[test]
    fn empty_and_inline_lists() {
        let empty = list_shape("[ ]", 0);
        assert_eq!(empty.map(|s| (s.first, s.last_end)), Some((None, None)));
        let inline = list_shape("[a, b]", 0);
        assert_eq!(inline.map(|s| s.last_end), Some(Some(5)));
        assert_eq!(list_shape("[Route(p, h) for p, h in x]", 0), None);
        assert!(list_shape("[format, \"for\", fork]", 0).is_some());
    }
}
