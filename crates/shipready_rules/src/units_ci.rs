//! Which deployable units a CI workflow is about. A workflow belongs to the repository, not to one folder, so
//! it is given to every unit whose folder it names (path filters, `working-directory`, a docker build context or
//! Dockerfile, `cd <dir>` in a script), and to every unit when it names none (a root `pytest` or `docker build .`
//! is about the whole repository). Units of a large collection that no workflow names are samples: the
//! repository's CI does not build, test or deploy them, so the pipelines rules leave them out.

use std::sync::Arc;

use shipready_syntax::workflow::WorkflowFacts;
use shipready_syntax::{FileFacts, FileKind};

use crate::units::Unit;
use crate::{Role, SourceFile};

/// A repository with at least this many units, none named by a workflow, is a collection of samples.
const COLLECTION: usize = 5;

/// Whether the seed auditor's file discovery read the file at `path` of `kind`: every file but the CI files
/// added for the pipelines rules (before them, only `.github/workflows/*.yml` was read, as a script, and set
/// aside as CI). The seed profile leaves the others out so that its output stays the seed's, byte for byte.
pub fn seed_reads(path: &str, kind: FileKind) -> bool {
    kind != FileKind::Workflow || format!("/{path}").contains("/.github/workflows/")
}

/// The workflow facts of a file.
pub fn workflow(file: &SourceFile) -> Option<&WorkflowFacts> {
    match &file.facts {
        FileFacts::Workflow(w) => Some(w),
        _ => None,
    }
}

/// Whether `file` is a CI workflow the CI system runs: `.github/workflows/` of a folder that is not itself set
/// aside (an example's or a test fixture's own workflows never run), or a `.gitlab-ci.yml` where it is
/// production. `role` is the file's role from its path.
pub fn is_live(file: &SourceFile, role: Role) -> bool {
    if file.kind != FileKind::Workflow {
        return false;
    }
    match home(&file.path) {
        Some(home) => home
            .split('/')
            .filter(|s| !s.is_empty())
            .all(|s| crate::roles::folder_role(s).is_none()),
        None => role == Role::Production,
    }
}

/// The repository folder a GitHub workflow (or Dependabot, or CircleCI configuration) is for: the folder
/// holding its `.github/` (`.circleci/`); `None` for other CI files (their own folder is their home).
fn home(path: &str) -> Option<&str> {
    let slashed = format!("/{path}");
    let at = slashed
        .find("/.github/")
        .or_else(|| slashed.find("/.circleci/"))?;
    Some(path.get(..at.saturating_sub(1)).unwrap_or(""))
}

/// Give each workflow to the units it is about, and mark the units of a collection that none names.
pub fn distribute(units: &mut [Unit], workflows: Vec<Arc<SourceFile>>) {
    let mut named = vec![false; units.len()];
    // Each unit's workflows, appended to its files once all are distributed.
    let mut received: Vec<Vec<Arc<SourceFile>>> = vec![Vec::new(); units.len()];
    for wf in workflows {
        let base = home(&wf.path).unwrap_or_else(|| wf.dir()).to_owned();
        let candidates: Vec<usize> = (0..units.len())
            .filter(|&i| within(&units[i].root, &base) || within(&base, &units[i].root))
            .collect();
        let folders = workflow(&wf)
            .map(|w| named_folders(w, &base))
            .unwrap_or_default();
        let mut touched: Vec<usize> = Vec::new();
        for folder in &folders {
            // The unit holding the folder (the deepest), and the units inside it.
            let owner = candidates
                .iter()
                .copied()
                .filter(|&i| within(folder, &units[i].root))
                .max_by_key(|&i| units[i].root.len());
            touched.extend(owner);
            touched.extend(
                candidates
                    .iter()
                    .copied()
                    .filter(|&i| units[i].root != *folder && within(&units[i].root, folder)),
            );
        }
        touched.sort_unstable();
        touched.dedup();
        // A unit at the repository root "holds" every folder: it is named only when nothing deeper is.
        let specific: Vec<usize> = touched
            .iter()
            .copied()
            .filter(|&i| !units[i].root.is_empty() || touched.len() == 1)
            .collect();
        // A dependency bot's directories say which folders it updates, not that CI builds or tests them; a
        // sample's own pipeline file (a CodeBuild buildspec in its folder) is part of the sample, not the
        // repository's CI.
        if base.is_empty() && workflow(&wf).is_some_and(|w| w.system.runs_jobs()) {
            // A repository-wide workflow that tests, builds or deploys (a root `pytest`, `docker compose build`)
            // is about every unit; one that only scans code or tends issues names none.
            let all = specific.is_empty() && workflow(&wf).is_some_and(ships);
            let which = if all { &candidates } else { &specific };
            for &i in which {
                named[i] = true;
            }
        }
        let receivers = if specific.is_empty() {
            candidates
        } else {
            specific
        };
        for i in receivers {
            received[i].push(wf.clone());
        }
    }
    for (unit, workflows) in units.iter_mut().zip(received) {
        if !workflows.is_empty() {
            unit.files = unit.files.iter().cloned().chain(workflows).collect();
        }
    }
    let count = units.len();
    if count >= COLLECTION {
        for (unit, named) in units.iter_mut().zip(named) {
            if !named {
                unit.collection = Some(count);
            }
        }
    }
}

/// Whether a workflow tests, builds, publishes or deploys anything.
fn ships(w: &WorkflowFacts) -> bool {
    use crate::rules::pipelines::steps::{of_job, Activity};
    let empty = crate::Workspace::default();
    w.jobs.iter().any(|job| {
        of_job(job, &empty)
            .iter()
            .any(|f| !matches!(f.activity, Activity::Scan | Activity::Check))
    })
}

/// Whether folder `dir` is `root` or inside it.
fn within(dir: &str, root: &str) -> bool {
    root.is_empty() || dir == root || dir.starts_with(&format!("{root}/"))
}

/// The repository folders a workflow names, relative to the workspace: its path filters (up to the first
/// wildcard), working directories, docker build contexts and Dockerfiles, and `cd` targets. The repository
/// root (`.`) names nothing in particular.
pub fn named_folders(w: &WorkflowFacts, base: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    for p in &w.paths {
        if p.value.starts_with('!') {
            continue;
        }
        let literal: Vec<&str> = p
            .value
            .split('/')
            .take_while(|s| !s.contains(['*', '?', '[', '{']))
            .collect();
        // `backend/**` names `backend`; `backend/app.py` names its folder.
        let segments = if p.value.contains(['*', '?', '[', '{']) {
            literal
        } else {
            let n = literal.len().saturating_sub(1);
            literal.into_iter().take(n).collect()
        };
        raw.push(segments.join("/"));
    }
    raw.extend(w.working_directory.iter().map(|d| d.value.clone()));
    for job in &w.jobs {
        raw.extend(job.working_directory.iter().map(|d| d.value.clone()));
        for (name, value) in &job.with {
            if matches!(name.as_str(), "context" | "working-directory" | "directory") {
                raw.push(value.value.clone());
            }
        }
        for step in &job.steps {
            raw.extend(step.working_directory.iter().map(|d| d.value.clone()));
            for (name, value) in &step.with {
                match name.as_str() {
                    "context" | "working-directory" | "working_directory" | "directory" => {
                        raw.push(value.value.clone())
                    }
                    "file" | "dockerfile" => raw.push(parent(&value.value)),
                    _ => {}
                }
            }
            for line in &step.run {
                raw.extend(run_folders(&line.value));
            }
        }
    }
    let mut out: Vec<String> = raw
        .iter()
        .filter_map(|r| normalize(r, base))
        .filter(|f| f != base)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Folders a script line names: `cd <dir>`, `docker build <context>`, `-f <dir>/Dockerfile`.
fn run_folders(line: &str) -> Vec<String> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        if (*w == "cd" || *w == "pushd") && !next.starts_with('-') {
            out.push(next.to_owned());
        }
        if matches!(*w, "-f" | "--file") && next.to_ascii_lowercase().contains("dockerfile") {
            out.push(parent(next));
        }
    }
    let build = words
        .windows(2)
        .any(|p| matches!(p[0], "docker" | "podman" | "buildx") && p[1] == "build");
    if build {
        // The context is the last word that is not an option or an option's value.
        if let Some(last) = words.last() {
            if !last.starts_with('-') && words.len() > 2 {
                out.push((*last).to_owned());
            }
        }
    }
    out
}

fn parent(path: &str) -> String {
    path.rsplit_once('/')
        .map(|(d, _)| d.to_owned())
        .unwrap_or_default()
}

/// A written folder as a workspace-relative folder, or `None` when it names nothing (the root, an expression).
fn normalize(raw: &str, base: &str) -> Option<String> {
    let raw = raw.trim().trim_matches(['"', '\'']);
    if raw.is_empty()
        || raw.contains("${")
        || raw.contains('$')
        || raw.starts_with('/')
        || raw.starts_with('~')
    {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in raw.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let folder = parts.join("/");
    (!folder.is_empty()).then_some(folder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipready_syntax::workflow::{parse, CiSystem};

    fn folders(text: &str) -> Vec<String> {
        named_folders(&parse(text, CiSystem::GitHub), "")
    }

    #[test]
    fn a_workflow_names_folders_by_filters_directories_and_contexts() {
        let text = "on:\n  push:\n    paths: ['backend/**', '!docs/**', 'README.md']\njobs:\n  a:\n    defaults:\n      run:\n        working-directory: ./api\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: ./web\n          file: web/docker/Dockerfile\n      - run: cd infra && cdk synth\n      - run: docker build -t x -f svc/Dockerfile svc\n      - run: cd ${{ matrix.dir }}\n";
        assert_eq!(
            folders(text),
            ["api", "backend", "infra", "svc", "web", "web/docker"]
        );
    }

    #[test]
    fn the_root_names_nothing() {
        let text = "jobs:\n  a:\n    steps:\n      - run: docker build .\n      - run: cd .\n";
        assert!(folders(text).is_empty());
    }
}
