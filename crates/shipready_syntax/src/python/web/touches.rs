//! What a route handler touches: the dependency kinds (database, cache, HTTP) its parameters and body reference.
//!
//! A readiness endpoint that checks nothing is the finding this feeds, so the test is generous about names but
//! strict about positions: a name counts when it was imported from a client library, is bound in this file to a
//! client, or is used like a client (`x.method()`, `x()`, `Depends(x)`) and its spelling says what it is
//! (`db`, `get_session`, `redis_client`, `http_client`).

use crate::python::ts::KindName;
use std::collections::BTreeSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use tree_sitter::Node;

use crate::python::ts::Field;

use super::{Cx, DependencyKind, DependencyUse};
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
///
/// The function is walked only when its text mentions a name or word that [`identifier_kind`] could classify,
/// which most handlers of a large file do not.
pub(super) fn touches(
    cx: &Cx,
    function: Node,
    deps: &[DependencyUse],
    mentions: &Mentions,
) -> Vec<DependencyKind> {
    let mut kinds = BTreeSet::new();
    if !mentions.in_text(ts::searched_text(function, cx.src)) {
        return Vec::new();
    }
    ts::walk_with_ancestors(function, |node, ancestors| {
        if node.kind_name() == "identifier" {
            if let Some(kind) = identifier_kind(cx, node, ancestors, deps) {
                kinds.insert(kind);
            }
        }
    });
    kinds.into_iter().collect()
}

/// What an identifier must contain for [`identifier_kind`] to return a kind: a name imported or bound to a
/// client in this file (exactly), or a word [`kind_by_spelling`] knows (in any case). Searched as substrings,
/// which finds them whatever the identifiers around them are: the words by one automaton built once (a
/// byte-by-byte search was 5% of extracting a 2,000-route module), the file's few names one by one (an
/// automaton per file cost a fifth of a cold check).
pub(super) struct Mentions<'a> {
    names: Vec<&'a str>,
}

/// The words [`kind_by_spelling`] knows, in any ASCII case; `None` if the automaton could not be built (every
/// text is then walked).
static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let words: Vec<&str> = CACHE_WORDS
        .iter()
        .chain(HTTP_WORDS)
        .chain(DATABASE_WORDS)
        .copied()
        .collect();
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .ok()
});

impl<'a> Mentions<'a> {
    pub(super) fn new(cx: &'a Cx, deps: &'a [DependencyUse]) -> Self {
        let names: Vec<&str> = cx
            .names
            .locals()
            .chain(deps.iter().filter_map(|d| d.var.as_deref()))
            .filter(|n| !n.is_empty())
            .collect();
        for name in &names {
            crate::python::reads::searched(name.as_bytes(), false);
        }
        for word in CACHE_WORDS.iter().chain(HTTP_WORDS).chain(DATABASE_WORDS) {
            crate::python::reads::searched(word.as_bytes(), true);
        }
        Mentions { names }
    }

    fn in_text(&self, text: &str) -> bool {
        // Lower-casing some non-ASCII characters yields ASCII letters (the Kelvin sign is a `k`), which a byte
        // search cannot see: such text is always walked.
        if !text.is_ascii() {
            return true;
        }
        let bytes = text.as_bytes();
        self.names
            .iter()
            .any(|n| memchr::memmem::find(bytes, n.as_bytes()).is_some())
            || WORDS.as_ref().is_none_or(|words| words.is_match(text))
    }
}

fn identifier_kind(
    cx: &Cx,
    ident: Node,
    ancestors: &[Node],
    deps: &[DependencyUse],
) -> Option<DependencyKind> {
    let name = cx.text(ident);
    let (&parent, ancestors) = ancestors.split_last()?;
    let is_attribute_name =
        parent.kind_name() == "attribute" && parent.field("attribute") == Some(ident);
    if !is_attribute_name && parent.kind_name() != "keyword_argument" {
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
    let grandparent = ancestors.last().copied();
    used_like_a_client(cx, ident, parent, grandparent, is_attribute_name)
        .then(|| kind_by_spelling(name))
        .flatten()
}

/// `x.method(...)`/`x.attr`, `x(...)`, `Depends(x)`, or the last name of a chain that is used so
/// (`request.app.state.redis.get(...)`).
fn used_like_a_client(
    cx: &Cx,
    ident: Node,
    parent: Node,
    grandparent: Option<Node>,
    is_attribute_name: bool,
) -> bool {
    match parent.kind_name() {
        "attribute" if is_attribute_name => {
            // `request.session` is Starlette's cookie session, not a database session.
            let on_request = parent
                .field("object")
                .is_some_and(|o| cx.text(o) == "request");
            let used = grandparent.is_some_and(|grand| {
                (grand.kind_name() == "attribute" && grand.field("object") == Some(parent))
                    || (grand.kind_name() == "call" && grand.field("function") == Some(parent))
            });
            used && !on_request
        }
        "attribute" => true,
        "call" => parent.field("function") == Some(ident),
        "argument_list" => grandparent
            .and_then(|call| call.field("function"))
            .is_some_and(|f| ts::last_segment(cx.text(f)) == "Depends"),
        _ => false,
    }
}

/// The dependency kind an identifier's spelling names, by its `snake_case`/`camelCase` words; cache and HTTP words
/// win over database words so `redis_pool` and `http_session` read right.
pub(super) fn kind_by_spelling(name: &str) -> Option<DependencyKind> {
    let words = words(name);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if has(CACHE_WORDS) {
        Some(DependencyKind::Cache)
    } else if has(HTTP_WORDS) {
        Some(DependencyKind::Http)
    } else if has(DATABASE_WORDS) {
        Some(DependencyKind::Database)
    } else {
        None
    }
}

const CACHE_WORDS: &[&str] = &[
    "redis",
    "aioredis",
    "cache",
    "memcache",
    "memcached",
    "valkey",
];
const HTTP_WORDS: &[&str] = &["httpx", "requests", "http", "aiohttp"];
const DATABASE_WORDS: &[&str] = &[
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
];

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
