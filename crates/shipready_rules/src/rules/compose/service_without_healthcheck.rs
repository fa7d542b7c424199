//! ## What it checks
//! That every long-running service of a production compose project has a health check: its own `healthcheck`
//! (in any production compose file of its folder), the `HEALTHCHECK` of the stage it builds (inherited ones
//! included), or that of a published image known to ship one (`pihole/pihole`, `itzg/minecraft-server`, ...;
//! other published images are taken to have none, as most official images do). `healthcheck: {disable: true}` is an explicit choice and is not judged; neither are one-shot
//! services (migrations, init and seed tasks, services awaited with `service_completed_successfully`) nor
//! development setups.
//!
//! This is the per-service complement of HC002 ("fewer than 3 services with health checks"): while HC002
//! fails it already names every compose service without a check, so this rule reports only the services
//! HC002 does not, typically the last unchecked services of a stack where enough others have one.
//!
//! ## Why it matters
//! Without a probe Docker only knows whether the process exists: a hung worker, a proxy that lost its
//! upstream or a database that stopped accepting connections shows as "running", `depends_on` cannot wait for
//! it to be healthy, and nothing restarts or reports it.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     build: .
//!     healthcheck:
//!       test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
//!   db:
//!     image: postgres:16
//!     healthcheck:
//!       test: ["CMD-SHELL", "pg_isready -U postgres"]
//!   cache:
//!     image: redis:7
//! ```
//!
//! ## Fix
//! ```yaml
//!   cache:
//!     image: redis:7
//!     healthcheck:
//!       test: ["CMD", "redis-cli", "ping"]
//!       interval: 10s
//!       retries: 5
//! ```

use std::collections::BTreeSet;

use super::missing_restart::one_shot;
use super::{projects, ProjectService};
use crate::index::docker::{built_stage, compose, dockerfile, healthcheck, resolve};
use crate::rules::health::few_services_with_health_checks as hc002;
use crate::{Category, Context, Finding, Outcome, Rule, Severity, Status};

pub(crate) static RULE: Rule = Rule {
    name: "service-without-healthcheck",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "A long-running compose service has no health check",
    impact: "A hung service shows as running: nothing waits for it, restarts it or reports it.",
    recommendation: "Give the service a compose `healthcheck` (or its image a `HEALTHCHECK`).",
    effort: "15 minutes",
    source: include_str!("service_without_healthcheck.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let hc002 = (hc002::RULE.check)(ctx);
    // HC002 does not apply where nothing serves (only jobs, CLIs, Lambda functions): nor does a probe.
    if hc002.status == Status::NotApplicable {
        return super::not_applicable(&hc002.details);
    }
    let projects = projects(ctx);
    let reported = reported_by_hc002(ctx, &hc002);
    let mut judged = 0;
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    for (project, service) in projects.services() {
        if one_shot(project, service).is_some() {
            continue;
        }
        let own: Vec<bool> = service
            .defs
            .iter()
            .filter_map(|(_, d)| d.healthcheck.as_ref().map(|h| !h.disabled))
            .collect();
        // Checks disabled on purpose, and never enabled elsewhere, are a choice.
        if !own.is_empty() && own.iter().all(|enabled| !enabled) {
            continue;
        }
        judged += 1;
        let (file, first) = service.first();
        if !evidence.contains(&file.path) {
            evidence.push(file.path.clone());
        }
        if own.iter().any(|enabled| *enabled) || image_checks(ctx, service) || ships_probe(service)
        {
            continue;
        }
        if reported.contains(&(file.dir().to_owned(), service.name.to_owned())) {
            continue;
        }
        findings.push(
            Finding::at(
                &file.path,
                first.name.range,
                format!(
                    "Compose service `{}` has no health check, and its image has no HEALTHCHECK: a hung `{}` shows as running. Add a `healthcheck`.",
                    service.name, service.name
                ),
            )
            .with_fix(fix(ctx, service)),
        );
    }
    if judged == 0 {
        return super::nothing_judged(&projects);
    }
    let total = super::super::plural(judged, "long-running service", "long-running services");
    if findings.is_empty() {
        let details = if reported.is_empty() {
            format!("{total}, each with a health check")
        } else {
            format!("{total}; those without a health check are HC002's findings")
        };
        return Outcome::pass(details, evidence);
    }
    let n = findings.len();
    Outcome::fail(format!("{n} of {total} without a health check"), findings)
        .needing(n)
        .with_evidence(evidence)
}

/// Published images known to ship a `HEALTHCHECK` of their own (by repository path).
const IMAGES_WITH_PROBES: &[&str] = &[
    "pihole/pihole",
    "itzg/minecraft-server",
    "vaultwarden/server",
    "jellyfin/jellyfin",
];

/// Whether the service runs a published image known to ship a `HEALTHCHECK`.
fn ships_probe(service: &ProjectService) -> bool {
    let image = service
        .defs
        .iter()
        .rev()
        .find_map(|(_, d)| d.image.as_ref().filter(|_| d.build.is_none()));
    image.is_some_and(|i| {
        let path = i
            .value
            .split([':', '@'])
            .next()
            .unwrap_or(&i.value)
            .to_ascii_lowercase();
        IMAGES_WITH_PROBES
            .iter()
            .any(|known| path == *known || path.ends_with(&format!("/{known}")))
    })
}

/// HC002's fixes, which close this gap too: a `HEALTHCHECK` in the stage the service builds, else the probe a
/// well-known image ships, in the compose service.
fn fix(ctx: &Context, service: &ProjectService) -> Option<crate::Fix> {
    let built = service.defs.iter().rev().find_map(|(file, def)| {
        let build = def.build.as_ref()?;
        Some((resolve(file.dir(), build)?, build.target.as_deref()))
    });
    match built {
        Some((paths, target)) => {
            crate::fixes::healthcheck::fix_stage(ctx, &paths.dockerfile, target)
        }
        None if service.defs.iter().all(|(_, d)| d.build.is_none()) => {
            let (file, first) = service.first();
            crate::fixes::compose_healthcheck::fix(ctx, &file.path, first)
        }
        None => None,
    }
}

/// Whether the stage a definition of the service builds has an enabled `HEALTHCHECK`.
fn image_checks(ctx: &Context, service: &ProjectService) -> bool {
    service.defs.iter().any(|(file, def)| {
        let Some(build) = &def.build else {
            return false;
        };
        let Some(paths) = resolve(file.dir(), build) else {
            return false;
        };
        let Some(d) = ctx
            .workspace
            .file(&paths.dockerfile)
            .and_then(|f| dockerfile(&f.facts))
        else {
            return false;
        };
        built_stage(d, build.target.as_deref())
            .and_then(|s| healthcheck(d, s))
            .is_some_and(|h| !h.disabled)
    })
}

/// `(compose folder, service name)` of every compose service HC002 reports in this unit, so the same gap is
/// not reported twice.
fn reported_by_hc002(ctx: &Context, outcome: &Outcome) -> BTreeSet<(String, String)> {
    if outcome.status != Status::Fail {
        return BTreeSet::new();
    }
    let mut out = BTreeSet::new();
    for f in &outcome.findings {
        let (Some(path), Some(range)) = (&f.file, f.range) else {
            continue;
        };
        let Some(file) = ctx.workspace.file(path) else {
            continue;
        };
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        if let Some(s) = c.services.iter().find(|s| s.name.range == range) {
            out.insert((file.dir().to_owned(), s.name.value.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::Status;

    fn run(files: &[(&str, &str)]) -> (Status, Vec<String>) {
        super::super::test_support::places(super::check, files)
    }

    const STACK: &str = "services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n  queue:\n    image: rabbitmq:3\n    healthcheck:\n      test: rabbitmq-diagnostics -q ping\n  cache:\n    image: redis:7\n  migrate:\n    build: .\n    command: alembic upgrade head\n";

    #[test]
    fn reports_what_hc002_leaves_once_three_services_have_checks() {
        let image = "FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost:8000/health\nCMD [\"uvicorn\", \"app:app\"]\n";
        let (status, names) = run(&[("compose.yaml", STACK), ("Dockerfile", image)]);
        assert_eq!((status, names), (Status::Fail, vec!["cache".to_owned()]));
    }

    #[test]
    fn services_hc002_names_are_not_reported_twice() {
        let image = "FROM python:3.12-slim\nCMD [\"uvicorn\", \"app:app\"]\n";
        let (status, names) = run(&[("compose.yaml", STACK), ("Dockerfile", image)]);
        assert_eq!((status, names), (Status::Pass, Vec::new()));
    }

    #[test]
    fn published_images_with_a_probe_of_their_own() {
        let text = STACK.replace("image: redis:7", "image: docker.io/pihole/pihole:2024.07.0");
        let image = "FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost:8000/health\n";
        let (status, names) = run(&[("compose.yaml", &text), ("Dockerfile", image)]);
        assert_eq!((status, names), (Status::Pass, Vec::new()));
    }

    #[test]
    fn a_disabled_check_is_a_choice() {
        let text =
            "services:\n  cache:\n    image: redis:7\n    healthcheck:\n      disable: true\n";
        assert_eq!(run(&[("compose.yaml", text)]).0, Status::NotApplicable);
    }
}
