//! Dependency clients (`engine = create_engine(...)`, `redis.from_url(...)`, `httpx.AsyncClient()`...) and the
//! environment the app reads (`os.environ[...]`, `os.getenv(...)`, pydantic `BaseSettings` fields).

use crate::python::ts::KindName;
use tree_sitter::Node;

use crate::python::ts::Field;

use super::apps::{assigned_value, statement_of};
use super::{Cx, DependencyKind, DependencyUse, Resolved};
use crate::python::index::Kind;
use crate::python::ts::{self, Args};
use crate::Spanned;

/// Modules whose connection factories (`connect`, `create_pool`, ...) open a database connection.
const DATABASE_MODULES: &[&str] = &[
    "asyncpg",
    "psycopg",
    "psycopg2",
    "psycopg_pool",
    "aiomysql",
    "pymysql",
    "mysql",
    "aiopg",
    "aiosqlite",
    "sqlite3",
    "databases",
    "pymongo",
    "motor",
];
const DATABASE_FACTORIES: &[&str] = &[
    "connect",
    "create_pool",
    "Database",
    "ConnectionPool",
    "AsyncConnectionPool",
    "SimpleConnectionPool",
    "ThreadedConnectionPool",
    "Pool",
];
/// Factories that are database clients whatever module they come from.
const DATABASE_CLIENTS: &[&str] = &[
    "create_engine",
    "create_async_engine",
    "sessionmaker",
    "async_sessionmaker",
    "scoped_session",
    "MongoClient",
    "AsyncIOMotorClient",
    "SQLAlchemy",
];
const CACHE_FACTORIES: &[&str] = &[
    "Redis",
    "StrictRedis",
    "from_url",
    "create_redis_pool",
    "create_redis",
    "ConnectionPool",
    "RedisCluster",
];

/// The dependency kind a constructor call creates, by its resolved name.
pub(super) fn classify_client(callee: &Resolved) -> Option<DependencyKind> {
    let (root, last) = (callee.root(), callee.last());
    if DATABASE_CLIENTS.contains(&last)
        || (DATABASE_MODULES.contains(&root) && DATABASE_FACTORIES.contains(&last))
    {
        return Some(DependencyKind::Database);
    }
    let redis =
        matches!(root, "redis" | "aioredis" | "valkey") || (!callee.imported && root == "Redis");
    if (redis && CACHE_FACTORIES.contains(&last))
        || (!callee.imported && matches!(last, "Redis" | "StrictRedis"))
        || (matches!(root, "pymemcache" | "memcache" | "aiomcache") && last == "Client")
    {
        return Some(DependencyKind::Cache);
    }
    let http = match root {
        "httpx" => matches!(last, "Client" | "AsyncClient"),
        "requests" => last == "Session",
        "aiohttp" => last == "ClientSession",
        _ => false,
    };
    http.then_some(DependencyKind::Http)
}

/// Assignments (`engine = create_engine(url)`, `app.state.redis = redis.from_url(url)`, `pool = await
/// asyncpg.create_pool()`) and `with httpx.Client() as client:` items that create a client.
pub(super) fn dependencies(cx: &Cx) -> Vec<DependencyUse> {
    let mut out = Vec::new();
    for &(id, assignment) in &cx.assignments {
        if cx
            .parent(id)
            .is_some_and(|(p, _)| cx.index.kind(p) == Kind::Assignment)
        {
            continue;
        }
        let Some(kind) = assigned_value(assignment).and_then(|value| client_kind(cx, value)) else {
            continue;
        };
        let var = assignment
            .field("left")
            .and_then(|left| ts::dotted(left, cx.src));
        out.push(DependencyUse {
            kind,
            var,
            range: ts::range(statement_of(cx, (id, assignment))),
        });
    }
    for &(_, item) in &cx.with_items {
        let Some(value) = item.field("value") else {
            continue;
        };
        // `with X() as y` parses as an `as_pattern` whose first child is the expression and `alias` the target.
        let (expr, var) = if value.kind_name() == "as_pattern" {
            let alias = value.field("alias").map(|a| cx.text(a).trim().to_owned());
            (value.named_child(0), alias)
        } else {
            (Some(value), None)
        };
        let Some(kind) = expr.and_then(|e| client_kind(cx, e)) else {
            continue;
        };
        out.push(DependencyUse {
            kind,
            var,
            range: ts::range(item),
        });
    }
    out.sort_by_key(|d| d.range.start);
    out
}

fn client_kind(cx: &Cx, value: Node) -> Option<DependencyKind> {
    let value = if value.kind_name() == "await" {
        value.named_child(0)?
    } else {
        value
    };
    if value.kind_name() != "call" {
        return None;
    }
    classify_client(&cx.resolve(value.field("function")?)?)
}

/// Environment reads, in source order.
pub(super) fn env_vars(cx: &Cx) -> Vec<Spanned<String>> {
    let mut out = Vec::new();
    let is_environ = |node: Node| is_environ(cx, node);
    for &(_, subscript) in &cx.subscripts {
        let (Some(value), Some(key)) = (subscript.field("value"), subscript.field("subscript"))
        else {
            continue;
        };
        if let (true, Some(name)) = (is_environ(value), ts::string_value(key, cx.src)) {
            out.push(Spanned::new(name, ts::range(subscript)));
        }
    }
    for call in &cx.calls {
        let Some(callee) = cx.resolve_callee(call, &["getenv", "get"]) else {
            continue;
        };
        let reads = matches!(
            callee.name.as_str(),
            "os.getenv" | "getenv" | "os.environ.get" | "environ.get"
        );
        if !reads {
            continue;
        }
        if let Some(name) = Args::of(call.node, cx.src)
            .get(0, "key")
            .and_then(|k| ts::string_value(k, cx.src))
        {
            out.push(Spanned::new(name, ts::range(call.node)));
        }
    }
    settings_fields(cx, &mut out);
    out.sort_by_key(|s| s.range.start);
    out
}

/// Whether `node` names the process environment (`os.environ`, or `environ` imported from `os`).
fn is_environ(cx: &Cx, node: Node) -> bool {
    cx.resolve(node)
        .is_some_and(|r| r.name == "os.environ" || r.name == "environ")
}

/// Configuration libraries that read environment variables under names of their own choosing: django-environ,
/// python-decouple, environs, dynaconf, starlette's `Config`, python-dotenv's `dotenv_values`.
const UNLISTED_READERS: &[&str] = &[
    "environ.Env",
    "environ.FileAwareEnv",
    "decouple.config",
    "decouple.AutoConfig",
    "decouple.Config",
    "environs.Env",
    "dynaconf.Dynaconf",
    "dynaconf.LazySettings",
    "starlette.config.Config",
    "dotenv.dotenv_values",
];

/// Whether the module reads environment variables whose names cannot be listed: a key that is not a string
/// literal (`os.getenv(name)`), the whole environment (`os.environ.items()`, `dict(os.environ)`,
/// `env=os.environ` passed on, `**os.environ`), or a configuration library from [`UNLISTED_READERS`].
pub(super) fn env_unlisted(cx: &Cx) -> bool {
    let is_environ = |node: Node| is_environ(cx, node);
    for &(_, subscript) in &cx.subscripts {
        let (Some(value), Some(key)) = (subscript.field("value"), subscript.field("subscript"))
        else {
            continue;
        };
        if is_environ(value) && ts::string_value(key, cx.src).is_none() {
            return true;
        }
    }
    for call in &cx.calls {
        let Some(callee) = call.function.and_then(|f| cx.resolve(f)) else {
            continue;
        };
        let name = callee.name.as_str();
        let read = matches!(
            name,
            "os.getenv" | "getenv" | "os.environ.get" | "environ.get"
        );
        if read {
            let literal_key = Args::of(call.node, cx.src)
                .get(0, "key")
                .is_some_and(|k| ts::string_value(k, cx.src).is_some());
            if !literal_key {
                return true;
            }
            continue;
        }
        let whole = ["os.environ.", "environ."].iter().any(|p| {
            name.strip_prefix(p)
                .is_some_and(|m| matches!(m, "copy" | "items" | "keys" | "values"))
        });
        if whole || (callee.imported && UNLISTED_READERS.contains(&name)) {
            return true;
        }
        // `dict(os.environ)`, `subprocess.run(..., env=os.environ)`, `f(**os.environ)`: the names go elsewhere.
        let Some(arguments) = call.node.field("arguments") else {
            continue;
        };
        let mut cursor = arguments.walk();
        let passes = arguments.named_children(&mut cursor).any(|arg| {
            let value = match arg.kind_name() {
                "keyword_argument" => arg.field("value"),
                "dictionary_splat" | "list_splat" => arg.named_child(0),
                _ => Some(arg),
            };
            value.is_some_and(is_environ)
        });
        if passes {
            return true;
        }
    }
    false
}

/// Fields of classes deriving pydantic's `BaseSettings`, directly or through another settings class of this file.
fn settings_fields(cx: &Cx, out: &mut Vec<Spanned<String>>) {
    let mut settings: Vec<String> = Vec::new();
    // A fixed point over local subclasses; each round adds at least one class or stops.
    for _ in 0..=cx.classes.len() {
        let before = settings.len();
        for &(_, class) in &cx.classes {
            let Some(name) = class.field("name").map(|n| cx.text(n).to_owned()) else {
                continue;
            };
            if settings.contains(&name) {
                continue;
            }
            let Some(bases) = class.field("superclasses") else {
                continue;
            };
            let mut cursor = bases.walk();
            let derives = bases.named_children(&mut cursor).any(|base| {
                ts::dotted(base, cx.src).is_some_and(|b| {
                    ts::last_segment(&b) == "BaseSettings" || settings.contains(&b)
                })
            });
            if derives {
                settings.push(name);
            }
        }
        if settings.len() == before {
            break;
        }
    }
    for &(_, class) in &cx.classes {
        let is_settings = class
            .field("name")
            .is_some_and(|n| settings.iter().any(|s| s == cx.text(n)));
        let Some(body) = class.field("body").filter(|_| is_settings) else {
            continue;
        };
        let prefix = env_prefix(cx, body).unwrap_or_default();
        let mut cursor = body.walk();
        for statement in body.named_children(&mut cursor) {
            let Some(field) = statement
                .named_child(0)
                .filter(|a| a.kind_name() == "assignment")
            else {
                continue;
            };
            let (Some(left), Some(annotation)) = (field.field("left"), field.field("type")) else {
                continue;
            };
            let name = cx.text(left);
            if left.kind_name() != "identifier" || name.starts_with('_') || name == "model_config" {
                continue;
            }
            if cx.text(annotation).contains("ClassVar") {
                continue;
            }
            let explicit = field
                .field("right")
                .filter(|v| v.kind_name() == "call")
                .and_then(|call| {
                    let args = Args::of(call, cx.src);
                    ["env", "validation_alias", "alias"]
                        .iter()
                        .find_map(|kw| args.keyword(kw).and_then(|v| ts::string_value(v, cx.src)))
                });
            let env = explicit.unwrap_or_else(|| format!("{prefix}{name}").to_uppercase());
            out.push(Spanned::new(env, ts::range(statement)));
        }
    }
}

/// `model_config = SettingsConfigDict(env_prefix="APP_")` or `class Config: env_prefix = "APP_"`.
fn env_prefix(cx: &Cx, body: Node) -> Option<String> {
    let mut found = None;
    ts::walk(body, |node| {
        if found.is_none() && node.kind_name() == "keyword_argument" {
            let is_prefix = node
                .field("name")
                .is_some_and(|n| cx.text(n) == "env_prefix");
            found = node
                .field("value")
                .filter(|_| is_prefix)
                .and_then(|v| ts::string_value(v, cx.src));
        } else if found.is_none() && node.kind_name() == "assignment" {
            let is_prefix = node
                .field("left")
                .is_some_and(|n| cx.text(n) == "env_prefix");
            found = node
                .field("right")
                .filter(|_| is_prefix)
                .and_then(|v| ts::string_value(v, cx.src));
        }
    });
    found
}
