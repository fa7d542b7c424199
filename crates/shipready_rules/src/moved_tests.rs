use std::sync::Arc;

use shipready_syntax::FileKind;

use crate::{
    audit_workspace_cached, audit_workspace_with, Profile, Settings, SourceFile, UnitCache,
    Workspace,
};

/// The Dockerfile `text` with a comment line put before its line `line` (and one at its end), so that every
/// place an edit can move (the top, between instructions, above `CMD`, inside a heredoc) has a comment line.
fn with_comment_before(text: &str, line: usize) -> String {
    let mut out = String::new();
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i == line {
            out.push_str("# a note on the next line\n");
        }
        out.push_str(l);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("# the end\n");
    out
}

/// Edits typed into the comment lines of `text`, one after another: (old text, new text).
fn comment_edits(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .map(|l| {
            let at = offset;
            offset += l.len();
            (at, l)
        })
        .collect();
    for (start, line) in lines {
        let Some(hash) = line.find('#') else {
            continue;
        };
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        // Typed one character at a time at the end of the line and after the `#`, then a word deleted and an
        // `é` replacing a character: each step's text is the next step's old text.
        let typed = [
            (end, " a note é"),
            (end, "=1"),
            (start + hash + 1, " shipready: ignore[DK001] "),
        ];
        for (at, typed) in typed {
            let mut current = text.to_owned();
            for (i, c) in typed.char_indices() {
                let mut next = current.clone();
                next.insert(at + i, c);
                out.push((current, next.clone()));
                current = next;
            }
        }
        if end > start + hash + 2 {
            let mut deleted = text.to_owned();
            deleted.replace_range(start + hash + 1..end, "");
            out.push((text.to_owned(), deleted));
            let mut replaced = text.to_owned();
            replaced.replace_range(end - 1..end, "é");
            out.push((text.to_owned(), replaced));
        }
    }
    out
}

/// `ws` with `path`'s text replaced, every other file the very same `Arc`.
fn replaced(ws: &Workspace, path: &str, text: &str) -> Workspace {
    let files = ws
        .files()
        .iter()
        .map(|f| match f.path == path {
            true => Arc::new(SourceFile::new(path, FileKind::Dockerfile, text)),
            false => Arc::clone(f),
        })
        .collect();
    Workspace::new(files)
}

fn json(a: &crate::WorkspaceAudit) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or_default()
}

#[test]
fn typing_in_a_dockerfile_comment_keeps_the_audit_a_fresh_one_gives() {
    let (mut edits, mut moved, mut places_moved) = (0, 0, 0);
    for (name, files) in crate::fixes::fixture_workspaces() {
        let dockerfiles: Vec<&String> = files
            .keys()
            .filter(|p| FileKind::classify(p) == Some(FileKind::Dockerfile))
            .collect();
        for path in dockerfiles {
            let original = &files[path];
            let bases = (0..=original.lines().count().min(6))
                .map(|line| with_comment_before(original, line));
            for base in bases {
                let ws = Workspace::from_texts(
                    files
                        .iter()
                        .map(|(p, t)| (p.as_str(), if p == path { base.as_str() } else { t })),
                );
                for profile in [Profile::Standard, Profile::Seed] {
                    let settings = Settings::with_profile(profile);
                    // About one edit in twenty, picked evenly across the kinds of edit.
                    let picked = comment_edits(&base)
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| i.wrapping_mul(2_654_435_761) % 97 < 5);
                    for (_, (old, new)) in picked {
                        let before = replaced(&ws, path, &old);
                        let after = replaced(&before, path, &new);
                        let mut cache = UnitCache::default();
                        let first = audit_workspace_cached(&before, &settings, &mut cache);
                        let kept = audit_workspace_cached(&after, &settings, &mut cache);
                        let fresh = audit_workspace_with(&after, &settings);
                        assert_eq!(
                            json(&kept),
                            json(&fresh),
                            "{name} {path}: {old:?} -> {new:?}"
                        );
                        edits += 1;
                        let old_file = before.files().iter().find(|f| f.path == *path);
                        let new_file = after.files().iter().find(|f| f.path == *path);
                        if let (Some(o), Some(n)) = (old_file, new_file) {
                            if n.moved_from(o).is_some() {
                                moved += 1;
                                places_moved += usize::from(json(&first) != json(&kept));
                            }
                        }
                    }
                }
            }
        }
    }
    // A third or more of the edits keep the audit (the others type a directive's `=` or a suppression, which the audit
    // reads); many of those move places after them (the others type at the end).
    assert!(edits > 2_000, "{edits}");
    assert!(moved * 3 > edits, "{moved} of {edits}");
    assert!(places_moved * 5 > moved, "{places_moved} of {moved}");
}

#[test]
fn an_edit_a_rule_reads_is_audited_again() {
    let text = "FROM python:3.12\n# keep\n\nCMD [\"python\", \"app.py\"]\n";
    let ws = Workspace::from_texts([("Dockerfile", text)]);
    let settings = Settings::with_profile(Profile::Standard);
    let mut cache = UnitCache::default();
    let _ = audit_workspace_cached(&ws, &settings, &mut cache);
    // A suppression typed into the comment, and a blank line made a comment above `CMD` (where the
    // HEALTHCHECK fix goes, above the comments): both read by the audit, neither kept.
    for new in [
        text.replace(
            "# keep",
            "# keep shipready: ignore-file[DK001] pinned in CI",
        ),
        text.replace("\n\nCMD", "\n#\nCMD"),
    ] {
        let after = replaced(&ws, "Dockerfile", &new);
        let file = |w: &Workspace| Arc::clone(&w.files()[0]);
        assert_eq!(file(&after).moved_from(&file(&ws)), None);
        let kept = audit_workspace_cached(&after, &settings, &mut cache.clone());
        assert_eq!(json(&kept), json(&audit_workspace_with(&after, &settings)));
    }
}
