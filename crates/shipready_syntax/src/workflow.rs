//! CI workflow facts: GitHub Actions workflows (`.github/workflows/*.yml`) and GitLab CI (`.gitlab-ci.yml`), read
//! with the compose files' tolerant YAML value model. A workflow is a list of jobs; a job is a list of steps,
//! each an action (`uses:`) or a shell script (`run:`, GitLab's `script:`), kept with their exact ranges so rules
//! can point at the step that deploys or the action that is not pinned. Dependency bots' configurations
//! (`.github/dependabot.yml`, `renovate.json`) are read here too: they are how a repository keeps its
//! dependencies patched, which the pipelines rules weigh beside scans.

use serde::Serialize;
use shipready_text::TextRange;

use crate::compose::value::{Entry, Value};
use crate::{Spanned, SyntaxError};

/// Which CI system reads the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiSystem {
    #[default]
    GitHub,
    GitLab,
    /// `.github/dependabot.yml`: not a pipeline, but it keeps dependencies patched against advisories.
    Dependabot,
    /// `renovate.json`: the same, by Renovate.
    Renovate,
    /// Another CI system's YAML (Travis CI, CircleCI, Bitbucket, Azure Pipelines, Cloud Build, CodeBuild,
    /// Drone): its commands are read as the steps of one job, named by the file's first key.
    Other,
}

impl CiSystem {
    /// Whether the file runs jobs (a workflow), rather than configuring a dependency bot.
    pub fn runs_jobs(self) -> bool {
        matches!(self, CiSystem::GitHub | CiSystem::GitLab | CiSystem::Other)
    }
}

/// Everything shipready knows about one CI workflow file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorkflowFacts {
    pub system: CiSystem,
    /// The events that start it (`push`, `pull_request`, `workflow_dispatch`, `schedule`...); GitLab: none.
    pub triggers: Vec<Spanned<String>>,
    /// Path filters of its triggers (`on.push.paths`), as written: the folders the workflow is about.
    pub paths: Vec<Spanned<String>>,
    /// The workflow-wide `defaults.run.working-directory`.
    pub working_directory: Option<Spanned<String>>,
    pub jobs: Vec<WorkflowJob>,
    /// A dependency bot's package ecosystems (`pip`, `docker`, `github-actions`...); empty for Renovate, which
    /// finds them itself.
    pub ecosystems: Vec<Spanned<String>>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkflowJob {
    /// The job's key.
    pub name: Spanned<String>,
    /// The jobs it waits for (`needs:`).
    pub needs: Vec<String>,
    /// `environment:` (its name when given in the long form): a job bound to a deployment environment.
    pub environment: Option<Spanned<String>>,
    /// The job's `defaults.run.working-directory`.
    pub working_directory: Option<Spanned<String>>,
    /// A reusable workflow the job calls (`jobs.<id>.uses`).
    pub uses: Option<Spanned<String>>,
    /// The inputs given to that reusable workflow (`with:`), as `(name, value)`.
    pub with: Vec<(String, Spanned<String>)>,
    pub steps: Vec<WorkflowStep>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkflowStep {
    /// The whole step.
    pub range: TextRange,
    pub name: Option<Spanned<String>>,
    /// The action (`actions/checkout@v4`), its range the value's text.
    pub uses: Option<Spanned<String>>,
    /// The action's inputs (`with:`), as `(name, value)`, scalars only.
    pub with: Vec<(String, Spanned<String>)>,
    /// The lines of the `run:` script (GitLab: each `script:` item's lines), trimmed, without blank lines and
    /// comments, each with its range in the file.
    pub run: Vec<Spanned<String>>,
    pub working_directory: Option<Spanned<String>>,
}

/// Parse a CI workflow of `system`. Never fails; unparseable parts are reported in `errors`.
pub fn parse(text: &str, system: CiSystem) -> WorkflowFacts {
    let (docs, errors) = crate::compose::yaml_documents(text);
    let mut facts = WorkflowFacts {
        system,
        errors,
        ..WorkflowFacts::default()
    };
    let Some(doc) = docs.iter().find(|d| !d.entries().is_empty()) else {
        return facts;
    };
    match system {
        CiSystem::GitHub => github(doc, text, &mut facts),
        CiSystem::GitLab => gitlab(doc, text, &mut facts),
        CiSystem::Dependabot => dependabot(doc, &mut facts),
        CiSystem::Renovate => {}
        CiSystem::Other => other(doc, text, &mut facts),
    }
    facts
}

fn github(doc: &Value, text: &str, facts: &mut WorkflowFacts) {
    // `on` is the boolean `true` to a YAML 1.1 loader, but GitHub reads the key as written.
    if let Some(on) = doc.get("on").or_else(|| doc.get("true")) {
        triggers(on, facts);
    }
    facts.working_directory = working_directory(doc);
    let Some(jobs) = doc.get("jobs") else {
        return;
    };
    for entry in jobs.entries() {
        let Some(name) = key(entry) else {
            continue;
        };
        let job = &entry.value;
        let steps = job
            .get("steps")
            .map(|s| {
                s.items()
                    .iter()
                    .map(|item| github_step(item, text))
                    .collect()
            })
            .unwrap_or_default();
        facts.jobs.push(WorkflowJob {
            name,
            needs: strings(job.get("needs")),
            environment: job
                .get("environment")
                .and_then(|e| spanned(e).or_else(|| e.get("name").and_then(spanned))),
            working_directory: working_directory(job),
            uses: job.get("uses").and_then(spanned),
            with: inputs(job.get("with")),
            steps,
        });
    }
}

/// Dependabot's `updates:`: each ecosystem, and its directory as a path filter (`/backend` -> `backend/**`).
fn dependabot(doc: &Value, facts: &mut WorkflowFacts) {
    let Some(updates) = doc.get("updates") else {
        return;
    };
    for update in updates.items() {
        facts
            .ecosystems
            .extend(update.get("package-ecosystem").and_then(spanned));
        let dirs = update.get("directory").into_iter().chain(
            update
                .get("directories")
                .map(|d| d.items())
                .unwrap_or_default(),
        );
        for dir in dirs.filter_map(spanned) {
            let folder = dir.value.trim_matches('/');
            let filter = if folder.is_empty() {
                "**".to_owned()
            } else {
                format!("{folder}/**")
            };
            facts.paths.push(Spanned::new(filter, dir.range));
        }
    }
}

fn triggers(on: &Value, facts: &mut WorkflowFacts) {
    if let Some(one) = spanned(on) {
        facts.triggers.push(one);
        return;
    }
    for item in on.items() {
        facts.triggers.extend(spanned(item));
    }
    for entry in on.entries() {
        facts.triggers.extend(key(entry));
        if let Some(paths) = entry.value.get("paths") {
            facts.paths.extend(paths.items().iter().filter_map(spanned));
        }
    }
}

fn github_step(item: &Value, text: &str) -> WorkflowStep {
    WorkflowStep {
        range: item.range,
        name: item.get("name").and_then(spanned),
        uses: item.get("uses").and_then(spanned),
        with: inputs(item.get("with")),
        run: item.get("run").map(|r| lines(r, text)).unwrap_or_default(),
        working_directory: item.get("working-directory").and_then(spanned),
    }
}

/// Top-level keys of a `.gitlab-ci.yml` that are settings, not jobs.
const GITLAB_KEYWORDS: &[&str] = &[
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
];

fn gitlab(doc: &Value, text: &str, facts: &mut WorkflowFacts) {
    for entry in doc.entries() {
        let Some(name) = key(entry) else {
            continue;
        };
        if GITLAB_KEYWORDS.contains(&name.value.as_str()) || entry.value.entries().is_empty() {
            continue;
        }
        let job = &entry.value;
        let mut steps = Vec::new();
        for part in ["before_script", "script", "after_script"] {
            let Some(script) = job.get(part) else {
                continue;
            };
            let items: Vec<&Value> = if script.items().is_empty() {
                vec![script]
            } else {
                script.items().iter().collect()
            };
            for item in items {
                steps.push(WorkflowStep {
                    range: item.range,
                    name: None,
                    uses: None,
                    with: Vec::new(),
                    run: lines(item, text),
                    working_directory: None,
                });
            }
        }
        facts.jobs.push(WorkflowJob {
            name,
            needs: strings(job.get("needs")),
            environment: job
                .get("environment")
                .and_then(|e| spanned(e).or_else(|| e.get("name").and_then(spanned))),
            working_directory: None,
            uses: None,
            with: Vec::new(),
            steps,
        });
    }
}

/// Keys whose values are shell commands in the CI systems read generically.
const COMMAND_KEYS: &[&str] = &[
    "script",
    "before_script",
    "after_script",
    "install",
    "before_install",
    "after_success",
    "before_deploy",
    "run",
    "command",
    "commands",
    "bash",
    "pwsh",
    "powershell",
    "cmd",
];

/// Travis, CircleCI, Bitbucket, Azure Pipelines, Cloud Build, CodeBuild...: every command anywhere in the file
/// is a step of one job named by the file's first key. Cloud Build's `{name: gcr.io/cloud-builders/docker,
/// args: [build, ...]}` is the command `docker build ...`.
fn other(doc: &Value, text: &str, facts: &mut WorkflowFacts) {
    let Some(name) = doc.entries().first().and_then(key) else {
        return;
    };
    let mut steps = Vec::new();
    collect_commands(doc, text, &mut steps, 0);
    facts.jobs.push(WorkflowJob {
        name,
        needs: Vec::new(),
        environment: None,
        working_directory: None,
        uses: None,
        with: Vec::new(),
        steps,
    });
}

fn collect_commands(v: &Value, text: &str, steps: &mut Vec<WorkflowStep>, depth: usize) {
    if depth > 32 {
        return;
    }
    let step = |range, run| WorkflowStep {
        range,
        name: None,
        uses: None,
        with: Vec::new(),
        run,
        working_directory: None,
    };
    if let (Some(builder), Some(args)) = (v.get("name").and_then(Value::as_str), v.get("args")) {
        let program = builder.rsplit('/').next().unwrap_or(builder);
        let words: Vec<&str> = args.items().iter().filter_map(Value::as_str).collect();
        if !words.is_empty() {
            let command = format!("{program} {}", words.join(" "));
            steps.push(step(v.range, vec![Spanned::new(command, args.range)]));
        }
    }
    for entry in v.entries() {
        let is_command = entry
            .key
            .as_str()
            .is_some_and(|k| COMMAND_KEYS.contains(&k));
        if is_command && entry.value.as_str().is_some() {
            steps.push(step(entry.value.range, lines(&entry.value, text)));
        } else if is_command && !entry.value.items().is_empty() {
            for item in entry.value.items() {
                if item.as_str().is_some() {
                    steps.push(step(item.range, lines(item, text)));
                } else {
                    collect_commands(item, text, steps, depth + 1);
                }
            }
        } else {
            collect_commands(&entry.value, text, steps, depth + 1);
        }
    }
    for item in v.items() {
        collect_commands(item, text, steps, depth + 1);
    }
}

/// `defaults.run.working-directory` of a workflow or job.
fn working_directory(v: &Value) -> Option<Spanned<String>> {
    v.get("defaults")?
        .get("run")?
        .get("working-directory")
        .and_then(spanned)
}

/// A mapping's key, with its range.
fn key(entry: &Entry) -> Option<Spanned<String>> {
    let (s, range) = entry.key.scalar()?;
    Some(Spanned::new(s.to_owned(), range))
}

fn spanned(v: &Value) -> Option<Spanned<String>> {
    let (s, range) = v.scalar()?;
    Some(Spanned::new(s.to_owned(), range))
}

/// A scalar or a list of scalars.
fn strings(v: Option<&Value>) -> Vec<String> {
    let Some(v) = v else {
        return Vec::new();
    };
    if let Some(s) = v.as_str() {
        return vec![s.to_owned()];
    }
    v.items()
        .iter()
        .filter_map(|i| i.as_str().map(str::to_owned))
        .collect()
}

/// The scalar inputs of a `with:` mapping.
fn inputs(v: Option<&Value>) -> Vec<(String, Spanned<String>)> {
    let Some(v) = v else {
        return Vec::new();
    };
    v.entries()
        .iter()
        .filter_map(|e| Some((e.key.as_str()?.to_owned(), spanned(&e.value)?)))
        .collect()
}

/// The non-blank, non-comment lines of a script value, trimmed, with their ranges in `text`. A block scalar's
/// lines are read from the source (the decoded text has lost its indentation and so its offsets); a one-line
/// scalar is its decoded text over the value's range.
fn lines(v: &Value, text: &str) -> Vec<Spanned<String>> {
    let Some((decoded, range)) = v.scalar() else {
        return Vec::new();
    };
    let source = text.get(range.start..range.end).unwrap_or("");
    let block = source.starts_with(['|', '>']);
    if !block && !decoded.contains('\n') {
        let t = decoded.trim();
        return if t.is_empty() {
            Vec::new()
        } else {
            vec![Spanned::new(t.to_owned(), range)]
        };
    }
    let mut out = Vec::new();
    let mut offset = range.start;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if i == 0 && block {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let at = start + lead;
        out.push(Spanned::new(
            trimmed.to_owned(),
            TextRange::new(at, at + trimmed.len()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GITHUB: &str = "name: CI\non:\n  push:\n    paths:\n      - 'backend/**'\n  workflow_dispatch:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: backend\n    steps:\n      - uses: actions/checkout@v4\n      - name: Tests\n        run: |\n          # comment\n          pip install -r requirements.txt\n          pytest -q\n  deploy:\n    needs: [test]\n    environment:\n      name: production\n    steps:\n      - run: fly deploy\n";

    #[test]
    fn reads_jobs_steps_and_triggers() {
        let f = parse(GITHUB, CiSystem::GitHub);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let triggers: Vec<&str> = f.triggers.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(triggers, ["push", "workflow_dispatch"]);
        assert_eq!(f.paths[0].value, "backend/**");
        assert_eq!(f.jobs.len(), 2);
        let test = &f.jobs[0];
        assert_eq!(test.name.value, "test");
        assert_eq!(&GITHUB[test.name.range.start..test.name.range.end], "test");
        assert_eq!(
            test.working_directory.as_ref().map(|w| w.value.as_str()),
            Some("backend")
        );
        let uses = test.steps[0].uses.as_ref().map(|u| u.value.as_str());
        assert_eq!(uses, Some("actions/checkout@v4"));
        let run: Vec<&str> = test.steps[1].run.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(run, ["pip install -r requirements.txt", "pytest -q"]);
        let line = &test.steps[1].run[1];
        assert_eq!(&GITHUB[line.range.start..line.range.end], "pytest -q");
        let deploy = &f.jobs[1];
        assert_eq!(deploy.needs, ["test"]);
        assert_eq!(
            deploy.environment.as_ref().map(|e| e.value.as_str()),
            Some("production")
        );
        let run = &deploy.steps[0].run[0];
        assert_eq!(&GITHUB[run.range.start..run.range.end], "fly deploy");
    }

    #[test]
    fn a_trigger_list_and_a_single_trigger() {
        let f = parse("on: [push, pull_request]\njobs: {}\n", CiSystem::GitHub);
        assert_eq!(f.triggers.len(), 2);
        let f = parse("on: push\n", CiSystem::GitHub);
        assert_eq!(f.triggers[0].value, "push");
    }

    #[test]
    fn reads_gitlab_jobs_and_scripts() {
        let text = "stages: [test, deploy]\nvariables:\n  A: b\n.template:\n  image: x\ntest:\n  stage: test\n  script:\n    - pytest\ndeploy:\n  script: kubectl apply -f k8s/\n  environment: production\n";
        let f = parse(text, CiSystem::GitLab);
        let names: Vec<&str> = f.jobs.iter().map(|j| j.name.value.as_str()).collect();
        assert_eq!(names, [".template", "test", "deploy"]);
        assert_eq!(f.jobs[1].steps[0].run[0].value, "pytest");
        let deploy = &f.jobs[2];
        let line = &deploy.steps[0].run[0];
        assert_eq!(
            &text[line.range.start..line.range.end],
            "kubectl apply -f k8s/"
        );
        assert_eq!(
            deploy.environment.as_ref().map(|e| e.value.as_str()),
            Some("production")
        );
    }

    #[test]
    fn reads_dependabot_ecosystems_and_directories() {
        let text = "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /backend\n  - package-ecosystem: github-actions\n    directory: /\n";
        let f = parse(text, CiSystem::Dependabot);
        let eco: Vec<&str> = f.ecosystems.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(eco, ["pip", "github-actions"]);
        let paths: Vec<&str> = f.paths.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(paths, ["backend/**", "**"]);
        assert!(f.jobs.is_empty());
    }

    #[test]
    fn reads_other_ci_systems_commands() {
        let travis =
            "language: python\ninstall: pip install -r requirements.txt\nscript:\n  - flask test\n";
        let f = parse(travis, CiSystem::Other);
        assert_eq!(f.jobs[0].name.value, "language");
        let run: Vec<&str> = f.jobs[0]
            .steps
            .iter()
            .flat_map(|s| s.run.iter().map(|l| l.value.as_str()))
            .collect();
        assert_eq!(run, ["pip install -r requirements.txt", "flask test"]);
        let circle = "version: 2\njobs:\n  build:\n    steps:\n      - checkout\n      - run:\n          name: tests\n          command: pytest\n";
        let f = parse(circle, CiSystem::Other);
        assert_eq!(f.jobs[0].steps[0].run[0].value, "pytest");
        let cloudbuild = "steps:\n  - name: 'gcr.io/cloud-builders/docker'\n    args: ['build', '-t', 'x', '.']\n";
        let f = parse(cloudbuild, CiSystem::Other);
        assert_eq!(f.jobs[0].steps[0].run[0].value, "docker build -t x .");
    }

    #[test]
    fn broken_yaml_never_panics() {
        for text in [
            "jobs:\n  a:\n    steps:\n      - run: |\n",
            "on: [",
            "\t\tjobs: x",
            "",
        ] {
            let _ = parse(text, CiSystem::GitHub);
            let _ = parse(text, CiSystem::GitLab);
            let _ = parse(text, CiSystem::Dependabot);
            let _ = parse(text, CiSystem::Other);
        }
    }
}
