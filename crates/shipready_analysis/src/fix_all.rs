//! Fixing a whole workspace (`shipready check --fix`): the fixes of every finding, combined without overlaps
//! as the editor's fix-all combines them, applied to the texts in memory and audited again until nothing more
//! changes. The result is plain data (each changed file's text before and after); writing is the caller's.

use std::collections::BTreeMap;
use std::sync::Arc;

use shipready_rules::{Applicability, Edit, Fix};

use crate::combine::combine;
use crate::{Analysis, FileSystem};

/// Rounds of fix, re-audit, fix: fixes left out of one round because they overlapped another get their turn
/// in the next, computed on the new text.
const MAX_ROUNDS: usize = 8;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Only fixes marked safe (they add what was missing and keep the code working).
    Safe,
    /// Safe and unsafe fixes (placeholders and guessed commands to review).
    All,
}

/// One file the fixes change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// Workspace-relative, `/`-separated.
    pub path: String,
    /// The text as audited; `None` for a file the fixes create.
    pub before: Option<Arc<str>>,
    pub after: String,
}

/// What fixing the workspace would do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FixPlan {
    /// Changed files, by path. Files whose text ends up as it was are not listed.
    pub changes: Vec<FileChange>,
    /// The fixes applied, as `(code, title)`, in the order applied.
    pub applied: Vec<(&'static str, String)>,
    /// How many findings have a fix that was not applied because it is unsafe (and `FixMode::Safe` was asked).
    pub unsafe_left: usize,
}

/// Plan the fixes of every finding in `analysis`. The analysis ends up holding the fixed texts, so a report
/// taken afterwards describes the workspace as it will be. `fs` says which files exist (a fix never creates
/// one over another).
pub fn fix_all(analysis: &mut Analysis, mode: FixMode, fs: &dyn FileSystem) -> FixPlan {
    let mut plan = FixPlan::default();
    // The audited text of every file touched, and the current text; `None` before: created by a fix.
    let mut before: BTreeMap<String, Option<Arc<str>>> = BTreeMap::new();
    let mut current: BTreeMap<String, String> = BTreeMap::new();
    // A fix applied once and still proposed did not close its gap: applying it again would repeat its text.
    let mut done: Vec<(&'static str, String)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let audit = analysis.audit();
        let mut chosen: Vec<(&'static str, &Fix)> = Vec::new();
        for f in audit.findings() {
            // A suppressed gap is accepted where it is: its fix is not applied.
            if f.suppressed.is_some() {
                continue;
            }
            let Some(fix) = &f.fix else { continue };
            if mode == FixMode::Safe && fix.applicability != Applicability::Safe {
                continue;
            }
            let key = (f.code, fix.title.clone());
            if done.contains(&key) || chosen.iter().any(|(_, c)| *c == fix) {
                continue;
            }
            if !fix
                .edits
                .iter()
                .all(|e| applicable(analysis, fs, &current, e))
            {
                continue;
            }
            chosen.push((f.code, fix));
        }
        let fixes: Vec<&Fix> = chosen.iter().map(|(_, f)| *f).collect();
        let combined = combine("fix all", &fixes);
        if combined.edits.is_empty() {
            break;
        }
        for (code, fix) in &chosen {
            if fix.edits.iter().all(|e| combined.edits.contains(e)) {
                done.push((code, fix.title.clone()));
                plan.applied.push((code, fix.title.clone()));
            }
        }
        for (path, text) in apply(analysis, &current, &combined.edits) {
            before
                .entry(path.clone())
                .or_insert_with(|| analysis.file(&path).map(|f| f.text.clone()));
            analysis.set_file_text(&path, text.as_str());
            current.insert(path, text);
        }
    }
    if mode == FixMode::Safe {
        let audit = analysis.audit();
        plan.unsafe_left = audit
            .findings()
            .iter()
            .filter(|f| {
                f.suppressed.is_none()
                    && f.fix
                        .as_ref()
                        .is_some_and(|x| x.applicability == Applicability::Unsafe)
            })
            .count();
    }
    plan.changes = current
        .into_iter()
        .filter_map(|(path, after)| {
            let before = before.remove(&path).flatten();
            (before.as_deref() != Some(after.as_str())).then_some(FileChange {
                path,
                before,
                after,
            })
        })
        .collect();
    plan
}

/// Whether `edit` can be applied: a replacement needs the file's text (and a range inside it), a creation a
/// file that does not exist yet.
fn applicable(
    analysis: &Analysis,
    fs: &dyn FileSystem,
    current: &BTreeMap<String, String>,
    edit: &Edit,
) -> bool {
    match edit {
        Edit::Replace { file, range, .. } => {
            let text: Option<&str> = match current.get(file) {
                Some(t) => Some(t),
                None => analysis.file(file).map(|f| &*f.text),
            };
            text.is_some_and(|t| {
                range.start <= range.end
                    && range.end <= t.len()
                    && t.is_char_boundary(range.start)
                    && t.is_char_boundary(range.end)
            })
        }
        Edit::Create { file, .. } => {
            !current.contains_key(file)
                && analysis.file(file).is_none()
                && !fs.exists(&analysis.root().join(file))
        }
    }
}

/// The new text of each file `edits` touch. Replacements apply from the end of the file backwards, so the
/// offsets of the earlier ones stay valid; insertions at one point keep their order.
fn apply(
    analysis: &Analysis,
    current: &BTreeMap<String, String>,
    edits: &[Edit],
) -> Vec<(String, String)> {
    let mut by_file: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    for e in edits {
        let file = match e {
            Edit::Replace { file, .. } | Edit::Create { file, .. } => file.as_str(),
        };
        by_file.entry(file).or_default().push(e);
    }
    let mut out = Vec::new();
    for (file, edits) in by_file {
        if let Some(Edit::Create { contents, .. }) = edits.first() {
            out.push((file.to_owned(), contents.clone()));
            continue;
        }
        let mut text = match current.get(file) {
            Some(t) => t.clone(),
            None => match analysis.file(file) {
                Some(f) => f.text.to_string(),
                None => continue,
            },
        };
        let mut replaces: Vec<(usize, usize, &str)> = edits
            .iter()
            .filter_map(|e| match e {
                Edit::Replace {
                    range, new_text, ..
                } => Some((range.start, range.end, new_text.as_str())),
                Edit::Create { .. } => None,
            })
            .collect();
        // Stable: insertions at one point keep their order (and come before a replacement starting there), merged
        // into one replacement so applying back to front cannot split them.
        replaces.sort_by_key(|r| (r.0, r.1));
        let mut at_point: Vec<(usize, usize, String)> = Vec::new();
        for (start, end, new) in replaces {
            match at_point.last_mut() {
                Some(last) if last.0 == start && last.1 == start => {
                    last.1 = end;
                    last.2.push_str(new);
                }
                _ => at_point.push((start, end, new.to_owned())),
            }
        }
        for (start, end, new) in at_point.into_iter().rev() {
            text.replace_range(start..end, &new);
        }
        out.push((file.to_owned(), text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    fn app() -> Analysis {
        let mut a = Analysis::new("/nonexistent-shipready-root", Profile::Standard);
        a.set_file_text(
            "app/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/\")\ndef root():\n    return {}\n",
        );
        a
    }

    #[test]
    fn safe_fixes_change_only_what_they_add_and_converge() {
        let mut a = app();
        let plan = fix_all(&mut a, FixMode::Safe, &crate::RealFs);
        let change = plan
            .changes
            .iter()
            .find(|c| c.path == "app/main.py")
            .expect("the health route is added");
        let before = change.before.as_deref().unwrap_or_default();
        assert!(change.after.contains("/health"), "{}", change.after);
        // Everything that was there is still there, in order: the fix only inserts.
        let mut rest = change.after.as_str();
        for line in before.lines() {
            let at = rest.find(line).expect("kept");
            rest = &rest[at + line.len()..];
        }
        assert!(!a.audit().findings().iter().any(|f| f.code == "HC001"));
        let again = fix_all(&mut a, FixMode::Safe, &crate::RealFs);
        assert_eq!(again.changes, Vec::new(), "a second run changes nothing");
    }

    #[test]
    fn insertions_at_one_point_keep_their_order() {
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text("app/main.py", "abc");
        let e = |s: usize, t: &str| Edit::Replace {
            file: "app/main.py".to_owned(),
            range: shipready_text::TextRange::new(s, s),
            new_text: t.to_owned(),
        };
        let out = apply(&a, &BTreeMap::new(), &[e(1, "x"), e(3, "!"), e(1, "y")]);
        assert_eq!(out, vec![("app/main.py".to_owned(), "axybc!".to_owned())]);
    }
}
