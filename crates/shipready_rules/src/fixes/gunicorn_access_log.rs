//! OB002's fix: give gunicorn an access log on stdout by inserting `--access-logfile -` right after the
//! program name of the command that starts it (`CMD ["gunicorn", ...]`, `CMD gunicorn ...`, a compose
//! `command:`), so every other argument stays as written.

use shipready_text::TextRange;

use super::text::insert;
use crate::{Applicability, Fix};

/// The fix for the gunicorn command at `range` of `file` (text `text`), or `None` when the program name is not
/// written in a shape this fix knows (a YAML block list, say).
pub(crate) fn fix(file: &str, text: &str, range: TextRange) -> Option<Fix> {
    let command = text.get(range.start..range.end)?;
    let (at, new_text) = if let Some(i) = command.find("\"gunicorn\",") {
        (i + "\"gunicorn\",".len(), " \"--access-logfile\", \"-\",")
    } else {
        let i = command
            .match_indices("gunicorn")
            .map(|(i, _)| i)
            .find(|&i| {
                let before = command[..i].chars().next_back();
                let after = command[i + "gunicorn".len()..].chars().next();
                before.is_none_or(|c| c.is_whitespace() || c == '/')
                    && after.is_some_and(|c| c == ' ' || c == '\t')
            })?;
        (i + "gunicorn".len(), " --access-logfile -")
    };
    Some(Fix {
        title: "Log requests to stdout (--access-logfile -)".to_owned(),
        applicability: Applicability::Safe,
        edits: vec![insert(file, range.start + at, new_text.to_owned())],
    })
}
