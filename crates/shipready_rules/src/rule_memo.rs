//! The outcome of each rule from a unit's last audit, with what the rule read (see `crate::reads`): a rule
//! that read nothing the next audit changed keeps its outcome instead of running again.
//!
//! What changed is measured, not guessed: the kinds of the files replaced, added or removed since the last
//! audit, and the parts of the rebuilt index that differ from the last one by value. A keystroke in a
//! Dockerfile's `RUN` line changes Dockerfiles and perhaps the Docker part of the index; the rules that read
//! neither (a route table's 2,000 routes, the guide's sections) keep their outcomes. The memo lives in the
//! unit's slot of the unit cache, which is dropped when the settings change; it is kept per profile and
//! collection.

use std::sync::Arc;

use crate::reads::Reads;
use crate::{Index, Outcome, Profile, SourceFile, Workspace};

/// A unit's last audit, rule by rule.
#[derive(Debug)]
pub(crate) struct RuleMemo {
    pub(crate) profile: Profile,
    pub(crate) collection: Option<usize>,
    pub(crate) files: Arc<Vec<Arc<SourceFile>>>,
    pub(crate) index: Index,
    /// By position in `RULES`: what the rule read and its outcome (`None` for a rule not run).
    pub(crate) outcomes: Vec<Option<(Reads, Arc<Outcome>)>>,
}

impl RuleMemo {
    /// The outcome of rule `at` when it read nothing in `changed`.
    pub(crate) fn kept(&self, at: usize, changed: Reads) -> Option<(Reads, Arc<Outcome>)> {
        let (reads, outcome) = self.outcomes.get(at)?.as_ref()?;
        (!reads.meets(changed)).then(|| (*reads, Arc::clone(outcome)))
    }

    /// What changed between this memo's audit and one of `ws` with `index`: the kinds of the files replaced,
    /// added or removed, and the parts of the index that differ.
    pub(crate) fn changed(&self, ws: &Workspace, index: &Index) -> Reads {
        files_changed(&self.files, ws.shared_files()).with(index.changed_parts(&self.index))
    }
}

/// The kinds of the files that differ between two lists sorted by path.
fn files_changed(old: &Arc<Vec<Arc<SourceFile>>>, new: &Arc<Vec<Arc<SourceFile>>>) -> Reads {
    let mut out = Reads::default();
    if Arc::ptr_eq(old, new) {
        return out;
    }
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => return out,
            (Some(x), Some(y)) if x.path == y.path => {
                if !Arc::ptr_eq(x, y) {
                    out = out.with(Reads::kind(x.kind)).with(Reads::kind(y.kind));
                }
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x.path > y.path => {
                out = out.with(Reads::kind(y.kind));
                b.next();
            }
            (Some(x), _) => {
                out = out.with(Reads::kind(x.kind));
                a.next();
            }
            (None, Some(y)) => {
                out = out.with(Reads::kind(y.kind));
                b.next();
            }
        }
    }
}

#[cfg(test)]
#[path = "rule_memo_tests.rs"]
mod tests;
