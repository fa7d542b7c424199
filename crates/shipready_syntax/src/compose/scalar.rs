//! Decoding of YAML scalar source text into the string a YAML loader would produce: quotes and escapes removed,
//! multi-line flow scalars folded, and block scalars (`|`, `>`) de-indented, folded and chomped.

/// The value of a plain (unquoted) scalar: multi-line plain scalars fold their lines into one.
pub(crate) fn plain(raw: &str) -> String {
    fold_lines(raw)
}

/// The value of a `'single quoted'` scalar, quotes included in `raw`.
pub(crate) fn single_quoted(raw: &str) -> String {
    let inner = strip_delimiters(raw, '\'');
    fold_lines(inner).replace("''", "'")
}

/// The value of a `"double quoted"` scalar, quotes included in `raw`; escapes are decoded after folding, and an
/// escaped line break joins the lines without a space.
pub(crate) fn double_quoted(raw: &str) -> String {
    let inner = strip_delimiters(raw, '"');
    // A backslash at the end of a line is a line continuation; mark it so folding does not add a space.
    let mut joined = String::with_capacity(inner.len());
    let mut lines = inner.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trailing_backslashes = line.len() - line.trim_end_matches('\\').len();
        if lines.peek().is_some() && trailing_backslashes % 2 == 1 {
            joined.push_str(line.get(..line.len() - 1).unwrap_or(line));
            joined.push_str("\u{0}\n");
        } else {
            joined.push_str(line);
            if lines.peek().is_some() {
                joined.push('\n');
            }
        }
    }
    let folded = fold_lines(&joined);
    // Continuation markers swallow the space folding put after them.
    let folded = folded.replace("\u{0} ", "").replace('\u{0}', "");
    unescape(&folded)
}

/// The value of a block scalar (`|`, `>`, with optional chomping `-`/`+` and indentation digit); `raw` starts at
/// the indicator and runs to the end of the block.
pub(crate) fn block(raw: &str) -> String {
    let mut lines = raw.split('\n');
    let header = lines.next().unwrap_or("");
    let header = header.split('#').next().unwrap_or("").trim();
    let folded = header.starts_with('>');
    let chomp = if header.contains('-') {
        Chomp::Strip
    } else if header.contains('+') {
        Chomp::Keep
    } else {
        Chomp::Clip
    };
    let explicit_indent = header
        .chars()
        .find_map(|c| c.to_digit(10))
        .map(|d| d as usize);
    let body: Vec<&str> = lines.map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let indent = explicit_indent.filter(|n| *n > 0).unwrap_or_else(|| {
        body.iter()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .unwrap_or(0)
    });
    let content: Vec<&str> = body.iter().map(|l| l.get(indent..).unwrap_or("")).collect();
    // The last element after the final '\n' is not a line of the block.
    let content = match content.split_last() {
        Some((&"", rest)) => rest.to_vec(),
        _ => content,
    };
    let last_text = content
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let (text_lines, trailing) = content.split_at(last_text);
    let mut out = if folded {
        fold_block(text_lines)
    } else {
        text_lines.join("\n")
    };
    match chomp {
        Chomp::Strip => {}
        Chomp::Clip if !text_lines.is_empty() => out.push('\n'),
        Chomp::Clip => {}
        Chomp::Keep => {
            if !text_lines.is_empty() {
                out.push('\n');
            }
            out.extend(std::iter::repeat_n('\n', trailing.len()));
        }
    }
    out
}

enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// Folding for `>` blocks: adjacent lines join with a space, `k` empty lines between them become `k` breaks, and
/// more-indented lines keep their breaks.
fn fold_block(lines: &[&str]) -> String {
    let indented = |l: &str| l.starts_with(' ') || l.starts_with('\t');
    let mut out = String::new();
    let mut prev: Option<&str> = None;
    let mut empties = 0usize;
    for line in lines {
        if line.is_empty() {
            empties += 1;
            continue;
        }
        match prev {
            None => out.extend(std::iter::repeat_n('\n', empties)),
            Some(p) if indented(p) || indented(line) => {
                out.extend(std::iter::repeat_n('\n', empties + 1))
            }
            Some(_) if empties > 0 => out.extend(std::iter::repeat_n('\n', empties)),
            Some(_) => out.push(' '),
        }
        out.push_str(line);
        prev = Some(line);
        empties = 0;
    }
    out
}

/// Line folding of flow scalars: lines are trimmed, joined with one space, and each empty line becomes a break.
fn fold_lines(raw: &str) -> String {
    if !raw.contains('\n') {
        return raw.to_owned();
    }
    let lines: Vec<&str> = raw.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    let mut out = String::new();
    let mut pending_breaks = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // The first line keeps its leading space and the last its trailing space; inner lines lose both.
        let line = match (i == 0, i == last) {
            (true, true) => line,
            (true, false) => line.trim_end_matches([' ', '\t']),
            (false, true) => line.trim_start_matches([' ', '\t']),
            (false, false) => line.trim_matches([' ', '\t']),
        };
        if i > 0 && line.is_empty() && i != last {
            pending_breaks += 1;
            continue;
        }
        if i > 0 {
            if pending_breaks > 0 {
                out.extend(std::iter::repeat_n('\n', pending_breaks));
            } else {
                out.push(' ');
            }
        }
        pending_breaks = 0;
        out.push_str(line);
    }
    out
}

fn strip_delimiters(raw: &str, quote: char) -> &str {
    let inner = raw.strip_prefix(quote).unwrap_or(raw);
    inner.strip_suffix(quote).unwrap_or(inner)
}

/// Decodes double-quoted escapes; an unknown escape is kept as written.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let simple = match e {
            '0' => Some('\0'),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            't' | '\t' => Some('\t'),
            'n' => Some('\n'),
            'v' => Some('\u{b}'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            ' ' => Some(' '),
            '"' => Some('"'),
            '/' => Some('/'),
            '\\' => Some('\\'),
            'N' => Some('\u{85}'),
            '_' => Some('\u{a0}'),
            'L' => Some('\u{2028}'),
            'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            continue;
        }
        let width = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        let hex: String = chars.clone().take(width).collect();
        match u32::from_str_radix(&hex, 16)
            .ok()
            .filter(|_| width > 0 && hex.len() == width)
            .and_then(char::from_u32)
        {
            Some(ch) => {
                out.push(ch);
                for _ in 0..width {
                    chars.next();
                }
            }
            None => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_scalars() {
        assert_eq!(single_quoted("'it''s'"), "it's");
        assert_eq!(double_quoted(r#""a\"b\tc\u00e9\x41""#), "a\"b\tcéA");
        assert_eq!(
            double_quoted("\"one\n   two\n\n   three\""),
            "one two\nthree"
        );
        assert_eq!(double_quoted("\"con\\\n   tinued\""), "continued");
        assert_eq!(double_quoted(r#""bad \q""#), "bad \\q");
        assert_eq!(double_quoted("\"\\"), "\\");
    }

    #[test]
    fn plain_multi_line_folds() {
        assert_eq!(plain("echo\n    hello\r\n    world"), "echo hello world");
        assert_eq!(plain("a\n\n  b"), "a\nb");
    }

    #[test]
    fn literal_block_keeps_lines() {
        assert_eq!(
            block("|\n  echo hi\n  echo there\n"),
            "echo hi\necho there\n"
        );
        assert_eq!(block("|-\r\n  a\r\n    b\r\n"), "a\n  b");
        assert_eq!(block("|+\n  a\n\n"), "a\n\n");
        assert_eq!(block("|2\n    a\n"), "  a\n");
        assert_eq!(block("| # note\n  x"), "x\n");
        assert_eq!(block("|"), "");
    }

    #[test]
    fn folded_block_joins_lines() {
        assert_eq!(
            block(">\n  curl -f\n  http://x/health\n"),
            "curl -f http://x/health\n"
        );
        assert_eq!(block(">-\n  a\n\n  b\n    c\n"), "a\nb\n  c");
    }
}
