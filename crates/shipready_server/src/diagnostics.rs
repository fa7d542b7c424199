//! Findings as LSP diagnostics: code, source, message, exact range, rule page link, configured severity,
//! cross-file evidence as related information, and the finding's fix in `data` so code actions need no
//! recomputation.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::json;
use shipready_rules::{Finding, Fix};
use shipready_text::{LineIndex, PositionEncoding};
use tower_lsp::lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, Location, NumberOrString, Url,
};

use crate::config::{Config, Shown};
use crate::conv;
use crate::session::Session;

use shipready_rules::RULE_DOCS;

/// The diagnostics of one file, with the buffer version they were computed from when the file is open.
#[derive(Clone, Debug, PartialEq)]
pub struct FileDiagnostics {
    pub uri: Url,
    pub version: Option<i32>,
    /// Shared with the cache: a file whose diagnostics did not change is the same allocation in every snapshot,
    /// so the outbox can tell it unchanged without comparing it.
    pub diagnostics: Arc<Vec<Diagnostic>>,
}

/// What turning findings into diagnostics computed, kept between snapshots: a keystroke changes one file and
/// re-audits one unit, and the other files' diagnostics need not be computed again.
#[derive(Default)]
pub struct DiagnosticCache {
    /// Line indexes of the texts findings were converted in. An entry is used only for the very text it was
    /// built from (the same shared allocation), so a changed file gets a new one.
    indexes: HashMap<(usize, String), (Arc<str>, Arc<LineIndex>)>,
    /// Each root's files' diagnostics, by path: a keystroke re-audits one unit, and the files of the other
    /// units get their diagnostics back without converting a finding (nor serialising its fix into `data`)
    /// again.
    files: HashMap<usize, HashMap<String, FileEntry>>,
    /// Each unit audit's shown findings grouped by file, by the audit's address (the audit is kept alive with
    /// it, so the address is not reused): a keystroke changes one unit's audit, and the others' findings are
    /// not walked one by one again.
    groups: HashMap<usize, UnitGroups>,
    /// Counts [`collect`] runs; entries not seen in the latest are dropped.
    generation: u64,
}

/// A unit audit (kept alive), its shown findings' indexes grouped by file, and the generation that last used them.
type UnitGroups = (Arc<shipready_rules::Audit>, Arc<[Vec<usize>]>, u64);

/// An open buffer's URI as the client sent it, its version, and its size when it is too large to analyse.
pub(crate) type OpenBuffer = (Url, i32, Option<usize>);

/// What tells a repeated finding (`Finding::identity`).
pub(crate) type Identity<'a> = (
    &'static str,
    Option<&'a str>,
    Option<shipready_text::TextRange>,
    &'a str,
);

/// One file's diagnostics and what they were computed from.
struct FileEntry {
    /// A fingerprint of everything the diagnostics depend on: see [`fingerprint`].
    print: u64,
    diagnostics: Arc<Vec<Diagnostic>>,
    /// The URI a closed file is published under, with the root's URI it was made from.
    uri: Url,
    root_uri: Url,
    /// The audits of the units whose findings are in the file and the text, kept alive so that their
    /// addresses, which the fingerprint holds, cannot be reused by new ones.
    _audits: Vec<Arc<shipready_rules::Audit>>,
    _text: Option<Arc<str>>,
    generation: u64,
}

impl DiagnosticCache {
    /// [`group_by_file`] of `audit`, kept by the audit's address.
    pub(crate) fn groups(&mut self, audit: &Arc<shipready_rules::Audit>) -> Arc<[Vec<usize>]> {
        let generation = self.generation;
        let entry = self
            .groups
            .entry(Arc::as_ptr(audit) as usize)
            .or_insert_with(|| (Arc::clone(audit), group_by_file(audit), generation));
        entry.2 = generation;
        Arc::clone(&entry.1)
    }

    /// Start a publication that converts only some files (see [`crate::delta`]): the entries of the others
    /// stay as they are.
    pub(crate) fn begin_some(&mut self) {
        self.generation += 1;
    }

    /// Forget what was kept for `path` of root `root`: it has no diagnostics any more, or its text changed,
    /// and what it pins (audits, texts) can go.
    pub(crate) fn forget(&mut self, root: usize, path: &str, text: Option<&Arc<str>>) {
        let key = (root, path.to_owned());
        if self
            .indexes
            .get(&key)
            .is_some_and(|(t, _)| text.is_none_or(|text| !Arc::ptr_eq(t, text)))
        {
            self.indexes.remove(&key);
        }
        if text.is_none() {
            if let Some(files) = self.files.get_mut(&root) {
                files.remove(path);
            }
        }
    }

    fn get(&mut self, root: usize, path: &str, text: &Arc<str>) -> Arc<LineIndex> {
        let key = (root, path.to_owned());
        match self.indexes.get(&key) {
            Some((t, index)) if Arc::ptr_eq(t, text) => index.clone(),
            _ => {
                let index = Arc::new(LineIndex::new(text));
                self.indexes.insert(key, (text.clone(), index.clone()));
                index
            }
        }
    }

    /// Drop the entries of texts no longer in the workspace (closed, changed or deleted files).
    fn retain_current(&mut self, session: &Session) {
        self.indexes.retain(|(root, path), (text, _)| {
            session
                .roots
                .get(*root)
                .and_then(|r| r.analysis.file(path))
                .is_some_and(|f| Arc::ptr_eq(&f.text, text))
        });
    }
}

/// Line indexes of one root's texts while converting its findings.
struct Texts<'a> {
    root: &'a shipready_analysis::Analysis,
    index: usize,
    indexes: &'a mut DiagnosticCache,
}

impl Texts<'_> {
    fn range(
        &mut self,
        path: &str,
        range: shipready_text::TextRange,
        enc: PositionEncoding,
    ) -> Option<tower_lsp::lsp_types::Range> {
        let file = self.root.file(path)?;
        let index = self.indexes.get(self.index, path, &file.text);
        Some(conv::range(&index, &file.text, range, enc))
    }
}

/// Diagnostics of every file with findings in every root; with `every_file`, also an empty list for each
/// other file of the workspace (what a workspace pull reports so clients drop stale results).
pub fn collect(session: &mut Session, every_file: bool) -> Vec<FileDiagnostics> {
    collect_files(session, every_file)
        .into_iter()
        .map(|(_, _, f)| f)
        .collect()
}

/// [`collect`], each file with its root's index and its path in that root.
pub(crate) fn collect_files(
    session: &mut Session,
    every_file: bool,
) -> Vec<(usize, String, FileDiagnostics)> {
    let shared = session.diagnostic_cache.clone();
    let mut cache = shared.lock().unwrap_or_else(|p| p.into_inner());
    cache.generation += 1;
    let generation = cache.generation;
    let config_print = config_print(session);
    let mut out = Vec::new();
    let open = open_buffers(session);
    let audits: Vec<Arc<shipready_rules::WorkspaceAudit>> = session
        .roots
        .iter_mut()
        .map(|r| r.analysis.audit())
        .collect();
    for (i, (root, audit)) in session.roots.iter().zip(&audits).enumerate() {
        let Some(open) = open.get(i) else {
            continue;
        };
        let mut by_file: BTreeMap<&str, Vec<(usize, &Finding)>> = BTreeMap::new();
        if every_file {
            for p in root.analysis.paths() {
                by_file.entry(p).or_default();
            }
        }
        // An open buffer always gets a list, empty when it has no findings, under its current version.
        for path in open.keys() {
            by_file.entry(path).or_default();
        }
        // A gap an inline suppression accepts is not shown; a suppression that accepts nothing is.
        // The units' own lists, file by file: the merged one would copy every finding of the workspace on each
        // change. A finding in a file several units are judged on is shown once, as in the merged list.
        let mut seen = HashSet::new();
        for (unit, u) in audit.units.iter().enumerate() {
            for group in cache.groups(&u.audit).iter() {
                let Some(file) = group_file(&u.audit, group) else {
                    continue;
                };
                let shown = by_file.entry(file).or_default();
                shown_findings(audit, unit, file, group, &mut seen, shown);
            }
        }
        for u in &audit.unused_suppressions {
            by_file.entry(&u.file).or_default();
        }
        if let Some(e) = &root.config_error {
            by_file.entry(&e.file).or_default();
        }
        // A file the parse time budget cut off says so, as a buffer too large to analyse does.
        for (path, _) in root.analysis.cut_off_files() {
            by_file.entry(path).or_default();
        }
        let cx = RootView {
            index: i,
            root,
            audit,
            open,
            config: &session.config,
            config_print,
            enc: session.caps.encoding,
        };
        for (path, findings) in by_file {
            if let Some(f) = file_diagnostics(&cx, &mut cache, path, findings) {
                out.push((i, path.to_owned(), f));
            }
        }
    }
    // Stale line indexes are never used (an entry serves only its very text) but pin old texts: they are swept
    // now and then rather than looked up file by file on every keystroke.
    if generation.is_multiple_of(16) {
        cache.retain_current(session);
    }
    // Files that have no diagnostics any more (their unit's gaps closed, or it is gone) leave the cache, and so
    // do the groups of audits no longer in the workspace.
    for files in cache.files.values_mut() {
        files.retain(|_, e| e.generation == generation);
    }
    cache.groups.retain(|_, g| g.2 == generation);
    out
}

/// The indexes of `audit`'s unsuppressed findings that have a file, grouped by file, in their order.
pub(crate) fn group_by_file(audit: &shipready_rules::Audit) -> Arc<[Vec<usize>]> {
    let mut by_file: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (k, f) in audit.findings.iter().enumerate() {
        if let (Some(file), None) = (&f.file, &f.suppressed) {
            let g = *by_file.entry(file).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(k);
        }
    }
    Arc::from(groups)
}

/// The file a group of [`group_by_file`] is in.
pub(crate) fn group_file<'a>(
    audit: &'a shipready_rules::Audit,
    group: &[usize],
) -> Option<&'a str> {
    group
        .first()
        .and_then(|&k| audit.findings.get(k)?.file.as_deref())
}

/// Add unit `unit`'s findings of `group` (all in `file`) to `shown`, each with its unit: a finding in a file
/// several units are judged on is shown once, for the first unit (in unit order) that reports it, which
/// `seen` remembers.
pub(crate) fn shown_findings<'a>(
    audit: &'a shipready_rules::WorkspaceAudit,
    unit: usize,
    file: &str,
    group: &[usize],
    seen: &mut HashSet<Identity<'a>>,
    shown: &mut Vec<(usize, &'a Finding)>,
) {
    let Some(u) = audit.units.get(unit) else {
        return;
    };
    let findings = group.iter().filter_map(|&k| u.audit.findings.get(k));
    if audit.repeats(unit, file) {
        shown.extend(
            findings
                .filter(|f| seen.insert(f.identity()))
                .map(|f| (unit, f)),
        );
    } else {
        shown.extend(findings.map(|f| (unit, f)));
    }
}

/// The configuration shapes every diagnostic (severities, what is shown): part of every fingerprint.
pub(crate) fn config_print(session: &Session) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{:?}{:?}", session.config, session.caps.encoding).hash(&mut h);
    h.finish()
}

/// Each root's open buffers by path: they are reported under the URI the client used, with their version.
pub(crate) fn open_buffers(session: &Session) -> Vec<HashMap<String, OpenBuffer>> {
    let mut open: Vec<HashMap<String, OpenBuffer>> = vec![HashMap::new(); session.roots.len()];
    for (uri, d) in &session.docs {
        if let Some((i, path)) = session.locate(uri) {
            if let Some(root) = open.get_mut(i) {
                root.insert(path, (uri.clone(), d.version, d.too_large()));
            }
        }
    }
    open
}

/// What converting one root's findings reads, the same for each of its files.
pub(crate) struct RootView<'a> {
    pub index: usize,
    pub root: &'a crate::session::Root,
    pub audit: &'a shipready_rules::WorkspaceAudit,
    pub open: &'a HashMap<String, OpenBuffer>,
    pub config: &'a Config,
    /// [`config_print`] of the session.
    pub config_print: u64,
    pub enc: PositionEncoding,
}

impl RootView<'_> {
    /// Whether `path` gets a list of diagnostics (maybe empty) even without findings: an open buffer, a file
    /// with an unused suppression or the configuration's error, or one the parse time budget cut off.
    pub fn listed_without_findings(&self, path: &str) -> bool {
        self.open.contains_key(path)
            || self
                .audit
                .unused_suppressions
                .iter()
                .any(|u| u.file == path)
            || self
                .root
                .config_error
                .as_ref()
                .is_some_and(|e| e.file == path)
            || self.root.analysis.cut_off_files().any(|(p, _)| p == path)
    }
}

/// One file's diagnostics from its shown findings (as [`shown_findings`] gives them), from the cache when
/// nothing they are computed from changed; `None` when the file has no URI.
pub(crate) fn file_diagnostics(
    cx: &RootView,
    cache: &mut DiagnosticCache,
    path: &str,
    findings: Vec<(usize, &Finding)>,
) -> Option<FileDiagnostics> {
    let (i, root, audit) = (cx.index, cx.root, cx.audit);
    let generation = cache.generation;
    let config_error = root.config_error.as_ref();
    let cached = cache.files.get(&i).and_then(|files| files.get(path));
    let (uri, version, too_large) = match cx.open.get(path) {
        Some((uri, version, too_large)) => (uri.clone(), Some(*version), *too_large),
        None => match cached.filter(|c| c.root_uri == root.uri) {
            Some(c) => (c.uri.clone(), None, None),
            None => (root.uri.join(&encode_path(path)).ok()?, None, None),
        },
    };
    let text = root.analysis.file(path).map(|f| &f.text);
    let units: Vec<(usize, &Arc<shipready_rules::Audit>)> = {
        let mut units: Vec<usize> = findings.iter().map(|(u, _)| *u).collect();
        units.sort_unstable();
        units.dedup();
        units
            .into_iter()
            .filter_map(|u| Some((u, &audit.units.get(u)?.audit)))
            .collect()
    };
    let print = fingerprint(
        findings.len(),
        &units,
        &uri,
        version,
        too_large,
        text,
        cx.config_print,
        config_error.filter(|e| e.file == path),
        audit.unused_suppressions.iter().filter(|u| u.file == path),
    );
    if let Some(entry) = cache
        .files
        .get_mut(&i)
        .and_then(|files| files.get_mut(path))
        .filter(|e| e.print == print)
    {
        entry.generation = generation;
        return Some(FileDiagnostics {
            uri,
            version,
            diagnostics: Arc::clone(&entry.diagnostics),
        });
    }
    let enc = cx.enc;
    let mut texts = Texts {
        root: &root.analysis,
        index: i,
        indexes: cache,
    };
    let mut diagnostics: Vec<Diagnostic> = too_large.map(not_analysed).into_iter().collect();
    if let Some(notice) = root.analysis.file(path).and_then(|f| f.facts.cut_off()) {
        diagnostics.push(cut_off(&notice.message));
    }
    // In the order of the merged list: by position, code and unit.
    let mut findings = findings;
    findings.sort_by_key(|(u, f)| (f.range.map(|r| r.start), f.code, *u));
    let findings: Vec<&Finding> = findings.into_iter().map(|(_, f)| f).collect();
    diagnostics.extend(
        one_per_missing_thing(&findings, cx.config)
            .into_iter()
            .filter_map(|group| diagnostic(&group, &root.uri, &mut texts, cx.config, enc, version)),
    );
    if let Some(e) = config_error.filter(|e| e.file == path) {
        diagnostics.push(config_diagnostic(e));
    }
    diagnostics.extend(
        audit
            .unused_suppressions
            .iter()
            .filter(|u| u.file == path)
            .filter_map(|u| unused_suppression(u, &mut texts, enc)),
    );
    let diagnostics = Arc::new(diagnostics);
    cache.files.entry(i).or_default().insert(
        path.to_owned(),
        FileEntry {
            print,
            diagnostics: Arc::clone(&diagnostics),
            uri: uri.clone(),
            root_uri: root.uri.clone(),
            _audits: units.iter().map(|(_, a)| Arc::clone(a)).collect(),
            _text: text.cloned(),
            generation,
        },
    );
    Some(FileDiagnostics {
        uri,
        version,
        diagnostics,
    })
}

/// A fingerprint of everything one file's diagnostics are computed from: which units' audits its findings come
/// from (each audit is immutable and shared, so its address stands for its findings; the cache keeps it alive
/// so the address is not reused) and how many there are, its URI and version, its text (the shared
/// allocation: ranges become positions in it), the configuration, and its configuration error and unused
/// suppressions. Equal fingerprints give equal diagnostics.
#[allow(clippy::too_many_arguments)]
fn fingerprint<'a>(
    findings: usize,
    units: &[(usize, &Arc<shipready_rules::Audit>)],
    uri: &Url,
    version: Option<i32>,
    too_large: Option<usize>,
    text: Option<&Arc<str>>,
    config: u64,
    config_error: Option<&shipready_analysis::config::ConfigError>,
    unused: impl Iterator<Item = &'a shipready_rules::suppress::Suppression>,
) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    config.hash(&mut h);
    uri.as_str().hash(&mut h);
    version.hash(&mut h);
    too_large.hash(&mut h);
    text.map(|t| Arc::as_ptr(t) as *const u8 as usize)
        .hash(&mut h);
    findings.hash(&mut h);
    for (unit, audit) in units {
        unit.hash(&mut h);
        (Arc::as_ptr(audit) as usize).hash(&mut h);
    }
    config_error.map(|e| e.to_string()).hash(&mut h);
    for u in unused {
        format!("{u:?}").hash(&mut h);
    }
    h.finish()
}

/// The notice on a file whose parse the time budget cut off: why it shows no findings.
fn cut_off(notice: &str) -> Diagnostic {
    let mut message = notice.to_owned();
    if let Some(first) = message.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    file_notice(
        "parse-budget",
        format!("{message}: a file this slow to parse is left out so that the editor never waits, and its gaps are not shown. Split the file, or move generated content out of it."),
    )
}

/// The notice on a buffer too large to analyse: why it shows no findings.
fn not_analysed(len: usize) -> Diagnostic {
    let limit = crate::document::MAX_BUFFER_BYTES;
    file_notice(
        "too-large",
        format!(
            "Not analysed: this buffer is {len} bytes, over the {} MiB limit that applies to files on disk too.",
            limit / (1024 * 1024)
        ),
    )
}

/// An information diagnostic at the top of a file that shipready did not analyse, saying why.
fn file_notice(code: &str, message: String) -> Diagnostic {
    Diagnostic {
        range: tower_lsp::lsp_types::Range::default(),
        severity: Some(tower_lsp::lsp_types::DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String(code.to_owned())),
        source: Some("shipready".to_owned()),
        message,
        ..Diagnostic::default()
    }
}

/// The diagnostics of one document (for `textDocument/diagnostic`), as [`collect`] gives them: only that file's
/// findings are gathered and converted, not the workspace's (a pulling client asks after every change).
pub fn of_document(session: &mut Session, uri: &Url) -> Vec<Diagnostic> {
    if session.has_nested_roots() {
        // A file inside two roots is reported by both, and the first root's list is the answer.
        return collect(session, false)
            .into_iter()
            .find(|d| &d.uri == uri)
            .map(|d| d.diagnostics.to_vec())
            .unwrap_or_default();
    }
    let Some((i, path)) = session.locate(uri) else {
        return Vec::new();
    };
    let Some(audit) = session.roots.get_mut(i).map(|r| r.analysis.audit()) else {
        return Vec::new();
    };
    let open = open_buffers(session);
    let (Some(root), Some(open)) = (session.roots.get(i), open.get(i)) else {
        return Vec::new();
    };
    let shared = session.diagnostic_cache.clone();
    let mut cache = shared.lock().unwrap_or_else(|p| p.into_inner());
    let (mut shown, mut seen, mut has_findings) = (Vec::new(), HashSet::new(), false);
    for (unit, u) in audit.units.iter().enumerate() {
        for group in cache.groups(&u.audit).iter() {
            if group_file(&u.audit, group) == Some(path.as_str()) {
                has_findings = true;
                shown_findings(&audit, unit, &path, group, &mut seen, &mut shown);
            }
        }
    }
    let cx = RootView {
        index: i,
        root,
        audit: &audit,
        open,
        config: &session.config,
        config_print: config_print(session),
        enc: session.caps.encoding,
    };
    if !has_findings && !cx.listed_without_findings(&path) {
        return Vec::new();
    }
    file_diagnostics(&cx, &mut cache, &path, shown)
        .filter(|f| &f.uri == uri)
        .map(|f| f.diagnostics.to_vec())
        .unwrap_or_default()
}

/// The diagnostics of `findings` of root `root`, as they are published now: one per finding, `None` for one
/// configured off. `version` is the buffer version of the file they are anchored in.
pub fn of_findings(
    session: &Session,
    root: usize,
    findings: &[&Finding],
    version: Option<i32>,
) -> Vec<Option<Diagnostic>> {
    let Some(r) = session.roots.get(root) else {
        return Vec::new();
    };
    let mut indexes = DiagnosticCache::default();
    let mut texts = Texts {
        root: &r.analysis,
        index: root,
        indexes: &mut indexes,
    };
    let enc = session.caps.encoding;
    // Grouped as `collect` groups them, so each finding maps to the diagnostic the client was sent: findings
    // that are one missing thing share a range, so they are in the range together.
    let groups = one_per_missing_thing(findings, &session.config);
    findings
        .iter()
        .map(|f| {
            let group = groups
                .iter()
                .find(|g| g.iter().any(|m| std::ptr::eq(*m, *f)))?;
            diagnostic(group, &r.uri, &mut texts, &session.config, enc, version)
        })
        .collect()
}

/// Findings of one file grouped so that one missing thing is one diagnostic: findings at the same range whose
/// fix is the same (a guide's missing Rollback section fails GD002, RB001 and RB002; the missing health route
/// fails HC001 and HC003) form one group, its most severe shown finding first. Other findings stand alone.
fn one_per_missing_thing<'a>(findings: &[&'a Finding], config: &Config) -> Vec<Vec<&'a Finding>> {
    let mut groups: Vec<Vec<&'a Finding>> = Vec::new();
    for f in findings.iter().copied() {
        if matches!(config.shown(f.code, f.severity), Shown::Off) {
            continue;
        }
        let same = groups.iter_mut().find(|g| {
            let first = g[0];
            f.fix.is_some() && first.fix == f.fix && first.range == f.range && first.file == f.file
        });
        match same {
            Some(g) => g.push(f),
            None => groups.push(vec![f]),
        }
    }
    // The most severe as shown (configured severities included) speaks for the group.
    let rank = |f: &Finding| match config.shown(f.code, f.severity) {
        Shown::As(s) => severity_rank(s),
        Shown::Off => u8::MAX,
    };
    for g in &mut groups {
        g.sort_by_key(|f| (rank(f), f.severity, f.code));
    }
    groups
}

/// An invalid configuration, at the place of the mistake (its line and column; the span's length on that line).
fn config_diagnostic(e: &shipready_analysis::config::ConfigError) -> Diagnostic {
    use tower_lsp::lsp_types::{Position, Range};
    let line = e.line.saturating_sub(1);
    let col = e.column.saturating_sub(1);
    let len = u32::try_from(e.range.len()).unwrap_or(1).max(1);
    Diagnostic {
        range: Range::new(Position::new(line, col), Position::new(line, col + len)),
        severity: Some(tower_lsp::lsp_types::DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("invalid-configuration".to_owned())),
        source: Some("shipready".to_owned()),
        message: format!(
            "{} (shipready audits with the defaults until it is fixed)",
            e.message
        ),
        ..Default::default()
    }
}

/// An inline suppression that accepts no gap: a warning on the comment, shown faded, that it can go.
fn unused_suppression(
    u: &shipready_rules::suppress::Suppression,
    texts: &mut Texts,
    enc: PositionEncoding,
) -> Option<Diagnostic> {
    Some(Diagnostic {
        range: texts.range(&u.file, u.range, enc)?,
        severity: Some(tower_lsp::lsp_types::DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String("unused-suppression".to_owned())),
        source: Some("shipready".to_owned()),
        message: format!(
            "Unused suppression: no {} gap here to accept; the comment can go.",
            u.codes.join(", ")
        ),
        tags: Some(vec![tower_lsp::lsp_types::DiagnosticTag::UNNECESSARY]),
        ..Default::default()
    })
}

/// LSP severities from most to least severe.
fn severity_rank(s: tower_lsp::lsp_types::DiagnosticSeverity) -> u8 {
    use tower_lsp::lsp_types::DiagnosticSeverity as S;
    match s {
        S::ERROR => 0,
        S::WARNING => 1,
        S::INFORMATION => 2,
        _ => 3,
    }
}

fn diagnostic(
    group: &[&Finding],
    root: &Url,
    texts: &mut Texts,
    config: &Config,
    enc: PositionEncoding,
    version: Option<i32>,
) -> Option<Diagnostic> {
    let f = *group.first()?;
    let severity = match config.shown(f.code, f.severity) {
        Shown::As(s) => s,
        Shown::Off => return None,
    };
    let mut message = f.message.clone();
    if let [_, others @ ..] = group {
        if !others.is_empty() {
            let codes: Vec<&str> = others.iter().map(|o| o.code).collect();
            let points: f64 = group.iter().map(|o| o.points).sum();
            message.push_str(&format!(
                " The same fix closes {} too: worth {} points in all.",
                codes.join(", "),
                crate::score::num((points * 100.0).round() / 100.0)
            ));
        }
    }
    let codes: Vec<&str> = group.iter().map(|o| o.code).collect();
    let file = f.file.as_deref()?;
    let range = texts.range(file, f.range.unwrap_or_default(), enc)?;
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: root.join(&encode_path(&r.file)).ok()?,
                    range: texts.range(&r.file, r.range, enc)?,
                },
                message: r.message.clone(),
            })
        })
        .collect();
    Some(Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(f.code.to_owned())),
        code_description: Url::parse(&format!("{RULE_DOCS}{}.md", f.code))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("shipready".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({
            "code": f.code,
            "codes": codes,
            "file": file,
            "version": version,
            "fix": f.fix.as_ref().map(fix_digest),
        })),
    })
}

/// What a diagnostic's `data` carries of its finding's fix: a digest of it (title, applicability and every
/// edit), which a code action looks up among the current findings' fixes. The fix itself is not serialized
/// into every diagnostic of every publication: a generated guide section is kilobytes, and a code action
/// uses only a fix the current audit still has anyway.
pub fn fix_digest(fix: &Fix) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    fix.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// A pull result id for a document's diagnostics: a digest of everything the client would be sent, so an
/// unchanged id means an unchanged report. Ids only need to be stable within one server process.
pub fn result_id(diagnostics: &[Diagnostic]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(diagnostics)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// A workspace-relative path as a relative URI reference: each segment percent-encoded, so names with spaces,
/// `#` or `?` stay one path.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in segment.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document's pulled diagnostics are its list in a full [`collect`], for every file: with findings from
    /// two units, none, an open buffer (with and without findings) and a URI of no file.
    #[test]
    fn a_documents_diagnostics_are_its_list_in_the_whole() {
        use shipready_analysis::{Analysis, Profile};
        let mut s = Session::on_test_root();
        let mut analysis = Analysis::new("/w", Profile::Standard);
        analysis.set_file_text(
            "api/Dockerfile",
            "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n",
        );
        analysis.set_file_text(
            "api/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n",
        );
        analysis.set_file_text(
            "web/Dockerfile",
            "FROM nginx\n# shipready: ignore[CD001] x\nEXPOSE 80\n",
        );
        analysis.set_file_text("README.md", "# W\n\nNothing about deploying.\n");
        analysis.set_file_text("api/requirements.txt", "fastapi\n");
        s.install(analysis, None);
        let uri = |p: &str| Url::parse(&format!("file:///w/{p}")).ok();
        if let Some(u) = uri("web/Dockerfile") {
            s.open(u, "FROM nginx:1.27\nEXPOSE 80\n", 3);
        }
        if let Some(u) = uri("notes.txt") {
            s.open(u, "nothing", 1);
        }
        s.flush();
        let all = collect(&mut s, false);
        let paths = [
            "api/Dockerfile",
            "api/main.py",
            "web/Dockerfile",
            "README.md",
            "api/requirements.txt",
            "notes.txt",
            "gone.py",
        ];
        for path in paths {
            let Some(u) = uri(path) else {
                panic!("bad test URI");
            };
            let whole = all
                .iter()
                .find(|d| d.uri == u)
                .map(|d| d.diagnostics.to_vec())
                .unwrap_or_default();
            assert_eq!(of_document(&mut s, &u), whole, "{path}");
        }
        assert!(all.iter().any(|d| !d.diagnostics.is_empty()));
    }

    #[test]
    fn paths_become_uri_references() {
        let root = Url::parse("file:///w/").ok();
        let joined = root.and_then(|r| r.join(&encode_path("my app/a#b.py")).ok());
        assert_eq!(
            joined.map(|u| u.to_string()),
            Some("file:///w/my%20app/a%23b.py".to_owned())
        );
    }
}
