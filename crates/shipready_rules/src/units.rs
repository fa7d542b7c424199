//! Deployable units: the applications a repository deploys, found from its production files. A CDK app (the
//! folder of its `cdk.json`), a compose project (with the folders of the images it builds), a Dockerfile with
//! the app beside it; nested anchors merge into the unit around them unless both are CDK apps or both are
//! compose projects (a monorepo of apps, a collection of samples). Each unit is audited on its own files.
//!
//! Files outside every unit: a guide goes to the units without a guide of their own, scripts (a rollback
//! script, a Makefile) to every unit; code and dependency files outside every unit belong to none. Files that are not production (see [`crate::roles`]) are set aside with their reason.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;
use shipready_syntax::FileKind;

use crate::index::docker::{compose, resolve};
use crate::roles::{role_of, Role};
use crate::{SourceFile, Workspace};

/// One deployable unit and the files it is judged on.
#[derive(Clone, Debug)]
pub struct Unit {
    /// The folder the unit is rooted at (`""` for the workspace root).
    pub root: String,
    /// What anchors it: `cdk`, `compose`, `image`, or `workspace` when nothing does.
    pub kinds: Vec<&'static str>,
    /// Shared, so that reusing a partition on a keystroke copies 200 pointers, not 10,000 file handles.
    pub files: Arc<[Arc<SourceFile>]>,
    /// The name the configuration gives it.
    pub declared_name: Option<String>,
    /// When the unit is one sample of a collection that no CI workflow names: the number of units in it.
    pub collection: Option<usize>,
}

impl Unit {
    /// The name shown to users: the configured name, else the root folder, `.` for the workspace root.
    pub fn name(&self) -> &str {
        if let Some(name) = &self.declared_name {
            return name;
        }
        if self.root.is_empty() {
            "."
        } else {
            &self.root
        }
    }
}

/// A file left out of every unit, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SetAside {
    pub path: String,
    pub role: Role,
    pub reason: String,
}

/// The workspace cut into units.
#[derive(Clone, Debug, Default)]
pub struct Partition {
    pub units: Vec<Unit>,
    /// Shared with the partition memo, which hands the partition out again on every keystroke.
    pub set_aside: Arc<[SetAside]>,
}

/// Folder names that hold a deployment's container or infrastructure files for the app in the folder above:
/// an anchor found in one stands for its parent.
const INFRA_DIRS: &[&str] = &[
    "docker",
    ".docker",
    "dockerfiles",
    "deploy",
    "deployment",
    "deployments",
    "infra",
    "infrastructure",
    "cdk",
    "ops",
    "container",
    "containers",
    "compose",
];

/// One anchor group on its way to becoming a unit.
#[derive(Debug)]
struct Group {
    root: String,
    /// Folders outside `root` that belong to the unit (compose build contexts).
    claimed: Vec<String>,
    cdk: BTreeSet<String>,
    compose: BTreeSet<String>,
    kinds: BTreeSet<&'static str>,
    /// The configuration declares this unit (by its name, if it gives one).
    declared: Option<Option<String>>,
}

/// Cut `ws` into deployable units.
pub fn partition(ws: &Workspace) -> Partition {
    partition_with(ws, &crate::Settings::default())
}

/// [`partition`] with the roles and units a configuration sets.
pub fn partition_with(ws: &Workspace, settings: &crate::Settings) -> Partition {
    let roles = ws.files().iter().map(|f| (f.clone(), role_of(f))).collect();
    partition_of(roles, settings)
}

/// [`partition_with`] given each file's own role.
fn partition_of(
    mut roles: Vec<(Arc<SourceFile>, crate::RoleOf)>,
    settings: &crate::Settings,
) -> Partition {
    let mut set_aside = Vec::new();
    crate::roles::refine_with_siblings(&mut roles);
    for (f, r) in roles.iter_mut() {
        if let Some(role) = settings.roles.role_of(&f.path) {
            *r = crate::RoleOf {
                role,
                reason: format!("{} (set by the configuration)", role.id()),
            };
        }
    }
    // A repository made only of examples (a sample collection kept under `examples/`) deploys its examples.
    let anchors_in = |role: Role| roles.iter().any(|(f, r)| r.role == role && is_anchor(f));
    let examples_are_units = !anchors_in(Role::Production) && anchors_in(Role::Example);
    let mut production = Vec::new();
    let mut workflows = Vec::new();
    for (file, role) in roles {
        if file.kind == FileKind::Workflow {
            // CI workflows are judged by the pipelines rules (standard profile), given to units below; the
            // seed profile sets them aside as it always did (CI files it never read stay unread).
            let configured = settings.roles.role_of(&file.path);
            let live = crate::units_ci::is_live(&file, role.role)
                && configured.is_none_or(|r| matches!(r, Role::Production | Role::Ci));
            if settings.profile == crate::Profile::Standard && live {
                workflows.push(file);
            } else if role.role != Role::Production
                && crate::units_ci::seed_reads(&file.path, file.kind)
            {
                set_aside.push(SetAside {
                    path: file.path.clone(),
                    role: role.role,
                    reason: role.reason,
                });
            }
            continue;
        }
        if role.role == Role::Production || (examples_are_units && role.role == Role::Example) {
            production.push(file);
        } else {
            set_aside.push(SetAside {
                path: file.path.clone(),
                role: role.role,
                reason: role.reason,
            });
        }
    }
    let groups = declare(merge(anchor_groups(&production)), &settings.units);
    let mut units = assign(groups, production, &mut set_aside);
    if examples_are_units {
        let count = units.len();
        for unit in &mut units {
            unit.collection = Some(count);
        }
    }
    crate::units_ci::distribute(&mut units, workflows);
    Partition {
        units,
        set_aside: set_aside.into(),
    }
}

/// A partition kept with what it read of each file, so that the next audit reuses it when no file changed in a
/// way the partition reads: the same paths in the same order, and every replaced file with the same role and,
/// for a compose file, the same builds. CI workflows are distributed by their content, so a changed workflow
/// always partitions afresh. Only the profile may differ between uses; other settings drop the whole cache.
pub(crate) struct PartitionMemo {
    profile: crate::Profile,
    files: Vec<Arc<SourceFile>>,
    roles: Vec<crate::RoleOf>,
    pub(crate) partition: Partition,
    /// `(file, unit)` for each unit a file is judged in, by the file's index in `files`: a reused partition
    /// rebuilds only the file lists of the units holding a replaced file, without looking through the others.
    holders: Vec<(u32, u32)>,
    /// The files judged in more than one unit (a root guide, a workflow): their findings may repeat.
    pub(crate) shared: Arc<std::collections::HashSet<String>>,
}

impl PartitionMemo {
    pub(crate) fn new(ws: &Workspace, settings: &crate::Settings) -> Self {
        let roles: Vec<crate::RoleOf> = ws.files().iter().map(|f| role_of(f)).collect();
        let partition = partition_of(
            ws.files()
                .iter()
                .cloned()
                .zip(roles.iter().cloned())
                .collect(),
            settings,
        );
        let mut units_of: HashMap<&str, usize> = HashMap::new();
        for unit in &partition.units {
            let mut paths: Vec<&str> = unit.files.iter().map(|f| f.path.as_str()).collect();
            paths.sort_unstable();
            paths.dedup();
            for p in paths {
                *units_of.entry(p).or_default() += 1;
            }
        }
        let files = ws.files();
        let mut holders: Vec<(u32, u32)> = Vec::new();
        for (u, unit) in partition.units.iter().enumerate() {
            for f in unit.files.iter() {
                if let Ok(i) = files.binary_search_by(|g| g.path.cmp(&f.path)) {
                    holders.push((i as u32, u as u32));
                }
            }
        }
        holders.sort_unstable();
        holders.dedup();
        let shared = Arc::new(
            units_of
                .into_iter()
                .filter(|&(_, n)| n > 1)
                .map(|(p, _)| p.to_owned())
                .collect(),
        );
        PartitionMemo {
            profile: settings.profile,
            files: files.to_vec(),
            roles,
            partition,
            holders,
            shared,
        }
    }

    /// The memo's partition with `ws`'s files in it, when `ws` differs from the memo's workspace only in files
    /// whose partition inputs are unchanged.
    pub(crate) fn reuse(&self, ws: &Workspace, profile: crate::Profile) -> Option<Partition> {
        let files = ws.files();
        if profile != self.profile || files.len() != self.files.len() {
            return None;
        }
        let mut replaced: Vec<(usize, &Arc<SourceFile>, &Arc<SourceFile>)> = Vec::new();
        for i in replaced_at(&self.files, files) {
            let (old, new, role) = (&self.files[i], &files[i], &self.roles[i]);
            let same = old.path == new.path
                && old.kind == new.kind
                && new.kind != FileKind::Workflow
                && role_of(new) == *role
                && builds(old) == builds(new);
            if !same {
                return None;
            }
            replaced.push((i, old, new));
        }
        // Units share their file lists with the memo: only the lists that hold a replaced file are copied.
        let mut partition = self.partition.clone();
        for (i, old, new) in replaced {
            let at = self.holders.partition_point(|&(f, _)| (f as usize) < i);
            let units = self.holders[at..]
                .iter()
                .take_while(|&&(f, _)| f as usize == i);
            for &(_, u) in units {
                let Some(unit) = partition.units.get_mut(u as usize) else {
                    continue;
                };
                unit.files = unit
                    .files
                    .iter()
                    .map(|f| Arc::clone(if Arc::ptr_eq(f, old) { new } else { f }))
                    .collect();
            }
        }
        Some(partition)
    }
}

/// Where `new` holds another file than `old` (of the same length). A keystroke replaces one file of thousands:
/// blocks of them are compared by address first, in a loop the compiler keeps tight, and only a block that
/// differs is looked into.
fn replaced_at(old: &[Arc<SourceFile>], new: &[Arc<SourceFile>]) -> Vec<usize> {
    const BLOCK: usize = 64;
    let mut out = Vec::new();
    for (b, (a, n)) in old.chunks(BLOCK).zip(new.chunks(BLOCK)).enumerate() {
        if a.iter().zip(n).all(|(x, y)| Arc::ptr_eq(x, y)) {
            continue;
        }
        let at = a.iter().zip(n).enumerate();
        out.extend(
            at.filter(|(_, (x, y))| !Arc::ptr_eq(x, y))
                .map(|(i, _)| b * BLOCK + i),
        );
    }
    out
}

/// What the partition reads of a compose file: where its services' images are built.
fn builds(f: &SourceFile) -> Option<Vec<Option<crate::index::docker::BuildPaths>>> {
    compose(&f.facts).map(|c| {
        c.services
            .iter()
            .map(|s| s.build.as_ref().and_then(|b| resolve(f.dir(), b)))
            .collect()
    })
}

fn is_anchor(f: &SourceFile) -> bool {
    matches!(
        f.kind,
        FileKind::CdkJson | FileKind::Compose | FileKind::Dockerfile
    )
}

/// The folder an anchor in `dir` stands for: its parent while it is an infrastructure folder.
fn anchor_dir(dir: &str) -> String {
    let mut d = dir;
    loop {
        let (parent, last) = d.rsplit_once('/').unwrap_or(("", d));
        if d.is_empty() || !INFRA_DIRS.contains(&last.to_ascii_lowercase().as_str()) {
            return d.to_owned();
        }
        d = parent;
    }
}

fn anchor_groups(files: &[Arc<SourceFile>]) -> Vec<Group> {
    let mut groups = Vec::new();
    for f in files.iter().filter(|f| is_anchor(f)) {
        let mut g = Group {
            root: anchor_dir(f.dir()),
            claimed: Vec::new(),
            cdk: BTreeSet::new(),
            compose: BTreeSet::new(),
            kinds: BTreeSet::new(),
            declared: None,
        };
        match f.kind {
            FileKind::CdkJson => {
                g.cdk.insert(f.path.clone());
                g.kinds.insert("cdk");
            }
            FileKind::Compose => {
                // Override files (`compose.prod.yaml`) merge into the project of their folder.
                g.compose.insert(f.dir().to_owned());
                g.kinds.insert("compose");
                if let Some(c) = compose(&f.facts) {
                    // The build context and the Dockerfile's folder (`docker/Dockerfile` built with the
                    // root as context) belong to the project that builds them.
                    let builds = c.services.iter().filter_map(|s| s.build.as_ref());
                    for paths in builds.filter_map(|b| resolve(f.dir(), b)) {
                        let dockerfile_dir = paths
                            .dockerfile
                            .rsplit_once('/')
                            .map_or("", |(d, _)| d)
                            .to_owned();
                        for dir in [paths.context, dockerfile_dir] {
                            if !within(&dir, &g.root) && !g.claimed.contains(&dir) {
                                g.claimed.push(dir);
                            }
                        }
                    }
                }
            }
            _ => {
                g.kinds.insert("image");
            }
        }
        groups.push(g);
    }
    groups
}

/// `dir`, then each folder above it, then the workspace root (`""`).
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let d = next?;
        next = match d.rsplit_once('/') {
            Some((parent, _)) => Some(parent),
            None if d.is_empty() => None,
            None => Some(""),
        };
        Some(d)
    })
}

/// Whether folder `dir` is `root` or inside it.
fn within(dir: &str, root: &str) -> bool {
    root.is_empty()
        || dir
            .strip_prefix(root)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Merge groups: a group whose root lies in a compose project's claimed folders joins it; then each group joins
/// the nearest group around it (same folder included) unless both are CDK apps or both compose projects.
fn merge(mut groups: Vec<Group>) -> Vec<Group> {
    groups.sort_by_key(|g| {
        (
            g.root.matches('/').count() + usize::from(!g.root.is_empty()),
            g.root.clone(),
        )
    });
    let mut out: Vec<Group> = Vec::new();
    for g in groups {
        let claimer = out.iter().position(|o| {
            !o.compose.is_empty()
                && g.compose.is_empty()
                && o.claimed.iter().any(|c| within(&g.root, c))
        });
        let around = out
            .iter()
            .enumerate()
            .filter(|(_, o)| within(&g.root, &o.root))
            .max_by_key(|(_, o)| o.root.len())
            .map(|(i, _)| i);
        let target = claimer.or(around).filter(|&i| {
            let o = &out[i];
            let two_cdk = !o.cdk.is_empty() && !g.cdk.is_empty() && o.cdk != g.cdk;
            let two_compose =
                !o.compose.is_empty() && !g.compose.is_empty() && o.compose != g.compose;
            let same_root = o.root == g.root;
            same_root || !(two_cdk || two_compose)
        });
        match target {
            Some(i) => {
                let o = &mut out[i];
                o.cdk.extend(g.cdk);
                o.compose.extend(g.compose);
                o.kinds.extend(g.kinds);
                for c in g.claimed {
                    if !o.claimed.contains(&c) {
                        o.claimed.push(c);
                    }
                }
            }
            None => out.push(g),
        }
    }
    out
}

/// Apply the units the configuration declares: every group inside a declared unit's folders joins one group
/// rooted at its first folder (created when no anchor is there), named as configured.
fn declare(mut groups: Vec<Group>, declared: &[crate::settings::DeclaredUnit]) -> Vec<Group> {
    for d in declared {
        let Some(root) = d.paths.first() else {
            continue;
        };
        let root = root.trim_matches('/').to_owned();
        let root = if root == "." { String::new() } else { root };
        let inside = |g: &Group| {
            d.paths.iter().any(|p| {
                let p = p.trim_matches('/');
                within(&g.root, if p == "." { "" } else { p })
            }) && g.declared.is_none()
        };
        let mut unit = Group {
            root: root.clone(),
            claimed: Vec::new(),
            cdk: BTreeSet::new(),
            compose: BTreeSet::new(),
            kinds: BTreeSet::new(),
            declared: Some(d.name.clone()),
        };
        let (members, rest): (Vec<Group>, Vec<Group>) = groups.into_iter().partition(|g| inside(g));
        for g in members {
            unit.cdk.extend(g.cdk);
            unit.compose.extend(g.compose);
            unit.kinds.extend(g.kinds);
            unit.claimed
                .extend(g.claimed.into_iter().chain(std::iter::once(g.root)));
        }
        unit.claimed.extend(
            d.paths
                .iter()
                .skip(1)
                .map(|p| p.trim_matches('/').to_owned()),
        );
        unit.claimed.retain(|c| c != &root);
        if unit.kinds.is_empty() {
            unit.kinds.insert("workspace");
        }
        groups = rest;
        groups.push(unit);
    }
    groups
}

/// Give each production file to its unit.
fn assign(
    groups: Vec<Group>,
    production: Vec<Arc<SourceFile>>,
    set_aside: &mut Vec<SetAside>,
) -> Vec<Unit> {
    if groups.len() <= 1 {
        // One unit (or none): it is judged on every production file, as a single-app repository always was.
        let (root, kinds, declared_name) = match groups.into_iter().next() {
            Some(g) => (g.root, g.kinds.into_iter().collect(), g.declared.flatten()),
            None => (String::new(), vec!["workspace"], None),
        };
        return vec![Unit {
            root,
            kinds,
            files: production.into(),
            declared_name,
            collection: None,
        }];
    }
    let mut units: Vec<Unit> = groups
        .iter()
        .map(|g| Unit {
            root: g.root.clone(),
            kinds: g.kinds.iter().copied().collect(),
            files: Arc::from([]),
            declared_name: g.declared.clone().flatten(),
            collection: None,
        })
        .collect();
    // Each folder a group roots or claims, with the group; of two groups naming the same folder the later
    // one owns it. A file belongs to the group of its nearest such folder: found by walking up from its
    // folder, so assigning 10,000 files to 200 units is 10,000 short walks, not two million comparisons.
    let mut owners: HashMap<&str, usize> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        for folder in std::iter::once(&g.root).chain(g.claimed.iter()) {
            owners.insert(folder.as_str(), i);
        }
    }
    let mut shared_docs = Vec::new();
    let mut shared = Vec::new();
    let mut files: Vec<Vec<Arc<SourceFile>>> = vec![Vec::new(); units.len()];
    for f in production {
        let owner = ancestors(f.dir()).find_map(|d| owners.get(d).copied());
        match owner {
            Some(i) => files[i].push(f),
            None if f.kind == FileKind::Markdown => shared_docs.push(f),
            None if f.kind == FileKind::Script => shared.push(f),
            None => set_aside.push(SetAside {
                path: f.path.clone(),
                role: Role::Production,
                reason: "outside every deployable unit".to_owned(),
            }),
        }
    }
    for (unit, mut files) in units.iter_mut().zip(files) {
        let own_guide = crate::index::guide::exists(&files);
        files.extend(shared.iter().cloned());
        if !own_guide {
            files.extend(shared_docs.iter().cloned());
        }
        unit.files = files.into();
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(files: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
        let ws = Workspace::from_texts(files.iter().copied());
        partition(&ws)
            .units
            .into_iter()
            .map(|u| {
                let mut paths: Vec<String> = u.files.iter().map(|f| f.path.clone()).collect();
                paths.sort();
                (u.name().to_owned(), paths)
            })
            .collect()
    }

    #[test]
    fn ancestors_walk_up_to_the_workspace_root() {
        assert_eq!(
            ancestors("a/b/c").collect::<Vec<_>>(),
            ["a/b/c", "a/b", "a", ""]
        );
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
        assert!(within("a/b", "a") && within("a", "a") && within("a", ""));
        assert!(!within("ab", "a") && !within("a", "a/b"));
    }

    const DOCKERFILE: &str = "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n";
    const CDK: &str = "{\"app\": \"python3 app.py\"}\n";

    #[test]
    fn a_single_app_is_one_unit_with_every_production_file() {
        let u = units(&[
            ("Dockerfile", DOCKERFILE),
            ("cdk.json", CDK),
            ("infra/app.py", "import aws_cdk\n"),
            ("DEPLOYMENT.md", "# Deploy\n"),
            ("tests/Dockerfile", DOCKERFILE),
        ]);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].0, ".");
        assert_eq!(
            u[0].1,
            ["DEPLOYMENT.md", "Dockerfile", "cdk.json", "infra/app.py"]
        );
    }

    #[test]
    fn a_monorepo_of_cdk_apps_is_one_unit_per_app() {
        let u = units(&[
            ("apps/a/cdk.json", CDK),
            ("apps/a/app.py", "import aws_cdk\n"),
            ("apps/b/cdk.json", CDK),
            ("apps/b/app.py", "import aws_cdk\n"),
            (
                "README.md",
                "# Apps\n\n## Deployment\n\nRun `cdk deploy` in each app.\n",
            ),
        ]);
        let names: Vec<&str> = u.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["apps/a", "apps/b"]);
        assert!(u[0].1.contains(&"apps/a/app.py".to_owned()));
        assert!(!u[0].1.contains(&"apps/b/app.py".to_owned()));
    }

    #[test]
    fn a_compose_project_claims_the_images_it_builds() {
        let compose = "services:\n  api:\n    build: ../backend\n  web:\n    build:\n      context: ../frontend\n";
        let u = units(&[
            ("deploy/compose.yaml", compose),
            ("backend/Dockerfile", DOCKERFILE),
            ("frontend/Dockerfile", "FROM nginx:1.27\n"),
        ]);
        assert_eq!(u.len(), 1, "{u:?}");
    }

    #[test]
    fn a_collection_of_compose_samples_is_one_unit_per_sample() {
        let compose = "services:\n  web:\n    build: .\n";
        let u = units(&[
            ("flask-redis/compose.yaml", compose),
            ("flask-redis/Dockerfile", DOCKERFILE),
            ("flask-redis/README.md", "# Flask\n"),
            ("nginx-go/compose.yaml", compose),
            ("nginx-go/Dockerfile", "FROM nginx:1.27\n"),
        ]);
        let names: Vec<&str> = u.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["flask-redis", "nginx-go"]);
    }

    #[test]
    fn a_dockerfile_in_a_docker_folder_stands_for_the_app_above_it() {
        let u = units(&[
            ("svc-a/docker/Dockerfile", DOCKERFILE),
            (
                "svc-a/main.py",
                "from fastapi import FastAPI\napp = FastAPI()\n",
            ),
            ("svc-b/Dockerfile", DOCKERFILE),
        ]);
        let names: Vec<&str> = u.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["svc-a", "svc-b"]);
        assert!(u[0].1.contains(&"svc-a/main.py".to_owned()));
    }

    #[test]
    fn the_configuration_declares_merges_and_names_units() {
        let files = [
            ("services/api/Dockerfile", DOCKERFILE),
            ("services/worker/Dockerfile", DOCKERFILE),
            ("tools/cli/Dockerfile", DOCKERFILE),
            ("legacy/Dockerfile", DOCKERFILE),
        ];
        let ws = Workspace::from_texts(files.iter().copied());
        let roles = crate::settings::RoleGlobs::new(&[(vec!["legacy/**".into()], Role::Archived)]);
        let settings = crate::Settings {
            units: vec![crate::settings::DeclaredUnit {
                name: Some("backend".into()),
                paths: vec!["services/api".into(), "services/worker".into()],
            }],
            roles: roles.unwrap_or_default(),
            ..crate::Settings::default()
        };
        let p = partition_with(&ws, &settings);
        let mut names: Vec<&str> = p.units.iter().map(|u| u.name()).collect();
        names.sort();
        assert_eq!(names, ["backend", "tools/cli"]);
        let backend = p.units.iter().find(|u| u.name() == "backend");
        let files: Vec<&str> = backend
            .map(|u| u.files.iter().map(|f| f.path.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            files,
            ["services/api/Dockerfile", "services/worker/Dockerfile"]
        );
        assert_eq!(p.set_aside.len(), 1);
        assert_eq!(p.set_aside[0].role, Role::Archived);
    }

    #[test]
    fn examples_are_units_only_when_nothing_else_is() {
        let u = units(&[
            ("examples/one/Dockerfile", DOCKERFILE),
            ("examples/two/Dockerfile", DOCKERFILE),
        ]);
        assert_eq!(u.len(), 2);
        let u = units(&[
            ("Dockerfile", DOCKERFILE),
            ("examples/one/Dockerfile", DOCKERFILE),
        ]);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].1, ["Dockerfile"]);
    }
}
