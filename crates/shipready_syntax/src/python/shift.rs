//! [`Shift`]: moving a file's facts past an edit that changed no fact, only where the bytes after it are.
//!
//! [`PythonDocument`](super::PythonDocument) edits inside a module-level comment without parsing or extracting
//! again (see `document::comment_edit`): the facts stay those of the old text, with every offset after the edit
//! moved by the change in length. Each fact type lists the fields that hold offsets; the differential tests of
//! the document (comment edits anywhere in files holding every kind of fact, compared with a fresh parse) fail
//! when a field is left out.

use shipready_text::TextRange;

use super::cdk::{Balancer, CdkFacts, CdkImage, CdkProbes, Construct, StackClass, StackInstance};
use super::observe::{ConstructArgs, Dsn, ErrorTrackingInit, Migration, ObserveFacts};
use super::security::{CorsAnyOrigin, CorsFromSetting, DebugOn, SecurityFacts, SettingAssign};
use super::web::{
    AppParam, AppPass, ClassInstance, DependencyUse, Include, Route, Runner, WebApp, WebFacts,
};
use super::{Import, PythonFacts};
use crate::{Spanned, SyntaxError};

/// The bytes `at..at + removed` of the old text were replaced by `inserted` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Displacement {
    pub at: usize,
    pub removed: usize,
    pub inserted: usize,
}

impl Displacement {
    /// Where the old text's offset `p` is in the new text. An offset inside the replaced bytes (which no fact
    /// holds: the edit is inside a comment no fact reads) is kept inside the replacement.
    pub(crate) fn offset(&self, p: usize) -> usize {
        let end = self.at + self.removed;
        if p >= end {
            p - self.removed + self.inserted
        } else if p > self.at {
            self.at + (p - self.at).min(self.inserted)
        } else {
            p
        }
    }
}

/// A fact whose offsets can be moved past a [`Displacement`].
pub(crate) trait Shift {
    fn shift(&mut self, by: &Displacement);
    /// The largest offset held (0 for none): an edit past it moves nothing.
    fn last(&self) -> usize;
}

impl Shift for TextRange {
    fn shift(&mut self, by: &Displacement) {
        self.start = by.offset(self.start);
        self.end = by.offset(self.end);
    }

    fn last(&self) -> usize {
        self.end.max(self.start)
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: &Displacement) {
        for item in self {
            item.shift(by);
        }
    }

    fn last(&self) -> usize {
        self.iter().map(Shift::last).max().unwrap_or(0)
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: &Displacement) {
        if let Some(item) = self {
            item.shift(by);
        }
    }

    fn last(&self) -> usize {
        self.as_ref().map_or(0, Shift::last)
    }
}

impl<T> Shift for Spanned<T> {
    fn shift(&mut self, by: &Displacement) {
        self.range.shift(by);
    }

    fn last(&self) -> usize {
        self.range.last()
    }
}

impl<K> Shift for (K, TextRange) {
    fn shift(&mut self, by: &Displacement) {
        self.1.shift(by);
    }

    fn last(&self) -> usize {
        self.1.last()
    }
}

/// `Shift` for a struct by shifting the listed fields (the ones that hold offsets).
macro_rules! shift_fields {
    ($($ty:ty => $($field:ident),+;)+) => {
        $(impl Shift for $ty {
            fn shift(&mut self, by: &Displacement) {
                $(self.$field.shift(by);)+
            }

            fn last(&self) -> usize {
                0 $(.max(self.$field.last()))+
            }
        })+
    };
}

shift_fields! {
    PythonFacts => imports, web, cdk, errors, observe, security;
    Import => range;
    SyntaxError => range;
    WebFacts => apps, routes, includes, dependencies, runners, env_vars, app_params, app_passes, class_instances;
    WebApp => range;
    Route => range, handler_range;
    Include => range;
    DependencyUse => range;
    Runner => range;
    AppParam => range;
    AppPass => range;
    ClassInstance => range;
    CdkFacts => apps, synth_calls, stack_classes, stack_instances, constructs, probes;
    StackClass => name, range;
    StackInstance => range;
    Construct => range;
    CdkProbes => paths, container_commands, configure_calls, balancers, images;
    Balancer => range, statement;
    CdkImage => range;
    ObserveFacts => logging_setup, error_tracking, migration, construct_args;
    ErrorTrackingInit => range, dsn;
    Dsn => range;
    Migration => downgrade;
    ConstructArgs => call, callee, kwargs;
    SecurityFacts => settings, cors_any_origin, cors_from_setting, debug_on;
    SettingAssign => range;
    CorsAnyOrigin => range;
    CorsFromSetting => range;
    DebugOn => range;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_before_the_edit_stay_and_offsets_after_it_move_by_the_change_in_length() {
        let grow = Displacement {
            at: 10,
            removed: 0,
            inserted: 3,
        };
        assert_eq!(
            (grow.offset(9), grow.offset(10), grow.offset(11)),
            (9, 13, 14)
        );
        let shrink = Displacement {
            at: 10,
            removed: 4,
            inserted: 1,
        };
        assert_eq!(
            (
                shrink.offset(10),
                shrink.offset(12),
                shrink.offset(14),
                shrink.offset(20)
            ),
            (10, 11, 11, 17)
        );
        let mut range = TextRange::new(5, 30);
        range.shift(&shrink);
        assert_eq!(range, TextRange::new(5, 27));
    }
}
