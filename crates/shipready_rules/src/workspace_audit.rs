//! [`audit_workspace`]: the workspace cut into deployable units, each audited on its own files with its own
//! seed-faithful score; the workspace score is the mean of the units'. A repository with one unit scores
//! exactly as that unit does.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use serde::Serialize;

use crate::units::SetAside;
use crate::{band_of, Audit, Band, Category, CategoryScore, Finding, Profile, Satisfier};
use crate::{Score, SourceFile, Workspace};

/// One unit's audit.
#[derive(Clone, Debug, Serialize)]
pub struct UnitAudit {
    /// `.` for the workspace root, else the unit's folder.
    pub name: String,
    /// The unit's folder (`""` at the workspace root).
    pub root: String,
    /// What anchors the unit: `cdk`, `compose`, `image`, or `workspace`.
    pub kinds: Vec<&'static str>,
    /// The files it was judged on, sorted (shared with the unit cache).
    pub files: Arc<[String]>,
    /// Shared with the unit cache: a unit audited once is never copied.
    pub audit: Arc<Audit>,
}

/// Every unit's audit, and their findings together for the editor.
///
/// The merged lists ([`WorkspaceAudit::findings`], [`WorkspaceAudit::satisfiers`]) are built on first use: a
/// keystroke re-audits one unit, and copying every other unit's findings into a new list would make each
/// keystroke cost as much as the workspace holds. The language server reads the units' own lists instead, file
/// by file, with [`WorkspaceAudit::repeats`] and [`Finding::identity`] to show a repeated finding once.
#[derive(Clone, Debug)]
pub struct WorkspaceAudit {
    pub profile: Profile,
    pub units: Vec<UnitAudit>,
    /// Every unit's findings (each names its unit), a finding two units share in a shared file listed once.
    findings: OnceLock<Vec<Finding>>,
    satisfiers: OnceLock<Vec<Satisfier>>,
    /// The files judged in more than one unit, whose findings may repeat: see [`WorkspaceAudit::repeats`].
    shared: Arc<HashSet<String>>,
    /// The mean of the units' scores; with one unit, that unit's score.
    pub score: Score,
    pub set_aside: Arc<[SetAside]>,
    /// Inline suppressions that suppressed nothing in any unit judged on their file.
    pub unused_suppressions: Vec<crate::suppress::Suppression>,
}

/// The audit with its merged lists, as if they were fields.
impl Serialize for WorkspaceAudit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            profile: Profile,
            units: &'a [UnitAudit],
            findings: &'a [Finding],
            satisfiers: &'a [Satisfier],
            score: &'a Score,
            set_aside: &'a [SetAside],
            unused_suppressions: &'a [crate::suppress::Suppression],
        }
        Shown {
            profile: self.profile,
            units: &self.units,
            findings: self.findings(),
            satisfiers: self.satisfiers(),
            score: &self.score,
            set_aside: &self.set_aside,
            unused_suppressions: &self.unused_suppressions,
        }
        .serialize(serializer)
    }
}

impl WorkspaceAudit {
    /// Every unit's findings in one list sorted by file, position, code and unit (each names its unit by its
    /// index in [`WorkspaceAudit::units`]), a finding two units share in a shared file listed once.
    pub fn findings(&self) -> &[Finding] {
        self.findings.get_or_init(|| {
            let mut findings: Vec<Finding> = self
                .unit_findings()
                .into_iter()
                .map(|(i, f)| {
                    let mut f = f.clone();
                    f.unit = i;
                    f
                })
                .collect();
            findings.sort_by(|a, b| {
                (&a.file, a.range.map(|r| r.start), a.code, a.unit).cmp(&(
                    &b.file,
                    b.range.map(|r| r.start),
                    b.code,
                    b.unit,
                ))
            });
            findings
        })
    }

    /// Every unit's checks that passed, each naming its unit.
    pub fn satisfiers(&self) -> &[Satisfier] {
        self.satisfiers.get_or_init(|| {
            let mut out = Vec::new();
            for (i, u) in self.units.iter().enumerate() {
                out.extend(u.audit.satisfiers.iter().cloned().map(|mut s| {
                    s.unit = i;
                    s
                }));
            }
            out
        })
    }

    /// The findings of [`WorkspaceAudit::findings`] without copying them: each with the index of its unit (the
    /// finding's own `unit` field is its index within that unit's audit, 0), unit by unit in each unit's order.
    /// A finding in a file two units share (a root guide), or anchored outside its unit, is given once.
    fn unit_findings(&self) -> Vec<(usize, &Finding)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, u) in self.units.iter().enumerate() {
            for f in &u.audit.findings {
                let repeats = f.file.as_deref().is_some_and(|p| self.repeats(i, p));
                if !repeats || seen.insert(f.identity()) {
                    out.push((i, f));
                }
            }
        }
        out
    }

    /// Whether unit `unit`'s findings in `file` may repeat another unit's: the file is judged in more than one
    /// unit (a root guide, a workflow), or lies outside the unit. Such a finding is shown once, for the first
    /// unit that reports it (compare [`Finding::identity`]).
    pub fn repeats(&self, unit: usize, file: &str) -> bool {
        self.shared.contains(file)
            || self
                .units
                .get(unit)
                .is_none_or(|u| u.files.binary_search_by(|q| q.as_str().cmp(file)).is_err())
    }

    /// Findings anchored in `file`, in range order.
    pub fn findings_in<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a Finding> {
        self.findings()
            .iter()
            .filter(move |f| f.file.as_deref() == Some(file))
    }

    /// The audit of the unit a finding or satisfier names.
    pub fn unit(&self, index: usize) -> Option<&UnitAudit> {
        self.units.get(index)
    }

    /// The unit `file` belongs to: the one with the deepest root among those judged on it.
    pub fn unit_of_file(&self, file: &str) -> Option<usize> {
        self.units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.files.binary_search_by(|p| p.as_str().cmp(file)).is_ok())
            .max_by_key(|(_, u)| u.root.len())
            .map(|(i, _)| i)
            .or_else(|| {
                // A file of no unit (set aside, or not analysed): the unit whose folder holds it.
                self.units
                    .iter()
                    .enumerate()
                    .filter(|(_, u)| u.root.is_empty() || file.starts_with(&format!("{}/", u.root)))
                    .max_by_key(|(_, u)| u.root.len())
                    .map(|(i, _)| i)
            })
    }

    /// Whether the workspace has more than one unit (reports then name the unit of each finding).
    pub fn is_multi_unit(&self) -> bool {
        self.units.len() > 1
    }

    pub fn band(&self) -> Band {
        self.score.band
    }
}

/// Cut `ws` into units and audit each under `profile`.
pub fn audit_workspace(ws: &Workspace, profile: Profile) -> WorkspaceAudit {
    audit_workspace_with(ws, &crate::Settings::with_profile(profile))
}

/// [`audit_workspace`] under a team's settings (roles and units as configured, rules switched off...).
pub fn audit_workspace_with(ws: &Workspace, settings: &crate::Settings) -> WorkspaceAudit {
    let mut once = UnitCache {
        one_off: true,
        ..UnitCache::default()
    };
    audit_workspace_cached(ws, settings, &mut once)
}

/// Unit audits kept from one audit of a workspace to the next. A unit's audit depends only on its root, its
/// files and its settings, so a unit judged on the very same files (the same `Arc`s: files are immutable and
/// replaced, never edited, when they change) under the same profile is not audited again. A keystroke in one
/// unit of a 200-unit workspace then audits that unit only. The caller drops the cache when the settings
/// change (`Analysis::set_config`).
#[derive(Clone, Default)]
pub struct UnitCache {
    entries: RootMap<Vec<CachedUnit>>,
    /// The last partition into units, reused while no file changed in a way the partition reads.
    partition: Option<Arc<crate::units::PartitionMemo>>,
    /// Each unit root's route table, reused while the unit's Python files and probes are unchanged.
    routing: RootMap<Arc<crate::index::UnitMemo>>,
    /// The cache serves one audit only ([`audit_workspace_with`]): its units keep no rule memos.
    one_off: bool,
}

/// A map keyed by unit root, looked up four times per unit on every keystroke: foldhash, not SipHash (which
/// cost a third of a keystroke's partition and cache bookkeeping in a 200-unit workspace).
type RootMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

impl UnitCache {
    /// How many unit audits the cache holds.
    pub fn len(&self) -> usize {
        self.entries.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A cache for one audit only (`shipready check`): its units keep no rule memos, which would hold every
    /// unit's index and outcomes until the audit ends.
    pub fn one_off() -> Self {
        UnitCache {
            one_off: true,
            ..UnitCache::default()
        }
    }

    /// How many units keep their rules' outcomes for the next audit.
    #[cfg(test)]
    pub(crate) fn rule_memos(&self) -> usize {
        let kept = |m: &Arc<crate::index::UnitMemo>| {
            m.rules.lock().unwrap_or_else(|p| p.into_inner()).is_some()
        };
        self.routing.values().filter(|m| kept(m)).count()
    }
}

/// A unit's audit and its sorted file paths, both shared with the cache.
type Audited = (Arc<Audit>, Arc<[String]>);

/// A unit to audit: its settings, its audit when the cache has it, and where it keeps its route table.
type Planned<'s> = (
    crate::units::Unit,
    &'s crate::Settings,
    Option<Audited>,
    Arc<crate::index::UnitMemo>,
);

#[derive(Clone)]
struct CachedUnit {
    profile: Profile,
    files: Arc<[Arc<SourceFile>]>,
    /// `files`' paths, sorted.
    paths: Arc<[String]>,
    audit: Arc<Audit>,
    /// Whether the unit was a sample of a collection (the pipelines rules judge it differently).
    collection: Option<usize>,
}

impl CachedUnit {
    fn matches(
        &self,
        profile: Profile,
        files: &Arc<[Arc<SourceFile>]>,
        collection: Option<usize>,
    ) -> bool {
        self.profile == profile
            && self.collection == collection
            && (Arc::ptr_eq(&self.files, files)
                || crate::workspace::same_files(&self.files, files.iter()))
    }

    /// The cached audit of a unit judged on `files`: the very audit when the files are the same, or the audit
    /// with one file's places moved when that file only moved (see `moved.rs`).
    fn audit_for(
        &self,
        profile: Profile,
        files: &Arc<[Arc<SourceFile>]>,
        collection: Option<usize>,
    ) -> Option<Arc<Audit>> {
        if self.matches(profile, files, collection) {
            return Some(Arc::clone(&self.audit));
        }
        if self.profile != profile || self.collection != collection {
            return None;
        }
        let (file, by) = crate::moved::one_moved_file(&self.files, files.iter())?;
        Some(self.audit.moved(file, &by))
    }
}

/// [`audit_workspace_with`], reusing from `cache` the audits of units whose files did not change, and leaving
/// in `cache` the audits of this workspace's units. The result is the same as without a cache.
pub fn audit_workspace_cached(
    ws: &Workspace,
    settings: &crate::Settings,
    cache: &mut UnitCache,
) -> WorkspaceAudit {
    let profile = settings.profile;
    let reused = cache
        .partition
        .as_ref()
        .and_then(|m| Some((m.reuse(ws, profile)?, Arc::clone(m))));
    let (parts, memo) = match reused {
        Some(found) => found,
        None => {
            let memo = Arc::new(crate::units::PartitionMemo::new(ws, settings));
            (memo.partition.clone(), memo)
        }
    };
    // Units whose files did not change take their audit from the cache; the others are audited in parallel.
    // The cache's maps are updated in place (a keystroke changes one unit of hundreds): matched entries are
    // taken out, the rest are dropped, and this partition's units are put back below. Route tables are kept
    // for the units of this partition only.
    let planned: Vec<Planned> = parts
        .units
        .into_iter()
        .map(|u| {
            let unit_settings = settings.for_folder(&u.root);
            let reused = cache.entries.get_mut(&u.root).and_then(|cached| {
                let (at, audit) = cached.iter().enumerate().find_map(|(i, c)| {
                    Some((
                        i,
                        c.audit_for(unit_settings.profile, &u.files, u.collection)?,
                    ))
                })?;
                let c = cached.swap_remove(at);
                Some((audit, c.paths))
            });
            let slot = match cache.routing.get(&u.root) {
                Some(slot) => Arc::clone(slot),
                None => {
                    let slot = Arc::new(crate::index::UnitMemo {
                        audited_again: !cache.one_off,
                        ..Default::default()
                    });
                    cache.routing.insert(u.root.clone(), Arc::clone(&slot));
                    slot
                }
            };
            (u, unit_settings, reused, slot)
        })
        .collect();
    {
        let roots: std::collections::HashSet<&str, foldhash::fast::RandomState> =
            planned.iter().map(|p| p.0.root.as_str()).collect();
        cache
            .routing
            .retain(|root, _| roots.contains(root.as_str()));
    }
    for cached in cache.entries.values_mut() {
        cached.clear();
    }
    let audit_one = |(u, unit_settings, reused, slot): &Planned| match reused {
        Some((audit, paths)) => (Arc::clone(audit), Arc::clone(paths)),
        None => {
            let sub =
                Workspace::with_root(u.files.iter().map(Arc::clone).collect(), u.root.clone())
                    .in_collection(u.collection)
                    .with_unit_memo(Arc::clone(slot));
            let mut paths: Vec<String> = u.files.iter().map(|f| f.path.clone()).collect();
            paths.sort();
            paths.dedup();
            let audit = crate::audit::audit_with(&sub, unit_settings);
            (Arc::new(audit), Arc::from(paths))
        }
    };
    // A keystroke re-audits one unit: on this thread, without waking the pool's workers for 200 cache hits.
    let audited: Vec<Audited> = if planned.iter().filter(|p| p.2.is_none()).count() <= 1 {
        planned.iter().map(audit_one).collect()
    } else {
        planned.par_iter().map(audit_one).collect()
    };
    let units: Vec<UnitAudit> = planned
        .into_iter()
        .zip(audited)
        .map(|((u, unit_settings, _, _), (audit, paths))| {
            let name = u.name().to_owned();
            let entry = CachedUnit {
                profile: unit_settings.profile,
                files: Arc::clone(&u.files),
                paths: Arc::clone(&paths),
                audit: Arc::clone(&audit),
                collection: u.collection,
            };
            match cache.entries.get_mut(&u.root) {
                Some(cached) => cached.push(entry),
                None => {
                    cache.entries.insert(u.root.clone(), vec![entry]);
                }
            }
            UnitAudit {
                name,
                root: u.root,
                kinds: u.kinds,
                files: paths,
                audit,
            }
        })
        .collect();
    cache.entries.retain(|_, cached| !cached.is_empty());
    let score = mean_score(&units);
    let unused_suppressions = unused_everywhere(&units);
    cache.partition = Some(Arc::clone(&memo));
    WorkspaceAudit {
        profile,
        units,
        findings: OnceLock::new(),
        satisfiers: OnceLock::new(),
        shared: Arc::clone(&memo.shared),
        score,
        set_aside: parts.set_aside,
        unused_suppressions,
    }
}

/// The suppressions unused in every unit judged on their file (a shared guide's comment may serve one unit).
fn unused_everywhere(units: &[UnitAudit]) -> Vec<crate::suppress::Suppression> {
    let mut out: Vec<crate::suppress::Suppression> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        for s in &u.audit.unused_suppressions {
            let unused_in_all = units.iter().enumerate().all(|(j, other)| {
                j == i
                    || other.files.binary_search(&s.file).is_err()
                    || other.audit.unused_suppressions.contains(s)
            });
            if unused_in_all && !out.contains(s) {
                out.push(s.clone());
            }
        }
    }
    out
}

/// The workspace score: with one unit its score; with several, each category and the overall score are the
/// means of the units' (a category no unit scores stays unscored).
fn mean_score(units: &[UnitAudit]) -> Score {
    if let [only] = units {
        return only.audit.score.clone();
    }
    let categories = Category::ALL
        .iter()
        .filter(|&&c| units.iter().any(|u| u.audit.score.category(c).is_some()))
        .map(|&category| {
            let scores: Vec<f64> = units
                .iter()
                .filter_map(|u| u.audit.score.category(category).and_then(|c| c.score))
                .collect();
            CategoryScore {
                category,
                score: (!scores.is_empty()).then(|| round2(mean(&scores))),
                check_points: 0.0,
                passed: 0,
                applicable: 0,
            }
        })
        .collect();
    let overall = if units.is_empty() {
        0.0
    } else {
        let all: Vec<f64> = units.iter().map(|u| u.audit.score.overall).collect();
        round2(mean(&all))
    };
    Score {
        categories,
        overall,
        band: band_of(overall),
        weights: Vec::new(),
    }
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n";

    #[test]
    fn each_unit_is_scored_and_the_workspace_score_is_their_mean() {
        let ws = Workspace::from_texts([
            ("a/Dockerfile", SERVICE),
            ("a/main.py", "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef h():\n    return {}\n"),
            ("b/cdk.json", "{\"app\": \"python3 app.py\"}\n"),
            ("b/app.py", "import aws_cdk as cdk\napp = cdk.App()\napp.synth()\n"),
        ]);
        let a = audit_workspace(&ws, Profile::Standard);
        assert_eq!(a.units.len(), 2);
        let mean = (a.units[0].audit.score.overall + a.units[1].audit.score.overall) / 2.0;
        assert!((a.score.overall - round2(mean)).abs() < 1e-9);
        // The CDK unit runs no service: no health findings there; the web unit has its health route.
        assert!(
            !a.findings()
                .iter()
                .any(|f| f.unit == 1 && f.code.starts_with("HC")),
            "{:?}",
            a.findings()
        );
        // Each unit reports its own missing guide.
        assert_eq!(a.findings().iter().filter(|f| f.code == "GD001").count(), 2);
        assert_eq!(a.unit_of_file("b/app.py"), Some(1));
        assert_eq!(a.unit_of_file("a/main.py"), Some(0));
    }

    #[test]
    fn one_unit_scores_exactly_as_its_audit() {
        let ws = Workspace::from_texts([("Dockerfile", SERVICE)]);
        let a = audit_workspace(&ws, Profile::Seed);
        assert_eq!(a.units.len(), 1);
        assert_eq!(a.score, a.units[0].audit.score);
        assert_eq!(a.findings().len(), a.units[0].audit.findings.len());
    }
}
