//! The fix harness: audit a workspace, take the fix of a finding, apply its edits, re-audit, and check that
//! the gap closed, nothing outside the inserted or deleted text changed, the edited files parse no worse than before,
//! and the audit does not offer the same fix again (so applying twice cannot duplicate anything).

use std::collections::BTreeMap;

use crate::{audit, Applicability, Audit, Edit, Finding, Fix, Profile, Workspace};

/// A workspace as `(path, text)` pairs.
pub(crate) type Files = BTreeMap<String, String>;

pub(super) fn files(list: &[(&str, &str)]) -> Files {
    list.iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect()
}

pub(super) fn audit_files(files: &Files) -> Audit {
    let ws = Workspace::from_texts(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    audit(&ws, Profile::Standard)
}

/// The first finding with `code` that `pick` accepts.
pub(super) fn finding<'a>(
    audit: &'a Audit,
    code: &str,
    pick: impl Fn(&Finding) -> bool,
) -> Option<&'a Finding> {
    audit.findings.iter().find(|f| f.code == code && pick(f))
}

/// Apply a fix's edits to `files`: replacements of one file in reverse order of their ranges (so earlier
/// offsets stay valid), creations as new files. Panics (failing the test) on overlapping or out-of-bounds
/// edits and on a creation over an existing file.
pub(super) fn apply(files: &Files, fix: &Fix) -> Files {
    let mut out = files.clone();
    let mut by_file: BTreeMap<&str, Vec<(usize, usize, &str)>> = BTreeMap::new();
    for edit in &fix.edits {
        match edit {
            Edit::Replace {
                file,
                range,
                new_text,
            } => by_file.entry(file.as_str()).or_default().push((
                range.start,
                range.end,
                new_text.as_str(),
            )),
            Edit::Create { file, contents } => {
                assert!(!files.contains_key(file), "creates existing {file}");
                out.insert(file.clone(), contents.clone());
            }
        }
    }
    for (file, mut edits) in by_file {
        let original = files
            .get(file)
            .unwrap_or_else(|| panic!("edits missing {file}"));
        edits.sort_by_key(|e| (e.0, e.1));
        for pair in edits.windows(2) {
            assert!(pair[0].1 <= pair[1].0, "overlapping edits in {file}");
        }
        let mut text = original.clone();
        for (start, end, new_text) in edits.iter().rev() {
            assert!(
                end <= &original.len()
                    && original.is_char_boundary(*start)
                    && original.is_char_boundary(*end)
            );
            text.replace_range(*start..*end, new_text);
        }
        out.insert(file.to_owned(), text);
    }
    out
}

/// What applying a fix produced, for tests to look at further.
pub(super) struct Applied {
    pub fix: Fix,
    pub after: Files,
    pub audit: Audit,
}

impl Applied {
    /// The text the fix inserted into or created as `file`.
    pub fn inserted(&self, file: &str) -> String {
        self.fix
            .edits
            .iter()
            .filter_map(|e| match e {
                Edit::Replace {
                    file: f, new_text, ..
                } if f == file => Some(new_text.clone()),
                Edit::Create { file: f, contents } if f == file => Some(contents.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Apply the fix of the first `code` finding that `pick` accepts and check the fix invariants.
pub(super) fn check_fix(
    files_before: &Files,
    code: &str,
    pick: impl Fn(&Finding) -> bool,
) -> Applied {
    let before_audit = audit_files(files_before);
    let found = finding(&before_audit, code, &pick)
        .unwrap_or_else(|| panic!("no {code} finding: {:#?}", before_audit.findings));
    let fix = found
        .fix
        .clone()
        .unwrap_or_else(|| panic!("{code} finding has no fix: {}", found.message));
    let message = found.message.clone();
    let after = apply(files_before, &fix);
    assert_only_inserted(files_before, &after, &fix);
    let audit = audit_files(&after);
    let ws_before =
        Workspace::from_texts(files_before.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let ws_after = Workspace::from_texts(after.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    for f in ws_after.files() {
        let old_errors = ws_before
            .file(&f.path)
            .map_or(0, |o| o.facts.errors().len());
        assert!(
            f.facts.errors().len() <= old_errors,
            "{} has new syntax errors {:?}:\n{}",
            f.path,
            f.facts.errors(),
            f.text
        );
    }
    assert!(
        !audit
            .findings
            .iter()
            .any(|f| f.code == code && f.message == message),
        "{code} gap still reported after the fix:\n{}",
        after
            .values()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n-----\n")
    );
    assert!(
        !audit
            .findings
            .iter()
            .any(|f| f.code == code && f.fix.as_ref().is_some_and(|x| x.title == fix.title)),
        "{code} fix offered again"
    );
    Applied { fix, after, audit }
}

/// Fixes insert or delete, never replace: each edit either inserts text at an empty range or deletes a range
/// (removing `--reload` from a command, say), and every byte outside the edits is kept, in order.
pub(super) fn assert_only_inserted(before: &Files, after: &Files, fix: &Fix) {
    let mut by_file: BTreeMap<&str, Vec<(usize, usize, &str)>> = BTreeMap::new();
    for edit in &fix.edits {
        if let Edit::Replace {
            file,
            range,
            new_text,
        } = edit
        {
            assert!(
                range.is_empty() != new_text.is_empty(),
                "fix replaces text (or does nothing) in {file}"
            );
            by_file
                .entry(file)
                .or_default()
                .push((range.start, range.end, new_text));
        }
    }
    for (file, mut edits) in by_file {
        edits.sort_by_key(|e| e.0);
        let (old, new) = (&before[file], &after[file]);
        let (mut old_at, mut new_at) = (0, 0);
        for (start, end, text) in edits {
            assert!(start >= old_at, "overlapping edits in {file}");
            let kept = &old[old_at..start];
            assert_eq!(
                new.get(new_at..new_at + kept.len()),
                Some(kept),
                "text outside the edits of {file} changed"
            );
            new_at += kept.len();
            assert_eq!(
                new.get(new_at..new_at + text.len()),
                Some(text),
                "insertion in {file}"
            );
            new_at += text.len();
            old_at = end;
        }
        assert_eq!(
            new.get(new_at..),
            old.get(old_at..),
            "text outside the edits of {file} changed"
        );
    }
}

pub(super) fn any(_: &Finding) -> bool {
    true
}

#[test]
fn the_harness_applies_edits_in_reverse_order() {
    let files = files(&[("a.md", "abc")]);
    let fix = Fix {
        title: String::new(),
        applicability: Applicability::Safe,
        edits: vec![
            Edit::Replace {
                file: "a.md".into(),
                range: shipready_text::TextRange::empty(1),
                new_text: "X".into(),
            },
            Edit::Replace {
                file: "a.md".into(),
                range: shipready_text::TextRange::empty(2),
                new_text: "Y".into(),
            },
            Edit::Create {
                file: "b.md".into(),
                contents: "new".into(),
            },
        ],
    };
    let out = apply(&files, &fix);
    assert_eq!(out["a.md"], "aXbYc");
    assert_eq!(out["b.md"], "new");
}
