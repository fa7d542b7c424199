//! ## What it checks
//! That some web application in the workspace serves a health route: a FastAPI, Flask or Starlette route
//! whose full path (after router prefixes) ends in `health`, `healthz`, `ready`, `live`, `ping` and the like,
//! or whose handler is named for health, or that a `HEALTHCHECK` or compose `healthcheck:` requests (directly,
//! or through a script it runs: `HEALTHCHECK CMD python healthcheck.py` whose script requests
//! `http://localhost:8000/api/app/about` makes that route the health route, whatever its name).
//!
//! Under the `standard` profile it applies to deployable units that run a network service with a FastAPI, Flask
//! or Starlette app: a CLI, job or Lambda image, or a service in a language shipready does not read, is not judged.
//!
//! ## Why it matters
//! Load balancers, orchestrators and deploy pipelines decide whether an instance gets traffic by probing it.
//! Without a health route they either probe `/` (slow, side effects) or nothing at all.
//!
//! ## Example
//! ```python
//! app = FastAPI()
//!
//! @app.get("/users")
//! def users(): ...
//! ```
//!
//! ## Fix
//! ```python
//! @app.get("/health")
//! async def health():
//!     return {"status": "healthy"}
//! ```

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-health-route",
    category: Category::Health,
    severity: Severity::Critical,
    title: "No health route",
    impact: "Load balancers and orchestrators cannot tell a healthy instance from a broken one.",
    recommendation: "Add a /health route to each web application.",
    effort: "15 minutes",
    source: include_str!("no_health_route.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::app_gate(ctx) {
        return outcome;
    }
    let web = &ctx.index.web();
    let mut evidence: Vec<String> = web.health_routes().map(|r| r.file.clone()).collect();
    evidence.sort();
    evidence.dedup();
    let count = web.health_routes().count();
    if count > 0 {
        let details = format!(
            "{} found",
            super::super::plural(count, "health route", "health routes")
        );
        let places = web
            .health_routes()
            .map(|r| (r.file.clone(), r.route.range))
            .collect();
        return Outcome::pass(details, evidence).satisfied_by(places);
    }
    let message = "No health route: load balancers and orchestrators cannot tell whether this app is healthy. Add a /health endpoint.";
    // Without a served app, the router the health route would go on is the place to fix.
    let anchor = super::super::main_app_anchor(ctx).or_else(|| {
        let target = crate::fixes::python::target(ctx)?;
        Some((target.file.path.as_str(), target.app.range))
    });
    let fix = crate::fixes::health_endpoint::fix(ctx);
    Outcome::fail(
        "no health routes",
        vec![Finding::anchored(anchor, message).with_fix(fix)],
    )
}
