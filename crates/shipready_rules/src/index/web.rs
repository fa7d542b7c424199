//! The workspace's web routes with their full paths: router prefixes, `include_router` and
//! `register_blueprint` calls are followed across files through imports, and the main application (the one
//! the Dockerfile, compose file or a runner starts) is found. Prefixes and paths written as expressions
//! (`prefix=settings.API_V1_STR`) are evaluated through the workspace's string constants ([`strings`]). An app
//! mounted into another (`app.mount("/ops", ops_app)`, `DispatcherMiddleware`) serves its routes for both, and
//! the app object is followed into helpers and factories ([`flow`]). A route a health probe requests is a health
//! route whatever its name ([`probes`]).

mod flow;
pub(crate) mod probes;
pub(crate) mod strings;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_flow;

use std::collections::HashMap;
use std::sync::Arc;

use shipready_syntax::python::web::{AppKind, Framework, Route, WebApp};
use shipready_syntax::python::{
    displacement_between, route_changes, Displacement, PythonFacts, RouteChanges,
};
use shipready_syntax::FileFacts;
use shipready_text::TextRange;

use super::modules;
use crate::Workspace;

/// An app, router or blueprint and the file that declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct AppNode {
    pub file: String,
    pub app: WebApp,
}

/// A route with every full path it is served at.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedRoute {
    pub file: String,
    pub route: Route,
    /// `(full path, index of the served app)`; the app is `None` when the router is never mounted.
    pub mounts: Vec<(String, Option<usize>)>,
    /// A `HEALTHCHECK` or compose `healthcheck:` requests one of its full paths (directly or through a script).
    pub probed: bool,
    /// Its path, a full path or its handler's name says it is a health route: decided once when the route is
    /// resolved, since rules ask it of every route many times per audit.
    named_health: bool,
}

impl ResolvedRoute {
    /// A route resolved to its full paths.
    pub fn new(
        file: String,
        route: Route,
        mounts: Vec<(String, Option<usize>)>,
        probed: bool,
    ) -> Self {
        let named_health = mounts.iter().any(|(p, _)| is_health_path(p))
            || is_health_path(&route.path)
            || route.handler.as_deref().is_some_and(|h| {
                h.as_bytes()
                    .windows(6)
                    .any(|w| w.eq_ignore_ascii_case(b"health"))
            });
        ResolvedRoute {
            file,
            route,
            mounts,
            probed,
            named_health,
        }
    }

    pub fn is_health(&self) -> bool {
        self.probed || self.named_health
    }

    pub fn served_by(&self, app: usize) -> bool {
        self.mounts.iter().any(|(_, a)| *a == Some(app))
    }
}

#[derive(Clone, Debug, Default)]
pub struct WebIndex {
    /// Shared with the unit's routing memo (see [`RoutingMemo`]): a keystroke outside the unit's Python files
    /// reuses the table instead of resolving every route again.
    pub apps: Arc<Vec<AppNode>>,
    /// Shared like `apps`; written copy-on-write (`Arc::make_mut`) by the rare setting that marks routes. Each
    /// route is shared too: a table moved past an edit shares the routes the edit did not move.
    pub routes: Arc<Vec<Arc<ResolvedRoute>>>,
    /// Index into `apps` of the application the deployment starts.
    pub main_app: Option<usize>,
    /// How the main app was chosen, for the report.
    pub main_reason: String,
    /// The folder of the start command that named the main app (a Dockerfile's, a compose build context, a
    /// runner's file), when a start named it: the service built there runs it.
    pub main_start_dir: Option<String>,
}

/// The same routes: each the very same `Arc` (a table moved past an edit shares the routes before it) or an
/// equal route. A route that moved differs in its offsets, so a moved table differs at its first moved route.
fn same_routes(a: &[Arc<ResolvedRoute>], b: &[Arc<ResolvedRoute>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y) || x == y)
}

/// Equal tables: the same shared lists (compared by address first: a table the memo kept is not walked) and
/// the same main app.
impl PartialEq for WebIndex {
    fn eq(&self, other: &WebIndex) -> bool {
        (Arc::ptr_eq(&self.apps, &other.apps) || self.apps == other.apps)
            && (Arc::ptr_eq(&self.routes, &other.routes)
                || same_routes(&self.routes, &other.routes))
            && self.main_app == other.main_app
            && self.main_reason == other.main_reason
            && self.main_start_dir == other.main_start_dir
    }
}

impl WebIndex {
    pub fn health_routes(&self) -> impl Iterator<Item = &ResolvedRoute> {
        self.routes
            .iter()
            .map(Arc::as_ref)
            .filter(|r| r.is_health())
    }

    /// Served applications (not routers or blueprints).
    pub fn served_apps(&self) -> impl Iterator<Item = (usize, &AppNode)> {
        self.apps
            .iter()
            .enumerate()
            .filter(|(_, a)| a.app.kind == AppKind::App)
    }

    /// The first full path of a route, the one shown to users.
    pub fn display_path(route: &ResolvedRoute) -> &str {
        route
            .mounts
            .first()
            .map_or(route.route.path.as_str(), |(p, _)| p.as_str())
    }
}

/// Path segments that name a liveness, readiness or health probe.
pub fn is_health_path(path: &str) -> bool {
    const NAMES: &[&str] = &[
        "health",
        "healthz",
        "healthcheck",
        "health-check",
        "health_check",
        "healthy",
        "ready",
        "readyz",
        "readiness",
        "live",
        "livez",
        "liveness",
        "ping",
        "heartbeat",
        "status",
    ];
    // Compared without allocating: this runs for every route of every audit (thousands in a large app).
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(last))
        || path.split('/').any(|s| {
            ["health", "healthz", "healthcheck"]
                .iter()
                .any(|n| n.eq_ignore_ascii_case(s))
        })
}

/// Join URL prefixes the way the frameworks do: exactly one `/` between parts, no trailing `/` added.
pub fn join_path(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if path.is_empty() {
        return if prefix.is_empty() {
            "/".to_owned()
        } else {
            prefix.to_owned()
        };
    }
    let path = path.trim_start_matches('/');
    format!("{prefix}/{path}")
}

fn python(f: &FileFacts) -> Option<&PythonFacts> {
    match f {
        FileFacts::Python(p) => Some(p),
        _ => None,
    }
}

/// The part of the route table that depends only on the unit's Python files and the paths its health probes
/// request: the apps, the routes with their full paths, and the include edges between apps.
#[derive(Debug, Default)]
pub(crate) struct Routing {
    apps: Arc<Vec<AppNode>>,
    routes: Arc<Vec<Arc<ResolvedRoute>>>,
    by_key: HashMap<(String, String), usize>,
    parents: HashMap<usize, Vec<(usize, Option<String>)>>,
}

/// A unit's last [`Routing`] and what it was computed from. A keystroke in a unit's Dockerfile or guide
/// re-audits the unit; its Python files are the same (the same `Arc`s, kept alive here so that their addresses
/// cannot be reused; see [`RoutingMemo::moves`]) and so, usually, are the probed paths, and then the routing is reused. In a unit with a
/// 2,000-route app this is most of the audit.
#[derive(Debug)]
pub(crate) struct RoutingMemo {
    python: Vec<Arc<crate::SourceFile>>,
    probed: Vec<String>,
    routing: Arc<Routing>,
}

/// How a Python file of the unit changed since the memo's routing was built.
#[derive(Debug)]
enum Change {
    /// Its facts only moved.
    Moved(Displacement),
    /// Its routes changed and its other facts only moved: the routes that did not change keep their resolution.
    Routes(RouteChanges),
}

impl Change {
    /// How the file's facts other than routes moved.
    fn rest(&self) -> &Displacement {
        match self {
            Change::Moved(d) => d,
            Change::Routes(r) => &r.rest,
        }
    }
}

impl RoutingMemo {
    /// Whether the memo serves the unit's Python files `now` and probed paths: `None` when the routing must be
    /// built again, else the files that changed, with how (empty when nothing changed).
    ///
    /// The route table reads nothing of a Python file but its path and facts. A newer text of a file can keep
    /// the very same facts (`Arc`: an open buffer edited after its last fact), facts that are the old ones
    /// moved past an edit and otherwise equal (an edit in a name or string no fact was read from; see
    /// `PythonDocument`), or facts whose routes changed while the rest only moved (a route's path typed): the
    /// routing is then the old one with those files' ranges moved and their changed routes resolved again.
    fn moves(
        &self,
        now: &[&Arc<crate::SourceFile>],
        probed: &[String],
    ) -> Option<Vec<(String, Change)>> {
        if self.probed != probed || self.python.len() != now.len() {
            return None;
        }
        let mut moves = Vec::new();
        for (kept, now) in self.python.iter().zip(now) {
            if Arc::ptr_eq(kept, now) {
                continue;
            }
            let (Some(a), Some(b)) = (python(&kept.facts), python(&now.facts)) else {
                return None;
            };
            if kept.path != now.path {
                return None;
            }
            if !std::ptr::eq(a, b) {
                let change = match displacement_between(a, b) {
                    Some(d) => Change::Moved(d),
                    None => Change::Routes(route_changes(a, b)?),
                };
                moves.push((now.path.clone(), change));
            }
        }
        Some(moves)
    }
}

impl Routing {
    /// This routing with the files in `changes` changed (see [`RoutingMemo::moves`]): their apps and unchanged
    /// routes moved, their changed routes resolved again in `ws`. `None` when the old table does not hold a
    /// changed file's routes where its facts say (the routing is then built again).
    fn moved(
        &self,
        ws: &Workspace,
        probed: &[String],
        changes: &[(String, Change)],
    ) -> Option<Routing> {
        // A changed file whose routes the old table did not hold (it had none) has no place in it.
        let placed = |file: &str| self.routes.iter().any(|r| r.file == file);
        if changes
            .iter()
            .any(|(f, c)| matches!(c, Change::Routes(_)) && !placed(f))
        {
            return None;
        }
        let by = |file: &str| changes.iter().find(|(f, _)| f == file).map(|(_, c)| c);
        let mut apps = Vec::clone(&self.apps);
        for node in &mut apps {
            if let Some(change) = by(&node.file) {
                node.app.range = change.rest().range(node.app.range);
            }
        }
        let mut routes = Vec::with_capacity(self.routes.len());
        let mut at = 0;
        while let Some(first) = self.routes.get(at) {
            let block = self.routes[at..]
                .iter()
                .take_while(|r| r.file == first.file)
                .count();
            let old = &self.routes[at..at + block];
            at += block;
            match by(&first.file) {
                None => routes.extend_from_slice(old),
                Some(Change::Moved(d)) => routes.extend(old.iter().map(|resolved| {
                    let range = d.range(resolved.route.range);
                    let handler_range = resolved.route.handler_range.map(|r| d.range(r));
                    with_ranges(resolved, range, handler_range)
                })),
                Some(Change::Routes(changed)) => {
                    let py = ws.file(&first.file).and_then(|f| python(&f.facts))?;
                    for (route, kept) in py.web.routes.iter().zip(&changed.kept) {
                        routes.push(match kept {
                            // The same route, moved or not: its resolution with the new offsets.
                            Some(i) => with_ranges(old.get(*i)?, route.range, route.handler_range),
                            None => Arc::new(resolve_route(
                                ws,
                                (&apps, &self.by_key, &self.parents),
                                probed,
                                &first.file,
                                py,
                                route,
                            )),
                        });
                    }
                }
            }
        }
        Some(Routing {
            apps: Arc::new(apps),
            routes: Arc::new(routes),
            by_key: self.by_key.clone(),
            parents: self.parents.clone(),
        })
    }
}

/// `resolved` with its route's offsets set to `range` and `handler_range`: the very same route when they did not
/// move.
fn with_ranges(
    resolved: &Arc<ResolvedRoute>,
    range: TextRange,
    handler_range: Option<TextRange>,
) -> Arc<ResolvedRoute> {
    if resolved.route.range == range && resolved.route.handler_range == handler_range {
        return Arc::clone(resolved);
    }
    let mut moved = ResolvedRoute::clone(resolved);
    moved.route.range = range;
    moved.route.handler_range = handler_range;
    Arc::new(moved)
}

/// Build the route table. `starts` are the `module:var` targets the deployment runs (from Dockerfiles,
/// compose commands and runners), each with the path of the file that names it.
pub fn build(ws: &Workspace, starts: &[(String, String)]) -> WebIndex {
    let probed = probes::probed_paths(ws);
    let routing = match ws.unit_memo() {
        Some(slot) => {
            let python: Vec<&Arc<crate::SourceFile>> = ws
                .files()
                .iter()
                .filter(|f| python(&f.facts).is_some())
                .collect();
            let mut memo = slot.routing.lock().unwrap_or_else(|p| p.into_inner());
            let moved = memo.as_ref().and_then(|m| {
                let moves = m.moves(&python, &probed)?;
                if moves.is_empty() {
                    return Some(Arc::clone(&m.routing));
                }
                m.routing.moved(ws, &probed, &moves).map(Arc::new)
            });
            match (memo.as_mut(), moved) {
                (Some(m), Some(routing)) => {
                    if !Arc::ptr_eq(&m.routing, &routing) {
                        m.routing = Arc::clone(&routing);
                        m.python = python.into_iter().cloned().collect();
                    }
                    routing
                }
                _ => {
                    let routing = Arc::new(routing_of(ws, &probed));
                    *memo = Some(RoutingMemo {
                        python: python.into_iter().cloned().collect(),
                        probed,
                        routing: Arc::clone(&routing),
                    });
                    routing
                }
            }
        }
        None => Arc::new(routing_of(ws, &probed)),
    };
    let mut index = WebIndex {
        apps: Arc::clone(&routing.apps),
        routes: Arc::clone(&routing.routes),
        ..WebIndex::default()
    };
    let (main, reason, start_dir) = main_app(ws, &index, &routing.by_key, &routing.parents, starts);
    index.main_app = main;
    index.main_reason = reason;
    index.main_start_dir = start_dir;
    index
}

#[cfg(test)]
thread_local! {
    /// How many times this thread built a routing, for the memo's tests.
    static ROUTING_BUILDS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Resolve every app and route of the workspace's Python files; `probed_paths` marks the routes probes request.
fn routing_of(ws: &Workspace, probed_paths: &[String]) -> Routing {
    #[cfg(test)]
    ROUTING_BUILDS.with(|n| n.set(n.get() + 1));
    let mut apps: Vec<AppNode> = Vec::new();
    let mut routes: Vec<Arc<ResolvedRoute>> = Vec::new();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    for file in ws.files() {
        let Some(py) = python(&file.facts) else {
            continue;
        };
        for app in &py.web.apps {
            by_key
                .entry((file.path.clone(), app.var.clone()))
                .or_insert_with(|| {
                    let mut app = app.clone();
                    if let (None, Some(expr)) = (&app.prefix, &app.prefix_expr) {
                        app.prefix = strings::resolve(ws, &file.path, expr);
                    }
                    apps.push(AppNode {
                        file: file.path.clone(),
                        app,
                    });
                    apps.len() - 1
                });
        }
    }
    // Instances of app subclasses imported from another file (`from web.base import WebApp`).
    for file in ws.files() {
        let Some(py) = python(&file.facts) else {
            continue;
        };
        for instance in &py.web.class_instances {
            let Some(app) = flow::class_app(ws, &file.path, py, instance) else {
                continue;
            };
            by_key
                .entry((file.path.clone(), app.var.clone()))
                .or_insert_with(|| {
                    apps.push(AppNode {
                        file: file.path.clone(),
                        app,
                    });
                    apps.len() - 1
                });
        }
    }
    // Edges child -> (parent, include prefix).
    let mut parents: HashMap<usize, Vec<(usize, Option<String>)>> = HashMap::new();
    for file in ws.files() {
        let Some(py) = python(&file.facts) else {
            continue;
        };
        for inc in &py.web.includes {
            let prefix = inc.prefix.clone().or_else(|| {
                let expr = inc.prefix_expr.as_deref()?;
                strings::resolve(ws, &file.path, expr)
            });
            let parent_nodes = flow::owners(ws, &by_key, &file.path, py, &inc.parent, inc.range);
            let child_nodes = flow::owners(ws, &by_key, &file.path, py, &inc.child, inc.range);
            for &parent in &parent_nodes {
                for &child in child_nodes.iter().filter(|&&c| c != parent) {
                    parents
                        .entry(child)
                        .or_default()
                        .push((parent, prefix.clone()));
                }
            }
        }
    }
    for file in ws.files() {
        let Some(py) = python(&file.facts) else {
            continue;
        };
        for route in &py.web.routes {
            routes.push(Arc::new(resolve_route(
                ws,
                (&apps, &by_key, &parents),
                probed_paths,
                &file.path,
                py,
                route,
            )));
        }
    }
    Routing {
        apps: Arc::new(apps),
        routes: Arc::new(routes),
        by_key,
        parents,
    }
}

/// The apps, the apps by `(file, variable)`, and the include edges `child -> (parent, prefix)`: what a route is
/// resolved against.
type Graph<'a> = (
    &'a [AppNode],
    &'a HashMap<(String, String), usize>,
    &'a HashMap<usize, Vec<(usize, Option<String>)>>,
);

/// `route` of `file` with its path evaluated and every full path it is served at.
fn resolve_route(
    ws: &Workspace,
    (apps, by_key, parents): Graph,
    probed_paths: &[String],
    file: &str,
    py: &PythonFacts,
    route: &Route,
) -> ResolvedRoute {
    let mut route = route.clone();
    if let Some(path) = route
        .path_expr
        .as_deref()
        .and_then(|expr| strings::resolve(ws, file, expr))
    {
        route.path = path;
    }
    let owners = flow::owners(ws, by_key, file, py, &route.owner, route.range);
    let mut mounts = Vec::new();
    for node in owners {
        chains(
            apps,
            parents,
            node,
            &route.path,
            &mut Vec::new(),
            &mut mounts,
        );
    }
    if mounts.is_empty() {
        mounts.push((join_path("", &route.path), None));
    }
    let probed = mounts
        .iter()
        .any(|(p, _)| probed_paths.iter().any(|q| probes::path_matches(p, q)));
    ResolvedRoute::new(file.to_owned(), route, mounts, probed)
}

/// Every `(full path, root app)` of `path` registered on `node`, walking include edges up to served apps; an app
/// mounted into another serves the path itself and, under the mount's prefix, for the app it is mounted into.
fn chains(
    apps: &[AppNode],
    parents: &HashMap<usize, Vec<(usize, Option<String>)>>,
    node: usize,
    path: &str,
    seen: &mut Vec<usize>,
    out: &mut Vec<(String, Option<usize>)>,
) {
    if seen.contains(&node) || seen.len() > 16 {
        return;
    }
    let Some(app) = apps.get(node) else { return };
    let edges = parents.get(&node).map(Vec::as_slice).unwrap_or(&[]);
    let own = app.app.prefix.as_deref().unwrap_or("");
    if app.app.kind == AppKind::App || edges.is_empty() {
        let root = (app.app.kind == AppKind::App).then_some(node);
        out.push((join_path(own, path), root));
    }
    seen.push(node);
    for (parent, include_prefix) in edges {
        // Flask's `register_blueprint(url_prefix=...)` replaces the blueprint's own prefix; FastAPI's
        // `include_router(prefix=...)` goes in front of the router's.
        let local = match (app.app.framework, include_prefix) {
            (Framework::Flask, Some(p)) => join_path(p, path),
            (_, Some(p)) => join_path(p, &join_path(own, path)),
            (_, None) => join_path(own, path),
        };
        chains(apps, parents, *parent, &local, seen, out);
    }
    seen.pop();
}

/// The served app declared in a module that `file` imports a name from, when `file` declares none itself.
fn imported_factory_app<'i>(
    ws: &Workspace,
    index: &'i WebIndex,
    file: &str,
) -> Option<(usize, &'i AppNode)> {
    let py = ws.file(file).and_then(|f| python(&f.facts))?;
    py.imports
        .iter()
        .filter(|i| i.name.is_some())
        .filter_map(|i| modules::resolve(ws, file, &i.module, i.level))
        .find_map(|target| index.served_apps().find(|(_, a)| a.file == target))
}

/// The main application: the one a start command names, else the only served app, else the one in the
/// conventional entry file closest to the root.
fn main_app(
    ws: &Workspace,
    index: &WebIndex,
    by_key: &HashMap<(String, String), usize>,
    parents: &HashMap<usize, Vec<(usize, Option<String>)>>,
    starts: &[(String, String)],
) -> (Option<usize>, String, Option<String>) {
    for (from, target) in starts {
        let (module, var) = target.split_once(':').unwrap_or((target.as_str(), "app"));
        let var = var.trim_end_matches("()");
        let near = if from.is_empty() {
            "x.py".to_owned()
        } else {
            format!("{from}/x.py")
        };
        let Some(file) = modules::resolve(ws, &near, module, 0) else {
            continue;
        };
        if let Some(&n) = by_key.get(&(file.to_owned(), var.to_owned())) {
            return (
                Some(n),
                format!("started as `{target}`"),
                Some(from.clone()),
            );
        }
        // An app factory (`create_app()`), or a WSGI wrapper (`application = DispatcherMiddleware(app, {...})`): the
        // served app declared in that file, one that is not mounted into another first.
        let declared = || index.served_apps().filter(|(_, a)| a.file == file);
        let outermost = declared()
            .find(|(n, _)| !parents.contains_key(n))
            .or_else(|| declared().next());
        if let Some((n, _)) = outermost {
            return (
                Some(n),
                format!("started as `{target}`"),
                Some(from.clone()),
            );
        }
        // `app = create_app()` with the factory imported (`from app import create_app`, microblog): the
        // served app declared in the module the factory comes from.
        if let Some((n, app)) = imported_factory_app(ws, index, file) {
            let reason = format!("started as `{target}`, built in {}", app.file);
            return (Some(n), reason, Some(from.clone()));
        }
    }
    // An app mounted into another is served through it, not on its own.
    let served: Vec<(usize, &AppNode)> = index
        .served_apps()
        .filter(|(n, _)| !parents.contains_key(n))
        .collect();
    if let [(n, _)] = served.as_slice() {
        return (Some(*n), "the only application".to_owned(), None);
    }
    const ENTRY_NAMES: &[&str] = &[
        "main.py",
        "app.py",
        "server.py",
        "asgi.py",
        "wsgi.py",
        "application.py",
        "api.py",
    ];
    let best = served
        .iter()
        .filter(|(_, a)| {
            ENTRY_NAMES
                .iter()
                .any(|n| a.file == *n || a.file.ends_with(&format!("/{n}")))
        })
        .min_by_key(|(_, a)| (a.file.matches('/').count(), a.file.clone()))
        .or_else(|| served.first());
    match best {
        Some((n, _)) => (
            Some(*n),
            "the application in the conventional entry file".to_owned(),
            None,
        ),
        None => (None, "no application found".to_owned(), None),
    }
}
