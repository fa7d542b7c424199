//! Drives the `tree-sitter-containerfile` grammar: parses the file, hands each instruction to the builder and
//! recovers from regions the grammar could not parse by re-parsing them one instruction at a time.

use shipready_text::{LineIndex, TextRange};
use std::cell::RefCell;
use std::sync::Arc;

use tree_sitter::{InputEdit, Node, Parser, Point, Range, Tree};

use super::build::{children, Builder};
use super::text::{
    directives, grammar_text, node_range, split_instructions, trim_range, Directives,
};
use super::DockerfileFacts;
use crate::point::point_at;

const KEYWORDS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
    "MAINTAINER",
];

/// The tree of a Dockerfile's last parse and the text the grammar read, from which the parse of an edited
/// version starts: tree-sitter reuses what the edit did not touch (with this grammar, the tokens: instruction
/// nodes are rebuilt around them). It also keeps the text and its facts, which an edit inside a comment only
/// moves (see [`LastParse::moved_to`]). Cloning it is cheap: it is shared.
#[derive(Clone)]
pub struct LastParse(Arc<Parsed>);

struct Parsed {
    text: String,
    grammar_text: String,
    tree: Tree,
    facts: DockerfileFacts,
}

#[cfg(test)]
impl LastParse {
    pub(crate) fn tree(&self) -> &Tree {
        &self.0.tree
    }

    /// Whether `other` is this very parse (kept, not parsed again).
    pub(crate) fn same(&self, other: &LastParse) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl LastParse {
    /// The facts of `text` when it is this parse's text with an edit inside one of its top-level comment lines
    /// that leaves it a comment no one reads ([`super::comment_edit`]), in an error-free parse: this parse's
    /// facts, moved. The walk skips top-level comments, so the facts of such a text differ only in where they
    /// are; a `#` line inside an instruction (a heredoc's body, a comment between continued lines) is not a
    /// top-level comment node and is parsed.
    fn moved_to(&self, text: &str) -> Option<DockerfileFacts> {
        let last = &*self.0;
        if last.text == text {
            return Some(last.facts.clone());
        }
        if !last.facts.errors.is_empty() || last.tree.root_node().has_error() {
            return None;
        }
        let by = super::comment_edit(&last.text, text)?;
        let root = last.tree.root_node();
        let inside_a_comment = children(root).any(|node| {
            node.kind() == "comment"
                && node.start_byte() < by.at
                && by.at + by.removed <= node.end_byte()
        });
        inside_a_comment.then(|| last.facts.moved(&by))
    }
}

impl std::fmt::Debug for LastParse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastParse")
            .field("len", &self.0.grammar_text.len())
            .finish_non_exhaustive()
    }
}

pub(super) fn parse(text: &str, last: Option<&LastParse>) -> (DockerfileFacts, Option<LastParse>) {
    if let Some(facts) = last.and_then(|l| l.moved_to(text)) {
        return (facts, last.cloned());
    }
    let directives = directives(text);
    let grammar_text = grammar_text(text, directives.escape);
    let mut walker = Walker {
        text,
        grammar_text: &grammar_text,
        lines: LineIndex::new(text),
        directives,
        builder: Builder::new(text),
    };
    let mut kept = None;
    match walker.parse_whole(last) {
        Ok(Some(tree)) => {
            walker.walk(tree.root_node(), true);
            kept = Some(tree);
        }
        Ok(None) => {}
        Err(CutOff) => {
            let notice = crate::budget::notice_error(crate::budget::budget());
            walker.builder.error(notice.range, notice.message);
        }
    }
    let facts = walker.builder.finish();
    let last = kept.map(|tree| {
        LastParse(Arc::new(Parsed {
            text: text.to_owned(),
            grammar_text: grammar_text.into_owned(),
            tree,
            facts: facts.clone(),
        }))
    });
    (facts, last)
}

/// The edit that turns `old` into `new`: the bytes between their common prefix and common suffix.
fn edit_between(old: &str, new: &str) -> InputEdit {
    let d = shipready_text::Displacement::between(old, new);
    let (old_end, new_end) = (d.at + d.removed, d.at + d.inserted);
    InputEdit {
        start_byte: d.at,
        old_end_byte: old_end,
        new_end_byte: new_end,
        start_position: point_at(old, d.at),
        old_end_position: point_at(old, old_end),
        new_end_position: point_at(new, new_end),
    }
}

thread_local! {
    /// One parser per thread, reset before each parse: creating one costs as much as parsing a short file.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// A parse the time budget cut off.
struct CutOff;

struct Walker<'a> {
    text: &'a str,
    /// What the grammar parses: `text` with a few same-length substitutions (see `grammar_text`).
    grammar_text: &'a str,
    lines: LineIndex,
    directives: Directives,
    builder: Builder<'a>,
}

impl Walker<'_> {
    /// Parses the whole text, starting from `last` when given. A tree with errors is parsed afresh: error
    /// recovery can differ between an incremental and a fresh parse, and the facts must not depend on the
    /// editing history; an error-free tree is the same either way.
    fn parse_whole(&self, last: Option<&LastParse>) -> Result<Option<Tree>, CutOff> {
        if let Some(last) = last {
            let mut old = last.0.tree.clone();
            old.edit(&edit_between(&last.0.grammar_text, self.grammar_text));
            if let Ok(Some(tree)) = self.parse_with(&[], Some(&old)) {
                if !tree.root_node().has_error() {
                    return Ok(Some(tree));
                }
            }
        }
        self.parse_ranges(&[])
    }

    /// Parses the whole text, or only `ranges` of it (byte offsets stay those of the whole text).
    fn parse_ranges(&self, ranges: &[TextRange]) -> Result<Option<Tree>, CutOff> {
        self.parse_with(ranges, None)
    }

    fn parse_with(&self, ranges: &[TextRange], old: Option<&Tree>) -> Result<Option<Tree>, CutOff> {
        let ranges: Vec<Range> = ranges
            .iter()
            .map(|r| Range {
                start_byte: r.start,
                end_byte: r.end,
                start_point: self.point(r.start),
                end_point: self.point(r.end),
            })
            .collect();
        PARSER.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                let mut parser = Parser::new();
                if parser
                    .set_language(&tree_sitter_containerfile::LANGUAGE.into())
                    .is_err()
                {
                    return Ok(None);
                }
                *slot = Some(parser);
            }
            let Some(parser) = slot.as_mut() else {
                return Ok(None);
            };
            // A parse cut off by the budget would otherwise be resumed by the next call.
            parser.reset();
            if parser.set_included_ranges(&ranges).is_err() {
                return Ok(None);
            }
            match crate::budget::parse(parser, self.grammar_text, old, crate::budget::budget()) {
                crate::budget::Parse::Tree(tree) => Ok(Some(tree)),
                crate::budget::Parse::CutOff => Err(CutOff),
                crate::budget::Parse::Failed => Ok(None),
            }
        })
    }

    fn point(&self, offset: usize) -> Point {
        let row = self.lines.line_of(offset);
        Point::new(row, offset - self.lines.line_start(row).min(offset))
    }

    /// Visits the top-level nodes; `recover` is false inside a re-parsed region so recovery never recurses.
    fn walk(&mut self, root: Node, recover: bool) {
        let mut previous_end = 0;
        // On some inputs the grammar returns the root itself as an `ERROR` node.
        let nodes: Vec<Node> = if root.is_error() {
            vec![root]
        } else {
            children(root).collect()
        };
        for node in nodes {
            if node.kind() == "comment" {
                continue;
            }
            let range = trim_range(self.text, node_range(node));
            let broken =
                node.is_error() || node.is_missing() || swallows_next_line(self.text, node);
            if !broken {
                self.nested_errors(node, node);
                self.builder.instruction(node);
            } else {
                let after_instruction = !self.on_own_line(range.start, previous_end);
                let chunks = split_instructions(self.text, range, self.directives.escape);
                for (i, chunk) in chunks.into_iter().enumerate() {
                    if i == 0 && after_instruction {
                        self.report_trailing(chunk);
                    } else if recover {
                        self.recover(chunk);
                    } else {
                        self.report_unparsed(chunk);
                    }
                }
            }
            previous_end = range.end.max(previous_end);
        }
    }

    /// Whether only whitespace separates `start` from the start of its line or the previous instruction's line.
    fn on_own_line(&self, start: usize, previous_end: usize) -> bool {
        let line_start = self.lines.line_start(self.lines.line_of(start));
        previous_end <= line_start
            || TextRange::new(previous_end, start)
                .slice(self.text)
                .contains('\n')
    }

    /// Re-parses one instruction of an unparsable region on its own, so a half-typed line costs one error and
    /// the instructions around it are still read.
    fn recover(&mut self, chunk: TextRange) {
        let mut ranges = Vec::new();
        if let Some(line) = self.directives.escape_line.filter(|l| l.end <= chunk.start) {
            ranges.push(line);
        }
        ranges.push(chunk);
        match self.parse_ranges(&ranges) {
            Ok(Some(tree)) => self.walk(tree.root_node(), false),
            Ok(None) | Err(CutOff) => self.report_unparsed(chunk),
        }
    }

    /// Reports text left over after an instruction on the same line (`FROM a AS`, `FROM a AS b c`).
    fn report_trailing(&mut self, range: TextRange) {
        let body = range.slice(self.text).trim();
        let word = body.split_whitespace().next().unwrap_or("");
        let message = if body.eq_ignore_ascii_case("as") {
            "`AS` needs a stage name".to_string()
        } else {
            format!("unexpected `{word}` after the end of the instruction")
        };
        self.builder.error(range, message);
    }

    /// Reports an instruction the grammar rejects, with a message naming what is wrong.
    fn report_unparsed(&mut self, range: TextRange) {
        let body = range.slice(self.text);
        let word = body.split_whitespace().next().unwrap_or("");
        let rest = body.get(word.len()..).unwrap_or("").trim();
        let keyword = KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(word));
        let message = match keyword {
            Some(&"FROM") => {
                let platform = rest
                    .strip_prefix("--platform=")
                    .map(|p| p.split_whitespace().next().unwrap_or("").to_string());
                self.builder.incomplete_from(range, platform);
                "`FROM` needs an image, e.g. `FROM python:3.12-slim`".to_string()
            }
            Some(k) if rest.is_empty() => format!("`{k}` needs arguments"),
            Some(k) => format!("invalid `{k}` instruction"),
            None if word.chars().all(|c| c.is_ascii_alphabetic()) => {
                format!("unknown instruction `{word}`")
            }
            None => format!("unexpected `{word}`"),
        };
        self.builder.error(range, message);
    }

    /// Errors inside an otherwise parsed instruction (e.g. an unclosed quote or a missing `=`).
    fn nested_errors(&mut self, instruction: Node, node: Node) {
        for child in children(node) {
            if child.is_missing() {
                let range = trim_range(self.text, node_range(instruction));
                let keyword = keyword_of(range.slice(self.text));
                self.builder.error(
                    range,
                    format!(
                        "incomplete `{keyword}` instruction: missing `{}`",
                        child.kind()
                    ),
                );
            } else if child.is_error() {
                let range = trim_range(self.text, node_range(child));
                let word = range
                    .slice(self.text)
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                let keyword = keyword_of(node_range(instruction).slice(self.text));
                self.builder.error(
                    range,
                    format!("unexpected `{word}` in the `{keyword}` instruction"),
                );
            } else if child.has_error() {
                self.nested_errors(instruction, child);
            }
        }
    }
}

fn keyword_of(instruction: &str) -> String {
    instruction
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}

/// The grammar lets `ENV KEY` and `LABEL key` without a value take the next line as their value; Docker rejects
/// such an instruction, so it is treated as unparsed and the next line is read as its own instruction.
fn swallows_next_line(text: &str, node: Node) -> bool {
    if !matches!(node.kind(), "env_instruction" | "label_instruction") {
        return false;
    }
    children(node)
        .filter(|c| matches!(c.kind(), "env_pair" | "label_pair"))
        .any(|pair| {
            let key = pair
                .child_by_field_name("name")
                .or_else(|| pair.child_by_field_name("key"));
            let value = pair.child_by_field_name("value");
            match (key, value) {
                (Some(k), Some(v)) => {
                    let gap = TextRange::new(k.end_byte(), v.start_byte()).slice(text);
                    gap.contains('\n') && !gap.contains(['\\', '`'])
                }
                _ => false,
            }
        })
}
