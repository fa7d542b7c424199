//! ## What it checks
//! That every long-running service of a production compose project has a restart policy: `restart:` (any
//! value: `restart: no` is an explicit choice) or `deploy.restart_policy`; services of a Swarm stack file
//! (`docker-stack.yml`) restart by default. A policy in
//! another production compose file of the same folder (`compose.deploy.yml` beside `compose.yml`) counts.
//! One-shot services that exit by design are not judged: a service another one waits for with
//! `condition: service_completed_successfully`, and migration, init, seed and setup services (by name or by
//! command: `alembic upgrade`, `manage.py migrate`, ...). Compose files that are development setups (a `dev`
//! build target, the source mounted over the image, `--reload`) are not judged either.
//!
//! ## Why it matters
//! Without a policy Compose uses `no`: a service that crashes, or every service after the Docker daemon or the
//! host restarts, stays down until someone notices and starts it by hand.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     build: .
//!     ports:
//!       - "8000:8000"
//! ```
//!
//! ## Fix
//! ```yaml
//! services:
//!   api:
//!     restart: unless-stopped
//!     build: .
//!     ports:
//!       - "8000:8000"
//! ```
//! The quick fix inserts `restart: unless-stopped` as the first key of every service of the file without a
//! restart policy.

use shipready_syntax::compose::ComposeService;

use super::{projects, ProjectService};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "compose-service-without-restart",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "A long-running compose service has no restart policy",
    impact: "A crashed service, or every service after a host or daemon restart, stays down.",
    recommendation:
        "Give each long-running compose service `restart: unless-stopped` (or `always`).",
    effort: "5 minutes",
    source: include_str!("missing_restart.rs"),
    check,
};

/// Words in a service's name or command that mark a one-shot task.
const ONE_SHOT_WORDS: &[&str] = &[
    "migrate",
    "migration",
    "migrations",
    "alembic",
    "prestart",
    "init",
    "seed",
    "setup",
    "bootstrap",
    "createbuckets",
    "collectstatic",
    "loaddata",
    "flyway",
    "liquibase",
    "provision",
];

/// Images of command-line tools that a compose service runs once (`minio/mc` creating buckets).
const CLI_IMAGES: &[&str] = &["mc", "aws-cli", "azure-cli"];

fn check(ctx: &Context) -> Outcome {
    let projects = projects(ctx);
    let mut judged = 0;
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    for (project, service) in projects.services() {
        if one_shot(project, service).is_some() {
            continue;
        }
        judged += 1;
        // Swarm restarts a stack's services by default (`restart_policy.condition: any`); a service also
        // defined in a plain compose file of the folder still needs a policy there.
        let has_policy = service
            .defs
            .iter()
            .any(|(_, d)| d.restart.is_some() || d.restart_policy.is_some())
            || service.defs.iter().all(|(f, _)| is_stack_file(&f.path));
        let (file, def) = service.first();
        if !evidence.contains(&file.path) {
            evidence.push(file.path.clone());
        }
        if has_policy {
            continue;
        }
        findings.push((
            file.path.as_str(),
            def,
            Finding::at(
                &file.path,
                def.name.range,
                format!(
                    "Compose service `{}` has no restart policy: if it crashes, or the host restarts, it stays down. Add `restart: unless-stopped`.",
                    service.name
                ),
            ),
        ));
    }
    // One fix per file, for all of its services without a policy.
    let findings: Vec<Finding> = findings
        .iter()
        .map(|(path, _, finding)| {
            let same_file: Vec<&ComposeService> = findings
                .iter()
                .filter(|(p, _, _)| p == path)
                .map(|(_, d, _)| *d)
                .collect();
            let fix = crate::fixes::compose_restart::fix(ctx, path, &same_file);
            finding.clone().with_fix(fix)
        })
        .collect();
    if judged == 0 {
        return super::nothing_judged(&projects);
    }
    let total = super::super::plural(judged, "long-running service", "long-running services");
    if findings.is_empty() {
        return Outcome::pass(format!("{total} with a restart policy"), evidence);
    }
    let n = findings.len();
    Outcome::fail(format!("{n} of {total} without a restart policy"), findings)
        .needing(n)
        .with_evidence(evidence)
}

/// Whether `path` is a Swarm stack file (`docker-stack.yml`), deployed by `docker stack deploy`.
fn is_stack_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("docker-stack")
}

/// Why a service is a one-shot task that exits by design, if it is one.
pub(crate) fn one_shot(project: &[ProjectService], service: &ProjectService) -> Option<String> {
    let awaited = project.iter().any(|other| {
        other.defs.iter().any(|(_, d)| {
            d.depends_on.iter().any(|dep| {
                dep.service.value == service.name
                    && dep.condition.as_deref() == Some("service_completed_successfully")
            })
        })
    });
    if awaited {
        return Some("another service waits for it to complete".to_owned());
    }
    if let Some(w) = words(service.name).find(|w| ONE_SHOT_WORDS.contains(w)) {
        return Some(format!("its name says it is a one-shot task (`{w}`)"));
    }
    let image = service
        .defs
        .iter()
        .rev()
        .find_map(|(_, d)| d.image.as_ref());
    if let Some(cli) = image
        .map(|i| super::backing::repository(&i.value).to_ascii_lowercase())
        .filter(|r| CLI_IMAGES.contains(&r.as_str()))
    {
        return Some(format!("it runs a command-line tool image (`{cli}`)"));
    }
    let command = service
        .defs
        .iter()
        .rev()
        .find_map(|(_, d)| d.command.as_ref())?;
    let lower = command.value.to_ascii_lowercase();
    // Whole words of the command (a script by its name without `.sh`/`.py`), hyphenated flags kept whole:
    // `--init-file /data/init.sql` is no init task, `scripts/prestart.sh` is a prestart one.
    let word = lower
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ':' | '=' | '"' | '\'' | ',' | ';' | '&' | '|' | '[' | ']'
                )
        })
        .map(|w| {
            let name = w.rsplit('/').next().unwrap_or(w);
            [".sh", ".py", ".js", ".ts"]
                .iter()
                .find_map(|ext| name.strip_suffix(ext))
                .unwrap_or(name)
        })
        .find(|w| ONE_SHOT_WORDS.contains(w))?;
    Some(format!("its command runs a one-shot task (`{word}`)"))
}

/// The alphanumeric words of a text.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use crate::Status;

    fn run(files: &[(&str, &str)]) -> (Status, Vec<String>) {
        super::super::test_support::places(super::check, files)
    }

    #[test]
    fn a_policy_in_a_deploy_file_beside_the_base_counts() {
        let base = "services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n";
        let deploy = "services:\n  api:\n    restart: always\n";
        let (status, places) = run(&[("compose.yml", base), ("compose.deploy.yml", deploy)]);
        assert_eq!(status, Status::Fail);
        assert_eq!(places, ["db"]);
    }

    #[test]
    fn restart_no_and_swarm_policies_are_choices() {
        let text = "services:\n  api:\n    image: nginx\n    restart: no\n  web:\n    image: nginx\n    deploy:\n      restart_policy:\n        condition: on-failure\n";
        assert_eq!(run(&[("compose.yaml", text)]).0, Status::Pass);
    }

    #[test]
    fn one_shot_services_are_not_judged() {
        let text = "services:\n  api:\n    image: app\n    restart: always\n    depends_on:\n      prestart:\n        condition: service_completed_successfully\n  prestart:\n    image: app\n    command: bash scripts/prestart.sh\n  db-migrate:\n    image: app\n  upgrade:\n    image: app\n    command: alembic upgrade head\n  buckets:\n    image: minio/mc\n    entrypoint: /bin/sh -c 'mc mb local/data'\n";
        assert_eq!(run(&[("compose.yaml", text)]), (Status::Pass, Vec::new()));
        // A flag that merely contains a one-shot word does not make a database one.
        let db = "services:\n  db:\n    image: mysql:8\n    command: --init-file /data/init.sql\n";
        assert_eq!(run(&[("compose.yaml", db)]).1, ["db"]);
    }

    #[test]
    fn development_setups_are_not_judged() {
        let text = "services:\n  web:\n    build: ./project\n    volumes:\n      - ./project:/usr/src/app\n";
        let (status, _) = run(&[("docker-compose.yml", text)]);
        assert_eq!(status, Status::NotApplicable);
        let reload = "services:\n  web:\n    build: .\n    command: uvicorn main:app --reload\n";
        assert_eq!(run(&[("compose.yml", reload)]).0, Status::NotApplicable);
        let target = "services:\n  web:\n    build:\n      context: .\n      target: dev\n";
        assert_eq!(run(&[("compose.yml", target)]).0, Status::NotApplicable);
    }
}
