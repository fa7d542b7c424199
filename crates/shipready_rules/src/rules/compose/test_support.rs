//! Running one compose check on a workspace of texts, for the rules' unit tests.

use crate::index::Index;
use crate::{Context, Outcome, Profile, Status, Workspace};

/// The check's status on `files`, and each finding as `(file, start offset, the text of its range)`.
pub(super) fn findings(
    check: fn(&Context) -> Outcome,
    files: &[(&str, &str)],
) -> (Status, Vec<(String, usize, String)>) {
    let ws = Workspace::from_texts(files.iter().copied());
    let index = Index::build(&ws);
    let ctx = Context {
        workspace: &ws,
        index: &index,
        profile: Profile::Standard,
    };
    let out = check(&ctx);
    let places = out
        .findings
        .iter()
        .filter_map(|f| {
            let file = f.file.as_deref()?;
            let r = f.range?;
            let text = ws.file(file)?.text.get(r.start..r.end)?.to_owned();
            Some((file.to_owned(), r.start, text))
        })
        .collect();
    (out.status, places)
}

/// The check's status on `files`, and the text each finding's range covers.
pub(super) fn places(
    check: fn(&Context) -> Outcome,
    files: &[(&str, &str)],
) -> (Status, Vec<String>) {
    let (status, found) = findings(check, files);
    (status, found.into_iter().map(|(_, _, text)| text).collect())
}
