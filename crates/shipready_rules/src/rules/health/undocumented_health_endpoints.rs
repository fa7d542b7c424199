//! ## What it checks
//! That the health endpoints are documented: the deployment guide or a README names one of the health paths
//! the code serves (e.g. `/health`), or documents health checks in a section of its own.
//!
//! Under the `standard` profile it applies to deployable units that run a network service with a FastAPI, Flask
//! or Starlette app.
//!
//! ## Why it matters
//! The endpoint exists for operators and load balancers; if nobody knows its path, it is not configured in the
//! load balancer and not used during incidents.
//!
//! ## Example
//! `@app.get("/healthz")` in code, and no Markdown file that mentions `/healthz`.
//!
//! ## Fix
//! Document each health endpoint: path, what it checks, and a `curl` example.

use crate::index::guide::markdown;
use crate::rules::guide::missing_guide_health_docs::documents_health;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};
use shipready_syntax::FileKind;

pub(crate) static RULE: Rule = Rule {
    name: "undocumented-health-endpoints",
    category: Category::Health,
    severity: Severity::Low,
    title: "Health endpoints are not documented",
    impact: "Operators and load balancer configs do not use the health endpoints.",
    recommendation:
        "Document each health endpoint's path and what it checks in the deployment guide.",
    effort: "15 minutes",
    source: include_str!("undocumented_health_endpoints.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::app_gate(ctx) {
        return outcome;
    }
    let web = &ctx.index.web();
    let paths: Vec<String> = web
        .health_routes()
        .flat_map(|r| {
            r.mounts
                .iter()
                .map(|(p, _)| p.to_lowercase())
                .chain([r.route.path.to_lowercase()])
        })
        .filter(|p| p.len() > 1)
        .collect();
    let guide = ctx.index.guide().as_ref().map(|g| g.path.as_str());
    let mut documented = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Markdown) {
        let Some(md) = markdown(file) else { continue };
        let is_doc = Some(file.path.as_str()) == guide
            || file.name().to_ascii_lowercase().starts_with("readme");
        if !is_doc {
            continue;
        }
        let names_path = paths
            .iter()
            .any(|p| md.plain_text_lower.contains(p.as_str()));
        let headings: Vec<String> = md.headings.iter().map(|h| h.text.clone()).collect();
        if names_path
            || (Some(file.path.as_str()) == guide
                && documents_health(&md.plain_text_lower, &headings))
        {
            documented.push(file.path.clone());
        }
    }
    if !documented.is_empty() {
        return Outcome::pass("documented", documented);
    }
    let message = match paths.first() {
        Some(shown) => format!("Health endpoints are not documented: say in the deployment guide what {shown} checks and how to call it."),
        None => "No health endpoint is documented (and none exists yet): add one, then document its path, what it checks and how to call it.".to_owned(),
    };
    Outcome::fail(
        "not documented",
        vec![Finding::anchored(super::super::docs_anchor(ctx), message)],
    )
}
