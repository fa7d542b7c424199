//! Publishing only what changed. A keystroke re-audits one unit of a workspace of hundreds: converting every
//! file's findings again (or fingerprinting each to find it unchanged), rebuilding every unit's score and having
//! the outbox compare every file's list made each keystroke cost as much as the workspace holds.
//!
//! [`Published`] remembers what the last snapshot published, and the next one converts only the files whose
//! diagnostics may have changed:
//! - the files a re-audited unit has findings in, before or after; and when a unit's files changed, all of them
//!   (a finding shown once for two units that judge the same file depends on which units judge it);
//! - the files whose entry in an analysis changed ([`Touched`]: an edit, a file read again or removed), whose
//!   text the diagnostics' positions come from;
//! - the open buffers that opened, closed or changed version (their URI and version are published);
//! - the files with unused suppressions, when that list changed.
//!
//! They go to the outbox as a delta it applies to what it sent before, with the scores of the re-audited units
//! only. Anything else (the first snapshot, a root added or removed, nested roots, a new configuration or
//! profile, a folder loaded again, units added or removed) publishes everything, as a full recomputation.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use shipready_rules::{UnitAudit, WorkspaceAudit};
use tower_lsp::lsp_types::Url;

use crate::diagnostics::{self, OpenBuffer, RootView};
use crate::outbox::{DiagnosticsUpdate, Published as Sent, ScoreParams};
use crate::session::Session;

/// The files whose entry in a root's analysis changed since the last snapshot (a field of [`Session`]).
#[derive(Clone, Debug, Default)]
pub struct Touched {
    /// `(root index, path)`.
    paths: HashSet<(usize, String)>,
    /// Something changed that a list of files does not describe: publish everything.
    everything: bool,
}

impl Touched {
    /// File `path` of the root at `root` was set, read again or removed.
    pub fn file(&mut self, root: usize, path: &str) {
        if !self.everything {
            self.paths.insert((root, path.to_owned()));
        }
    }

    /// A root, the configuration or a whole analysis changed.
    pub fn everything(&mut self) {
        self.everything = true;
        self.paths.clear();
    }
}

/// What the last snapshot published (a field of [`Session`], shared with its views).
#[derive(Default)]
pub struct Published {
    /// `None` before the first snapshot, and while one is computed: a snapshot that failed half-way leaves
    /// nothing to build on, and the next one publishes everything.
    state: Option<State>,
}

struct State {
    config_print: u64,
    roots: Vec<RootState>,
}

/// One root as last published.
struct RootState {
    path: PathBuf,
    uri: Url,
    client_uri: Url,
    /// Its audit then: the units' audits are compared by address, and kept alive so no address is reused.
    audit: Arc<WorkspaceAudit>,
    /// Each unit's findings grouped by file ([`diagnostics::group_by_file`]).
    groups: Vec<Arc<[Vec<usize>]>>,
    /// The units with findings in each file, as `(unit, group)`, in unit order.
    findings_in: HashMap<String, Vec<(usize, usize)>>,
    open: HashMap<String, OpenBuffer>,
    /// What each file was published under, and with.
    files: HashMap<String, (Url, Sent)>,
}

impl Published {
    /// Forget what was published, so that the next snapshot publishes everything.
    pub fn forget(&mut self) {
        self.state = None;
    }
}

/// The diagnostics (`None` for a client that pulls them) and scores to send for the session's state now,
/// `touched` being what changed since the last call.
pub fn publish(
    session: &mut Session,
    touched: Touched,
    push: bool,
) -> (Option<DiagnosticsUpdate>, Vec<Arc<ScoreParams>>) {
    let shared = session.published.clone();
    let mut published = shared.lock().unwrap_or_else(|p| p.into_inner());
    let state = published.state.take();
    if !push {
        return (None, all_scores(session));
    }
    let audits: Vec<Arc<WorkspaceAudit>> = session
        .roots
        .iter_mut()
        .map(|r| r.analysis.audit())
        .collect();
    let (state, update, scores) =
        match state.filter(|s| !touched.everything && s.fits(session, &audits)) {
            Some(mut state) => {
                let roots = root_scores(session);
                let (update, scores) = state.advance(session, &audits, &touched, roots);
                (state, update, scores)
            }
            None => everything(session, &audits),
        };
    published.state = Some(state);
    (Some(update), scores)
}

impl State {
    /// Whether a delta from this state can describe the session's: the same roots, none inside another, the
    /// same configuration, and each root's units in the same folders.
    fn fits(&self, session: &Session, audits: &[Arc<WorkspaceAudit>]) -> bool {
        let roots = &session.roots;
        self.config_print == diagnostics::config_print(session)
            && !session.has_nested_roots()
            && self.roots.len() == roots.len()
            && self.roots.iter().zip(roots).zip(audits).all(|((s, r), a)| {
                s.path == r.path
                    && s.uri == r.uri
                    && s.client_uri == r.client_uri
                    && s.audit.units.len() == a.units.len()
                    && s.audit
                        .units
                        .iter()
                        .zip(&a.units)
                        .all(|(x, y)| x.root == y.root)
            })
    }

    /// Convert the files whose diagnostics may have changed, and score the re-audited units.
    fn advance(
        &mut self,
        session: &Session,
        audits: &[Arc<WorkspaceAudit>],
        touched: &Touched,
        roots: Vec<ScoreParams>,
    ) -> (DiagnosticsUpdate, Vec<Arc<ScoreParams>>) {
        let mut roots = roots.into_iter();
        let cache = session.diagnostic_cache.clone();
        let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.begin_some();
        let mut open = diagnostics::open_buffers(session);
        let mut files = Vec::new();
        let mut scores = Vec::new();
        let unit_scores = session.unit_scores.clone();
        let mut unit_scores = unit_scores.lock().unwrap_or_else(|p| p.into_inner());
        for (i, ((state, root), audit)) in self
            .roots
            .iter_mut()
            .zip(&session.roots)
            .zip(audits)
            .enumerate()
        {
            let mut dirty: HashSet<String> = touched
                .paths
                .iter()
                .filter(|(r, _)| *r == i)
                .map(|(_, p)| p.clone())
                .collect();
            let changed = state.regroup(audit, &mut dirty);
            let open = open.get_mut(i).map(std::mem::take).unwrap_or_default();
            for (path, buffer) in &open {
                if state.open.get(path) != Some(buffer) {
                    dirty.insert(path.clone());
                }
            }
            dirty.extend(
                state
                    .open
                    .keys()
                    .filter(|p| !open.contains_key(*p))
                    .cloned(),
            );
            state.open = open;
            if state.audit.unused_suppressions != audit.unused_suppressions {
                let files = state
                    .audit
                    .unused_suppressions
                    .iter()
                    .chain(&audit.unused_suppressions);
                dirty.extend(files.map(|u| u.file.clone()));
            }
            state.audit = Arc::clone(audit);
            let cx = RootView {
                index: i,
                root,
                audit,
                open: &state.open,
                config: &session.config,
                config_print: self.config_print,
                enc: session.caps.encoding,
            };
            for path in dirty {
                let text = root.analysis.file(&path).map(|f| &f.text);
                cache.forget(i, &path, text);
                let mut shown = Vec::new();
                let listed = match state.findings_in.get(&path) {
                    Some(groups) => {
                        let mut seen = HashSet::new();
                        for &(u, g) in groups {
                            if let Some(group) = state.groups.get(u).and_then(|gs| gs.get(g)) {
                                diagnostics::shown_findings(
                                    audit, u, &path, group, &mut seen, &mut shown,
                                );
                            }
                        }
                        true
                    }
                    None => cx.listed_without_findings(&path),
                };
                let now = if listed {
                    diagnostics::file_diagnostics(&cx, &mut cache, &path, shown)
                } else {
                    None
                };
                let before = state.files.remove(&path);
                match now {
                    Some(f) => {
                        let sent: Sent = (f.version, f.diagnostics);
                        let same = before.as_ref().is_some_and(|(uri, (version, d))| {
                            *uri == f.uri && *version == sent.0 && Arc::ptr_eq(d, &sent.1)
                        });
                        if let Some((uri, _)) = before.filter(|(uri, _)| *uri != f.uri) {
                            files.push((uri, None));
                        }
                        if !same {
                            files.push((f.uri.clone(), Some(sent.clone())));
                        }
                        state.files.insert(path, (f.uri, sent));
                    }
                    None => {
                        cache.forget(i, &path, None);
                        files.extend(before.map(|(uri, _)| (uri, None)));
                    }
                }
            }
            scores.extend(roots.next().map(Arc::new));
            if audit.is_multi_unit() {
                for u in changed.into_iter().filter_map(|u| audit.units.get(u)) {
                    scores.extend(unit_score(&mut unit_scores, &root.uri, u));
                }
            }
        }
        let update = DiagnosticsUpdate { full: false, files };
        (update, scores)
    }
}

impl RootState {
    /// Take in the units' audits of `audit` (the same units, in the same folders): the re-audited units'
    /// findings are grouped again, and the files their findings were or are in, or that they judge when that
    /// changed, join `dirty`. The indexes of the re-audited units.
    fn regroup(&mut self, audit: &WorkspaceAudit, dirty: &mut HashSet<String>) -> Vec<usize> {
        let mut changed = Vec::new();
        let before = Arc::clone(&self.audit);
        for (u, (was, now)) in before.units.iter().zip(&audit.units).enumerate() {
            if Arc::ptr_eq(&was.audit, &now.audit) && same_unit(was, now) {
                continue;
            }
            changed.push(u);
            if let Some(groups) = self.groups.get(u) {
                for group in groups.iter() {
                    let Some(file) = diagnostics::group_file(&was.audit, group) else {
                        continue;
                    };
                    dirty.insert(file.to_owned());
                    if let Some(units) = self.findings_in.get_mut(file) {
                        units.retain(|(v, _)| *v != u);
                        if units.is_empty() {
                            self.findings_in.remove(file);
                        }
                    }
                }
            }
            let groups = diagnostics::group_by_file(&now.audit);
            for file in index_groups(&mut self.findings_in, u, now, &groups) {
                dirty.insert(file.to_owned());
            }
            if let Some(slot) = self.groups.get_mut(u) {
                *slot = groups;
            }
            if !same_files(was, now) {
                dirty.extend(was.files.iter().chain(now.files.iter()).cloned());
            }
        }
        changed
    }
}

/// Record in `findings_in` that unit `u` has findings in each of its `groups`' files (kept in unit order), and
/// return those files.
fn index_groups<'a>(
    findings_in: &mut HashMap<String, Vec<(usize, usize)>>,
    u: usize,
    unit: &'a UnitAudit,
    groups: &[Vec<usize>],
) -> Vec<&'a str> {
    let mut files = Vec::with_capacity(groups.len());
    for (g, group) in groups.iter().enumerate() {
        let Some(file) = diagnostics::group_file(&unit.audit, group) else {
            continue;
        };
        let units = findings_in.entry(file.to_owned()).or_default();
        units.push((u, g));
        units.sort_unstable();
        files.push(file);
    }
    files
}

/// The same unit as far as its diagnostics and score go, given the same audit.
fn same_unit(a: &UnitAudit, b: &UnitAudit) -> bool {
    a.name == b.name && a.kinds == b.kinds && same_files(a, b)
}

fn same_files(a: &UnitAudit, b: &UnitAudit) -> bool {
    Arc::ptr_eq(&a.files, &b.files) || a.files == b.files
}

/// Publish everything: every file's diagnostics (a full update) and every score, and remember them.
fn everything(
    session: &mut Session,
    audits: &[Arc<WorkspaceAudit>],
) -> (State, DiagnosticsUpdate, Vec<Arc<ScoreParams>>) {
    let all = diagnostics::collect_files(session, false);
    let open = diagnostics::open_buffers(session);
    let cache = session.diagnostic_cache.clone();
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    let mut roots: Vec<RootState> = session
        .roots
        .iter()
        .zip(audits)
        .zip(open)
        .map(|((r, audit), open)| {
            let groups: Vec<Arc<[Vec<usize>]>> =
                audit.units.iter().map(|u| cache.groups(&u.audit)).collect();
            let mut findings_in: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
            for (u, (unit, groups)) in audit.units.iter().zip(&groups).enumerate() {
                index_groups(&mut findings_in, u, unit, groups);
            }
            RootState {
                path: r.path.clone(),
                uri: r.uri.clone(),
                client_uri: r.client_uri.clone(),
                audit: Arc::clone(audit),
                groups,
                findings_in,
                open,
                files: HashMap::new(),
            }
        })
        .collect();
    drop(cache);
    let mut files = Vec::with_capacity(all.len());
    for (i, path, f) in all {
        let sent: Sent = (f.version, f.diagnostics);
        if let Some(root) = roots.get_mut(i) {
            root.files.insert(path, (f.uri.clone(), sent.clone()));
        }
        files.push((f.uri, Some(sent)));
    }
    let state = State {
        config_print: diagnostics::config_print(session),
        roots,
    };
    (
        state,
        DiagnosticsUpdate { full: true, files },
        all_scores(session),
    )
}

/// Every root's score, and with several deployable units, each unit's.
fn all_scores(s: &mut Session) -> Vec<Arc<ScoreParams>> {
    let mut scores: Vec<Arc<ScoreParams>> = Vec::new();
    let cache = s.unit_scores.clone();
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    cache.begin();
    let roots = root_scores(s);
    for (r, root) in s.roots.iter_mut().zip(roots) {
        let audit = r.analysis.audit();
        scores.push(Arc::new(root));
        // With several deployable units, each gets a score of its own, named by its folder, so an editor
        // shows the unit of the active file (the deepest folder that holds it).
        if !audit.is_multi_unit() {
            continue;
        }
        for u in &audit.units {
            scores.extend(unit_score(&mut cache, &r.uri, u));
        }
    }
    cache.sweep();
    scores
}

/// Each root's score: cheap (one message per root), and sent whatever changed.
fn root_scores(s: &mut Session) -> Vec<ScoreParams> {
    s.roots
        .iter_mut()
        .map(|r| crate::score::params(&r.client_uri, &r.analysis.score_summary()))
        .collect()
}

/// A unit's score, named by its folder. A unit at the folder's root shares the folder's URI, which names the
/// workspace score: its files show that one.
fn unit_score(
    cache: &mut crate::score::UnitScores,
    root: &Url,
    u: &UnitAudit,
) -> Option<Arc<ScoreParams>> {
    if u.root.is_empty() {
        return None;
    }
    cache.get(root, &u.root, &u.audit, || {
        let uri = root.join(&diagnostics::encode_path(&u.root)).ok()?;
        Some(crate::score::params(
            &uri,
            &shipready_analysis::unit_summary(u),
        ))
    })
}

#[cfg(test)]
#[path = "delta_tests.rs"]
mod tests;
