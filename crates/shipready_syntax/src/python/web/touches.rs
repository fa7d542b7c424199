//! What a route handler touches: the dependency kinds (database, cache, HTTP) its parameters and body reference.
//!
//! A readiness endpoint that checks nothing is the finding this feeds, so the test is generous about names but
//! strict about positions: a name counts when it was imported from a client library, is bound in this file to a
//! client, or is used like a client (`x.method()`, `x()`, `Depends(x)`) and its spelling says what it is
//! (`db`, `get_session`, `redis_client`, `http_client`).

use std::collections::BTreeSet;

use tree_sitter::Node;

use super::{At, Cx, DependencyKind, DependencyUse};
use crate::python::index::{Kind, NodeId};
use crate::python::ts;

const DATABASE_LIBRARIES: &[&str] = &[
    "sqlalchemy",
    "sqlmodel",
    "databases",
    "asyncpg",
    "psycopg",
    "psycopg2",
    "psycopg_pool",
    "pymongo",
    "motor",
    "aiomysql",
    "pymysql",
    "mysql",
    "aiosqlite",
    "sqlite3",
    "aiopg",
    "tortoise",
    "peewee",
    "flask_sqlalchemy",
    "beanie",
    "odmantic",
    "mongoengine",
];
const CACHE_LIBRARIES: &[&str] = &[
    "redis",
    "aioredis",
    "valkey",
    "pymemcache",
    "memcache",
    "aiomcache",
];
const HTTP_LIBRARIES: &[&str] = &["httpx", "requests", "aiohttp", "urllib3"];
/// Libraries whose names say nothing about dependencies even when spelled like one (`flask.session` is a cookie).
const NEUTRAL_LIBRARIES: &[&str] = &[
    "fastapi",
    "flask",
    "starlette",
    "pydantic",
    "pydantic_settings",
    "typing",
    "typing_extensions",
    "os",
    "sys",
    "json",
    "datetime",
    "logging",
    "uuid",
    "enum",
    "dataclasses",
    "collections",
    "functools",
    "asyncio",
    "werkzeug",
    "jinja2",
    "time",
    "re",
];

/// The sorted, distinct dependency kinds referenced anywhere in `function` (a `function_definition`).
pub(super) fn touches(cx: &Cx, (function, _): At, deps: &[DependencyUse]) -> Vec<DependencyKind> {
    let mut kinds = BTreeSet::new();
    for id in cx.index.subtree(function) {
        if cx.index.kind(id) != Kind::Identifier {
            continue;
        }
        if let Some(kind) = identifier_kind(cx, id, deps) {
            kinds.insert(kind);
        }
    }
    kinds.into_iter().collect()
}

fn identifier_kind(cx: &Cx, id: NodeId, deps: &[DependencyUse]) -> Option<DependencyKind> {
    let ident = cx.index.node(id)?;
    let name = cx.text(ident);
    let (parent_id, parent) = cx.parent(id)?;
    let is_attribute_name =
        parent.kind() == "attribute" && parent.child_by_field_name("attribute") == Some(ident);
    if !is_attribute_name && parent.kind() != "keyword_argument" {
        if let Some(origin) = cx.names.qualify(name) {
            let root = origin.split('.').next().unwrap_or("");
            return match root {
                r if DATABASE_LIBRARIES.contains(&r) => Some(DependencyKind::Database),
                r if CACHE_LIBRARIES.contains(&r) => Some(DependencyKind::Cache),
                r if HTTP_LIBRARIES.contains(&r) => Some(DependencyKind::Http),
                r if NEUTRAL_LIBRARIES.contains(&r) => None,
                // The project's own modules (`from app.db import get_db`): the name decides.
                _ => kind_by_spelling(name),
            };
        }
        if let Some(dep) = deps.iter().find(|d| d.var.as_deref() == Some(name)) {
            return Some(dep.kind);
        }
    }
    used_like_a_client(cx, ident, (parent_id, parent), is_attribute_name)
        .then(|| kind_by_spelling(name))
        .flatten()
}

/// `x.method(...)`/`x.attr`, `x(...)`, `Depends(x)`, or the last name of a chain that is used so
/// (`request.app.state.redis.get(...)`).
fn used_like_a_client(
    cx: &Cx,
    ident: Node,
    (parent_id, parent): At,
    is_attribute_name: bool,
) -> bool {
    match parent.kind() {
        "attribute" if is_attribute_name => {
            // `request.session` is Starlette's cookie session, not a database session.
            let on_request = parent
                .child_by_field_name("object")
                .is_some_and(|o| cx.text(o) == "request");
            let used = cx.parent(parent_id).is_some_and(|(_, grand)| {
                (grand.kind() == "attribute" && grand.child_by_field_name("object") == Some(parent))
                    || (grand.kind() == "call"
                        && grand.child_by_field_name("function") == Some(parent))
            });
            used && !on_request
        }
        "attribute" => true,
        "call" => parent.child_by_field_name("function") == Some(ident),
        "argument_list" => cx
            .parent(parent_id)
            .and_then(|(_, call)| call.child_by_field_name("function"))
            .is_some_and(|f| ts::last_segment(cx.text(f)) == "Depends"),
        _ => false,
    }
}

/// The dependency kind an identifier's spelling names, by its `snake_case`/`camelCase` words; cache and HTTP words
/// win over database words so `redis_pool` and `http_session` read right.
pub(super) fn kind_by_spelling(name: &str) -> Option<DependencyKind> {
    let words = words(name);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if has(&[
        "redis",
        "aioredis",
        "cache",
        "memcache",
        "memcached",
        "valkey",
    ]) {
        Some(DependencyKind::Cache)
    } else if has(&["httpx", "requests", "http", "aiohttp"]) {
        Some(DependencyKind::Http)
    } else if has(&[
        "db",
        "database",
        "session",
        "sessions",
        "engine",
        "conn",
        "connection",
        "pool",
        "cursor",
        "sql",
        "sqlalchemy",
        "mongo",
        "mongodb",
        "motor",
        "postgres",
        "pg",
        "asyncpg",
        "psycopg",
        "mysql",
        "sqlite",
    ]) {
        Some(DependencyKind::Database)
    } else {
        None
    }
}

/// Lower-case words of an identifier: `SessionLocal` -> `session`, `local`; `get_db` -> `get`, `db`.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || !c.is_alphanumeric() {
            words.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling() {
        assert_eq!(words("SessionLocal"), vec!["session", "local"]);
        assert_eq!(words("get_DB"), vec!["get", "db"]);
        assert_eq!(kind_by_spelling("get_db"), Some(DependencyKind::Database));
        assert_eq!(kind_by_spelling("redis_pool"), Some(DependencyKind::Cache));
        assert_eq!(kind_by_spelling("http_session"), Some(DependencyKind::Http));
        assert_eq!(kind_by_spelling("feedback"), None);
        assert_eq!(kind_by_spelling("user_id"), None);
    }
}
