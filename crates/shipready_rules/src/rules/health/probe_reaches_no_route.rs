//! ## What it checks
//! That every health probe requests a path the application behind it serves: a Dockerfile `HEALTHCHECK` or a
//! compose `healthcheck:` that calls a local URL (`curl -f http://localhost:8000/health`, `wget --spider
//! 127.0.0.1/ping`), and an AWS CDK load balancer health check (`elbv2.HealthCheck(path=...)`,
//! `target_group.configure_health_check(path=...)`) in front of an image the unit builds. Full paths count:
//! router prefixes, blueprint `url_prefix`es and mounts are resolved, route parameters match any segment, and
//! FastAPI's own `/docs` and `/openapi.json` exist. A probe is only judged when the app it reaches is known (the
//! image's start command names a FastAPI, Flask or Starlette app of the unit) and its routes are fully known
//! (no prefix shipready cannot evaluate, nothing foreign mounted where the probe points, no library that adds
//! routes of its own such as flask-restful's `Api(app)`, no run-time prefix such as `SCRIPT_NAME` or
//! `--root-path`). When the app has exactly one health route and the probe's path only lacks part of it
//! (`/health` for `/api/health`), the quick fix inserts what is missing.
//!
//! ## Why it matters
//! A probe of a path that does not exist gets `404`: the container is marked unhealthy, or the load balancer
//! drains every task, although the application is fine. When the probe does not fail on `404` (`curl` without
//! `-f`) it checks nothing at all. Both usually come from a route renamed or moved under a prefix.
//!
//! ## Example
//! ```dockerfile
//! # the app serves /api/health (router prefix /api)
//! HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
//! ```
//!
//! ## Fix
//! ```dockerfile
//! HEALTHCHECK CMD curl -f http://localhost:8000/api/health || exit 1
//! ```

use shipready_text::TextRange;

use super::probe_routes::{self, app_for_context, reaches, Unknowns};
use super::probe_sources::probes;
use super::probe_urls::{local_urls, LocalUrl};
use crate::{Applicability, Category, Context, Edit, Finding, Fix, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "probe-reaches-no-route",
    category: Category::Health,
    severity: Severity::High,
    title: "A health probe requests a path the app does not serve",
    impact: "The probe gets 404: healthy instances are marked unhealthy and restarted or drained.",
    recommendation:
        "Point the probe at the health route the application serves, with its full path.",
    effort: "10 minutes",
    source: include_str!("probe_reaches_no_route.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if !super::applies(ctx) {
        return super::not_applicable(ctx);
    }
    let unknowns = Unknowns::of(ctx);
    let web = &ctx.index.web();
    let mut judged = Vec::new();
    let mut findings = Vec::new();
    let mut places = Vec::new();
    for probe in probes(ctx) {
        let Some(app) = app_for_context(ctx, &probe.context) else {
            continue;
        };
        for url in local_urls(probe.text) {
            if unknowns.cover(&url.path) {
                continue;
            }
            let range = TextRange::new(
                probe.text_range.start + url.range.start,
                probe.text_range.start + url.range.end,
            );
            judged.push(probe.file.to_owned());
            if reaches(web, app, &url.path) {
                places.push((probe.file.to_owned(), range));
                continue;
            }
            findings.push(finding(ctx, probe.file, &probe.what, app, &url, range));
        }
    }
    for probe in super::cdk_probes::paths(ctx) {
        let Some(app) = probe.app else { continue };
        if unknowns.cover(&probe.path) {
            continue;
        }
        judged.push(probe.file.clone());
        if reaches(web, app, &probe.path) {
            places.push((probe.file.clone(), probe.range));
            continue;
        }
        let url = LocalUrl {
            path: probe.path.clone(),
            range: probe.range,
            bare: probe.bare,
        };
        let what = "The CDK health check";
        findings.push(finding(ctx, &probe.file, what, app, &url, probe.range));
    }
    judged.sort();
    judged.dedup();
    if judged.is_empty() {
        return Outcome::not_applicable(
            "no probe of a known app",
            Finding::report_only(
                "No health probe requests a URL of an application whose routes are known.",
            ),
        );
    }
    if findings.is_empty() {
        let details = format!(
            "{} {} a route",
            super::super::plural(places.len(), "probe", "probes"),
            if places.len() == 1 {
                "reaches"
            } else {
                "reach"
            }
        );
        return Outcome::pass(details, judged).satisfied_by(places);
    }
    let details = format!(
        "{} of {} {} a path the app does not serve",
        findings.len(),
        super::super::plural(findings.len() + places.len(), "probe", "probes"),
        if findings.len() == 1 {
            "requests"
        } else {
            "request"
        }
    );
    let needed = findings.len();
    Outcome::fail(details, findings).needing(needed)
}

/// The finding on a probe's path: what the app serves instead, each health route as related information, and a
/// fix to the health route when there is exactly one.
fn finding(
    ctx: &Context,
    file: &str,
    what: &str,
    app: usize,
    url: &LocalUrl,
    range: TextRange,
) -> Finding {
    let web = &ctx.index.web();
    let health = probe_routes::health_routes(web, app);
    let app_name = web
        .apps
        .get(app)
        .map(|a| format!("`{}` in {}", a.app.var, a.file))
        .unwrap_or_default();
    let served = match health.as_slice() {
        [] => "it serves no health route".to_owned(),
        routes => format!(
            "its health {} {}",
            if routes.len() == 1 {
                "route is"
            } else {
                "routes are"
            },
            routes
                .iter()
                .map(|(p, _, _)| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let message = format!(
        "{} requests `{}`, which the app {app_name} does not serve ({served}): the probe gets 404 and marks a healthy instance unhealthy.",
        what, url.path
    );
    let mut f = Finding::at(file, range, message);
    for (path, file, route) in &health {
        f = f.with_related(file, *route, format!("health route `{path}`"));
    }
    if let [(path, _, _)] = health.as_slice() {
        let fix = if url.bare {
            // `http://localhost:8000` gets the path after it.
            let shown = ctx
                .workspace
                .file(file)
                .and_then(|file| file.text.get(range.start..range.end))
                .unwrap_or("");
            let at = range.start + shown.trim_end_matches('/').len();
            Some((at, path.clone()))
        } else {
            insertion(&url.path, path).map(|(at, text)| (range.start + at, text))
        };
        if let Some((at, text)) = fix {
            f = f.with_fix(Some(Fix {
                title: format!("Probe `{path}`"),
                applicability: Applicability::Safe,
                edits: vec![Edit::Replace {
                    file: file.to_owned(),
                    range: TextRange::new(at, at),
                    new_text: text,
                }],
            }));
        }
    }
    f
}

/// The one insertion that turns the path a probe requests into the health route (`/health` -> `/api/health`
/// inserts `/api`, `/health` -> `/healthz` inserts `z`): `(offset in the old path, inserted text)`. Fixes only
/// insert, so a probe whose path must lose text (`/ping` -> `/health`) gets no fix, only the message.
fn insertion(old: &str, new: &str) -> Option<(usize, String)> {
    if new.len() <= old.len() {
        return None;
    }
    let added = new.len() - old.len();
    let fits = |i: usize| {
        old.is_char_boundary(i)
            && new.is_char_boundary(i)
            && new.is_char_boundary(i + added)
            && new.starts_with(old.get(..i).unwrap_or("\0"))
            && new.ends_with(old.get(i..).unwrap_or("\0"))
    };
    let splits: Vec<usize> = (0..=old.len()).filter(|&i| fits(i)).collect();
    // A whole segment (`/api`) reads better than a piece of one.
    let at = splits
        .iter()
        .copied()
        .find(|&i| new.get(i..i + 1) == Some("/"))
        .or_else(|| splits.first().copied())?;
    Some((at, new.get(at..at + added)?.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::insertion;

    #[test]
    fn rewrites_that_only_insert() {
        assert_eq!(
            insertion("/health", "/api/health"),
            Some((0, "/api".to_owned()))
        );
        assert_eq!(
            insertion("/status", "/ops/status"),
            Some((0, "/ops".to_owned()))
        );
        assert_eq!(insertion("/health", "/healthz"), Some((7, "z".to_owned())));
        assert_eq!(
            insertion("/api/health", "/api/v1/health"),
            Some((4, "/v1".to_owned()))
        );
        assert_eq!(insertion("/ping", "/health"), None);
        assert_eq!(insertion("/health", "/health"), None);
    }
}
