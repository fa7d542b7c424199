//! Text helpers for the Dockerfile parser: trimmed ranges, the logical text of a continued instruction, shell
//! word unquoting, parser directives and a line splitter used to re-parse regions the grammar gave up on.

use std::borrow::Cow;

use shipready_text::TextRange;
use tree_sitter::Node;

/// The byte range of `node`.
pub(super) fn node_range(node: Node) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

/// `range` without leading and trailing whitespace (the grammar leaves a `\r` at the end of CRLF lines).
pub(super) fn trim_range(text: &str, range: TextRange) -> TextRange {
    let slice = range.slice(text);
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    TextRange::new(start, end.max(start))
}

/// The trimmed text of `node`.
pub(super) fn node_text<'a>(text: &'a str, node: Node) -> &'a str {
    node_range(node).slice(text).trim()
}

/// The text of `node` as Docker sees it: line continuations and comment lines between continued lines are
/// removed and the physical lines are joined, so `a \` + `  b` reads `a   b`.
pub(super) fn logical_text(text: &str, node: Node) -> String {
    let mut skips = Vec::new();
    collect_skips(text, node, &mut skips);
    let range = node_range(node);
    let mut out = String::new();
    let mut pos = range.start;
    for skip in skips {
        if skip.start > pos {
            out.push_str(TextRange::new(pos, skip.start).slice(text));
        }
        pos = pos.max(skip.end);
    }
    if range.end > pos {
        out.push_str(TextRange::new(pos, range.end).slice(text));
    }
    out.retain(|c| c != '\r' && c != '\n');
    out.trim().to_string()
}

fn collect_skips(text: &str, node: Node, skips: &mut Vec<TextRange>) {
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "line_continuation" => skips.push(node_range(child)),
            // Docker drops a comment line whole, including its indentation.
            "comment" => {
                let before = text.get(..child.start_byte()).unwrap_or("");
                let indent = before.len() - before.trim_end_matches([' ', '\t']).len();
                skips.push(TextRange::new(
                    child.start_byte() - indent,
                    child.end_byte(),
                ));
            }
            _ => collect_skips(text, child, skips),
        }
    }
}

/// Removes shell quoting from one word (`"a b"` -> `a b`, `'x'` -> `x`, `pre"mid"` -> `premid`); `$` expansions are
/// kept as written because only build-time values could resolve them.
pub(super) fn unquote(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) => {
                            out.extend(chars.next());
                        }
                        _ => out.push(c),
                    }
                }
            }
            '\'' => out.extend(chars.by_ref().take_while(|&c| c != '\'')),
            '\\' => out.extend(chars.next()),
            _ => out.push(c),
        }
    }
    out
}

/// The value of one `json_string` node (`"a\tb"`), unescaped as JSON; falls back to the text inside the quotes.
pub(super) fn json_string(raw: &str) -> String {
    serde_json::from_str::<String>(raw).unwrap_or_else(|_| {
        let inner = raw.strip_prefix('"').unwrap_or(raw);
        inner.strip_suffix('"').unwrap_or(inner).to_string()
    })
}

/// The parser directives at the top of the file: the escape character (`\` unless `# escape=` says otherwise) and
/// the range of the `escape` directive line, which a re-parse of a later region must see too.
pub(super) struct Directives {
    pub escape: char,
    pub escape_line: Option<TextRange>,
}

pub(super) fn directives(text: &str) -> Directives {
    let mut found = Directives {
        escape: '\\',
        escape_line: None,
    };
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..line_end].trim();
        // Directives are `# key=value` comments before anything else; the first other line ends them.
        let Some((key, value)) = line.strip_prefix('#').and_then(|rest| rest.split_once('='))
        else {
            break;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
            break;
        }
        if key.eq_ignore_ascii_case("escape") && value.trim() == "`" {
            found.escape = '`';
            found.escape_line = Some(TextRange::new(pos, (line_end + 1).min(text.len())));
        }
        pos = line_end + 1;
    }
    found
}

/// Splits `range` into the ranges of the instructions it holds, following line continuations, comment and empty
/// lines inside continuations, and heredoc bodies. Used on regions the grammar could not parse, so that one
/// half-typed line does not hide the instructions after it.
pub(super) fn split_instructions(text: &str, range: TextRange, escape: char) -> Vec<TextRange> {
    let mut chunks = Vec::new();
    let mut current: Option<usize> = None;
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut pos = range.start;
    while pos < range.end {
        let line_end = text
            .get(pos..range.end)
            .and_then(|s| s.find('\n'))
            .map_or(range.end, |i| pos + i);
        let line = text.get(pos..line_end).unwrap_or("");
        let content = line.trim_end();
        let trimmed = content.trim_start();
        let next = line_end + 1;
        if let Some((delimiter, strip_tabs)) = heredocs.first() {
            let body_line = if *strip_tabs {
                content.trim_start_matches('\t')
            } else {
                content
            };
            if body_line == delimiter {
                heredocs.remove(0);
                if heredocs.is_empty() {
                    if let Some(start) = current.take() {
                        chunks.push(TextRange::new(start, pos + content.len()));
                    }
                }
            }
            pos = next;
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            pos = next;
            continue;
        }
        let start = *current.get_or_insert(pos + (content.len() - trimmed.len()));
        if starts_with_heredoc_instruction(text.get(start..).unwrap_or("")) {
            heredocs.extend(heredoc_delimiters(trimmed));
        }
        if heredocs.is_empty() && !content.ends_with(escape) {
            chunks.push(TextRange::new(start, pos + content.len()));
            current = None;
        }
        pos = next;
    }
    if let Some(start) = current {
        chunks.push(trim_range(text, TextRange::new(start, range.end)));
    }
    chunks
}

/// The text handed to the grammar: the input with the same length, except that in shell commands every `[` but
/// the one opening an exec-form array becomes `x`. The grammar cannot start a shell fragment with `[` (it could be
/// a JSON array), so `RUN a; \` + `[ -f x ] || b` or PowerShell's `'a',[Type]::Member` would otherwise break the
/// whole instruction. Facts are always read from the original text, so the substitution never shows.
pub(super) fn grammar_text(text: &str, escape: char) -> Cow<'_, str> {
    let mut masked: Option<Vec<u8>> = None;
    for chunk in split_instructions(text, TextRange::new(0, text.len()), escape) {
        let body = chunk.slice(text);
        let Some(command) = command_start(body, escape) else {
            continue;
        };
        // Heredoc bodies are read verbatim by the grammar; only the lines up to the first `<<` matter.
        let end = body.find("<<").map_or(body.len(), |i| {
            body[i..].find('\n').map_or(body.len(), |n| i + n)
        });
        let region = body.get(command..end).unwrap_or("");
        for (i, _) in region.match_indices('[').filter(|&(i, _)| i > 0) {
            let bytes = masked.get_or_insert_with(|| text.as_bytes().to_vec());
            if let Some(b) = bytes.get_mut(chunk.start + command + i) {
                *b = b'x';
            }
        }
    }
    // Replacing one ASCII byte with another keeps the text valid UTF-8.
    match masked.map(String::from_utf8) {
        Some(Ok(masked)) => Cow::Owned(masked),
        _ => Cow::Borrowed(text),
    }
}

/// Where the command of a `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK ... CMD` instruction starts, after the
/// keyword and its `--flags`.
fn command_start(body: &str, escape: char) -> Option<usize> {
    let mut words = body
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - body.as_ptr() as usize, w));
    let (_, keyword) = words.next()?;
    let healthcheck = keyword.eq_ignore_ascii_case("HEALTHCHECK");
    if !healthcheck
        && !["RUN", "CMD", "ENTRYPOINT"]
            .iter()
            .any(|k| keyword.eq_ignore_ascii_case(k))
    {
        return None;
    }
    let mut words =
        words.skip_while(|(_, w)| w.starts_with("--") || w.len() == 1 && w.starts_with(escape));
    let (at, word) = words.next()?;
    if healthcheck && word.eq_ignore_ascii_case("CMD") {
        return words
            .find(|(_, w)| !(w.len() == 1 && w.starts_with(escape)))
            .map(|(at, _)| at);
    }
    Some(at)
}

fn starts_with_heredoc_instruction(instruction: &str) -> bool {
    let keyword = instruction.split_whitespace().next().unwrap_or("");
    ["RUN", "COPY", "ADD"]
        .iter()
        .any(|k| keyword.eq_ignore_ascii_case(k))
}

/// The heredoc delimiters opened on one line (`<<EOF`, `<<-"EOT"`), with whether leading tabs are stripped.
pub(super) fn heredoc_delimiters(line: &str) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("<<") {
        rest = &rest[i + 2..];
        let strip_tabs = rest.starts_with('-');
        let word = rest.trim_start_matches('-').trim_start_matches(['"', '\'']);
        let name: String = word
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !name.is_empty() {
            found.push((name, strip_tabs));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_handles_mixed_quoting() {
        assert_eq!(unquote(r#""two three""#), "two three");
        assert_eq!(unquote(r#"pre"mid"'post'"#), "premidpost");
        assert_eq!(unquote(r#""a\"b" \$x"#), r#"a"b $x"#);
        assert_eq!(unquote("$PATH:/x"), "$PATH:/x");
        assert_eq!(unquote("\"unterminated"), "unterminated");
    }

    #[test]
    fn json_strings_unescape() {
        assert_eq!(json_string(r#""a\tb""#), "a\tb");
        assert_eq!(json_string(r#""bad\q""#), r"bad\q");
    }

    #[test]
    fn escape_directive_is_found_only_at_the_top() {
        let text = "\u{feff}# syntax=docker/dockerfile:1\n# escape=`\nFROM x\n";
        let d = directives(text);
        assert_eq!(d.escape, '`');
        assert_eq!(d.escape_line.map(|r| r.slice(text)), Some("# escape=`\n"));
        assert_eq!(directives("FROM x\n# escape=`\n").escape, '\\');
        assert_eq!(directives("# a comment\n# escape=`\n").escape, '\\');
    }

    #[test]
    fn splitter_follows_continuations_comments_and_heredocs() {
        let text = "FROM\nRUN a \\\n# note\n\n  b\nRUN <<EOF\nFOO\nEOF\n  USER x\n# end\nEXPOSE";
        let chunks: Vec<&str> = split_instructions(text, TextRange::new(0, text.len()), '\\')
            .iter()
            .map(|r| r.slice(text))
            .collect();
        assert_eq!(
            chunks,
            [
                "FROM",
                "RUN a \\\n# note\n\n  b",
                "RUN <<EOF\nFOO\nEOF",
                "USER x",
                "EXPOSE"
            ]
        );
    }

    #[test]
    fn splitter_stops_at_the_range_end() {
        let text = "RUN a `\r\n b\r\nCMD x";
        let chunks: Vec<&str> = split_instructions(text, TextRange::new(0, 12), '`')
            .iter()
            .map(|r| r.slice(text))
            .collect();
        assert_eq!(chunks, ["RUN a `\r\n b"]);
    }

    #[test]
    fn grammar_text_masks_brackets_in_shell_commands_only() {
        let text = "RUN a; \\\n  [ -f x ] || b\nCMD \\\n  [\"[x]\"]\nRUN echo 'a',[T]\nHEALTHCHECK --retries=3 CMD [\"c\"]\n\
                    LABEL a=[b]\nRUN <<EOF\n[ x ]\nEOF\n";
        let masked = grammar_text(text, '\\');
        assert_eq!(masked.len(), text.len());
        let expected = "RUN a; \\\n  x -f x ] || b\nCMD \\\n  [\"xx]\"]\nRUN echo 'a',xT]\nHEALTHCHECK --retries=3 CMD [\"c\"]\n\
                        LABEL a=[b]\nRUN <<EOF\n[ x ]\nEOF\n";
        assert_eq!(masked, expected);
        assert!(matches!(grammar_text("RUN a\n", '\\'), Cow::Borrowed(_)));
    }

    #[test]
    fn heredoc_delimiters_are_read() {
        assert_eq!(
            heredoc_delimiters("RUN <<-\"EOT\" bash"),
            [("EOT".to_string(), true)]
        );
        assert_eq!(heredoc_delimiters("COPY <<a <<b /x").len(), 2);
        assert!(heredoc_delimiters("RUN echo 1 << 2").is_empty());
    }
}
