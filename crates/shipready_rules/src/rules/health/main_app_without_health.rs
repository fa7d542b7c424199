//! ## What it checks
//! That the main application, the one the deployment starts, serves a health route. The main app is the one
//! named by the Dockerfile's `CMD`/`ENTRYPOINT` or a compose `command` (`uvicorn app.main:app`,
//! `gunicorn "app:create_app()"`), else by a `uvicorn.run(...)` runner, else the only application, else the one
//! in a conventional entry file (`main.py`, `app.py`, ...). Routes count through routers and blueprints
//! included into it, in any file, wherever the app object is passed (`init_app(app)` helpers, factories), and
//! through sub-applications mounted into it (`app.mount("/ops", ops_app)`, `DispatcherMiddleware`), with the
//! mount's prefix. A route that the image's `HEALTHCHECK` or the compose `healthcheck:` requests, directly or
//! through a script it runs, is a health route whatever its name.
//!
//! Under the `standard` profile it applies to deployable units that run a network service with a FastAPI, Flask
//! or Starlette app.
//!
//! ## Why it matters
//! A health route on a side service does not tell the load balancer in front of the main app anything.
//!
//! ## Example
//! `CMD ["uvicorn", "app.main:app"]` while only `admin/app.py` has `/health`.
//!
//! ## Fix
//! Add a health route to the main application (directly, or to a router it includes).

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "main-app-without-health",
    category: Category::Health,
    severity: Severity::High,
    title: "The main application has no health endpoint",
    impact: "The load balancer in front of the main application cannot detect a broken instance.",
    recommendation: "Add a /health route to the application the Dockerfile or compose file starts.",
    effort: "15 minutes",
    source: include_str!("main_app_without_health.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::app_gate(ctx) {
        return outcome;
    }
    let web = &ctx.index.web();
    let Some(main) = web.main_app else {
        let message = "No web application found, so the main application has no health endpoint.";
        return Outcome::fail(
            "no main application",
            vec![Finding::anchored(
                super::super::main_dockerfile_anchor(ctx),
                message,
            )],
        );
    };
    let Some(app) = web.apps.get(main) else {
        return Outcome::fail("no main application", Vec::new());
    };
    let health: Vec<_> = web.health_routes().filter(|r| r.served_by(main)).collect();
    if let Some(route) = health.first() {
        // The path the main app serves it at (a mounted sub-app's route has the mount prefix in front).
        let path = route
            .mounts
            .iter()
            .find(|(_, a)| *a == Some(main))
            .map(|(p, _)| p.clone())
            .unwrap_or_else(|| crate::index::web::WebIndex::display_path(route).to_owned());
        let details = format!(
            "main app `{}` in {} serves {path} ({})",
            app.app.var, app.file, web.main_reason
        );
        let places = health
            .iter()
            .map(|r| (r.file.clone(), r.route.range))
            .collect();
        return Outcome::pass(details, vec![app.file.clone(), route.file.clone()])
            .satisfied_by(places);
    }
    let message = format!(
        "The main application `{}` ({}) has no health endpoint: the load balancer in front of it cannot detect a broken instance.",
        app.app.var, web.main_reason
    );
    Outcome::fail(
        "main app has no health endpoint",
        vec![Finding::at(&app.file, app.app.range, message)
            .with_fix(crate::fixes::health_endpoint::fix(ctx))],
    )
}
