//! Web application facts: FastAPI/Flask/Starlette apps, routers and blueprints with their prefixes, routes,
//! `include_router`/`register_blueprint` calls, server runners, and the dependencies handlers touch.
//!
//! Only per-file facts live here; joining prefixes across files is the workspace's job.

use serde::Serialize;
use shipready_text::TextRange;

use crate::Spanned;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WebFacts {
    /// `app = FastAPI()`, `router = APIRouter(prefix=...)`, `bp = Blueprint(..., url_prefix=...)`, `Starlette(...)`.
    pub apps: Vec<WebApp>,
    pub routes: Vec<Route>,
    /// `app.include_router(x.router, prefix=...)`, `app.register_blueprint(bp, url_prefix=...)`, `app.mount(...)`.
    pub includes: Vec<Include>,
    /// Where the module uses a dependency a readiness probe should check (engine, session, redis, httpx...).
    pub dependencies: Vec<DependencyUse>,
    /// `uvicorn.run("module:app")` / `uvicorn.run(app)` / `app.run()` calls naming the app being served.
    pub runners: Vec<Runner>,
    /// Module-level `os.environ[...]`/`os.getenv(...)` names and pydantic `BaseSettings` fields: the environment
    /// the app reads.
    pub env_vars: Vec<Spanned<String>>,
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
    /// `APIRouter(prefix=...)` / `Blueprint(url_prefix=...)` when a string literal.
    pub prefix: Option<String>,
    /// The whole assignment statement (`app = FastAPI(...)`).
    pub range: TextRange,
    /// The start of the line after the assignment statement, and its indentation: where new code can go.
    pub indent: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The app/router variable the route is registered on.
    pub owner: String,
    /// The path as written (before any prefix).
    pub path: String,
    /// Upper-case HTTP methods; empty means the framework default (GET).
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
    pub prefix: Option<String>,
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
