//! What a probe can reach: the application an image built from a given folder runs, whether that app's routes
//! are fully known, whether a requested path reaches one of them, and the local URLs a probe's text requests
//! with the exact range of each path. Shared by HC006 (a probe that reaches no route) and HC007 (a target group
//! left on `/`).

use shipready_syntax::python::web::{AppKind, Framework};
use shipready_syntax::FileFacts;
use shipready_syntax::FileKind;
use shipready_text::TextRange;

use crate::index::modules;
use crate::index::web::{self, WebIndex};
use crate::Context;

/// The served app (index into `web.apps`) that the image built from the folder `dir` runs: the one its start
/// commands name when they all name the same one, else the unit's main app when it was started from `dir`.
/// `None` when nothing names one, or the commands disagree (a worker and a web process from one context).
pub(crate) fn app_for_context(ctx: &Context, dir: &str) -> Option<usize> {
    let web = &ctx.index.web();
    let mut found: Option<usize> = None;
    for (from, target) in ctx.index.docker().starts.iter().filter(|(f, _)| f == dir) {
        let Some(app) = resolve_start(ctx, from, target) else {
            continue;
        };
        match found {
            Some(other) if other != app => return None,
            _ => found = Some(app),
        }
    }
    found.or_else(|| {
        web.main_app
            .filter(|_| web.main_start_dir.as_deref() == Some(dir))
    })
}

/// The served app a `module:var` start target names, seen from folder `from`.
fn resolve_start(ctx: &Context, from: &str, target: &str) -> Option<usize> {
    let web = &ctx.index.web();
    let (module, var) = target.split_once(':').unwrap_or((target, "app"));
    let var = var.trim_end_matches("()");
    let near = if from.is_empty() {
        "x.py".to_owned()
    } else {
        format!("{from}/x.py")
    };
    let file = modules::resolve(ctx.workspace, &near, module, 0)?;
    let named = web
        .apps
        .iter()
        .position(|a| a.file == file && a.app.var == var && a.app.kind == AppKind::App);
    named.or_else(|| {
        let mut declared = web.served_apps().filter(|(_, a)| a.file == file);
        let first = declared.next().map(|(n, _)| n);
        // Two apps in one file and no variable that names either: which one runs is a guess.
        match declared.next() {
            Some(_) => None,
            None => first,
        }
    })
}

/// Library entry points that register routes on the app they are given, which the route index cannot see.
const ROUTE_ADDING: &[&str] = &[
    "Api",
    "HealthCheck",
    "EnvironmentDump",
    "PrometheusMetrics",
    "GunicornPrometheusMetrics",
    "Healthz",
    "Swagger",
    "Admin",
    "GraphQLApp",
    "expose",
    "make_asgi_app",
];

/// Why the routes of a unit cannot all be known, when they cannot: a prefix or path written as an expression
/// shipready cannot evaluate, or something mounted that is not a router or app of the workspace (its paths
/// are then unknown, under its prefix when that is known, anywhere otherwise).
#[derive(Clone, Debug, Default)]
pub(crate) struct Unknowns {
    /// Everything is unknown: an unresolved prefix or path somewhere.
    pub everywhere: bool,
    /// Prefixes under which something unknown is mounted.
    pub under: Vec<String>,
}

impl Unknowns {
    /// The unit's unknowns, worked out once per audit (three rules ask; each answer walks every route and
    /// include of the unit's Python files).
    pub(crate) fn of<'a>(ctx: &'a Context) -> &'a Unknowns {
        ctx.index.unknowns.get_or_init(|| Unknowns::compute(ctx))
    }

    fn compute(ctx: &Context) -> Unknowns {
        let web = &ctx.index.web();
        let mut out = Unknowns::default();
        if web
            .apps
            .iter()
            .any(|a| a.app.prefix.is_none() && a.app.prefix_expr.is_some())
        {
            out.everywhere = true;
        }
        if web.routes.iter().any(|r| {
            r.route
                .path_expr
                .as_deref()
                .is_some_and(|e| e == r.route.path || !r.route.path.starts_with('/'))
        }) {
            out.everywhere = true;
        }
        for file in ctx.workspace.of_kind(FileKind::Python) {
            let FileFacts::Python(py) = &file.facts else {
                continue;
            };
            // An app handed to a library that adds routes of its own (`Api(app)` then `api.add_resource(...)`,
            // `HealthCheck(app, "/hc")`, `PrometheusMetrics(app)`): those routes are not in the index.
            let adds_routes = py.web.app_passes.iter().any(|pass| {
                let callee = pass.callee.rsplit('.').next().unwrap_or(&pass.callee);
                ROUTE_ADDING.contains(&callee)
            });
            if adds_routes {
                out.everywhere = true;
            }
            for inc in &py.web.includes {
                let prefix = inc.prefix.clone().or_else(|| {
                    web::strings::resolve(ctx.workspace, &file.path, inc.prefix_expr.as_deref()?)
                });
                if prefix.is_none() && inc.prefix_expr.is_some() {
                    out.everywhere = true;
                    continue;
                }
                // `router`, `users.router`, or `ops_router` imported as `from .ops import router as ops_router`.
                let child = inc.child.rsplit('.').next().unwrap_or(&inc.child);
                let original = py
                    .imports
                    .iter()
                    .find(|i| i.local == child)
                    .and_then(|i| i.name.as_deref())
                    .unwrap_or(child);
                let known = !inc.child.contains('(')
                    && web
                        .apps
                        .iter()
                        .any(|a| a.app.var == child || a.app.var == original);
                if !known {
                    out.under.push(prefix.unwrap_or_default());
                }
            }
        }
        out
    }

    /// Whether a request for `path` may reach something whose routes are unknown.
    pub(crate) fn cover(&self, path: &str) -> bool {
        self.everywhere
            || self
                .under
                .iter()
                .any(|p| p.trim_matches('/').is_empty() || under_prefix(path, p))
    }
}

fn segments(p: &str) -> Vec<&str> {
    p.split('/').filter(|s| !s.is_empty()).collect()
}

fn under_prefix(path: &str, prefix: &str) -> bool {
    let (path, prefix) = (segments(path), segments(prefix));
    path.len() >= prefix.len() && path.iter().zip(&prefix).all(|(a, b)| a == b)
}

/// Whether a request for `path` reaches a route of `app`: a route's full path with the same segments (a
/// trailing `/` is redirected by the frameworks), a parameter matching one segment and a path parameter
/// (`{p:path}`, `<path:p>`) the rest; FastAPI's own documentation routes and Flask's `/static` count.
pub(crate) fn reaches(web: &WebIndex, app: usize, path: &str) -> bool {
    let framework = web.apps.get(app).map(|a| a.app.framework);
    let wanted = segments(path);
    let builtin = match framework {
        Some(Framework::FastApi) => {
            matches!(
                wanted.as_slice(),
                ["docs"] | ["redoc"] | ["openapi.json"] | ["docs", "oauth2-redirect"]
            )
        }
        Some(Framework::Flask) => wanted.first() == Some(&"static"),
        _ => false,
    };
    builtin
        || route_paths(web, app)
            .iter()
            .any(|route| path_matches(route, &wanted))
}

/// Every full path `app` serves.
pub(crate) fn route_paths(web: &WebIndex, app: usize) -> Vec<&str> {
    web.routes
        .iter()
        .flat_map(|r| r.mounts.iter())
        .filter(|(_, a)| *a == Some(app))
        .map(|(p, _)| p.as_str())
        .collect()
}

/// The full paths of `app`'s health routes, with the place of each route, sorted and deduplicated by path.
pub(crate) fn health_routes(web: &WebIndex, app: usize) -> Vec<(String, String, TextRange)> {
    let mut out: Vec<(String, String, TextRange)> = web
        .health_routes()
        .flat_map(|r| {
            r.mounts
                .iter()
                .filter(|(_, a)| *a == Some(app))
                .map(move |(p, _)| (p.clone(), r.file.clone(), r.route.range))
        })
        .filter(|(p, _, _)| web::is_health_path(p))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn path_matches(route: &str, wanted: &[&str]) -> bool {
    let route = segments(route);
    for (i, r) in route.iter().enumerate() {
        let is_rest = (r.starts_with('{') && r.ends_with(":path}")) || r.starts_with("<path:");
        if is_rest {
            return wanted.len() > i;
        }
        let Some(w) = wanted.get(i) else {
            return false;
        };
        let param =
            (r.starts_with('{') && r.ends_with('}')) || (r.starts_with('<') && r.ends_with('>'));
        if !param && r != w {
            return false;
        }
    }
    route.len() == wanted.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_catch_alls_match() {
        assert!(path_matches("/api/{v}/health", &["api", "v1", "health"]));
        assert!(path_matches("/files/{p:path}", &["files", "a", "b"]));
        assert!(path_matches("/<path:p>", &["x"]));
        assert!(!path_matches("/health", &["healthz"]));
        assert!(!path_matches("/health", &[]));
        assert!(path_matches("/", &[]));
        assert!(under_prefix("/static/x", "/static"));
        assert!(!under_prefix("/staticx", "/static"));
    }
}
