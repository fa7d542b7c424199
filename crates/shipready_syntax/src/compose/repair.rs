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
/// Below [`MAX_TRIAL_BYTES`], the trials of a file read at most this many times its length, plus
/// [`TRIAL_BYTES_FLOOR`]: the work spent on repairs grows with the file, so a small hopeless file (a half-typed one
/// on every keystroke, or a fuzzer's input) cannot cost hundreds of trial parses. Mutated real compose and workflow
/// files (re-indented, tab-indented, cut, unclosed-quote and colon-less lines) need 10 times their length at the
/// median and at most about 100 times including the floor; none of them repairs differently under this bound.
const TRIAL_BYTES_PER_BYTE: usize = 64;
/// The trial bytes every file may spend, however short: a few dozen trials of a short file.
const TRIAL_BYTES_FLOOR: usize = 8 * 1024;
/// At most this many rounds of line repairs are made.
const MAX_REPAIRS: usize = 12;

/// The result of a tolerant parse: the tree of the (possibly repaired) text, and the way back to the original.
pub(crate) struct Parsed {
    pub tree: Option<Tree>,
    /// The text `tree` was parsed from; equal to the input unless lines were repaired.
    pub text: String,
    pub map: OffsetMap,
    pub errors: Vec<SyntaxError>,
    /// The repair trials made (tests check their bounds with it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub trials: Trials,
}

/// How many trial parses the repairs made, and how many bytes they read in all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Trials {
    pub parses: usize,
    pub bytes: usize,
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

/// The bytes that all repair trials of a file of `len` bytes may read together.
fn trial_budget(len: usize) -> usize {
    len.saturating_mul(TRIAL_BYTES_PER_BYTE)
        .saturating_add(TRIAL_BYTES_FLOOR)
        .min(MAX_TRIAL_BYTES)
}

/// The parser of the repair trials, with the file's time budget and what is left of its trial bytes.
struct Trier {
    parser: Parser,
    deadline: Instant,
    left: usize,
    trials: Trials,
}

impl Trier {
    /// Whether the trial bytes left are too few for a trial of `len` bytes.
    fn spent(&self, len: usize) -> bool {
        self.left < len
    }

    /// A trial parse of `text`; `None` when the trial bytes or the time budget have run out.
    fn parse(&mut self, text: &str) -> Option<Tree> {
        self.left = self.left.checked_sub(text.len())?;
        self.trials.parses += 1;
        self.trials.bytes += text.len();
        parse_by(&mut self.parser, text, self.deadline)
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
            trials: Trials::default(),
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
            trials: Trials::default(),
        };
    }
    let mut best_score = best_tree
        .as_ref()
        .map_or(Score::default(), |t| score(t, text, text, &lines, &edits));
    let repairable = text.len() <= MAX_REPAIR_BYTES;
    let mut trier = Trier {
        parser,
        deadline,
        left: trial_budget(text.len()),
        trials: Trials::default(),
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
            let Some(trial_tree) = trier.parse(&trial_text) else {
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
            // A trial that could not beat the best one so far even if it parsed cleanly is not parsed at all.
            let bar = improved.as_ref().map_or(best_score, |(best, _, _)| *best);
            if floor(text, &lines, &trial) >= bar {
                continue;
            }
            let (trial_text, _) = apply(text, &lines, &trial);
            if trier.spent(trial_text.len()) {
                break;
            }
            let Some(trial_tree) = trier.parse(&trial_text) else {
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
        if floor(text, &lines, &trial) > best_score {
            continue;
        }
        let (trial_text, trial_map) = apply(text, &lines, &trial);
        if trier.spent(trial_text.len()) {
            break;
        }
        let Some(trial_tree) = trier.parse(&trial_text) else {
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
        trials: trier.trials,
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
    Score {
        total: bad + cost(original, lines, edits),
        bad,
    }
}

/// The best score a trial with `edits` can reach: no error left, only the cost of its repairs. Known before the
/// trial is parsed, so that a trial that cannot win is not parsed.
fn floor(original: &str, lines: &[TextRange], edits: &BTreeMap<usize, LineEdit>) -> Score {
    Score {
        total: cost(original, lines, edits),
        bad: 0,
    }
}

/// What `edits` cost, a small amount per repaired line so that the repair keeping the most text wins.
fn cost(original: &str, lines: &[TextRange], edits: &BTreeMap<usize, LineEdit>) -> usize {
    edits
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
        .sum()
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
    fn repairs_of_a_small_hopeless_file_read_a_bounded_multiple_of_it() {
        // Broken on most lines (a fuzzer's input made readable): without the bound its repairs made 214 trial
        // parses reading 79 KB, 211 times its 374 bytes, and all of it would run again on every keystroke.
        let text = "services:\n  api:\n    build: ./api\n  \"Q    restart: unless-stopped\n  worker:\n\
                    g <<: *common\n    command: celery -A tasks\n  migrate:\n    build: ./api\n\
                    \x20   command: alembic upgrade   ports:\n  \"   - \"6000:8000\"Q    restart: unless-stopped\n\
                    \x20 worker:\n <<: *commones:i\n    command: cmmones:i\n    command: celery -A tasks\n\
                    \x20 migrate:\n    buil---\n/ap \ni   command: alembic upgrade head\n";
        assert_eq!(text.len(), 374);
        let p = parse(text);
        let bound = TRIAL_BYTES_FLOOR + TRIAL_BYTES_PER_BYTE * text.len();
        assert!(p.trials.bytes <= bound, "{:?} over {bound}", p.trials);
        assert!(p.trials.parses <= 100, "{:?}", p.trials);
        // What was repaired within the bound is still reported, and the services before the damage are read.
        assert!(!p.errors.is_empty());
        assert!(p.tree.is_some());
    }

    #[test]
    fn the_trial_bytes_grow_with_the_file_up_to_the_overall_cap() {
        assert_eq!(trial_budget(0), TRIAL_BYTES_FLOOR);
        assert_eq!(
            trial_budget(1000),
            TRIAL_BYTES_FLOOR + 1000 * TRIAL_BYTES_PER_BYTE
        );
        assert_eq!(trial_budget(MAX_REPAIR_BYTES), MAX_TRIAL_BYTES);
        assert_eq!(trial_budget(usize::MAX), MAX_TRIAL_BYTES);
    }

    #[test]
    fn a_one_line_repair_needs_few_trials() {
        // Each repair's cost is checked against the best trial so far before it is parsed: once blanking `api` has
        // parsed cleanly, the costlier re-indents and block blanks cannot win and are skipped (12 parses without it).
        let text = "s:\n  api\n  db:\n    image: pg\n";
        let p = parse(text);
        assert!(p.trials.parses <= 6, "{:?}", p.trials);
        assert_eq!(p.errors.len(), 1);
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
