//! The walk over `pulldown-cmark`'s offset iterator that collects headings, code blocks, lists, links and plain text.
//! Sections are derived from the headings afterwards, in the parent module.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::scan::{back_over_indent, fence_lang, strip_html, trim_end};
use super::{CodeBlock, Heading, Link, List, MarkdownFacts};
use crate::Spanned;
use shipready_text::TextRange;

/// The extensions GitHub-flavoured guides use. Metadata blocks are left out on purpose: front matter is found by
/// `scan::front_matter`, because `pulldown-cmark` would also take a `---` block in the middle of a document.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// What the walk found, with each heading's raw end (after its line break) kept for the section bodies.
pub(super) struct Walked {
    pub facts: MarkdownFacts,
    pub heading_line_ends: Vec<usize>,
}

/// A heading whose end event has not been seen yet.
struct OpenHeading {
    level: u8,
    start: usize,
    raw_end: usize,
    text: String,
    /// Where the heading's last inline content ends; an attribute block can only follow it.
    content_end: Option<usize>,
    /// Whether a trailing `{...}` was not a real attribute block and must be given back to the text.
    restore_braces: bool,
}

/// A code block whose end event has not been seen yet.
struct OpenCode {
    lang: Option<String>,
    start: usize,
    end: usize,
    content: String,
}

/// Walks the Markdown in `text[base..]`; every range in the result is an offset into `text`.
pub(super) fn walk(text: &str, base: usize, plain: &mut String) -> Walked {
    let markdown = text.get(base..).unwrap_or("");
    let mut facts = MarkdownFacts::default();
    let mut heading_line_ends = Vec::new();
    let mut heading: Option<OpenHeading> = None;
    let mut code: Option<OpenCode> = None;
    let mut html: Option<String> = None;
    // Indexes into `facts.lists` of the lists that contain the current event, innermost last.
    let mut open_lists: Vec<usize> = Vec::new();

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let (start, end) = (range.start + base, range.end + base);
        if let Some(open) = heading
            .as_mut()
            .filter(|_| !matches!(event, Event::End(TagEnd::Heading(_))))
        {
            open.content_end = Some(end);
        }
        match event {
            Event::Start(tag) => {
                separate_around(&tag.to_end(), plain);
                match tag {
                    Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    } => {
                        // `{item_id}` in `### GET /items/{item_id}` is parsed as a valueless attribute, but no
                        // guide means that: only an id, a class or a `key=value` makes a real attribute block.
                        let restore_braces = id.is_none()
                            && classes.is_empty()
                            && attrs.iter().all(|(_, value)| value.is_none());
                        heading = Some(OpenHeading {
                            level: level as u8,
                            start,
                            raw_end: end,
                            text: String::new(),
                            content_end: None,
                            restore_braces,
                        });
                    }
                    Tag::CodeBlock(kind) => {
                        let (lang, start) = match kind {
                            CodeBlockKind::Fenced(info) => (fence_lang(&info), start),
                            CodeBlockKind::Indented => (None, back_over_indent(text, start)),
                        };
                        code = Some(OpenCode {
                            lang,
                            start,
                            end,
                            content: String::new(),
                        });
                    }
                    Tag::HtmlBlock => html = Some(String::new()),
                    Tag::List(first_number) => {
                        open_lists.push(facts.lists.len());
                        let range = trim_end(text, start, end);
                        facts.lists.push(List {
                            ordered: first_number.is_some(),
                            range,
                            items: Vec::new(),
                        });
                    }
                    Tag::Item => {
                        if let Some(list) = open_lists.last().and_then(|&i| facts.lists.get_mut(i))
                        {
                            list.items.push(trim_end(text, start, end));
                        }
                    }
                    Tag::Link { dest_url, .. } => {
                        facts.links.push(Link {
                            dest: dest_url.to_string(),
                            range: (start..end).into(),
                        });
                    }
                    _ => {}
                }
            }
            Event::End(tag_end) => {
                match tag_end {
                    TagEnd::Heading(_) => {
                        if let Some(mut open) = heading.take() {
                            if open.restore_braces {
                                let braces = brace_text(text, &open);
                                open.text.push_str(braces);
                                plain.push_str(braces);
                            }
                            facts.headings.push(Heading {
                                level: open.level,
                                text: open.text.trim().to_string(),
                                range: trim_end(text, open.start, open.raw_end),
                            });
                            heading_line_ends.push(open.raw_end);
                        }
                    }
                    TagEnd::CodeBlock => {
                        if let Some(open) = code.take() {
                            let range = trim_end(text, open.start, open.end);
                            let commands =
                                super::commands::commands(open.lang.as_deref(), &open.content);
                            facts.code_blocks.push(CodeBlock {
                                lang: open.lang,
                                range,
                                content: open.content,
                                commands,
                            });
                        }
                    }
                    TagEnd::HtmlBlock => {
                        if let Some(block) = html.take() {
                            strip_html(&block, plain);
                        }
                    }
                    TagEnd::List(_) => {
                        open_lists.pop();
                    }
                    _ => {}
                }
                separate_around(&tag_end, plain);
            }
            Event::Text(t) => {
                if let Some(open) = code.as_mut() {
                    open.content.push_str(&t);
                }
                if let Some(open) = heading.as_mut() {
                    open.text.push_str(&t);
                }
                plain.push_str(&t);
            }
            Event::Code(t) => {
                facts.inline_code.push(inline_code(text, start, end, &t));
                if let Some(open) = heading.as_mut() {
                    open.text.push_str(&t);
                }
                plain.push_str(&t);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some(open) = heading.as_mut() {
                    open.text.push_str(&t);
                }
                plain.push_str(&t);
            }
            Event::Html(t) => match html.as_mut() {
                Some(block) => block.push_str(&t),
                None => strip_html(&t, plain),
            },
            Event::InlineHtml(t) => strip_html(&t, plain),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(open) = heading.as_mut() {
                    open.text.push(' ');
                }
                plain.push('\n');
            }
            Event::Rule => separate(plain, '\n'),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    Walked {
        facts,
        heading_line_ends,
    }
}

/// The `{...}` text `pulldown-cmark` took for an attribute block at the end of a heading's line, with the
/// whitespace before it, or `""` when there is none.
/// An inline code span from its raw range (backticks included) and its text: the range of the text inside the
/// backticks when it appears there verbatim (CommonMark strips one space each side), else the whole span.
fn inline_code(text: &str, start: usize, end: usize, code: &str) -> Spanned<String> {
    let raw = text.get(start..end).unwrap_or("");
    let inner = raw.trim_matches('`');
    let lead = raw.len() - raw.trim_start_matches('`').len();
    let range = match inner.find(code).filter(|_| !code.is_empty()) {
        Some(at) => TextRange::new(start + lead + at, start + lead + at + code.len()),
        None => TextRange::new(start, end),
    };
    Spanned::new(code.to_owned(), range)
}

fn brace_text<'a>(text: &'a str, heading: &OpenHeading) -> &'a str {
    let from = heading.content_end.unwrap_or(heading.start);
    let line = text.get(from..heading.raw_end).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("");
    let (Some(open), Some(close)) = (line.find('{'), line.rfind('}')) else {
        return "";
    };
    if open > close {
        return "";
    }
    // Without inline content before it the line still starts with the `##` marker, which is not text.
    let start = if heading.content_end.is_some() {
        0
    } else {
        open
    };
    line.get(start..=close).unwrap_or("")
}

/// Keeps words of neighbouring blocks apart in the plain text: block starts and ends become a line break, table
/// cells a space, and inline markup (emphasis, links) nothing, so `**dep**loy` still reads as one word.
fn separate_around(tag: &TagEnd, plain: &mut String) {
    match tag {
        TagEnd::Emphasis
        | TagEnd::Strong
        | TagEnd::Strikethrough
        | TagEnd::Superscript
        | TagEnd::Subscript
        | TagEnd::Link
        | TagEnd::Image => {}
        TagEnd::TableCell => separate(plain, ' '),
        _ => separate(plain, '\n'),
    }
}

/// Appends `sep` unless the text is empty or already ends in whitespace.
fn separate(plain: &mut String, sep: char) {
    if plain
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace())
    {
        plain.push(sep);
    }
}
