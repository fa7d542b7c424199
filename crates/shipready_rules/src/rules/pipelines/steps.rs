//! What a CI step does: runs the tests, builds an image, synthesizes a CDK app, publishes, deploys, scans, or
//! checks a deployed service. Read from the step's action (`uses:`) and the shell words of its script lines
//! (`make <target>` is followed into the unit's Makefile), never from the raw file.

use shipready_syntax::workflow::{WorkflowJob, WorkflowStep};
use shipready_text::TextRange;

use crate::Workspace;

/// One thing a pipeline does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Activity {
    Test,
    /// Builds a container image.
    Build,
    /// `cdk synth` / `cdk deploy`: builds a CDK app's templates and assets.
    Synth,
    /// Pushes an image or a package to a registry.
    Publish,
    /// Rolls a release out to running infrastructure.
    Deploy,
    /// A vulnerability scan of an image or of dependencies.
    Scan,
    /// Probes what was deployed: a health request, a smoke or end-to-end test, a wait for stability.
    Check,
}

/// An activity found in a job: where, and what showed it.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub activity: Activity,
    /// The step's index in its job; `None` for the job itself (its key, environment or reusable workflow).
    pub step: Option<usize>,
    pub range: TextRange,
    /// The command or action, as a short phrase for messages.
    pub what: String,
}

/// Every activity of `job`, in step order.
pub(crate) fn of_job(job: &WorkflowJob, ws: &Workspace) -> Vec<Found> {
    let mut out = Vec::new();
    if let Some(uses) = &job.uses {
        let path = uses.value.to_ascii_lowercase();
        if path.contains("docker") && (path.contains("build") || path.contains("push")) {
            for activity in [Activity::Build, Activity::Publish] {
                out.push(found(
                    activity,
                    None,
                    uses.range,
                    &format!("`{}`", uses.value),
                ));
            }
        }
        if path.contains("deploy") {
            out.push(found(
                Activity::Deploy,
                None,
                uses.range,
                &format!("`{}`", uses.value),
            ));
        }
    }
    for (i, step) in job.steps.iter().enumerate() {
        out.extend(of_step(step, i, ws));
    }
    let deploys_pages = job.steps.iter().any(|s| {
        s.uses
            .as_ref()
            .is_some_and(|u| action_name(&u.value).contains("pages"))
    });
    let key = job.name.value.to_ascii_lowercase();
    let publishes = out.iter().any(|f| f.activity == Activity::Publish);
    let deploys = out.iter().any(|f| f.activity == Activity::Deploy);
    // A job its author calls `deploy` deploys, whatever tool it uses (`docker compose up -d` on the server's
    // runner, a vendor's CLI), unless all it does is push images or publish a site.
    if key.contains("deploy") && !deploys && !publishes && !deploys_pages {
        let what = format!("the `{}` job", job.name.value);
        out.push(found(Activity::Deploy, None, job.name.range, &what));
    }
    if let Some(env) = &job.environment {
        let name = env.value.to_ascii_lowercase();
        if (name.contains("prod") || name.contains("stag")) && !deploys_pages {
            let what = format!("the job of environment `{}`", env.value);
            out.push(found(Activity::Deploy, None, env.range, &what));
        }
    }
    out
}

fn found(activity: Activity, step: Option<usize>, range: TextRange, what: &str) -> Found {
    Found {
        activity,
        step,
        range,
        what: what.to_owned(),
    }
}

/// `owner/repo[/path]` of an action reference, lower-cased, without its `@ref`.
pub(crate) fn action_name(uses: &str) -> String {
    uses.split('@').next().unwrap_or(uses).to_ascii_lowercase()
}

fn of_step(step: &WorkflowStep, index: usize, ws: &Workspace) -> Vec<Found> {
    let mut out = Vec::new();
    if let Some(uses) = &step.uses {
        for activity in action_activities(&uses.value, &step.with) {
            out.push(found(
                activity,
                Some(index),
                uses.range,
                &format!("`{}`", uses.value),
            ));
        }
    }
    let named = step
        .name
        .as_ref()
        .map(|n| n.value.to_ascii_lowercase())
        .unwrap_or_default();
    let mut i = 0;
    while i < step.run.len() {
        // A command continued with `\` runs over several lines: read them as one.
        let first = &step.run[i];
        let mut command = String::new();
        let mut end = first.range.end;
        while let Some(line) = step.run.get(i) {
            let text = line.value.trim_end();
            end = line.range.end;
            i += 1;
            match text.strip_suffix('\\') {
                Some(head) => {
                    command.push_str(head);
                    command.push(' ');
                }
                None => {
                    command.push_str(text);
                    break;
                }
            }
        }
        let range = TextRange::new(first.range.start, end);
        for activity in command_activities(&command, ws, 0) {
            let what = format!("`{}`", first_words(&command));
            out.push(found(activity, Some(index), range, &what));
        }
    }
    let probe_words = ["smoke", "health", "e2e", "end-to-end", "verify deploy"];
    if probe_words.iter().any(|w| named.contains(w)) {
        let range = step.name.as_ref().map_or(step.range, |n| n.range);
        out.push(found(
            Activity::Check,
            Some(index),
            range,
            &format!("step \"{named}\""),
        ));
    }
    out
}

/// A command as shown in messages: its words, at most about 60 characters.
fn first_words(command: &str) -> String {
    let mut out = String::new();
    for word in command.split_whitespace() {
        if out.len() + word.len() > 60 {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What an action does, from its name (and, for some, its inputs).
fn action_activities(
    uses: &str,
    with: &[(String, shipready_syntax::Spanned<String>)],
) -> Vec<Activity> {
    let name = action_name(uses);
    let input = |key: &str| {
        with.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.value.to_ascii_lowercase())
    };
    let mut out = Vec::new();
    const BUILD: &[&str] = &[
        "docker/build-push-action",
        "docker/bake-action",
        "redhat-actions/buildah-build",
        "mr-smithers-excellent/docker-build-push",
        "elgohr/publish-docker-github-action",
    ];
    if BUILD.contains(&name.as_str()) {
        out.push(Activity::Build);
        let push = input("push").unwrap_or_default();
        if name != "docker/build-push-action" || (!push.is_empty() && push != "false") {
            out.push(Activity::Publish);
        }
    }
    const PUBLISH: &[&str] = &[
        "pypa/gh-action-pypi-publish",
        "snapcore/action-publish",
        "redhat-actions/push-to-registry",
    ];
    if PUBLISH.contains(&name.as_str()) {
        out.push(Activity::Publish);
    }
    let pages = name.contains("pages");
    if (name.contains("deploy") && !pages)
        || name == "appleboy/ssh-action"
        || name.starts_with("superfly/flyctl-actions")
        || name == "azure/functions-action"
    {
        out.push(Activity::Deploy);
    }
    if name.starts_with("aws-actions/amazon-ecs-deploy")
        && input("wait-for-service-stability").as_deref() == Some("true")
    {
        out.push(Activity::Check);
    }
    const SCAN: &[&str] = &[
        "aquasecurity/trivy-action",
        "anchore/scan-action",
        "docker/scout-action",
        "pypa/gh-action-pip-audit",
        "actions/dependency-review-action",
        "google/osv-scanner-action",
    ];
    if SCAN.contains(&name.as_str()) || name.starts_with("snyk/actions") {
        out.push(Activity::Scan);
    }
    if name.contains("health-check") || name.contains("healthcheck") || name.contains("smoke") {
        out.push(Activity::Check);
    }
    out
}

/// `tox -e <env>` / `nox -s <session>` environments that lint or build documents rather than test.
const NOT_TEST_ENVS: &[&str] = &[
    "lint",
    "format",
    "pep8",
    "flake8",
    "docs",
    "manpage",
    "mypy",
    "typing",
    "type",
    "style",
    "pre-commit",
    "black",
    "isort",
    "ruff",
    "build",
    "release",
];

/// The activities of one shell command line (`a && b | c` included). `depth` bounds `make` targets followed
/// into the Makefile.
pub(crate) fn command_activities(command: &str, ws: &Workspace, depth: usize) -> Vec<Activity> {
    let mut out = Vec::new();
    for segment in command.split(['&', '|', ';']) {
        let words: Vec<String> = segment
            .split_whitespace()
            .map(|w| w.trim_matches(['"', '\'', '(', ')', '`']).to_owned())
            .filter(|w| !w.is_empty())
            .collect();
        // Environment assignments and wrappers before the program.
        let start = words
            .iter()
            .position(|w| {
                let assignment = w.contains('=') && !w.starts_with('-');
                let wrapper = matches!(
                    w.as_str(),
                    "sudo" | "time" | "env" | "exec" | "nohup" | "then" | "do"
                );
                !assignment && !wrapper
            })
            .unwrap_or(words.len());
        let words = &words[start..];
        let Some(program) = words.first() else {
            continue;
        };
        let installs = words.iter().any(|w| w == "install" || w == "add");
        if matches!(program.as_str(), "echo" | "printf" | "if" | "[" | "test")
            || (installs && program != "helm")
        {
            continue;
        }
        out.extend(segment_activities(words, ws, depth));
    }
    out.sort_by_key(|a| *a as u8);
    out.dedup();
    out
}

fn base(word: &str) -> String {
    word.rsplit('/').next().unwrap_or(word).to_ascii_lowercase()
}

fn segment_activities(words: &[String], ws: &Workspace, depth: usize) -> Vec<Activity> {
    let mut out = Vec::new();
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let has = |w: &str| lower.iter().any(|x| x == w);
    for (i, word) in words.iter().enumerate() {
        let w = base(word);
        let n1 = lower.get(i + 1).map(String::as_str).unwrap_or("");
        let n2 = lower.get(i + 2).map(String::as_str).unwrap_or("");
        let prev = if i == 0 { "" } else { lower[i - 1].as_str() };
        let command_position = i == 0
            || matches!(
                prev,
                "bash" | "sh" | "zsh" | "run" | "exec" | "--" | "source"
            );
        // Tests.
        let env_of = |flag: &str| {
            lower
                .iter()
                .position(|x| x == flag)
                .and_then(|p| lower.get(p + 1))
                .cloned()
        };
        match w.as_str() {
            "pytest" | "py.test" => out.push(Activity::Test),
            "tox" | "nox" => {
                let env = env_of("-e").or_else(|| env_of("-s")).unwrap_or_default();
                if !env.split(',').all(|e| NOT_TEST_ENVS.contains(&e)) || env.is_empty() {
                    out.push(Activity::Test);
                }
            }
            "-m" if matches!(n1, "pytest" | "unittest") => out.push(Activity::Test),
            "manage.py" | "flask" if n1 == "test" => out.push(Activity::Test),
            "npm" | "yarn" | "pnpm" | "bun" => {
                let script = if n1 == "run" { n2 } else { n1 };
                if script == "test"
                    || script == "t"
                    || script.starts_with("test:")
                    || script.contains("e2e")
                {
                    out.push(Activity::Test);
                }
                if n1 == "audit" {
                    out.push(Activity::Scan);
                }
                if n1 == "publish" {
                    out.push(Activity::Publish);
                }
            }
            "go" | "cargo" | "stack" | "cabal" | "mvn" | "gradle" | "gradlew" | "dotnet"
            | "hatch" | "deno" | "mix" | "swift" | "sbt" => {
                if n1.starts_with("test") || (w == "mvn" && n1 == "verify") {
                    out.push(Activity::Test);
                }
                if w == "cargo" && matches!(n1, "audit" | "deny") {
                    out.push(Activity::Scan);
                }
                if n1 == "publish" {
                    out.push(Activity::Publish);
                }
            }
            "make" | "just" | "task" | "invoke" | "inv" | "rake" if i == 0 => {
                // Every target named (`make local build`), its prerequisites and recipe followed.
                let targets = lower[1..]
                    .iter()
                    .filter(|t| !t.starts_with('-') && !t.contains('='));
                for target in targets {
                    out.extend(target_activities(target, ws, depth));
                }
            }
            "playwright" if n1 == "test" => out.push(Activity::Test),
            "cypress" if n1 == "run" => out.push(Activity::Test),
            _ => {}
        }
        let script = word.contains('/') || w.ends_with(".sh");
        let stem = w.split('.').next().unwrap_or("");
        if script && command_position && !stem.is_empty() {
            if stem.contains("test") || stem.contains("acceptance") {
                out.push(Activity::Test);
            }
            if stem.contains("deploy") || stem == "release" {
                out.push(Activity::Deploy);
            }
            if stem.contains("smoke") || stem.contains("health") {
                out.push(Activity::Check);
            }
        }
        // Images: build, publish.
        let docker = matches!(w.as_str(), "docker" | "podman");
        if docker
            && (n1 == "build"
                || (matches!(n1, "buildx" | "image" | "builder") && matches!(n2, "build" | "bake")))
        {
            out.push(Activity::Build);
            if has("--push") {
                out.push(Activity::Publish);
            }
        }
        let compose = (docker && n1 == "compose") || w == "docker-compose";
        if compose && (has("build") || has("--build")) {
            out.push(Activity::Build);
        }
        if compose && has("up") && (has("--wait") || has("--wait-timeout")) {
            out.push(Activity::Check);
        }
        if (docker || compose) && (n1 == "push" || (compose && has("push"))) {
            out.push(Activity::Publish);
        }
        if w == "buildah" && matches!(n1, "bud" | "build") {
            out.push(Activity::Build);
        }
        if matches!(w.as_str(), "twine" | "goreleaser")
            || (matches!(w.as_str(), "poetry" | "uv" | "flit") && n1 == "publish")
        {
            out.push(Activity::Publish);
        }
        // CDK.
        if matches!(w.as_str(), "cdk" | "aws-cdk") {
            match n1 {
                "synth" | "synthesize" => out.push(Activity::Synth),
                "deploy" => {
                    out.push(Activity::Synth);
                    out.push(Activity::Deploy);
                }
                _ => {}
            }
        }
        // Deployments.
        let deploy = match w.as_str() {
            "aws" => matches!(
                (n1, n2),
                ("ecs", "update-service" | "deploy")
                    | ("lambda", "update-function-code")
                    | ("cloudformation", "deploy" | "create-stack" | "update-stack")
                    | ("deploy", _)
                    | ("apprunner", "start-deployment")
            ),
            "ecs-deploy" | "ansible-playbook" | "kamal" => true,
            "sam" | "serverless" | "sls" | "fly" | "flyctl" | "copilot" | "eb" | "netlify"
            | "fastapi" => n1 == "deploy" || (w == "copilot" && n2 == "deploy"),
            "kubectl" => {
                matches!(n1, "apply" | "set" | "rollout" | "create" | "replace") && n2 != "status"
            }
            "helm" => matches!(n1, "upgrade" | "install"),
            "gcloud" => has("deploy") || (n1 == "run" && has("update")),
            "az" => {
                has("deploy")
                    || has("up")
                    || (matches!(n1, "containerapp" | "webapp") && has("update"))
            }
            "heroku" => n1.starts_with("container:release") || n1 == "releases:promote",
            "git" => n1 == "push" && (n2.contains("heroku") || n2.contains("dokku")),
            "docker" => n1 == "stack" && n2 == "deploy",
            "terraform" | "tofu" => n1 == "apply",
            "pulumi" | "railway" => n1 == "up",
            "vercel" => has("--prod") || n1 == "deploy",
            "cf" => n1 == "push",
            "ssh" => [
                "docker",
                "compose",
                "systemctl",
                "pull",
                "deploy",
                "restart",
            ]
            .iter()
            .any(|k| lower.iter().any(|x| x.contains(k))),
            _ => false,
        };
        if deploy {
            out.push(Activity::Deploy);
        }
        // Scans.
        match w.as_str() {
            "trivy"
            | "grype"
            | "snyk"
            | "pip-audit"
            | "osv-scanner"
            | "govulncheck"
            | "dependency-check"
            | "dependency-check.sh" => out.push(Activity::Scan),
            "safety" if matches!(n1, "check" | "scan") => out.push(Activity::Scan),
            "docker" if n1 == "scout" => out.push(Activity::Scan),
            _ => {}
        }
        // Probes of what runs.
        let probe = match w.as_str() {
            "curl" | "wget" | "http" | "https" | "hey" | "k6" => command_position || i == 0,
            "aws" => n1 == "ecs" && n2 == "wait",
            "kubectl" => n1 == "rollout" && n2 == "status",
            "helm" => has("--wait") || has("--atomic"),
            _ => false,
        };
        if probe {
            out.push(Activity::Check);
        }
    }
    out
}

/// What a `make` target does: its name (`test`, `e2e`, `deploy`), then its prerequisites and recipe lines in the
/// unit's Makefile, followed a few levels deep.
fn target_activities(target: &str, ws: &Workspace, depth: usize) -> Vec<Activity> {
    let mut out = Vec::new();
    if target.contains("test") || matches!(target, "unit" | "e2e" | "integration" | "coverage") {
        out.push(Activity::Test);
    }
    if target.starts_with("deploy") {
        out.push(Activity::Deploy);
    }
    if depth >= 3 {
        return out;
    }
    let (prerequisites, recipe) = make_target(ws, target);
    for p in prerequisites {
        out.extend(target_activities(&p.to_ascii_lowercase(), ws, depth + 1));
    }
    for line in recipe {
        out.extend(command_activities(&line, ws, depth + 1));
    }
    out
}

/// The prerequisites and recipe lines of `target` in the unit's Makefile (the shallowest one).
fn make_target(ws: &Workspace, target: &str) -> (Vec<String>, Vec<String>) {
    let mut makefiles: Vec<&crate::SourceFile> = ws
        .files()
        .iter()
        .map(|f| &**f)
        .filter(|f| {
            matches!(
                f.name().to_ascii_lowercase().as_str(),
                "makefile" | "gnumakefile" | "justfile"
            )
        })
        .collect();
    makefiles.sort_by_key(|f| f.path.matches('/').count());
    let Some(file) = makefiles.first() else {
        return (Vec::new(), Vec::new());
    };
    let mut prerequisites = Vec::new();
    let mut out = Vec::new();
    let mut inside = false;
    for line in file.text.lines() {
        if inside {
            if let Some(body) = line
                .strip_prefix('\t')
                .or_else(|| line.strip_prefix("    "))
            {
                out.push(body.trim_start_matches(['@', '-']).to_owned());
                if out.len() > 50 {
                    break;
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            break;
        }
        let Some((head, rest)) = line.split_once(':') else {
            continue;
        };
        if !line.starts_with(['\t', ' ', '#'])
            && !rest.starts_with('=')
            && head.split_whitespace().any(|t| t == target)
        {
            inside = true;
            // `build: test *.go | quiet`: prerequisites are words, not files with an extension or globs.
            prerequisites.extend(
                rest.split(['#', ';'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .filter(|w| !w.contains(['.', '*', '$', '|', '%']))
                    .map(str::to_owned),
            );
        }
    }
    (prerequisites, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acts(command: &str) -> Vec<Activity> {
        command_activities(command, &Workspace::default(), 0)
    }

    #[test]
    fn tests_are_recognised_through_wrappers() {
        for c in [
            "pytest -q",
            "uv run pytest tests",
            "poetry run ./scripts/test",
            "bash scripts/tests-start.sh \"Coverage\"",
            "docker exec app python -m pytest .",
            "tox run -e py312",
            "cabal test all",
            "npm run test:unit",
            "make unit",
        ] {
            assert!(acts(c).contains(&Activity::Test), "{c}");
        }
        for c in [
            "pip install pytest tox",
            "tox -e lint",
            "tox run -e format",
            "echo pytest",
            "cd tests",
        ] {
            assert!(!acts(c).contains(&Activity::Test), "{c}");
        }
    }

    #[test]
    fn builds_publishes_deploys_scans_and_probes() {
        assert_eq!(acts("docker build -t app ."), [Activity::Build]);
        assert_eq!(acts("docker compose -f a.yml build"), [Activity::Build]);
        assert_eq!(acts("docker push ghcr.io/x/app:1"), [Activity::Publish]);
        assert_eq!(
            acts("npx cdk deploy --all"),
            [Activity::Synth, Activity::Deploy]
        );
        assert_eq!(acts("gcloud run deploy svc --image x"), [Activity::Deploy]);
        assert_eq!(
            acts("aws ecs update-service --cluster c"),
            [Activity::Deploy]
        );
        assert_eq!(acts("trivy image app:1"), [Activity::Scan]);
        assert_eq!(
            acts("curl -f https://example.com/health"),
            [Activity::Check]
        );
        assert_eq!(acts("kubectl rollout status deploy/app"), [Activity::Check]);
        assert!(acts("helm install app ./chart").contains(&Activity::Deploy));
        assert!(acts("docker compose up -d").is_empty());
    }

    #[test]
    fn make_targets_are_followed_into_the_makefile() {
        let ws = Workspace::from_texts([(
            "Makefile",
            "deploy:\n\tnpx cdk deploy --require-approval never\n\ne2e:\n\tpytest tests/e2e\n",
        )]);
        let a = command_activities("make deploy", &ws, 0);
        assert!(a.contains(&Activity::Deploy) && a.contains(&Activity::Synth));
        assert!(command_activities("make e2e", &ws, 0).contains(&Activity::Test));
        let ws = Workspace::from_texts([(
            "Makefile",
            "local: | quiet\n\t@echo local\n\nbuild: build/dev\n\nbuild/dev: test *.go\n\tgo build\n\ntest: check\n\tgo test ./...\n",
        )]);
        assert!(command_activities("make local build", &ws, 0).contains(&Activity::Test));
    }
}
