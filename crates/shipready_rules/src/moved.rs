//! A unit's audit kept across an edit that only moved one file's facts.
//!
//! Typing inside a Dockerfile's comment line changes no fact of the file and no line's kind (see
//! `shipready_syntax::dockerfile::comment_edit`): every rule and every fix reads the same facts and the same
//! lines, at offsets moved by the edit. The unit's last audit, with every place in that file moved the same
//! way, is then the audit of the edited unit ([`Audit::moved`]), and the unit cache keeps it instead of judging
//! the unit again. The differential test below types into the comments of every Dockerfile fixture and compares
//! with a fresh audit.

use std::sync::Arc;

use shipready_syntax::{dockerfile, FileFacts, FileKind};
use shipready_text::Displacement;

use crate::{Audit, Edit, Finding, SourceFile};

impl SourceFile {
    /// How this file's places moved from `old`'s, when this file is `old` after an edit that changed none of
    /// its facts and nothing else any rule reads: for now, typing inside a Dockerfile's comment line.
    pub fn moved_from(&self, old: &SourceFile) -> Option<Displacement> {
        if self.path != old.path || self.kind != FileKind::Dockerfile || old.kind != self.kind {
            return None;
        }
        let (FileFacts::Dockerfile(before), FileFacts::Dockerfile(after)) =
            (&old.facts, &self.facts)
        else {
            return None;
        };
        let by = dockerfile::comment_edit(&old.text, &self.text)?;
        (before.moved(&by) == *after).then_some(by)
    }
}

/// The one file of `now` that moved from its version in `kept`, every other file being the very same: its
/// path and displacement.
pub(crate) fn one_moved_file<'a>(
    kept: &[Arc<SourceFile>],
    now: impl ExactSizeIterator<Item = &'a Arc<SourceFile>>,
) -> Option<(&'a str, Displacement)> {
    if kept.len() != now.len() {
        return None;
    }
    let mut moved = None;
    for (old, new) in kept.iter().zip(now) {
        if Arc::ptr_eq(old, new) {
            continue;
        }
        if moved.is_some() {
            return None;
        }
        moved = Some((new.path.as_str(), new.moved_from(old)?));
    }
    moved
}

impl Audit {
    /// This audit with every place in `file` moved past `by`: findings, their related places and fixes (in
    /// any finding that reaches into `file`), satisfiers and unused suppressions. The same audit when no place
    /// moves (typing at the end of a file).
    pub(crate) fn moved(self: &Arc<Audit>, file: &str, by: &Displacement) -> Arc<Audit> {
        let mut probe = Vec::new();
        let moves = |f: &Finding, probe: &mut Vec<shipready_text::TextRange>| {
            probe.clear();
            places_in(f, file, probe);
            probe.iter().any(|r| by.range(*r) != *r)
        };
        let any = self.findings.iter().any(|f| moves(f, &mut probe))
            || self
                .satisfiers
                .iter()
                .any(|s| s.file == file && by.range(s.range) != s.range)
            || self.unused_suppressions.iter().any(|s| s.file == file);
        if !any {
            return Arc::clone(self);
        }
        let mut out = Audit::clone(self);
        for f in &mut out.findings {
            move_finding(f, file, by);
        }
        for s in out.satisfiers.iter_mut().filter(|s| s.file == file) {
            s.range = by.range(s.range);
        }
        for s in out
            .unused_suppressions
            .iter_mut()
            .filter(|s| s.file == file)
        {
            s.range = by.range(s.range);
            s.target = by.range(s.target);
        }
        Arc::new(out)
    }
}

/// Every place of `f` in `file`: its range, its related places, its fix's edits.
fn places_in(f: &Finding, file: &str, out: &mut Vec<shipready_text::TextRange>) {
    if f.file.as_deref() == Some(file) {
        out.extend(f.range);
    }
    out.extend(f.related.iter().filter(|r| r.file == file).map(|r| r.range));
    for edit in f.fix.iter().flat_map(|fix| fix.edits.iter()) {
        if let Edit::Replace {
            file: edited,
            range,
            ..
        } = edit
        {
            if edited == file {
                out.push(*range);
            }
        }
    }
}

fn move_finding(f: &mut Finding, file: &str, by: &Displacement) {
    if f.file.as_deref() == Some(file) {
        f.range = f.range.map(|r| by.range(r));
    }
    for r in f.related.iter_mut().filter(|r| r.file == file) {
        r.range = by.range(r.range);
    }
    for edit in f.fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
        if let Edit::Replace {
            file: edited,
            range,
            ..
        } = edit
        {
            if edited == file {
                *range = by.range(*range);
            }
        }
    }
}

#[cfg(test)]
#[path = "moved_tests.rs"]
mod tests;
