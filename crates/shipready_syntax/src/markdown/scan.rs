//! Small byte-level scanners the Markdown parser needs around `pulldown-cmark`: front matter at the top of a file,
//! the language of a fence's info string, tag stripping for HTML blocks and range trimming.

use shipready_text::TextRange;

/// The front matter block at the very start of `text` (`---` YAML or `+++` TOML), as the range of the block without
/// its final line break and the offset where the Markdown after it starts.
///
/// We scan this ourselves instead of enabling `pulldown-cmark`'s metadata-block options because those options accept
/// a `---` block anywhere in the document, and a thematic break followed by a heading and a later `---` line would
/// then swallow real headings.
pub(super) fn front_matter(text: &str) -> Option<(TextRange, usize)> {
    let mut lines = Lines { text, pos: 0 };
    let (first, _) = lines.next()?;
    let fence = ["---", "+++"]
        .into_iter()
        .find(|f| first.trim_end() == *f)?;
    let (second, _) = lines.next()?;
    // Like pandoc and pulldown, an opening fence followed by a blank line is a thematic break, not front matter.
    if second.trim().is_empty() || is_closing_fence(second, fence) {
        return None;
    }
    while let Some((line, line_end)) = lines.next() {
        if is_closing_fence(line, fence) {
            return Some((TextRange::new(0, line_end), lines.pos));
        }
    }
    None
}

fn is_closing_fence(line: &str, fence: &str) -> bool {
    let line = line.trim_end();
    line == fence || (fence == "---" && line == "...")
}

/// Iterates over lines as `(line without its break, offset where the line's content ends)`.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let (line, advance) = match rest.find('\n') {
            Some(nl) => (rest.get(..nl).unwrap_or(""), nl + 1),
            None => (rest, rest.len()),
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        let end = self.pos + line.len();
        self.pos += advance;
        Some((line, end))
    }
}

/// The language named by a fence's info string: its first word, lower-cased, with pandoc's `{.python}` braces and
/// dot and rustdoc's `rust,ignore` attributes removed.
pub(super) fn fence_lang(info: &str) -> Option<String> {
    let info = info.trim().trim_start_matches('{').trim_start();
    let word = info
        .split(|c: char| c.is_whitespace() || c == ',' || c == '}' || c == '{')
        .next()?;
    let word = word.trim_start_matches('.');
    (!word.is_empty()).then(|| word.to_lowercase())
}

/// The text an HTML block shows: tags, comments, doctypes and processing instructions removed, the rest kept, so a
/// `<summary>Rollback steps</summary>` still counts as mentioning rollback.
pub(super) fn strip_html(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(rest.get(..lt).unwrap_or(""));
        let after = rest.get(lt..).unwrap_or("");
        let (close, skip) = if after.starts_with("<!--") {
            ("-->", 4)
        } else {
            (">", 1)
        };
        let opens_tag = after.starts_with("<!--")
            || after
                .get(1..)
                .unwrap_or("")
                .starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !opens_tag {
            out.push('<');
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        match after
            .get(skip..)
            .and_then(|inner| inner.find(close).map(|i| skip + i + close.len()))
        {
            Some(end) => {
                // A tag ends a word: `<td>a</td><td>b</td>` must not read as `ab`.
                out.push(' ');
                rest = after.get(end..).unwrap_or("");
            }
            // An unclosed tag or comment (half-typed, or continued in a later block) hides the rest.
            None => return,
        }
    }
    out.push_str(rest);
}

/// `range` with trailing spaces, tabs and line breaks removed; `pulldown-cmark` ends most block ranges after the line
/// break or after the blank lines that follow, while our facts end at the construct's last visible byte.
pub(super) fn trim_end(text: &str, start: usize, end: usize) -> TextRange {
    let bytes = text.as_bytes();
    let mut end = end.min(bytes.len());
    while end > start && matches!(bytes.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        end -= 1;
    }
    TextRange::new(start.min(end), end)
}

/// `offset` moved back over the spaces and tabs before it; an indented code block starts at its indentation, while
/// `pulldown-cmark` starts it after.
pub(super) fn back_over_indent(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = offset.min(bytes.len());
    while start > 0 && matches!(bytes.get(start - 1), Some(b' ' | b'\t')) {
        start -= 1;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_yaml_and_toml() {
        let text = "---\ntitle: Deploy\n---\n# Guide\n";
        let (range, rest) = front_matter(text).expect("front matter");
        assert_eq!(range.slice(text), "---\ntitle: Deploy\n---");
        assert_eq!(&text[rest..], "# Guide\n");

        let text = "+++\r\ntitle = \"x\"\r\n+++";
        let (range, rest) = front_matter(text).expect("front matter");
        assert_eq!(range.slice(text), text);
        assert_eq!(rest, text.len());

        let text = "---\nlayout: page\n...\nbody";
        assert_eq!(&text[front_matter(text).expect("front matter").1..], "body");
    }

    #[test]
    fn front_matter_rejects_breaks_and_unclosed_blocks() {
        assert_eq!(front_matter(""), None);
        assert_eq!(front_matter("---"), None);
        assert_eq!(front_matter("---\n\ntext\n---\n"), None);
        assert_eq!(front_matter("---\n---\n"), None);
        assert_eq!(front_matter("---\ntitle: x\n"), None);
        assert_eq!(front_matter("----\ntitle: x\n----\n"), None);
        assert_eq!(front_matter("text\n---\na\n---\n"), None);
    }

    #[test]
    fn fence_lang_shapes() {
        assert_eq!(fence_lang("bash"), Some("bash".into()));
        assert_eq!(
            fence_lang("  Bash title=\"deploy.sh\""),
            Some("bash".into())
        );
        assert_eq!(fence_lang("{.python}"), Some("python".into()));
        assert_eq!(fence_lang("{.python .numberLines}"), Some("python".into()));
        assert_eq!(fence_lang("{r echo=FALSE}"), Some("r".into()));
        assert_eq!(fence_lang("rust,ignore"), Some("rust".into()));
        assert_eq!(fence_lang("shell{1,3}"), Some("shell".into()));
        assert_eq!(fence_lang("c++"), Some("c++".into()));
        assert_eq!(fence_lang(""), None);
        assert_eq!(fence_lang("  "), None);
        assert_eq!(fence_lang("{}"), None);
        assert_eq!(fence_lang("{."), None);
    }

    #[test]
    fn strip_html_keeps_text_only() {
        let mut out = String::new();
        strip_html(
            "<details>\n<summary>Rollback <b>steps</b></summary>",
            &mut out,
        );
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            ["Rollback", "steps"]
        );

        let mut out = String::new();
        strip_html("<!-- hidden -->shown a < b <br/>", &mut out);
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            ["shown", "a", "<", "b"]
        );

        let mut out = String::new();
        strip_html("before <!-- never closed", &mut out);
        assert_eq!(out, "before ");

        let mut out = String::new();
        strip_html("<", &mut out);
        assert_eq!(out, "<");
    }

    #[test]
    fn trimming_and_indent() {
        let text = "## Rollback  \r\n\r\n";
        assert_eq!(trim_end(text, 0, text.len()).slice(text), "## Rollback");
        assert_eq!(trim_end(text, 0, 999).slice(text), "## Rollback");
        assert_eq!(trim_end("\n\n", 0, 2), TextRange::empty(0));
        let text = "a\n \t  code";
        assert_eq!(back_over_indent(text, 6), 2);
        assert_eq!(back_over_indent(text, 0), 0);
    }
}
