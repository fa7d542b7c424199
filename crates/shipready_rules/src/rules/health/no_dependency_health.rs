//! ## What it checks
//! That some health endpoint checks the service's dependencies: its handler touches the database (SQLAlchemy
//! engine or session, asyncpg, Mongo), the cache (Redis) or a downstream HTTP service (httpx, requests,
//! aiohttp). The seed calls this the unified health endpoint.
//!
//! Under the `standard` profile it applies to deployable units that run a network service with a FastAPI, Flask
//! or Starlette app that talks to a database, cache or client: an app with no dependency has nothing to check.
//!
//! ## Why it matters
//! A process that answers `{"status": "ok"}` while its database is unreachable is not healthy; a readiness
//! probe that checks dependencies keeps traffic away from it.
//!
//! ## Example
//! ```python
//! @app.get("/health")
//! def health():
//!     return {"status": "ok"}
//! ```
//!
//! ## Fix
//! Add a readiness endpoint that runs `SELECT 1`, pings Redis and calls the downstream health endpoints, and
//! returns 503 when any fails.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};
use shipready_syntax::FileKind;

pub(crate) static RULE: Rule = Rule {
    name: "no-dependency-health",
    category: Category::Health,
    severity: Severity::Medium,
    title: "No health endpoint checks the service's dependencies",
    impact: "Instances whose database or cache is down keep receiving traffic.",
    recommendation:
        "Add a readiness endpoint that checks the database, cache and downstream services.",
    effort: "1-2 hours",
    source: include_str!("no_dependency_health.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::app_gate(ctx) {
        return outcome;
    }
    let talks_to_dependencies = ctx
        .workspace
        .of_kind(FileKind::Python)
        .any(|f| match &f.facts {
            shipready_syntax::FileFacts::Python(py) => {
                !py.web.dependencies.is_empty()
                    || py.imports.iter().any(|i| is_client_module(&i.module))
            }
            _ => false,
        });
    if ctx.profile == crate::Profile::Standard && !talks_to_dependencies {
        return Outcome::not_applicable(
            "no dependencies to check",
            Finding::report_only("The app talks to no database, cache or downstream client, so there is nothing for a readiness endpoint to check."),
        );
    }
    let web = &ctx.index.web();
    if let Some(route) = web.health_routes().find(|r| !r.route.touches.is_empty()) {
        let path = crate::index::web::WebIndex::display_path(route);
        return Outcome::pass(
            format!("includes unified health endpoint {path}"),
            vec![route.file.clone()],
        )
        .satisfied_by(vec![(route.file.clone(), route.route.range)]);
    }
    let anchor = web
        .health_routes()
        .find(|r| web.main_app.is_some_and(|m| r.served_by(m)))
        .or_else(|| web.health_routes().next())
        .map(|r| (r.file.as_str(), r.route.range))
        .or_else(|| super::super::main_app_anchor(ctx));
    let message = "No health endpoint checks the service's dependencies: an instance whose database or cache is down still reports healthy.";
    Outcome::fail(
        "no unified health endpoint",
        vec![
            Finding::anchored(anchor, message).with_fix(crate::fixes::readiness_endpoint::fix(ctx))
        ],
    )
}

/// Whether `module` (`sqlalchemy.ext.asyncio`) is a database, cache or broker client library: an app that
/// imports one has a dependency to check, even when it builds the client lazily inside a function.
fn is_client_module(module: &str) -> bool {
    const CLIENTS: &[&str] = &[
        "sqlalchemy",
        "sqlmodel",
        "asyncpg",
        "psycopg",
        "psycopg2",
        "pymongo",
        "motor",
        "redis",
        "aioredis",
        "tortoise",
        "databases",
        "peewee",
        "pymysql",
        "aiomysql",
        "elasticsearch",
        "opensearchpy",
        "aiokafka",
        "kafka",
        "pika",
        "aio_pika",
    ];
    let top = module.split('.').next().unwrap_or(module);
    CLIENTS.contains(&top)
}

#[cfg(test)]
mod tests {
    use crate::{audit, Profile, Status, Workspace};

    fn status(files: &[(&str, &str)]) -> Status {
        let a = audit(
            &Workspace::from_texts(files.iter().copied()),
            Profile::Standard,
        );
        a.checks
            .iter()
            .find(|c| c.code == "HC004")
            .map(|c| c.status)
            .unwrap_or(Status::NotApplicable)
    }

    const APP: &str = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n";

    #[test]
    fn an_app_without_dependencies_has_nothing_to_check() {
        assert_eq!(status(&[("main.py", APP)]), Status::NotApplicable);
    }

    #[test]
    fn a_client_built_lazily_inside_a_function_is_still_a_dependency() {
        let db = "from functools import lru_cache\nfrom sqlalchemy.ext.asyncio import create_async_engine\n\n@lru_cache\ndef get_engine():\n    return create_async_engine(URL)\n";
        assert_eq!(
            status(&[("main.py", APP), ("db/session.py", db)]),
            Status::Fail
        );
    }
}
