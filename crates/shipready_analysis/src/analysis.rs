//! [`Analysis`]: the workspace's files with their cached facts, updated file by file, and the audit over them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use shipready_rules::{Profile, SourceFile, UnitCache, Workspace, WorkspaceAudit};
use shipready_syntax::FileKind;

use crate::config::{self, Config, ConfigError};
use crate::discovery::{self, Skipped};
use crate::fs::FileSystem;
use crate::report::Report;

/// A workspace under analysis. Each file is parsed once when it is added or changed; the audit is recomputed
/// from the cached facts only when something changed. A clone is cheap: files and the audit are shared.
#[derive(Clone)]
pub struct Analysis {
    root: PathBuf,
    profile: Profile,
    config: Config,
    /// Shared between clones (the server audits a copy of the session per change); written copy-on-write.
    files: Arc<BTreeMap<String, Arc<SourceFile>>>,
    /// `files`' values in path order, updated in place as files change and shared with each audit's
    /// `Workspace` (the audit is over before the next change, so the update rarely copies).
    sorted: Arc<Vec<Arc<SourceFile>>>,
    /// The paths of `files` whose parse the time budget cut off (rare), kept as files change so that asking
    /// for them does not walk every file.
    cut_off: Arc<std::collections::BTreeSet<String>>,
    skipped: Vec<Skipped>,
    audit: Option<Arc<WorkspaceAudit>>,
    /// The units' audits of the last audit, reused for units whose files did not change since.
    units: UnitCache,
    /// Counts configuration changes: a unit cache learnt under other settings is never adopted.
    settings_generation: u64,
}

impl Analysis {
    /// An empty analysis rooted at `root`.
    pub fn new(root: impl Into<PathBuf>, profile: Profile) -> Self {
        Analysis {
            root: root.into(),
            profile,
            config: Config::defaults(profile),
            files: Arc::default(),
            sorted: Arc::default(),
            cut_off: Arc::default(),
            skipped: Vec::new(),
            audit: None,
            units: UnitCache::default(),
            settings_generation: 0,
        }
    }

    /// Discover and parse every relevant file under `root`, reading and parsing in parallel.
    pub fn load(root: impl Into<PathBuf>, profile: Profile, fs: &dyn FileSystem) -> Self {
        Analysis::load_with(root, Config::defaults(profile), fs)
    }

    /// [`Analysis::load`] under the workspace's configuration (`shipready.toml`, `.shipready.toml` or
    /// `[tool.shipready]` in `pyproject.toml`). `profile` wins over the file's when given (a command-line
    /// `--profile`). A configuration error is returned beside an analysis with the defaults.
    pub fn load_configured(
        root: impl Into<PathBuf>,
        profile: Option<Profile>,
        fs: &dyn FileSystem,
    ) -> (Self, Option<ConfigError>) {
        let root = root.into();
        let default = profile.unwrap_or_default();
        let (mut config, error) = match config::load(&root, fs, default) {
            Ok(c) => (c, None),
            Err(e) => (Config::defaults(default), Some(e)),
        };
        if let Some(p) = profile {
            config.settings.profile = p;
        }
        let mut analysis = Analysis::load_with(root, config, fs);
        // Sub-folders with a configuration of their own (the nearest file wins for a unit below it).
        let folders: Vec<String> = analysis
            .files
            .values()
            .map(|f| f.dir().to_owned())
            .collect();
        let mut config = analysis.config.clone();
        let error = match config::load_folders(
            &mut config,
            &analysis.root,
            folders.iter().map(String::as_str),
            fs,
        ) {
            Ok(()) => error,
            Err(e) => error.or(Some(e)),
        };
        if let Some(p) = profile {
            for (_, s) in config.settings.folders.iter_mut() {
                s.profile = p;
            }
        }
        analysis.config = config;
        analysis.units = UnitCache::default();
        (analysis, error)
    }

    fn load_with(root: impl Into<PathBuf>, config: Config, fs: &dyn FileSystem) -> Self {
        let mut analysis = Analysis::new(root, config.settings.profile);
        let found = discovery::discover(&analysis.root, fs);
        let mut skipped = found.skipped;
        let mut kept = Vec::with_capacity(found.files.len());
        for (path, kind, text) in found.files {
            if config.excludes(&path) {
                skipped.push(Skipped {
                    path,
                    reason: "excluded by the configuration".to_owned(),
                });
            } else if text.len() as u64 > config.max_bytes {
                let reason = format!(
                    "larger than the configured max_size ({} bytes > {})",
                    text.len(),
                    config.max_bytes
                );
                skipped.push(Skipped { path, reason });
            } else {
                kept.push((path, kind, text));
            }
        }
        let parsed: Vec<Arc<SourceFile>> = kept
            .into_par_iter()
            .map(|(path, kind, text)| Arc::new(SourceFile::new(path, kind, text)))
            .collect();
        analysis.cut_off = Arc::new(
            parsed
                .iter()
                .filter(|f| f.facts.cut_off().is_some())
                .map(|f| f.path.clone())
                .collect(),
        );
        analysis.files = Arc::new(parsed.into_iter().map(|f| (f.path.clone(), f)).collect());
        analysis.sorted = Arc::new(analysis.files.values().cloned().collect());
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        analysis.skipped = skipped;
        analysis.config = config;
        analysis
    }

    /// The configuration in effect.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replace the configuration (the file changed); the caller reloads files it now includes or excludes.
    pub fn set_config(&mut self, mut config: Config) {
        config.settings.profile = self.profile;
        self.config = config;
        // Unit audits were computed under the old settings.
        self.units = UnitCache::default();
        self.settings_generation += 1;
        self.audit = None;
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn profile(&self) -> Profile {
        self.profile
    }

    pub fn set_profile(&mut self, profile: Profile) {
        if profile != self.profile {
            self.profile = profile;
            self.config.settings.profile = profile;
            self.audit = None;
        }
    }

    /// Files skipped during discovery, with reasons.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    pub fn file(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.files.get(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Set the text of the file at workspace-relative `path` (an editor buffer or a changed file on disk).
    /// Only this file is re-parsed. Returns false when shipready has no use for a file of that name.
    pub fn set_file_text(&mut self, path: &str, text: impl Into<Arc<str>>) -> bool {
        let Some(kind) = FileKind::classify(path) else {
            return false;
        };
        if self.config.excludes(path) {
            return false;
        }
        self.set_parsed(Arc::new(SourceFile::new(path, kind, text)));
        true
    }

    /// Insert a file whose facts were computed elsewhere (e.g. from an incrementally edited tree).
    pub fn set_parsed(&mut self, file: Arc<SourceFile>) {
        self.skipped.retain(|s| s.path != file.path);
        let cut_off = file.facts.cut_off().is_some();
        if cut_off != self.cut_off.contains(&file.path) {
            let set = Arc::make_mut(&mut self.cut_off);
            if cut_off {
                set.insert(file.path.clone());
            } else {
                set.remove(&file.path);
            }
        }
        let sorted = Arc::make_mut(&mut self.sorted);
        match sorted.binary_search_by(|f| f.path.cmp(&file.path)) {
            Ok(i) => sorted[i] = Arc::clone(&file),
            Err(i) => sorted.insert(i, Arc::clone(&file)),
        }
        Arc::make_mut(&mut self.files).insert(file.path.clone(), file);
        self.audit = None;
    }

    /// Re-read one file from disk (created or changed outside the editor).
    pub fn reload_from_disk(&mut self, path: &str, fs: &dyn FileSystem) {
        let Some(kind) = FileKind::classify(path) else {
            return;
        };
        let abs = self.root.join(path);
        match discovery::read_one(fs, path.to_owned(), &abs, kind) {
            Ok((path, kind, text)) => self.set_parsed(Arc::new(SourceFile::new(path, kind, text))),
            Err(skip) => {
                self.remove_file(path);
                self.skipped.push(skip);
            }
        }
    }

    pub fn remove_file(&mut self, path: &str) -> bool {
        self.skipped.retain(|s| s.path != path);
        let removed = Arc::make_mut(&mut self.files).remove(path).is_some();
        if let Ok(i) = self.sorted.binary_search_by(|f| f.path.as_str().cmp(path)) {
            Arc::make_mut(&mut self.sorted).remove(i);
        }
        if self.cut_off.contains(path) {
            Arc::make_mut(&mut self.cut_off).remove(path);
        }
        if removed {
            self.audit = None;
        }
        removed
    }

    /// The audit of the current files (every deployable unit's), computed at most once per change.
    pub fn audit(&mut self) -> Arc<WorkspaceAudit> {
        if let Some(a) = &self.audit {
            return a.clone();
        }
        // The list is sorted and unique already, and shared: nothing to sort or copy on each keystroke.
        let ws = Workspace::from_shared(Arc::clone(&self.sorted));
        let audit = Arc::new(shipready_rules::audit_workspace_cached(
            &ws,
            &self.config.settings,
            &mut self.units,
        ));
        self.audit = Some(audit.clone());
        audit
    }

    /// This analysis is audited once (`shipready check`): its cache keeps nothing for a next audit.
    pub fn audited_once(&mut self) {
        self.units = UnitCache::one_off();
    }

    /// How many unit audits are kept for reuse by the next audit.
    pub fn cached_units(&self) -> usize {
        self.units.len()
    }

    /// Take over what auditing `other` taught it, `other` being a copy of this analysis audited elsewhere (the
    /// language server audits a copy of its session, so that edits never wait for an audit): its cache of unit
    /// audits, whose entries are used only for units whose files are the very same ones, so it is sound
    /// whatever changed since the copy. Without this, every audit of a copy started from the cache of the
    /// scan (empty), and each keystroke re-audited every unit of the workspace.
    ///
    /// When nothing changed here since the copy (the very same file map, profile and settings), the copy's audit
    /// is this analysis's audit too, and is kept: a hover or a pulled diagnostic right after a keystroke then
    /// reads the publisher's audit instead of auditing again.
    pub fn adopt_audit(&mut self, other: &mut Analysis) {
        if self.root == other.root && self.settings_generation == other.settings_generation {
            self.units = std::mem::take(&mut other.units);
            if self.audit.is_none()
                && self.profile == other.profile
                && Arc::ptr_eq(&self.files, &other.files)
            {
                self.audit = other.audit.clone();
            }
        }
    }

    /// Files whose parse the time budget cut off, with the notice their facts record.
    pub fn cut_off_files(&self) -> impl Iterator<Item = (&str, &shipready_syntax::SyntaxError)> {
        self.cut_off.iter().filter_map(|p| {
            let f = self.files.get(p)?;
            Some((f.path.as_str(), f.facts.cut_off()?))
        })
    }

    /// The full report: the audit in the seed's shape, with positions.
    pub fn report(&mut self) -> Report {
        let audit = self.audit();
        let mut skipped = self.skipped.clone();
        // A file whose parse the time budget cut off was read but not analysed: listed with the reason.
        skipped.extend(self.cut_off_files().map(|(path, notice)| Skipped {
            path: path.to_owned(),
            reason: notice.message.clone(),
        }));
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        Report::new(&self.root, &audit, &self.files, &skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sorted list each audit reads is the map's files in path order after any additions, changes and
    /// removals, and a copy's changes never reach the original's list.
    #[test]
    fn the_audited_list_follows_the_files() {
        let mut a = Analysis::new("/w", Profile::Standard);
        let same = |a: &Analysis| {
            a.sorted.len() == a.files.len()
                && a.sorted
                    .iter()
                    .zip(a.files.values())
                    .all(|(x, y)| Arc::ptr_eq(x, y))
        };
        for (i, path) in [
            "b/Dockerfile",
            "a/Dockerfile",
            "c/compose.yaml",
            "a/Dockerfile",
        ]
        .iter()
        .enumerate()
        {
            a.set_file_text(path, format!("FROM nginx:1.{i}\n"));
            assert!(same(&a));
        }
        let audited = a.audit();
        assert_eq!(
            audited.units.iter().map(|u| u.files.len()).sum::<usize>(),
            3
        );
        let mut copy = a.clone();
        copy.remove_file("b/Dockerfile");
        copy.set_file_text("d/Dockerfile", "FROM nginx\n");
        assert!(same(&copy) && same(&a));
        assert_eq!(a.sorted.len(), 3);
        assert!(a.remove_file("a/Dockerfile"));
        assert!(!a.remove_file("a/Dockerfile"));
        assert!(same(&a));
        assert_eq!(
            a.sorted.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            ["b/Dockerfile", "c/compose.yaml"]
        );
    }

    /// The copy's audit is kept when nothing changed since the copy, and not when a file or the profile did.
    #[test]
    fn a_copy_audited_elsewhere_hands_its_audit_back_when_nothing_changed_since() {
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text("web/Dockerfile", "FROM nginx:1.27\nEXPOSE 80\n");
        let mut copy = a.clone();
        let audited = copy.audit();
        a.adopt_audit(&mut copy);
        assert!(a.audit.as_ref().is_some_and(|x| Arc::ptr_eq(x, &audited)));
        // A change after the copy: the copy's audit is of older files.
        let mut copy = a.clone();
        a.set_file_text("web/Dockerfile", "FROM nginx:1.27\nEXPOSE 8080\n");
        copy.audit();
        a.adopt_audit(&mut copy);
        assert!(a.audit.is_none());
        // A profile switched after the copy: the same.
        let mut copy = a.clone();
        copy.audit();
        a.set_profile(Profile::Seed);
        a.adopt_audit(&mut copy);
        assert!(a.audit.is_none());
    }

    #[test]
    fn a_copy_audited_elsewhere_hands_its_unit_cache_back_under_the_same_settings() {
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text(
            "api/Dockerfile",
            "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n",
        );
        a.set_file_text("web/Dockerfile", "FROM nginx:1.27\nEXPOSE 80\n");
        let mut copy = a.clone();
        copy.audit();
        assert!(a.units.is_empty());
        a.adopt_audit(&mut copy);
        assert_eq!(a.units.len(), 2, "both units' audits come back");
        // A copy audited under settings since replaced teaches nothing.
        let mut stale = a.clone();
        stale.set_file_text("web/Dockerfile", "FROM nginx:1.27\nEXPOSE 8080\n");
        stale.audit();
        a.set_config(Config::defaults(Profile::Standard));
        a.adopt_audit(&mut stale);
        assert!(a.units.is_empty());
    }

    #[test]
    fn a_change_to_one_file_updates_the_audit() {
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text(
            "app/main.py",
            "from fastapi import FastAPI\napp = FastAPI()\n",
        );
        let before = a.audit();
        assert!(before.findings().iter().any(|f| f.code == "HC001"));
        a.set_file_text("app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {}\n");
        let after = a.audit();
        assert!(!after.findings().iter().any(|f| f.code == "HC001"));
        assert!(after.score.overall > before.score.overall);
        assert_eq!(after.units.len(), 1);
    }

    /// The same workspace audited with the unit cache after a sequence of changes and from scratch.
    fn assert_same_as_fresh(a: &mut Analysis) {
        let cached = serde_json::to_value(&*a.audit()).unwrap_or_default();
        let ws = Workspace::new(a.files.values().cloned().collect());
        let fresh = serde_json::to_value(shipready_rules::audit_workspace(&ws, a.profile))
            .unwrap_or_default();
        assert_eq!(cached, fresh);
    }

    #[test]
    fn cached_unit_audits_equal_a_fresh_audit_after_each_change() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/units-two");
        let mut a = Analysis::load(&root, Profile::Standard, &crate::RealFs);
        assert!(a.audit().units.len() > 1);
        let paths: Vec<String> = a.paths().map(str::to_owned).collect();
        // Edit every file in turn (a change that closes or opens gaps, then its revert), change the profile,
        // remove a file and add one that makes a new unit: the cached audit must equal a fresh one each time.
        for path in &paths {
            let Some(text) = a.file(path).map(|f| f.text.to_string()) else {
                continue;
            };
            a.set_file_text(path, format!("{text}\n# HEALTHCHECK /health\n"));
            assert_same_as_fresh(&mut a);
            a.set_file_text(path, text);
            assert_same_as_fresh(&mut a);
        }
        // Edits the partition into units reads: a header that makes the API image a development one, an image
        // that runs the tests, and a compose file that builds the reports tool from the API's folder.
        let api = a.file("api/Dockerfile").map(|f| f.text.to_string());
        if let Some(api) = api {
            a.set_file_text(
                "api/Dockerfile",
                format!("# Not for production: local only\n{api}"),
            );
            assert_same_as_fresh(&mut a);
            a.set_file_text("api/Dockerfile", format!("{api}\nCMD [\"pytest\"]\n"));
            assert_same_as_fresh(&mut a);
            a.set_file_text("api/Dockerfile", api);
            assert_same_as_fresh(&mut a);
        }
        let compose = "services:\n  reports:\n    build: ./tools/reportgen\n";
        a.set_file_text("compose.yaml", compose);
        assert_same_as_fresh(&mut a);
        a.set_file_text(
            "compose.yaml",
            compose.replace("./tools/reportgen", "./api"),
        );
        assert_same_as_fresh(&mut a);
        a.set_file_text("compose.yaml", format!("# the stack\n{compose}"));
        assert_same_as_fresh(&mut a);
        a.set_profile(Profile::Seed);
        assert_same_as_fresh(&mut a);
        a.set_profile(Profile::Standard);
        if let Some(first) = paths.first() {
            a.remove_file(first);
            assert_same_as_fresh(&mut a);
        }
        a.set_file_text(
            "newsvc/Dockerfile",
            "FROM python:3.12\nCMD [\"python\", \"app.py\"]\n",
        );
        assert_same_as_fresh(&mut a);
    }

    #[test]
    fn unknown_file_kinds_are_ignored() {
        let mut a = Analysis::new("/w", Profile::Standard);
        assert!(!a.set_file_text("notes.txt", "x"));
        assert_eq!(a.paths().count(), 0);
    }
}
