//! Markdown facts from `pulldown-cmark`'s offset iterator: headings and their sections, fenced code blocks, lists,
//! links and the plain text used for mention detection.
//!
//! Guides are written for GitHub, so the GitHub extensions (tables, task lists, footnotes, strikethrough) are on, as
//! are `{#id}` heading attributes. Front matter and a byte-order mark are set aside before parsing so neither can turn
//! into a heading or hide one; every range still points into the original text.

mod commands;
mod events;
mod scan;
#[cfg(test)]
mod tests;

use serde::Serialize;
use shipready_text::TextRange;

use crate::Spanned;

/// Everything shipready knows about one Markdown document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MarkdownFacts {
    pub headings: Vec<Heading>,
    /// One section per heading, in the same order as `headings`.
    pub sections: Vec<Section>,
    pub code_blocks: Vec<CodeBlock>,
    pub lists: Vec<List>,
    pub links: Vec<Link>,
    /// Inline code spans (`` `DATABASE_URL` ``, in prose, lists and table cells): the code's text, with the range
    /// of that text inside the backticks.
    pub inline_code: Vec<Spanned<String>>,
    /// The document's text without markup (code included), lower-cased, for mention detection. Blocks, lines and
    /// table cells are separated by whitespace so words never merge across them; the text of HTML blocks and the
    /// values of front matter are included, tags and comments are not.
    pub plain_text_lower: String,
    /// The `title` of the front matter (`title: Installation`), which documentation sites show as the page's
    /// heading, with the range of its value.
    pub front_matter_title: Option<Spanned<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text without markup, trimmed.
    pub text: String,
    /// The whole heading construct (`## Rollback` line, or both lines of a setext heading), without the line break.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Index into `headings`.
    pub heading: usize,
    /// From the heading's start to the start of the next heading of the same or a higher level (or the end).
    pub range: TextRange,
    /// `range` without the heading itself.
    pub body: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CodeBlock {
    /// The info string's first word (`bash`, `python`), lower-cased; `None` for indented or bare fences.
    pub lang: Option<String>,
    pub range: TextRange,
    pub content: String,
    /// The shell commands the block runs (for shell, console and unlabelled blocks; empty for other
    /// languages): one per command, prompts, `sudo` and leading `NAME=value` assignments removed, `&&` chains
    /// split, whitespace collapsed (`docker compose up -d`).
    pub commands: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct List {
    pub ordered: bool,
    pub range: TextRange,
    /// Each top-level item's range.
    pub items: Vec<TextRange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub dest: String,
    pub range: TextRange,
}

impl MarkdownFacts {
    /// The innermost section containing `offset`: the deepest heading the offset sits under. A section's range is
    /// half-open, so the first byte of a heading belongs to that heading's section; an offset at the very end of the
    /// text belongs to the last section that reaches it. `None` before the first heading or when there is none.
    pub fn section_of(&self, offset: usize) -> Option<&Section> {
        // Sections nest by level and are in document order, so the last one that contains the offset is the
        // innermost.
        let mut containing = self
            .sections
            .iter()
            .rev()
            .filter(|s| s.range.start <= offset);
        containing
            .clone()
            .find(|s| offset < s.range.end)
            .or_else(|| containing.find(|s| offset == s.range.end))
    }

    /// The document's title: its first level-1 heading, else its first heading of any level.
    pub fn title(&self) -> Option<&Heading> {
        self.headings
            .iter()
            .find(|h| h.level == 1)
            .or_else(|| self.headings.first())
    }
}

/// The commands of a shell script, split as a shell code block's are ([`CodeBlock::commands`]).
pub fn shell_commands(text: &str) -> Vec<String> {
    commands::commands(Some("sh"), text)
}

/// Parse a Markdown document. Never fails.
pub fn parse(text: &str) -> MarkdownFacts {
    let mut base = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut plain = String::new();
    let mut front_matter_title = None;
    if let Some((block, rest)) = text.get(base..).and_then(scan::front_matter) {
        // The fences are markup; the keys and values between them are text a reader sees.
        let block_range = block.shifted(base);
        let block = block_range.slice(text);
        front_matter_title = commands::front_matter_title(block, block_range.start);
        let mut inner: Vec<&str> = block.lines().skip(1).collect();
        inner.pop();
        plain.push_str(&inner.join("\n"));
        plain.push('\n');
        base += rest;
    }
    let events::Walked {
        mut facts,
        heading_line_ends,
    } = events::walk(text, base, &mut plain);
    facts.sections = sections(&facts.headings, &heading_line_ends, text.len());
    facts.plain_text_lower = plain.trim_end().to_lowercase();
    facts.front_matter_title = front_matter_title;
    facts
}

/// One section per heading: it runs until the next heading of the same or a higher level, and its body starts after
/// the heading's line break.
fn sections(headings: &[Heading], heading_line_ends: &[usize], text_len: usize) -> Vec<Section> {
    headings
        .iter()
        .enumerate()
        .map(|(index, heading)| {
            let end = headings
                .get(index + 1..)
                .unwrap_or_default()
                .iter()
                .find(|next| next.level <= heading.level)
                .map_or(text_len, |next| next.range.start)
                .max(heading.range.end);
            let line_end = heading_line_ends
                .get(index)
                .copied()
                .unwrap_or(heading.range.end);
            let body_start = line_end.clamp(heading.range.end, end);
            Section {
                heading: index,
                range: TextRange::new(heading.range.start, end),
                body: TextRange::new(body_start, end),
            }
        })
        .collect()
}
