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

pub use shipready_text::Displacement;

/// The displacement that turns `old` into `new`, when `new` is `old` with every offset from some point on moved
/// by the same amount, in order, and nothing else changed: what a file's facts become after an edit that only
/// moved them (see `PythonDocument`). A memo built from `old` can then move its own copies of those offsets
/// instead of being built again.
pub fn displacement_between(old: &PythonFacts, new: &PythonFacts) -> Option<Displacement> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    old.offsets(&mut a);
    new.offsets(&mut b);
    if a.len() != b.len() {
        return None;
    }
    // The smallest offset that moved, by how much, and the largest one that stayed.
    let mut moved: Option<(usize, isize)> = None;
    let mut stayed_max: Option<usize> = None;
    for (&o, &n) in a.iter().zip(&b) {
        if o == n {
            stayed_max = stayed_max.max(Some(o));
            continue;
        }
        let delta = n as isize - o as isize;
        match &mut moved {
            None => moved = Some((o, delta)),
            Some((_, d)) if *d != delta => return None,
            Some((t, _)) => *t = (*t).min(o),
        }
    }
    let Some((first, delta)) = moved else {
        return (old == new).then_some(Displacement {
            at: 0,
            removed: 0,
            inserted: 0,
        });
    };
    // Order is kept: every moved offset stays after every offset that did not move.
    if stayed_max.is_some_and(|u| u >= first || (first as isize + delta) <= u as isize) {
        return None;
    }
    let by = if delta >= 0 {
        Displacement {
            at: first,
            removed: 0,
            inserted: delta.unsigned_abs(),
        }
    } else {
        Displacement {
            at: first - delta.unsigned_abs(),
            removed: delta.unsigned_abs(),
            inserted: 0,
        }
    };
    let mut shifted = old.clone();
    shifted.shift(&by);
    (shifted == *new).then_some(by)
}

/// How a file's routes changed when its other facts only moved: what a route table memo needs to keep the
/// resolution of the routes that did not change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteChanges {
    /// How the facts other than routes moved.
    pub rest: Displacement,
    /// By how much the routes after the changed ones moved.
    pub delta: isize,
    /// For each new route, the position of the old route it is: the same (before the change) or moved by
    /// `delta` (after it); `None` for a changed or new route.
    pub kept: Vec<Option<usize>>,
}

/// [`RouteChanges`] from `old` to `new`, when every fact but the routes only moved (see
/// [`displacement_between`]); the routes before the changed ones are the same and the ones after them moved by
/// one amount.
pub fn route_changes(old: &PythonFacts, new: &PythonFacts) -> Option<RouteChanges> {
    let rest = displacement_between(&without_routes(old), &without_routes(new))?;
    let (a, b) = (&old.web.routes, &new.web.routes);
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let delta = match (a.as_slice().last(), b.as_slice().last()) {
        (Some(x), Some(y)) => y.range.start as isize - x.range.start as isize,
        _ => 0,
    };
    let moved = a[same..]
        .iter()
        .rev()
        .zip(b[same..].iter().rev())
        .take_while(|(x, y)| moved_by(x, y, delta))
        .count();
    // The other facts moved by the same amount, if they moved at all.
    let rest_delta = rest.inserted as isize - rest.removed as isize;
    if moved > 0 && rest_delta != 0 && rest_delta != delta {
        return None;
    }
    let mut kept: Vec<Option<usize>> = (0..b.len()).map(|k| (k < same).then_some(k)).collect();
    for k in 0..moved {
        kept[b.len() - 1 - k] = Some(a.len() - 1 - k);
    }
    Some(RouteChanges { rest, delta, kept })
}

/// Whether `new` is `old` with its offsets moved by `delta`.
fn moved_by(old: &Route, new: &Route, delta: isize) -> bool {
    let Route {
        owner,
        path,
        path_expr,
        methods,
        range,
        handler,
        handler_range,
        touches,
    } = old;
    let shift = |r: &TextRange| {
        let at = |p: usize| p.checked_add_signed(delta);
        Some(TextRange::new(at(r.start)?, at(r.end)?))
    };
    *owner == new.owner
        && *path == new.path
        && *path_expr == new.path_expr
        && *methods == new.methods
        && *handler == new.handler
        && *touches == new.touches
        && shift(range) == Some(new.range)
        && match (handler_range, new.handler_range) {
            (Some(r), Some(n)) => shift(r) == Some(n),
            (None, None) => true,
            _ => false,
        }
}

/// The facts without their routes.
pub(super) fn without_routes(facts: &PythonFacts) -> PythonFacts {
    let PythonFacts {
        imports,
        web,
        cdk,
        errors,
        observe,
        loads_env_file,
        security,
    } = facts;
    let WebFacts {
        apps,
        routes: _,
        includes,
        dependencies,
        runners,
        env_vars,
        env_unlisted,
        constants,
        app_params,
        app_passes,
        factories,
        app_classes,
        class_instances,
    } = web;
    PythonFacts {
        imports: imports.clone(),
        web: WebFacts {
            apps: apps.clone(),
            routes: Vec::new(),
            includes: includes.clone(),
            dependencies: dependencies.clone(),
            runners: runners.clone(),
            env_vars: env_vars.clone(),
            env_unlisted: *env_unlisted,
            constants: constants.clone(),
            app_params: app_params.clone(),
            app_passes: app_passes.clone(),
            factories: factories.clone(),
            app_classes: app_classes.clone(),
            class_instances: class_instances.clone(),
        },
        cdk: cdk.clone(),
        errors: errors.clone(),
        observe: observe.clone(),
        loads_env_file: *loads_env_file,
        security: security.clone(),
    }
}

/// A fact whose offsets can be moved past a [`Displacement`].
pub(crate) trait Shift {
    fn shift(&mut self, by: &Displacement);
    /// The largest offset held (0 for none): an edit past it moves nothing.
    fn last(&self) -> usize;
    /// Every offset held, in a fixed order.
    fn offsets(&self, out: &mut Vec<usize>);
}

impl Shift for TextRange {
    fn shift(&mut self, by: &Displacement) {
        self.start = by.offset(self.start);
        self.end = by.offset(self.end);
    }

    fn last(&self) -> usize {
        self.end.max(self.start)
    }

    fn offsets(&self, out: &mut Vec<usize>) {
        out.extend([self.start, self.end]);
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

    fn offsets(&self, out: &mut Vec<usize>) {
        for item in self {
            item.offsets(out);
        }
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

    fn offsets(&self, out: &mut Vec<usize>) {
        if let Some(item) = self {
            item.offsets(out);
        }
    }
}

/// A shared fact is copied only when the displacement can move one of its offsets (none is before the edit).
impl<T: Shift + Clone> Shift for std::sync::Arc<T> {
    fn shift(&mut self, by: &Displacement) {
        if T::last(self) >= by.at {
            std::sync::Arc::make_mut(self).shift(by);
        }
    }

    fn last(&self) -> usize {
        T::last(self)
    }

    fn offsets(&self, out: &mut Vec<usize>) {
        T::offsets(self, out);
    }
}

impl<T> Shift for Spanned<T> {
    fn shift(&mut self, by: &Displacement) {
        self.range.shift(by);
    }

    fn last(&self) -> usize {
        self.range.last()
    }

    fn offsets(&self, out: &mut Vec<usize>) {
        self.range.offsets(out);
    }
}

impl<K> Shift for (K, TextRange) {
    fn shift(&mut self, by: &Displacement) {
        self.1.shift(by);
    }

    fn last(&self) -> usize {
        self.1.last()
    }

    fn offsets(&self, out: &mut Vec<usize>) {
        self.1.offsets(out);
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

            fn offsets(&self, out: &mut Vec<usize>) {
                $(self.$field.offsets(out);)+
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

    #[test]
    fn the_displacement_between_facts_that_only_moved_is_found() {
        let text = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/a\")\ndef a(q):\n    return q\n\n@app.get(\"/b\")\ndef b():\n    return 1\n";
        let old = crate::python::parse(text);
        let at = text.find("(q").map_or(0, |i| i + 2);
        for (edited, moved) in [
            // A longer and a shorter parameter name: everything after it moves.
            (format!("{}xyz{}", &text[..at], &text[at..]), true),
            // Facts do not hold a handler's parameters or return value: this only moves them too.
            (
                text.replacen("(q", "(", 1)
                    .replacen("return q", "return 2", 1),
                true,
            ),
            // A route's path changed; two edits moved the facts after each by different amounts.
            (text.replacen("\"/a\"", "\"/ab\"", 1), false),
            (
                text.replacen("def a(q)", "def a(qq)", 1)
                    .replacen("def b()", "def b(abc)", 1),
                false,
            ),
            (text.replacen("\"/b\"", "\"/c\"", 1), false),
            (text.to_owned(), true),
        ] {
            let new = crate::python::parse(&edited);
            let found = displacement_between(&old, &new);
            assert_eq!(found.is_some(), moved, "{edited}");
            if let Some(by) = found {
                let mut shifted = old.clone();
                shifted.shift(&by);
                assert_eq!(shifted, new);
            }
        }
    }

    #[test]
    fn route_changes_keep_the_routes_before_and_after_the_changed_ones() {
        let text = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/a\")\ndef a():\n    return 1\n\n@app.get(\"/b\")\ndef b():\n    return 2\n\n@app.get(\"/c\")\ndef c():\n    return 3\n";
        let old = crate::python::parse(text);
        let changes = |edited: &str| route_changes(&old, &crate::python::parse(edited));
        // `/b` became `/bb`: `/a` is the same, `/c` moved by one byte.
        let path = changes(&text.replace("\"/b\"", "\"/bb\"")).expect("routes changed");
        assert_eq!((path.kept, path.delta), (vec![Some(0), None, Some(2)], 1));
        // A route added before `/b`.
        let added = text.replace(
            "@app.get(\"/b\")",
            "@app.get(\"/n\")\ndef n():\n    return 0\n\n@app.get(\"/b\")",
        );
        let added = changes(&added).expect("routes changed");
        assert_eq!(added.kept, vec![Some(0), None, Some(1), Some(2)]);
        // Another fact changed too (a second app): not only the routes.
        assert_eq!(changes(&format!("{text}other = FastAPI()\n")), None);
    }
}
