//! Web application facts: FastAPI/Flask/Starlette apps, routers and blueprints with their prefixes, routes,
//! `include_router`/`register_blueprint` calls, server runners, and the dependencies handlers touch.
//!
//! Only per-file facts live here; joining prefixes across files is the workspace's job. The extraction is split by
//! fact: [`apps`] (app and router constructors), [`routes`] (decorators and registration calls, with what each
//! handler touches), [`deps`] (client constructors and environment reads), [`serve`] (includes and runners) and
//! [`constants`] (the string constants and settings instances a non-literal prefix can be resolved through) and
//! [`flow`] (helpers that receive an app, calls that pass one, factories that return one).

mod apps;
mod constants;
mod deps;
mod flow;
mod routes;
mod serve;
mod touches;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_flow;

use std::sync::Arc;

use crate::python::ts::KindName;
use serde::Serialize;
use shipready_text::TextRange;
use tree_sitter::Node;

use super::imports::ImportMap;
use super::index::{Kind, NodeId, NodeIndex};
use super::ts::{self, Field};
use super::Import;
use crate::Spanned;

pub use flow::{AppClass, AppParam, AppPass, ClassInstance, Factory};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WebFacts {
    /// `app = FastAPI()`, `router = APIRouter(prefix=...)`, `bp = Blueprint(..., url_prefix=...)`, `Starlette(...)`.
    pub apps: Vec<WebApp>,
    /// Each shared (`Arc`): a large module's facts are copied on every edit that changes them, and an edit moves or
    /// changes a few routes, not 2,000 (see `python::splice`).
    pub routes: Vec<Arc<Route>>,
    /// `app.include_router(x.router, prefix=...)`, `app.register_blueprint(bp, url_prefix=...)`, `app.mount(...)`.
    pub includes: Vec<Include>,
    /// Where the module uses a dependency a readiness probe should check (engine, session, redis, httpx...).
    pub dependencies: Vec<DependencyUse>,
    /// `uvicorn.run("module:app")` / `uvicorn.run(app)` / `app.run()` calls naming the app being served.
    pub runners: Vec<Runner>,
    /// `os.environ[...]`/`os.environ.get(...)`/`os.getenv(...)` names (range: the whole read expression) and pydantic `BaseSettings` fields: the environment
    /// the app reads.
    pub env_vars: Vec<Spanned<String>>,
    /// Whether the module also reads environment variables whose names cannot be listed (a computed key, the
    /// whole environment, a configuration library such as django-environ or python-decouple).
    pub env_unlisted: bool,
    /// The names a prefix or path expression can go through, in source order: string constants (module-level
    /// `API_PREFIX = "/api"`, class attributes `Settings.API_V1_STR`) and instances (`settings = Settings()`).
    /// One list, so that a Python file's facts stay small next to the other kinds'.
    pub constants: Vec<Constant>,
    /// Function parameters that routes or includes are registered on (`def init_app(app): app.register_blueprint(bp)`):
    /// the app is whatever a caller passes ([`AppPass`]).
    pub app_params: Vec<AppParam>,
    /// Calls passing an app to a function: `register_views(app)`, `ext.init_app(app=app)`.
    pub app_passes: Vec<AppPass>,
    /// Functions that return an app or router they build, so `register_blueprint(create_blueprint())` reaches it.
    pub factories: Vec<Factory>,
    /// The file's classes derived from an app or router class (`class WebApp(Flask)`), which other files import.
    pub app_classes: Vec<AppClass>,
    /// `app = WebApp(__name__)` with `WebApp` imported from another module, when `app` is used as an app here
    /// (routes or includes on it, returned by a factory, passed on): an app if that module's class is one.
    pub class_instances: Vec<ClassInstance>,
}

/// A module-level name or class attribute whose value a string expression can use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Constant {
    /// `API_PREFIX`, `settings`, or `Settings.API_V1_STR` for a class attribute.
    pub name: String,
    pub value: ConstantValue,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstantValue {
    /// `NAME = "..."`, `NAME: str = f"{BASE}/v1"`, `attr = BASE + "/x"` in a class body: the value's source (a
    /// string literal, an f-string, or a `+` of strings and names). Evaluating it is the workspace's job, since
    /// the names it holds can come from other files.
    Expr(String),
    /// `settings = Settings()`, or `settings = get_settings()` where `get_settings` of this file returns
    /// `Settings(...)`: the class as written in this file (`Settings`, `config.Settings`), through which
    /// `settings.API_V1_STR` reaches `Settings.API_V1_STR`.
    InstanceOf(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    FastApi,
    Flask,
    Starlette,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppKind {
    /// A served application (`FastAPI()`, `Flask(__name__)`, `Starlette()`).
    App,
    /// A mountable group (`APIRouter`, `Blueprint`).
    Router,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebApp {
    /// The variable it is bound to (`app`, `api`, `router`); for `def create_app(): app = Flask(...)` the local name.
    pub var: String,
    pub framework: Framework,
    pub kind: AppKind,
    /// `APIRouter(prefix=...)` / `Blueprint(url_prefix=...)` when a string literal without interpolations.
    pub prefix: Option<String>,
    /// The prefix's source when it is not such a literal (`settings.API_V1_STR`, `f"{API}/users"`).
    pub prefix_expr: Option<String>,
    /// Starlette: the module-level variable passed as `routes=` (`Starlette(routes=routes)`), whose
    /// `Route(...)` entries belong to this app.
    pub routes_var: Option<String>,
    /// The whole assignment statement (`app = FastAPI(...)`).
    pub range: TextRange,
    /// The indentation (spaces/tabs) of the assignment's line: what code inserted next to it must start with.
    pub indent: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The app/router variable the route is registered on.
    pub owner: String,
    /// The path as written (before any prefix); for a non-literal path on a known app, the expression's source.
    /// A Starlette `Route` nested in `Mount("/p", routes=[...])` gets the mount's path joined in front, because
    /// no variable names the mount for the workspace to join it later.
    pub path: String,
    /// The path's source when it is not a string literal without interpolations (`f"{PREFIX}/health"`,
    /// `HEALTH_PATH`); `path` then holds the literal's text or the same source.
    pub path_expr: Option<String>,
    /// Upper-case HTTP methods; empty means the framework default (GET). WebSocket routes (`.websocket(...)`,
    /// `WebSocketRoute`) say `WEBSOCKET`.
    pub methods: Vec<String>,
    /// The decorator (`@app.get("/health")`) or registration call (`app.add_api_route(...)`, `Route(...)`).
    pub range: TextRange,
    /// The handler function name, when known.
    pub handler: Option<String>,
    /// The whole decorated definition (decorators and body), when the route is a decorator.
    pub handler_range: Option<TextRange>,
    /// Dependency kinds the handler's body touches.
    pub touches: Vec<DependencyKind>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Include {
    /// The variable the child is included into.
    pub parent: String,
    /// The child expression as written (`users.router`, `router`, `api_bp`).
    pub child: String,
    /// The `prefix=`/`url_prefix=`/mount path when a string literal without interpolations.
    pub prefix: Option<String>,
    /// The prefix's source when it is not such a literal (`settings.API_V1_STR`).
    pub prefix_expr: Option<String>,
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DependencyKind {
    /// SQLAlchemy engine/session, databases, asyncpg, psycopg, pymongo, motor...
    Database,
    /// redis / aioredis / memcache clients.
    Cache,
    /// httpx / requests / aiohttp clients calling downstream services.
    Http,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DependencyUse {
    pub kind: DependencyKind,
    /// The variable bound to the client (`engine`, `SessionLocal`, `redis_client`), when assigned at module level.
    pub var: Option<String>,
    /// The construct: the assignment or import that creates the client.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Runner {
    /// `module:var` target for string forms, else the variable name.
    pub target: String,
    pub port: Option<u16>,
    pub range: TextRange,
}

/// A node with its position in the file's [`NodeIndex`], which is what its parent is looked up by.
pub(super) type At<'t> = (NodeId, Node<'t>);

/// A call with the parts most extractors read, looked up once: every extractor goes through every call.
#[derive(Clone, Copy)]
pub(super) struct Call<'t, 's> {
    id: NodeId,
    node: Node<'t>,
    function: Option<Node<'t>>,
    /// `(object, method name)` of `object.method(...)`.
    method: Option<(Node<'t>, &'s str)>,
}

/// Everything [`WebFacts`] needs from the file's one walk: the nodes of the kinds the extractors look at, their
/// parents, and where each imported name came from.
pub(super) struct Cx<'t, 's> {
    src: &'s str,
    names: ImportMap,
    index: &'s NodeIndex<'t>,
    calls: Vec<Call<'t, 's>>,
    assignments: Vec<At<'t>>,
    decorated: Vec<At<'t>>,
    classes: Vec<At<'t>>,
    functions: Vec<At<'t>>,
    subscripts: Vec<At<'t>>,
    with_items: Vec<At<'t>>,
}

impl<'t, 's> Cx<'t, 's> {
    fn new(index: &'s NodeIndex<'t>, src: &'s str, imports: &[Import]) -> Self {
        let mut cx = Cx {
            src,
            names: ImportMap::new(imports),
            index,
            calls: Vec::new(),
            assignments: Vec::new(),
            decorated: Vec::new(),
            classes: Vec::new(),
            functions: Vec::new(),
            subscripts: Vec::new(),
            with_items: Vec::new(),
        };
        for (id, kind, node) in index.iter() {
            let list = match kind {
                Kind::Call => {
                    let call = cx.call(id, node);
                    cx.calls.push(call);
                    continue;
                }
                Kind::Assignment => &mut cx.assignments,
                Kind::DecoratedDefinition => &mut cx.decorated,
                Kind::ClassDefinition => &mut cx.classes,
                Kind::FunctionDefinition => &mut cx.functions,
                Kind::Subscript => &mut cx.subscripts,
                Kind::WithItem => &mut cx.with_items,
                _ => continue,
            };
            list.push((id, node));
        }
        cx
    }

    fn call(&self, id: NodeId, node: Node<'t>) -> Call<'t, 's> {
        let function = node.field("function");
        let method = function
            .filter(|f| f.kind_name() == "attribute")
            .and_then(|f| Some((f.field("object")?, self.text(f.field("attribute")?))));
        Call {
            id,
            node,
            function,
            method,
        }
    }

    fn parent(&self, id: NodeId) -> Option<At<'t>> {
        let parent = self.index.parent(id)?;
        Some((parent, self.index.node(parent)?))
    }

    fn text(&self, node: Node) -> &'s str {
        ts::text(node, self.src)
    }

    /// What a callee or other dotted expression refers to: its imported origin when its head was imported
    /// (`F` -> `fastapi.FastAPI`), else the name as written. `None` for non-dotted expressions.
    fn resolve(&self, node: Node) -> Option<Resolved> {
        let written = ts::dotted(node, self.src)?;
        Some(match self.names.qualify(&written) {
            Some(qualified) => Resolved {
                name: qualified,
                imported: true,
            },
            None => Resolved {
                name: written,
                imported: false,
            },
        })
    }
}

impl<'t, 's> Cx<'t, 's> {
    /// [`Cx::resolve`] of a call's callee that matters only when its name ends in one of `lasts`. A method keeps
    /// its name through resolution, so it is compared before anything is resolved: most calls of a file are
    /// `x.method(...)` and are turned away by a string comparison.
    fn resolve_callee(&self, call: &Call, lasts: &[&str]) -> Option<Resolved> {
        let function = call.function?;
        if function.kind_name() == "attribute" {
            let (_, method) = call.method?;
            if !lasts.contains(&method) {
                return None;
            }
        }
        self.resolve(function)
    }
}

/// A dotted name resolved through the file's imports.
pub(super) struct Resolved {
    name: String,
    /// Whether the head came from an import; unimported names are matched by their spelling alone.
    imported: bool,
}

impl Resolved {
    fn root(&self) -> &str {
        self.name.split('.').next().unwrap_or("")
    }

    fn last(&self) -> &str {
        ts::last_segment(&self.name)
    }
}

/// Extract the web facts of one file from its tree; `parallel` runs the routes (with their includes and the
/// parameters they are registered on) and the rest on two threads.
pub(crate) fn extract(
    index: &NodeIndex,
    src: &str,
    imports: &[Import],
    parallel: bool,
) -> WebFacts {
    let cx = Cx::new(index, src, imports);
    let apps = apps::extract(&cx);
    let dependencies = deps::dependencies(&cx);
    let routing = || {
        let (mut routes, mount_includes) = routes::extract(&cx, &apps, &dependencies);
        routes.sort_by_key(|r| r.range.start);
        let mut includes = serve::includes(&cx);
        includes.extend(mount_includes);
        // Routes and mounts listed in a variable that a Starlette app takes as `routes=` are that app's.
        let owner_of = |var: &str| {
            apps.iter()
                .find(|a| a.routes_var.as_deref() == Some(var))
                .map(|a| a.var.clone())
        };
        for route in &mut routes {
            if let Some(app) = owner_of(&route.owner) {
                route.owner = app;
            }
        }
        for include in &mut includes {
            if let Some(app) = owner_of(&include.parent) {
                include.parent = app;
            }
        }
        includes.sort_by_key(|i| i.range.start);
        let app_params = flow::params(&cx, &routes, &includes);
        let routes: Vec<Arc<Route>> = routes.into_iter().map(Arc::new).collect();
        (routes, includes, app_params)
    };
    let rest = || {
        let runners = serve::runners(&cx, &apps);
        let env_vars = deps::env_vars(&cx);
        let env_unlisted = deps::env_unlisted(&cx);
        let constants = constants::extract(&cx);
        let app_classes = apps::app_classes(&cx);
        let class_instances = flow::class_instances(&cx);
        let app_passes = flow::passes(&cx, &apps, &class_instances);
        let factories = flow::factories(&cx, &apps, &class_instances);
        (
            runners,
            env_vars,
            env_unlisted,
            constants,
            app_classes,
            class_instances,
            app_passes,
            factories,
        )
    };
    let ((routes, includes, app_params), rest) = if parallel {
        super::reads::join(routing, rest)
    } else {
        (routing(), rest())
    };
    let (
        runners,
        env_vars,
        env_unlisted,
        constants,
        app_classes,
        mut class_instances,
        app_passes,
        factories,
    ) = rest;
    class_instances.retain(|i| {
        let var = i.var.as_str();
        routes.iter().any(|r| r.owner == var)
            || includes.iter().any(|inc| inc.parent == var)
            || factories.iter().any(|f| f.returns == var)
            || app_passes.iter().any(|p| p.arg == var)
            || runners.iter().any(|r| r.target == var)
    });
    WebFacts {
        app_classes,
        class_instances,
        app_params,
        app_passes,
        factories,
        apps,
        routes,
        includes,
        dependencies,
        runners,
        env_vars,
        env_unlisted,
        constants,
    }
}
