//! Typing inside a comment line of a Dockerfile: the facts do not change, they move.
//!
//! [`comment_edit`] recognises an edit that stays inside one comment line and leaves it a comment line that no
//! one reads (not a parser directive, not a suppression, not continued); [`DockerfileFacts::moved`] moves
//! every offset of the old facts past it. The audit uses both to keep a unit's findings instead of judging it
//! again (`SourceFile::moved_from` in the rules crate), after checking that the moved old facts equal the new
//! ones: a `#` line inside a heredoc is a comment line to this check, but it is part of a `RUN`'s text, and the
//! facts then differ.

use shipready_text::{Displacement, TextRange};

use super::{ArgDecl, Command, DockerfileFacts, EnvVar, Healthcheck, ImageRef, RunStep, Stage};
use crate::{Spanned, SyntaxError};

/// The displacement that turns `old` into `new` when the bytes that differ lie inside one line that is a
/// comment line in both texts (after the `#`, with no line break among them), and that line is neither a
/// parser directive nor an inline suppression in either text, and does not end with a line continuation.
/// Such an edit changes no instruction and no line's kind (comment, blank or instruction): whatever reads the
/// text line by line sees the same lines, and only the offsets after the edit move.
pub fn comment_edit(old: &str, new: &str) -> Option<Displacement> {
    let by = Displacement::between(old, new);
    let removed = old.get(by.at..by.at + by.removed)?;
    let inserted = new.get(by.at..by.at + by.inserted)?;
    if removed.contains(['\n', '\r']) || inserted.contains(['\n', '\r']) {
        return None;
    }
    (quiet_comment_around(old, by.at)? && quiet_comment_around(new, by.at)?).then_some(by)
}

/// Whether the line of `text` holding offset `at` is a comment line whose `#` comes before `at` (and no
/// carriage return before it), that no one reads: not a directive (`# syntax=...`, `# escape=...`: any `=` is refused), not a suppression
/// (`shipready: ignore`), not ending with an escape character (`\` or `` ` ``) that could continue it.
fn quiet_comment_around(text: &str, at: usize) -> Option<bool> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(start..end)?;
    // A carriage return ends a line for the grammar too: one may end the line (CRLF), after the edit, and
    // nowhere else.
    let content = line.strip_suffix('\r').unwrap_or(line);
    if content.contains('\r') || at > start + content.len() {
        return Some(false);
    }
    let body = line.trim_start();
    let hash = start + (line.len() - body.len());
    let quiet = body.starts_with('#')
        && hash < at
        && !body.contains('=')
        && !body.to_ascii_lowercase().contains("shipready")
        && !body.trim_end().ends_with(['\\', '`']);
    Some(quiet)
}

impl DockerfileFacts {
    /// These facts with every offset moved past `by` (see [`Displacement::offset`]).
    pub fn moved(&self, by: &Displacement) -> DockerfileFacts {
        let r = |range: TextRange| by.range(range);
        let spanned = |s: &Spanned<String>| Spanned::new(s.value.clone(), r(s.range));
        let command = |c: &Command| Command {
            range: r(c.range),
            ..c.clone()
        };
        DockerfileFacts {
            stages: self
                .stages
                .iter()
                .map(|s| Stage {
                    index: s.index,
                    range: r(s.range),
                    from_range: r(s.from_range),
                    image: ImageRef {
                        range: r(s.image.range),
                        ..s.image.clone()
                    },
                    alias: s.alias.as_ref().map(spanned),
                    platform: s.platform.clone(),
                    user: s.user.as_ref().map(spanned),
                    healthcheck: s.healthcheck.as_ref().map(|h| Healthcheck {
                        range: r(h.range),
                        ..h.clone()
                    }),
                    exposes: s.exposes.iter().map(spanned).collect(),
                    cmd: s.cmd.as_ref().map(command),
                    entrypoint: s.entrypoint.as_ref().map(command),
                    runs: s
                        .runs
                        .iter()
                        .map(|run| RunStep {
                            range: r(run.range),
                            ..run.clone()
                        })
                        .collect(),
                    env: s
                        .env
                        .iter()
                        .map(|e| EnvVar {
                            range: r(e.range),
                            ..e.clone()
                        })
                        .collect(),
                    copies_from: s.copies_from.clone(),
                    last_instruction: r(s.last_instruction),
                })
                .collect(),
            global_args: self
                .global_args
                .iter()
                .map(|a| ArgDecl {
                    range: r(a.range),
                    ..a.clone()
                })
                .collect(),
            first_instruction: self.first_instruction.map(r),
            errors: self
                .errors
                .iter()
                .map(|e| SyntaxError {
                    range: r(e.range),
                    message: e.message.clone(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# syntax=docker/dockerfile:1\n# build the app\nFROM python:3.12 AS app\n  # indented note\nUSER app\nCMD [\"x\"]\n";

    fn edit(text: &str, at: usize, removed: usize, inserted: &str) -> String {
        format!("{}{inserted}{}", &text[..at], &text[at + removed..])
    }

    #[test]
    fn typing_inside_a_comment_line_moves_the_facts() {
        let at = TEXT.find("the app").unwrap_or(0);
        for (removed, inserted) in [(0, "x"), (3, ""), (4, "new "), (0, "é")] {
            let new = edit(TEXT, at, removed, inserted);
            let by = comment_edit(TEXT, &new).expect("a comment edit");
            assert_eq!(
                super::super::parse(TEXT).moved(&by),
                super::super::parse(&new)
            );
        }
        let indented = TEXT.find("note").unwrap_or(0);
        let new = edit(TEXT, indented, 0, "more ");
        assert!(comment_edit(TEXT, &new).is_some());
    }

    #[test]
    fn edits_that_change_what_a_line_is_are_refused() {
        let comment = TEXT.find("# build").unwrap_or(0);
        let blank = "FROM python\n\nCMD x\n";
        let refused = [
            // The `#` itself, a line break, text before the `#`.
            (TEXT.to_owned(), edit(TEXT, comment, 1, "")),
            (TEXT.to_owned(), edit(TEXT, comment + 3, 0, "\n")),
            (TEXT.to_owned(), edit(TEXT, comment, 0, "x")),
            // A directive, a suppression, a continuation.
            (TEXT.to_owned(), edit(TEXT, 10, 0, "x")),
            (TEXT.to_owned(), edit(TEXT, comment + 2, 0, "a=b ")),
            (
                TEXT.to_owned(),
                edit(TEXT, comment + 2, 0, "shipready: ignore[DK001] "),
            ),
            (TEXT.to_owned(), edit(TEXT, comment + 15, 0, " \\")),
            // An instruction, a blank line becoming a comment.
            (
                TEXT.to_owned(),
                edit(TEXT, TEXT.find("app\nCMD").unwrap_or(0), 0, "x"),
            ),
            (blank.to_owned(), edit(blank, 12, 0, "#")),
        ];
        for (old, new) in refused {
            assert_ne!(old, new);
            assert_eq!(comment_edit(&old, &new), None, "{new:?}");
        }
    }

    /// Found by fuzzing: a carriage return ended the comment for the grammar, and text typed after it was an
    /// instruction, not part of the comment.
    #[test]
    fn text_typed_after_a_carriage_return_is_parsed() {
        let old = "#\0\u{3}\r";
        let new = "#\0\u{3}\r\0\u{fffd}";
        assert_eq!(comment_edit(old, new), None);
        let (_, last) = super::super::reparse(old, None);
        let (facts, _) = super::super::reparse(new, last.as_ref());
        assert_eq!(facts, super::super::parse(new));
        // A CRLF comment line is typed into before its carriage return.
        let crlf = "FROM python\r\n# note\r\nCMD x\r\n";
        let typed = crlf.replacen("note", "notes", 1);
        assert!(comment_edit(crlf, &typed).is_some());
    }

    #[test]
    fn moving_reaches_every_offset() {
        let text = "ARG V=1\nFROM python:${V} AS base\nUSER app\nEXPOSE 8000\nENV A=1\nRUN pip install x\nHEALTHCHECK CMD curl -f localhost\nENTRYPOINT [\"a\"]\nCMD b\nFROM base\nCOPY --from=base /a /a\nRUN <<EOF\nset -e\nEOF\nFROM\n";
        let facts = super::super::parse(text);
        let by = Displacement {
            at: 0,
            removed: 0,
            inserted: 3,
        };
        let moved = facts.moved(&by);
        let json = |f: &DockerfileFacts| serde_json::to_value(f).unwrap_or_default();
        // Every range in the facts moved: their JSON differs wherever an offset is, and nowhere else.
        let mut offsets = Vec::new();
        collect_offsets(&json(&facts), &mut offsets);
        let mut after = Vec::new();
        collect_offsets(&json(&moved), &mut after);
        assert!(
            offsets.len() > 20 && !facts.errors.is_empty(),
            "{offsets:?}"
        );
        assert_eq!(after, offsets.iter().map(|o| o + 3).collect::<Vec<_>>());
    }

    /// Every `start` and `end` in a JSON tree.
    fn collect_offsets(v: &serde_json::Value, out: &mut Vec<u64>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v.as_u64()) {
                        ("start" | "end", Some(n)) => out.push(n),
                        _ => collect_offsets(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect_offsets(v, out)),
            _ => {}
        }
    }
}
