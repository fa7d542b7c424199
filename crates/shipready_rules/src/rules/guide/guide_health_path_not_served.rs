//! ## What it checks
//! That every health URL the deployment guide's code blocks request (`curl https://api.example.com/health`,
//! `wget -qO- http://localhost:8000/healthz`: a URL whose path names a health, readiness or liveness probe)
//! reaches a route the unit's main application serves, router prefixes and mounts resolved. A URL with a
//! prefix a proxy adds in front (`https://example.com/api/health` for an app serving `/health`) counts as
//! reaching it. Not judged: units without a main application, an app with no health route yet (that gap is
//! HC001's), and paths under something whose routes shipready cannot list (a mounted app from another
//! package, a prefix written as an expression).
//!
//! ## Why it matters
//! The guide is what the person deploying follows at 2 a.m.: a health check it tells them to run that returns
//! 404 reads as a failed deployment, and a rollback follows for nothing.
//!
//! ## Example
//! ````markdown
//! ## Verify
//! ```sh
//! curl -fsS https://api.example.com/healthz
//! ```
//! ````
//! while the app serves `/health`.
//!
//! ## Fix
//! ````markdown
//! ## Verify
//! ```sh
//! curl -fsS https://api.example.com/health
//! ```
//! ````

use shipready_text::TextRange;

use super::super::health::probe_routes::{reaches, route_paths, Unknowns};
use crate::index::web::is_health_path;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "guide-health-path-not-served",
    category: Category::Guide,
    severity: Severity::Medium,
    title: "The guide checks a health path the app does not serve",
    impact: "Following the guide's health check after a deployment gets 404 and reads as a failed deployment.",
    recommendation: "Point the guide's health check at the route the application serves.",
    effort: "5 minutes",
    source: include_str!("guide_health_path_not_served.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let na = Outcome::not_applicable_because;
    let Ok((file, md)) = super::guide(ctx) else {
        return na("no deployment guide");
    };
    let web = &ctx.index.web();
    let Some(app) = web.main_app else {
        return na("no main application whose routes are known");
    };
    let served = route_paths(web, app);
    let health: Vec<&str> = served
        .iter()
        .copied()
        .filter(|p| is_health_path(p))
        .collect();
    if health.is_empty() {
        // The gap is the missing route (HC001, HC003), not the guide.
        return na("the app serves no health route yet");
    }
    let unknowns = Unknowns::of(ctx);
    let mut judged = 0;
    let mut findings = Vec::new();
    for block in &md.code_blocks {
        let Some(span) = file.text.get(block.range.start..block.range.end) else {
            continue;
        };
        for (path, range) in health_urls(span, block.range.start) {
            if unknowns.cover(&path) {
                continue;
            }
            judged += 1;
            if reaches(web, app, &path) || behind_a_prefix(&path, &served) {
                continue;
            }
            findings.push(Finding::at(
                &file.path,
                range,
                format!(
                    "The guide checks `{path}`, which the application does not serve: whoever follows it after a deployment gets 404 and takes a healthy release for a failed one. Change it to the app's health route ({}).",
                    health.join(", ")
                ),
            ));
        }
    }
    if judged == 0 {
        return na("the guide requests no health URL");
    }
    if findings.is_empty() {
        let verb = if judged == 1 { "reaches" } else { "reach" };
        let details = format!(
            "{} in the guide {verb} the app",
            super::super::plural(judged, "health URL", "health URLs")
        );
        return Outcome::pass(details, vec![file.path.clone()]);
    }
    let n = findings.len();
    let verb = if n == 1 { "reaches" } else { "reach" };
    let details = format!(
        "{} of {} in the guide {verb} no route",
        n,
        super::super::plural(judged, "health URL", "health URLs")
    );
    Outcome::fail(details, findings).needing(n)
}

/// Whether `path` is a served route's path with a prefix in front (a proxy's `/api`).
fn behind_a_prefix(path: &str, served: &[&str]) -> bool {
    let path = path.trim_end_matches('/');
    served.iter().any(|route| {
        let route = route.trim_end_matches('/');
        !route.is_empty()
            && path.strip_suffix(route).is_some_and(|front| {
                front.is_empty() || front.ends_with('/') || route.starts_with('/')
            })
    })
}

/// The health-looking URL paths in `text` (a code block starting at byte `base` of its file), each with the
/// range of its path in the file.
fn health_urls(text: &str, base: usize) -> Vec<(String, TextRange)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| t.find("://")) {
        let scheme_end = from + at + 3;
        from = scheme_end;
        let rest = text.get(scheme_end..).unwrap_or("");
        let len = rest
            .find(|c: char| c.is_whitespace() || "\"'`)>]|;,".contains(c))
            .unwrap_or(rest.len());
        let url = &rest[..len];
        let Some(slash) = url.find('/') else {
            continue;
        };
        let path_and_query = &url[slash..];
        let path_len = path_and_query
            .find(['?', '#'])
            .unwrap_or(path_and_query.len());
        let path = &path_and_query[..path_len];
        // Templated paths (`${HEALTH_PATH}`, `{{ path }}`) say nothing checkable.
        if path.contains(['$', '{', '<']) || !is_health_path(path) {
            continue;
        }
        let start = base + scheme_end + slash;
        out.push((path.to_owned(), TextRange::new(start, start + path.len())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_urls_and_their_ranges() {
        let text = "```sh\ncurl -fsS https://api.example.com/api/healthz?x=1\nwget http://localhost:8000/users\ncurl \"http://h/ready\"\n```\n";
        let got: Vec<(String, &str)> = health_urls(text, 0)
            .into_iter()
            .map(|(p, r)| (p, &text[r.start..r.end]))
            .collect();
        assert_eq!(
            got,
            [
                ("/api/healthz".to_owned(), "/api/healthz"),
                ("/ready".to_owned(), "/ready")
            ]
        );
        assert!(health_urls("curl https://${HOST}${HEALTH_PATH}", 0).is_empty());
    }

    #[test]
    fn a_proxy_prefix_in_front_of_a_served_route_counts() {
        let served = ["/health", "/api/v1/utils/health-check/"];
        assert!(behind_a_prefix("/api/health", &served));
        assert!(behind_a_prefix("/api/v1/utils/health-check/", &served));
        assert!(!behind_a_prefix("/healthz", &served));
        assert!(!behind_a_prefix("/xhealth", &served));
    }
}
