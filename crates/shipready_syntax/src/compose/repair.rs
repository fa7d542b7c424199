//! Error-tolerant parsing of YAML with tree-sitter-yaml.
//!
//! tree-sitter-yaml recovers badly from indentation mistakes: one tab-indented or mis-indented line can turn the
//! whole file into a single `ERROR` node and drop everything after it. Because a half-typed compose file in an
//! editor is the normal case, a file with errors is repaired line by line (a bad line is re-indented like its
//! neighbours or blanked out) as long as that shrinks the unparsed part, and the repaired text is parsed instead.
//! Every repair is reported as a syntax error on the original line, and an [`OffsetMap`] maps offsets in the repaired
//! text back to the original, so all ranges still point into the text the user wrote.

use std::collections::BTreeMap;
use std::time::Instant;

use shipready_text::TextRange;
use tree_sitter::{Node, Parser, Tree};

use super::candidates::{candidates, expand_tabs, indent_prefix, is_comment_or_blank, LineEdit};
use crate::budget::{self, Parse};
use crate::SyntaxError;

/// Repairs are tried only on files up to this size, to bound the time spent re-parsing.
const MAX_REPAIR_BYTES: usize = 256 * 1024;
/// Trial parses stop once they have read this many bytes in all, so that a large broken file stays fast to parse.
const MAX_TRIAL_BYTES: usize = 4 * 1024 * 1024;
/// At most this many rounds of line repairs are made.
const MAX_REPAIRS: usize = 12;

/// The result of a tolerant parse: the tree of the (possibly repaired) text, and the way back to the original.
pub(crate) struct Parsed {
    pub tree: Option<Tree>,
    /// The text `tree` was parsed from; equal to the input unless lines were repaired.
    pub text: String,
    pub map: OffsetMap,
    pub errors: Vec<SyntaxError>,
}

/// Maps byte offsets in a repaired text back to the original. Repairs only change the indentation of whole lines,
/// so one shift per re-indented line describes the whole mapping.
#[derive(Default)]
pub(crate) struct OffsetMap {
    shifts: Vec<Shift>,
}

struct Shift {
    repaired_start: usize,
    original_start: usize,
    repaired_prefix: usize,
    original_prefix: usize,
}

impl OffsetMap {
    pub fn to_original(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|s| s.repaired_start <= offset);
        let Some(s) = i.checked_sub(1).and_then(|i| self.shifts.get(i)) else {
            return offset;
        };
        let into_line = offset - s.repaired_start;
        if into_line < s.repaired_prefix {
            s.original_start + into_line.min(s.original_prefix)
        } else {
            s.original_start + s.original_prefix + (into_line - s.repaired_prefix)
        }
    }

    pub fn range(&self, start: usize, end: usize) -> TextRange {
        TextRange::new(self.to_original(start), self.to_original(end))
    }
}

/// A parse within what is left of the file's time budget; `None` once it has run out.
fn parse_by(parser: &mut Parser, text: &str, deadline: Instant) -> Option<Tree> {
    let left = deadline.saturating_duration_since(Instant::now());
    match budget::parse(parser, text, None, left) {
        Parse::Tree(tree) => Some(tree),
        Parse::CutOff | Parse::Failed => None,
    }
}

/// Parse `text`, repairing bad lines when the plain parse has errors.
pub(crate) fn parse(text: &str) -> Parsed {
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_yaml::LANGUAGE.into())
        .is_err()
    {
        return Parsed {
            tree: None,
            text: text.to_owned(),
            map: OffsetMap::default(),
            errors: Vec::new(),
        };
    }
    // One budget for the plain parse and every repair trial together.
    let deadline = Instant::now() + budget::budget();
    let lines = line_spans(text);
    let mut edits: BTreeMap<usize, LineEdit> = BTreeMap::new();
    let (mut best_text, mut best_map) = (text.to_owned(), OffsetMap::default());
    let mut best_tree = parse_by(&mut parser, text, deadline);
    if best_tree.is_none() && Instant::now() >= deadline {
        // Cut off before any tree: nothing is known of the file, and the facts say why.
        return Parsed {
            tree: None,
            text: text.to_owned(),
            map: OffsetMap::default(),
            errors: vec![budget::notice_error(budget::budget())],
        };
    }
    let mut best_score = best_tree
        .as_ref()
        .map_or(Score::default(), |t| score(t, text, text, &lines, &edits));
    let repairable = text.len() <= MAX_REPAIR_BYTES;
    let mut budget = MAX_TRIAL_BYTES;
    let mut spend = |len: usize| match budget.checked_sub(len) {
        Some(left) => {
            budget = left;
            true
        }
        None => false,
    };
    // Tab indentation usually runs through a whole file, so it is expanded everywhere at once, with the tab width
    // that parses best, before single lines are repaired.
    if repairable && best_score.bad > 0 {
        // Ties go to the first width tried, and four columns is the most common editor setting.
        for width in [4, 2, 8] {
            let trial = expand_tabs(text, &lines, width);
            if trial.is_empty() {
                break;
            }
            let (trial_text, trial_map) = apply(text, &lines, &trial);
            let Some(trial_tree) = parse_by(&mut parser, &trial_text, deadline) else {
                continue;
            };
            let s = score(&trial_tree, &trial_text, text, &lines, &trial);
            if s < best_score {
                (best_score, edits, best_tree, best_text, best_map) =
                    (s, trial, Some(trial_tree), trial_text, trial_map);
            }
        }
    }
    let mut rounds = 0;
    let mut greedy: Vec<usize> = Vec::new();
    while repairable && best_score.bad > 0 && rounds < MAX_REPAIRS {
        rounds += 1;
        let Some(tree) = best_tree.as_ref() else {
            break;
        };
        let mut improved = None;
        for candidate in candidates(tree, &best_text, &line_spans(&best_text), &edits) {
            let mut trial = edits.clone();
            trial.extend(candidate);
            let (trial_text, _) = apply(text, &lines, &trial);
            if !spend(trial_text.len()) {
                break;
            }
            let Some(trial_tree) = parse_by(&mut parser, &trial_text, deadline) else {
                continue;
            };
            let s = score(&trial_tree, &trial_text, text, &lines, &trial);
            if s < best_score && improved.as_ref().is_none_or(|(best, _, _)| s < *best) {
                improved = Some((s, trial, trial_tree));
            }
        }
        let Some((s, trial, tree)) = improved else {
            break;
        };
        greedy.extend(trial.keys().filter(|l| !edits.contains_key(l)));
        (best_score, edits, best_tree) = (s, trial, Some(tree));
        (best_text, best_map) = apply(text, &lines, &edits);
    }
    // Greedy repairs can touch a line that only looked wrong before a later repair; undo those that are not needed.
    for line in greedy {
        let mut trial = edits.clone();
        trial.remove(&line);
        let (trial_text, trial_map) = apply(text, &lines, &trial);
        if !spend(trial_text.len()) {
            break;
        }
        let Some(trial_tree) = parse_by(&mut parser, &trial_text, deadline) else {
            continue;
        };
        let s = score(&trial_tree, &trial_text, text, &lines, &trial);
        if s <= best_score {
            (best_score, edits, best_tree, best_text, best_map) =
                (s, trial, Some(trial_tree), trial_text, trial_map);
        }
    }
    let mut errors = edit_errors(text, &lines, &edits);
    if let Some(tree) = &best_tree {
        collect_tree_errors(tree.root_node(), &best_map, &mut errors);
    }
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    Parsed {
        tree: best_tree,
        text: best_text,
        map: best_map,
        errors,
    }
}

/// Byte ranges of the lines of `text`, without their line breaks.
fn line_spans(text: &str) -> Vec<TextRange> {
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        spans.push(TextRange::new(start, start + body.len()));
        start += line.len();
    }
    if text.is_empty() || text.ends_with('\n') {
        spans.push(TextRange::empty(text.len()));
    }
    spans
}

/// The original text with `edits` applied, and the map back to the original offsets.
fn apply(
    text: &str,
    lines: &[TextRange],
    edits: &BTreeMap<usize, LineEdit>,
) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut map = OffsetMap::default();
    let mut copied = 0;
    for (&index, &edit) in edits {
        let Some(line) = lines.get(index) else {
            continue;
        };
        out.push_str(text.get(copied..line.start).unwrap_or(""));
        let body = line.slice(text);
        match edit {
            LineEdit::Blank => out.extend(std::iter::repeat_n(' ', body.len())),
            LineEdit::Indent(width) => {
                let prefix = indent_prefix(body);
                map.shifts.push(Shift {
                    repaired_start: out.len(),
                    original_start: line.start,
                    repaired_prefix: width,
                    original_prefix: prefix,
                });
                out.extend(std::iter::repeat_n(' ', width));
                out.push_str(body.get(prefix..).unwrap_or(""));
            }
        }
        copied = line.end;
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    (out, map)
}

/// How badly a parse went: bytes inside `ERROR` nodes, missing tokens, and text the tree does not cover, plus a
/// small cost per repaired line so that the repair keeping the most text wins.
fn score(
    tree: &Tree,
    text: &str,
    original: &str,
    lines: &[TextRange],
    edits: &BTreeMap<usize, LineEdit>,
) -> Score {
    let root = tree.root_node();
    let mut bad = 0;
    visit_errors(root, &mut |n| {
        bad += if n.is_missing() {
            1
        } else {
            n.byte_range().len().max(1)
        }
    });
    let tail = text.get(root.end_byte()..).unwrap_or("");
    bad += tail.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    let cost: usize = edits
        .iter()
        .map(|(i, e)| match e {
            LineEdit::Blank => lines.get(*i).map_or(1, |l| {
                let body = l.slice(original);
                if is_comment_or_blank(body) {
                    0
                } else {
                    body.trim().len().max(1)
                }
            }),
            // Re-indenting a tab line is the expected fix; moving a space-indented line costs more the further it
            // moves, so that lines which were fine are left alone.
            LineEdit::Indent(width) => lines.get(*i).map_or(1, |l| {
                let body = l.slice(original);
                let prefix = body.get(..indent_prefix(body)).unwrap_or("");
                if prefix.contains('\t') {
                    1
                } else {
                    2 + prefix.len().abs_diff(*width)
                }
            }),
        })
        .sum();
    Score {
        total: bad + cost,
        bad,
    }
}

/// A parse's badness: `total` (unparsed bytes plus repair costs) orders repairs; `bad` says whether errors are left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    total: usize,
    bad: usize,
}

/// Calls `f` on the outermost `ERROR` nodes and on every missing node, without recursion so that deeply nested
/// input cannot overflow the stack.
pub(super) fn visit_errors(root: Node, f: &mut dyn FnMut(Node)) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let descend = if node.is_error() || node.is_missing() {
            f(node);
            false
        } else {
            node.has_error()
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// One error per repaired line, on the original text.
fn edit_errors(
    text: &str,
    lines: &[TextRange],
    edits: &BTreeMap<usize, LineEdit>,
) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    for (&index, &edit) in edits {
        let Some(line) = lines.get(index) else {
            continue;
        };
        let body = line.slice(text);
        let prefix = indent_prefix(body);
        let error = match edit {
            LineEdit::Indent(_) if body.get(..prefix).is_some_and(|p| p.contains('\t')) => {
                let indent = body.get(..prefix).unwrap_or("");
                let first_tab = indent.find('\t').unwrap_or(0);
                let after_last_tab = indent.rfind('\t').map_or(prefix, |i| i + 1);
                SyntaxError {
                    range: TextRange::new(line.start + first_tab, line.start + after_last_tab),
                    message: "tab characters are not allowed in YAML indentation".to_owned(),
                }
            }
            LineEdit::Indent(_) => SyntaxError {
                range: TextRange::new(line.start, line.start + prefix.max(1).min(body.len())),
                message: "this line's indentation does not match the lines around it".to_owned(),
            },
            // Comments are not content: clearing one loses nothing and is not worth a diagnostic.
            LineEdit::Blank if is_comment_or_blank(body) => continue,
            LineEdit::Blank => SyntaxError {
                range: TextRange::new(line.start + prefix, line.end),
                message: "this line is not valid YAML and was skipped".to_owned(),
            },
        };
        errors.push(error);
    }
    errors
}

fn collect_tree_errors(root: Node, map: &OffsetMap, errors: &mut Vec<SyntaxError>) {
    visit_errors(root, &mut |n| {
        let message = if n.is_missing() {
            format!("missing `{}`", n.kind())
        } else {
            "invalid YAML syntax".to_owned()
        };
        errors.push(SyntaxError {
            range: map.range(n.start_byte(), n.end_byte()),
            message,
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_not_repaired() {
        let p = parse("a: 1\n");
        assert!(p.errors.is_empty());
        assert_eq!(p.text, "a: 1\n");
    }

    #[test]
    fn tab_indented_line_is_reindented_and_reported() {
        let text = "a:\n  b: 1\n\tc: 2\nd: 3\n";
        let p = parse(text);
        assert_eq!(p.text, "a:\n  b: 1\n  c: 2\nd: 3\n");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].range.slice(text), "\t");
        assert!(p.errors[0].message.contains("tab"));
    }

    #[test]
    fn offsets_map_back_across_reindented_lines() {
        let text = "a:\n  b: 1\n\tc: 2\nd: 3\n";
        let p = parse(text);
        let c_at = p.text.find("c: 2").unwrap_or(0);
        assert_eq!(p.map.range(c_at, c_at + 4).slice(text), "c: 2");
        let d_at = p.text.find("d: 3").unwrap_or(0);
        assert_eq!(p.map.range(d_at, d_at + 4).slice(text), "d: 3");
    }

    #[test]
    fn key_without_colon_is_blanked() {
        let text = "s:\n  api\n  db:\n    image: pg\n";
        let p = parse(text);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!(p.errors[0].range.slice(text), "api");
        assert!(p.tree.is_some_and(|t| !t.root_node().has_error()));
    }

    #[test]
    fn empty_and_garbage_input_do_not_panic() {
        for text in [
            "",
            "\n",
            "\t",
            "\u{feff}",
            "[",
            "a: [",
            "\"",
            "- - - :",
            "é:\n\té",
            "{{{{{{{{{{",
        ] {
            let _ = parse(text);
        }
    }
}
