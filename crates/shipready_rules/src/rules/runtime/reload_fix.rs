//! The quick fix of RT001's `--reload`: take the flag out of the command, with the separator that goes with
//! it, and nothing else. A quoted flag in a list (`"--reload",` in exec form or a YAML flow list) goes with
//! its comma, an item of a YAML block list (`- --reload`) goes with its line, a shell word goes with the
//! blanks before it. Anything else (`--reload=true`, a flag glued to other text) gets no fix.

use shipready_syntax::FileKind;
use shipready_text::TextRange;

use crate::{Applicability, Edit, Fix, SourceFile};

/// The fix that removes the `--reload` word at `range` of `file`.
pub(super) fn remove_reload(file: &SourceFile, range: TextRange) -> Option<Fix> {
    let text: &str = &file.text;
    if text.get(range.start..range.end) != Some("--reload") {
        return None;
    }
    let bytes = text.as_bytes();
    let before = range
        .start
        .checked_sub(1)
        .and_then(|i| bytes.get(i))
        .copied();
    let after = bytes.get(range.end).copied();
    let ends_word =
        after.is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b',' | b']'));
    if !ends_word {
        return None;
    }
    let quoted = matches!(before, Some(b'"' | b'\'')) && before == after;
    let (start, end) = if quoted {
        (range.start - 1, range.end + 1)
    } else {
        (range.start, range.end)
    };
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(end..)?
        .find('\n')
        .map_or(text.len(), |i| end + i + 1);
    let prefix = text.get(line_start..start)?;
    let suffix = text.get(end..line_end)?;
    let cut = if file.kind == FileKind::Compose
        && prefix.trim_start() == "- "
        && suffix.trim().is_empty()
    {
        // A YAML block list item of its own: the whole line.
        TextRange::new(line_start, line_end)
    } else if quoted {
        let blanks_before = prefix.len() - prefix.trim_end_matches([' ', '\t']).len();
        let comma_before = start - blanks_before;
        let rest = suffix.trim_start_matches([' ', '\t']);
        if comma_before > 0 && bytes.get(comma_before - 1) == Some(&b',') {
            TextRange::new(comma_before - 1, end)
        } else if let Some(after_comma) = rest.strip_prefix(',') {
            let blanks = after_comma.len() - after_comma.trim_start_matches([' ', '\t']).len();
            TextRange::new(start, line_end - after_comma.len() + blanks)
        } else {
            return None;
        }
    } else {
        let blanks = prefix.len() - prefix.trim_end_matches([' ', '\t']).len();
        if blanks == 0 {
            return None;
        }
        TextRange::new(start - blanks, end)
    };
    Some(Fix {
        title: "Remove --reload".to_owned(),
        applicability: Applicability::Safe,
        edits: vec![Edit::Replace {
            file: file.path.clone(),
            range: cut,
            new_text: String::new(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(path: &str, kind: FileKind, text: &str) -> Option<String> {
        let file = SourceFile::new(path, kind, text);
        let at = text.find("--reload")?;
        let fix = remove_reload(&file, TextRange::new(at, at + "--reload".len()))?;
        let Some(Edit::Replace { range, .. }) = fix.edits.first() else {
            return None;
        };
        let mut out = text.to_owned();
        out.replace_range(range.start..range.end, "");
        Some(out)
    }

    #[test]
    fn the_flag_goes_with_its_separator() {
        assert_eq!(
            removed(
                "Dockerfile",
                FileKind::Dockerfile,
                "CMD [\"uvicorn\", \"a:app\", \"--reload\"]\n"
            )
            .as_deref(),
            Some("CMD [\"uvicorn\", \"a:app\"]\n")
        );
        assert_eq!(
            removed(
                "Dockerfile",
                FileKind::Dockerfile,
                "CMD [\"uvicorn\", \"--reload\", \"a:app\"]\n"
            )
            .as_deref(),
            Some("CMD [\"uvicorn\", \"a:app\"]\n")
        );
        assert_eq!(
            removed(
                "compose.yaml",
                FileKind::Compose,
                "services:\n  a:\n    command:\n      - uvicorn\n      - --reload\n      - a:app\n"
            )
            .as_deref(),
            Some("services:\n  a:\n    command:\n      - uvicorn\n      - a:app\n")
        );
        assert_eq!(
            removed(
                "run.sh",
                FileKind::Script,
                "exec uvicorn a:app --reload --port 80\n"
            )
            .as_deref(),
            Some("exec uvicorn a:app --port 80\n")
        );
        assert_eq!(
            removed(
                "run.sh",
                FileKind::Script,
                "exec uvicorn a:app --reload=true\n"
            ),
            None
        );
    }
}
