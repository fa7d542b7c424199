//! What a rule reads of its unit, recorded while it runs, so that a keystroke re-runs only the rules that read
//! something it changed.
//!
//! Every way into a unit's inputs records itself here: the workspace's file accessors ([`Workspace::files`],
//! [`Workspace::file`], [`Workspace::of_kind`]) record the kinds of file they can return, and the index's
//! accessors ([`Index::web`](crate::Index::web) and the others) record their part. The index's fields and the
//! workspace's file list are private, so a rule has no other way in: what it reads is measured, not declared.
//! Nothing is recorded outside [`recording`] (building the index, the language server's queries).
//!
//! [`Workspace::files`]: crate::Workspace::files
//! [`Workspace::file`]: crate::Workspace::file
//! [`Workspace::of_kind`]: crate::Workspace::of_kind

use std::cell::Cell;

use shipready_syntax::FileKind;

/// A set of inputs: kinds of file and parts of the index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reads(u32);

/// The parts of the index, each one input.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Part {
    Docker,
    Web,
    Workload,
    Cdk,
    Guide,
    Aws,
}

/// One bit per kind of file, then one per part of the index.
const KINDS: u32 = 9;

impl Reads {
    /// Every kind of file.
    pub(crate) const FILES: Reads = Reads((1 << KINDS) - 1);

    pub(crate) fn kind(kind: FileKind) -> Reads {
        let bit = match kind {
            FileKind::Dockerfile => 0,
            FileKind::Compose => 1,
            FileKind::Markdown => 2,
            FileKind::Python => 3,
            FileKind::CdkJson => 4,
            FileKind::Requirements => 5,
            FileKind::Script => 6,
            FileKind::DotEnv => 7,
            FileKind::Workflow => 8,
        };
        Reads(1 << bit)
    }

    pub(crate) fn part(part: Part) -> Reads {
        Reads(1 << (KINDS + part as u32))
    }

    pub(crate) fn with(self, other: Reads) -> Reads {
        Reads(self.0 | other.0)
    }

    pub(crate) fn meets(self, other: Reads) -> bool {
        self.0 & other.0 != 0
    }
}

thread_local! {
    /// The reads of the rule running on this thread, or `None` when nothing is being recorded.
    static CURRENT: Cell<Option<Reads>> = const { Cell::new(None) };
}

/// Whether a rule's reads are being recorded on this thread.
pub(crate) fn active() -> bool {
    CURRENT.with(|c| c.get().is_some())
}

/// Record that the running rule read `reads` (nothing when no rule is being recorded).
pub(crate) fn note(reads: Reads) {
    CURRENT.with(|c| {
        if let Some(r) = c.get() {
            c.set(Some(r.with(reads)));
        }
    });
}

/// Run `f`, returning what it read. Nested recordings also count as reads of the enclosing one.
pub(crate) fn recording<T>(f: impl FnOnce() -> T) -> (T, Reads) {
    let outer = CURRENT.with(|c| c.replace(Some(Reads::default())));
    let out = f();
    let reads = CURRENT.with(|c| c.replace(outer)).unwrap_or_default();
    if outer.is_some() {
        note(reads);
    }
    (out, reads)
}

/// A part of the index computed on first use (by whichever rule first needs it), with what computing it read:
/// every later use records those reads again, as if it computed the value itself.
#[derive(Debug)]
pub(crate) struct Lazy<T>(std::sync::OnceLock<(T, Reads)>);

impl<T> Lazy<T> {
    pub(crate) fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        let (value, reads) = self.0.get_or_init(|| recording(f));
        note(*reads);
        value
    }
}

impl<T> Default for Lazy<T> {
    fn default() -> Self {
        Lazy(std::sync::OnceLock::new())
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        Lazy(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_only_while_recording_and_nest() {
        note(Reads::kind(FileKind::Python));
        let ((), outer) = recording(|| {
            note(Reads::kind(FileKind::Dockerfile));
            let ((), inner) = recording(|| note(Reads::part(Part::Web)));
            assert_eq!(inner, Reads::part(Part::Web));
        });
        assert!(outer.meets(Reads::part(Part::Web)));
        assert!(outer.meets(Reads::kind(FileKind::Dockerfile)));
        assert!(!outer.meets(Reads::kind(FileKind::Python)));
        let lazy: Lazy<u8> = Lazy::default();
        let (_, first) = recording(|| {
            *lazy.get_or_init(|| {
                note(Reads::kind(FileKind::Markdown));
                1
            })
        });
        let (_, again) = recording(|| *lazy.get_or_init(|| 2));
        assert_eq!(first, again);
        assert!(again.meets(Reads::kind(FileKind::Markdown)));
    }
}
