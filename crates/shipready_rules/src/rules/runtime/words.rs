//! The words of a command with their places: a Dockerfile `CMD`/`ENTRYPOINT`, a compose `command:`, a shell
//! script, split into simple commands at shell separators, each word with the exact range it has in its file.

use shipready_syntax::FileKind;
use shipready_text::TextRange;

use crate::SourceFile;

/// One word of a command, quotes and JSON brackets trimmed, with its file and exact range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub file: &'a str,
    pub range: TextRange,
}

/// A simple command: the words between shell separators (`&&`, `;`, `|`, a script's line breaks).
pub(crate) type Segment<'a> = Vec<Word<'a>>;

/// Separators between simple commands, as words of their own.
const SEPARATORS: &[&str] = &["&&", "||", ";", "|", "&"];

/// Split a flat word list at shell separators.
pub(crate) fn split(words: Vec<Word>) -> Vec<Segment> {
    let mut out = vec![Vec::new()];
    for w in words {
        if SEPARATORS.contains(&w.text) {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            last.push(w);
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The words of `range` in `file`, split into segments. Quotes, JSON brackets and commas around a word are
/// trimmed; a backslash before a line break continues the line. In a `script`, a line break ends a command and
/// `#` starts a comment; elsewhere (a Dockerfile instruction, a compose value) line breaks are spaces.
pub(crate) fn words_in<'a>(
    file: &'a SourceFile,
    range: TextRange,
    script: bool,
) -> Vec<Segment<'a>> {
    let text = file.text.get(range.start..range.end).unwrap_or("");
    let bytes = text.as_bytes();
    let mut segments: Vec<Segment> = vec![Vec::new()];
    let mut i = 0;
    let mut start: Option<usize> = None;
    let push = |segments: &mut Vec<Segment<'a>>, s: usize, e: usize| {
        let raw = &text[s..e];
        let trimmed_start = raw.trim_start_matches(['"', '\'', '[', ',', '(']);
        let lead = raw.len() - trimmed_start.len();
        let mut word = trimmed_start.trim_end_matches(['"', '\'', ']', ',', ')']);
        let semicolon = word.ends_with(';') && word.len() > 1;
        if semicolon {
            word = word.trim_end_matches(';').trim_end_matches(['"', '\'']);
        }
        let list_marker = raw == "-" && file.kind == FileKind::Compose;
        if !word.is_empty() && !list_marker && word != "\\" {
            let from = range.start + s + lead;
            let w = Word {
                text: file.text.get(from..from + word.len()).unwrap_or(""),
                file: &file.path,
                range: TextRange::new(from, from + word.len()),
            };
            if let Some(last) = segments.last_mut() {
                last.push(w);
            }
        }
        if semicolon {
            segments.push(Vec::new());
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        let continuation = b == b'\\'
            && (bytes.get(i + 1) == Some(&b'\n')
                || (bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n')));
        if b.is_ascii_whitespace() || continuation {
            if let Some(s) = start.take() {
                push(&mut segments, s, i);
            }
            if continuation {
                i += if bytes.get(i + 1) == Some(&b'\r') {
                    3
                } else {
                    2
                };
                continue;
            }
            if b == b'\n' && script {
                segments.push(Vec::new());
            }
            i += 1;
            continue;
        }
        if script && b == b'#' && start.is_none() {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        push(&mut segments, s, bytes.len());
    }
    let mut out = Vec::new();
    for segment in segments {
        out.extend(split(segment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipready_syntax::FileKind;

    fn texts(file: &SourceFile, script: bool) -> Vec<Vec<String>> {
        words_in(file, TextRange::new(0, file.text.len()), script)
            .into_iter()
            .map(|s| s.iter().map(|w| w.text.to_owned()).collect())
            .collect()
    }

    #[test]
    fn exec_form_and_shell_form_words() {
        let f = SourceFile::new(
            "Dockerfile",
            FileKind::Dockerfile,
            "CMD [\"uvicorn\", \"app:app\", \"--reload\"]",
        );
        assert_eq!(
            texts(&f, false),
            [["CMD", "uvicorn", "app:app", "--reload"]]
        );
        let f = SourceFile::new(
            "Dockerfile",
            FileKind::Dockerfile,
            "CMD flask db upgrade && \\\n    gunicorn -b :5000 app:app",
        );
        assert_eq!(
            texts(&f, false),
            vec![
                vec!["CMD", "flask", "db", "upgrade"],
                vec!["gunicorn", "-b", ":5000", "app:app"]
            ]
        );
    }

    #[test]
    fn scripts_split_on_lines_and_skip_comments() {
        let f = SourceFile::new(
            "boot.sh",
            FileKind::Script,
            "#!/bin/sh\n# uvicorn --reload\nexec gunicorn \\\n  --workers 2 app:app; echo done\n",
        );
        assert_eq!(
            texts(&f, true),
            vec![
                vec!["exec", "gunicorn", "--workers", "2", "app:app"],
                vec!["echo", "done"]
            ]
        );
    }
}
