//! ## What it checks
//! That a production compose service which `depends_on` a database, cache or broker (a service running a
//! known `postgres`, `mysql`, `mariadb`, `mongo`, `redis`, `rabbitmq`, `kafka`, `elasticsearch`, ... image,
//! or built `FROM` one) waits for it to be healthy: `condition: service_healthy`. The short list syntax (`depends_on: [db]`)
//! and `condition: service_started` only wait for the container to start. A condition set in another
//! production compose file of the same folder counts. Admin UIs (`adminer`, `pgadmin4`, `mongo-express`, ...)
//! connect only when someone logs in and are not judged; neither are development setups.
//!
//! ## Why it matters
//! A database container starts long before it accepts connections. A service started with it connects too
//! early, fails its migrations or its first requests, and either crashes (and, without a restart policy, stays
//! down) or caches a broken connection pool.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     build: .
//!     depends_on:
//!       - db
//!   db:
//!     image: postgres:16
//! ```
//!
//! ## Fix
//! ```yaml
//! services:
//!   api:
//!     build: .
//!     depends_on:
//!       db:
//!         condition: service_healthy
//!   db:
//!     image: postgres:16
//!     healthcheck:
//!       test: ["CMD-SHELL", "pg_isready -U postgres"]
//!       interval: 10s
//!       retries: 5
//! ```
//! `service_healthy` needs a `healthcheck` on the dependency (its own, or its image's `HEALTHCHECK`).

use super::backing;
use super::{image_of, projects};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "dependency-not-awaited-healthy",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "A service depends on a database, cache or broker without waiting for it to be healthy",
    impact: "The service starts before its backing store accepts connections and fails at boot.",
    recommendation: "Use `depends_on: {<db>: {condition: service_healthy}}` and give the dependency a healthcheck.",
    effort: "15 minutes",
    source: include_str!("unhealthy_dependency.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let projects = projects(ctx);
    let mut judged = 0;
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    for (project, service) in projects.services() {
        // An admin UI (adminer, pgAdmin) connects when someone logs in: starting early costs nothing.
        if image_of(ctx, service).is_some_and(|i| backing::is_admin_ui(&i)) {
            continue;
        }
        // The dependencies named in any definition, each once, at the first place that names it.
        let mut seen: Vec<&str> = Vec::new();
        for (f, def) in &service.defs {
            for dep in &def.depends_on {
                let target = dep.service.value.as_str();
                if seen.contains(&target) {
                    continue;
                }
                seen.push(target);
                let Some(other) = project.iter().find(|s| s.name == target) else {
                    continue;
                };
                let Some(kind) = image_of(ctx, other).and_then(|i| backing::of_image(&i)) else {
                    continue;
                };
                judged += 1;
                if !evidence.contains(&f.path) {
                    evidence.push(f.path.clone());
                }
                let healthy = service.defs.iter().any(|(_, d)| {
                    d.depends_on.iter().any(|x| {
                        x.service.value == target
                            && x.condition.as_deref() == Some("service_healthy")
                    })
                });
                if healthy {
                    continue;
                }
                let how = match dep.condition.as_deref() {
                    Some(c) => format!("with `condition: {c}`"),
                    None => "without a condition".to_owned(),
                };
                let probe = if other.defs.iter().any(|(_, d)| d.healthcheck.is_some()) {
                    ""
                } else {
                    " (and give it a healthcheck)"
                };
                findings.push(Finding::at(
                    &f.path,
                    dep.service.range,
                    format!(
                        "Compose service `{}` depends on the {} `{target}` {how}: it starts before `{target}` accepts connections. Use `condition: service_healthy`{probe}.",
                        service.name,
                        kind.noun(),
                    ),
                ));
            }
        }
    }
    if judged == 0 {
        if projects.projects.is_empty() {
            return super::nothing_judged(&projects);
        }
        return super::not_applicable("no service depends on a database, cache or broker");
    }
    let total = super::super::plural(
        judged,
        "dependency on a backing service",
        "dependencies on backing services",
    );
    if findings.is_empty() {
        return Outcome::pass(format!("{total}, each awaited healthy"), evidence);
    }
    let n = findings.len();
    Outcome::fail(format!("{n} of {total} not awaited healthy"), findings)
        .needing(n)
        .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use crate::Status;

    fn run(files: &[(&str, &str)]) -> (Status, Vec<String>) {
        let (status, found) = super::super::test_support::findings(super::check, files);
        let places = found
            .into_iter()
            .map(|(file, start, text)| format!("{file}:{start}:{text}"))
            .collect();
        (status, places)
    }

    #[test]
    fn short_syntax_and_service_started_wait_for_nothing() {
        let text = "services:\n  api:\n    image: app\n    depends_on:\n      - db\n      - web\n  worker:\n    image: app\n    depends_on:\n      cache:\n        condition: service_started\n  web:\n    image: nginx\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n";
        let (status, places) = run(&[("compose.yaml", text)]);
        assert_eq!(status, Status::Fail);
        assert_eq!(places, ["compose.yaml:56:db", "compose.yaml:118:cache"]);
    }

    #[test]
    fn healthy_conditions_and_built_databases() {
        let text = "services:\n  api:\n    image: app\n    depends_on:\n      db:\n        condition: service_healthy\n      queue:\n        condition: service_healthy\n  db:\n    build: ./db\n  queue:\n    image: rabbitmq:3-management\n";
        let db = "FROM postgres:16-alpine\nCOPY init.sql /docker-entrypoint-initdb.d/\n";
        let (status, places) = run(&[("compose.yaml", text), ("db/Dockerfile", db)]);
        assert_eq!((status, places), (Status::Pass, Vec::new()));
        let short = text.replace(
            "      db:\n        condition: service_healthy\n",
            "      db:\n        condition: service_started\n",
        );
        let (status, _) = run(&[("compose.yaml", &short), ("db/Dockerfile", db)]);
        assert_eq!(status, Status::Fail);
    }

    #[test]
    fn admin_uis_are_neither_backing_services_nor_judged() {
        let text = "services:\n  api:\n    image: app\n    depends_on: [ui]\n  ui:\n    image: mongo-express\n";
        assert_eq!(run(&[("compose.yaml", text)]).0, Status::NotApplicable);
        let text = "services:\n  adminer:\n    image: adminer\n    depends_on: [db]\n  db:\n    image: postgres:16\n";
        assert_eq!(run(&[("compose.yaml", text)]).0, Status::NotApplicable);
    }
}
