//! ## What it checks
//! That the image of each network service runs as a non-root user: the stage the image is built from (through
//! the stages it is built `FROM`) sets `USER` to someone other than `root` or `0`, or its entrypoint drops
//! privileges at start (`gosu`, `su-exec`, `setpriv`, `runuser`). A user created with `useradd`/`adduser` but
//! never switched to does not count. CLI, job and Lambda images are not judged (they run under a platform's
//! user or for a moment).
//!
//! ## Why it matters
//! A process running as root inside the container is root on the container's filesystem and one kernel bug
//! away from the host. Most base images default to root; only an explicit `USER` changes that.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN useradd --create-home app
//! COPY . /srv
//! CMD ["gunicorn", "app:app"]
//! ```
//!
//! ## Fix
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN useradd --create-home --uid 10001 app
//! COPY --chown=app:app . /srv
//! USER app
//! CMD ["gunicorn", "app:app"]
//! ```

use shipready_syntax::FileKind;

use crate::index::docker::{chain, dockerfile, final_stage};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "root-user",
    category: Category::Security,
    severity: Severity::High,
    title: "A service image runs as root",
    impact: "A compromised process is root in the container and closer to the host.",
    recommendation: "Create an unprivileged user and switch to it with USER in the final stage.",
    effort: "30 minutes",
    source: include_str!("root_user.rs"),
    check,
};

/// Programs an entrypoint uses to drop to another user at start.
const DROPPERS: &[&str] = &[
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "chpst",
    "s6-setuidgid",
];

fn check(ctx: &Context) -> Outcome {
    let mut judged = Vec::new();
    let mut findings = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        if !ctx.index.workload().image_serves(&file.path) {
            continue;
        }
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        let Some(stage) = final_stage(d) else {
            continue;
        };
        judged.push(file.path.clone());
        let stages = chain(d, stage);
        // The USER in effect: the last one of the nearest stage that sets one.
        let user = stages.iter().find_map(|s| s.user.as_ref());
        let drops = stages.iter().any(|s| {
            [&s.entrypoint, &s.cmd]
                .into_iter()
                .flatten()
                .flat_map(|c| c.args.iter())
                .any(|a| {
                    DROPPERS
                        .iter()
                        .any(|p| a.split_whitespace().any(|w| w.ends_with(p)))
                })
        });
        let root = match user {
            Some(u) => {
                let name = u.value.split(':').next().unwrap_or("").trim();
                name == "root" || name == "0"
            }
            None => true,
        };
        if !root || drops {
            continue;
        }
        let (range, message) = match user {
            Some(u) => (
                u.range,
                format!(
                    "{} switches to root (`USER {}`): the service runs with root's rights.",
                    file.path, u.value
                ),
            ),
            None => {
                let created = stages
                    .iter()
                    .flat_map(|s| s.runs.iter())
                    .any(|r| r.text.contains("useradd") || r.text.contains("adduser"));
                let why = if created {
                    "creates a user but never switches to it"
                } else {
                    "sets no USER"
                };
                (
                    stage.from_range,
                    format!(
                        "{} {why}: the service runs as root. Add `USER <name>` to the final stage.",
                        file.path
                    ),
                )
            }
        };
        findings.push(Finding::at(&file.path, range, message));
    }
    if judged.is_empty() {
        return super::not_applicable("no service image");
    }
    if findings.is_empty() {
        let details = format!(
            "{} runs as a non-root user",
            super::super::plural(judged.len(), "service image", "service images")
        );
        return Outcome::pass(details, judged);
    }
    let verb = if findings.len() == 1 { "runs" } else { "run" };
    let details = format!(
        "{} of {} {verb} as root",
        findings.len(),
        super::super::plural(judged.len(), "service image", "service images")
    );
    let needed = findings.len();
    Outcome::fail(details, findings).needing(needed)
}
