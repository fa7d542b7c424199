//! The dependencies a readiness route checks: the clients it can name from the app's file, and the probe
//! each client's library offers (see [`super::readiness_endpoint`]).

use shipready_syntax::python::web::DependencyKind;
use shipready_syntax::FileFacts;
use shipready_syntax::FileKind;

use super::python::Target;
use crate::index::modules;
use crate::Context;

/// A client the readiness route can reach: the expression that names it and whether the route must import it.
pub(crate) struct Client {
    pub expr: String,
    pub kind: DependencyKind,
    /// The client's construction, which says which library and flavour it is.
    pub source: String,
    pub import: Option<String>,
}

/// One dependency probe: its body lines (a tab marks one more indentation level), written against the
/// client's expression.
pub(crate) struct Probe {
    pub kind: DependencyKind,
    pub expr: String,
    pub lines: Vec<String>,
    pub is_async: bool,
    pub needs_text: bool,
    pub guess: bool,
}

pub(crate) fn probe(client: &Client, flask: bool) -> Option<Probe> {
    let e = &client.expr;
    let src = client.source.as_str();
    let has = |s: &str| src.contains(s);
    let (lines, is_async, needs_text, guess): (Vec<String>, bool, bool, bool) = match client.kind {
        DependencyKind::Database if has("create_async_engine") => (
            vec![format!("async with {e}.connect() as conn:"), "\tawait conn.execute(text(\"SELECT 1\"))".into()],
            true,
            true,
            false,
        ),
        DependencyKind::Database if has("create_engine") => (
            vec![format!("with {e}.connect() as conn:"), "\tconn.execute(text(\"SELECT 1\"))".into()],
            false,
            true,
            false,
        ),
        DependencyKind::Database if has("async_sessionmaker") => (
            vec![format!("async with {e}() as session:"), "\tawait session.execute(text(\"SELECT 1\"))".into()],
            true,
            true,
            false,
        ),
        DependencyKind::Database if has("sessionmaker") || has("scoped_session") => (
            vec![format!("with {e}() as session:"), "\tsession.execute(text(\"SELECT 1\"))".into()],
            false,
            true,
            false,
        ),
        DependencyKind::Database if has("SQLAlchemy(") => {
            (vec![format!("{e}.session.execute(text(\"SELECT 1\"))")], false, true, false)
        }
        DependencyKind::Database if has("AsyncIOMotorClient") => {
            (vec![format!("await {e}.admin.command(\"ping\")")], true, false, false)
        }
        DependencyKind::Database if has("MongoClient") => {
            (vec![format!("{e}.admin.command(\"ping\")")], false, false, false)
        }
        DependencyKind::Database if has("asyncpg") && has("create_pool") => (
            vec![format!("async with {e}.acquire() as conn:"), "\tawait conn.execute(\"SELECT 1\")".into()],
            true,
            false,
            false,
        ),
        DependencyKind::Database => return None,
        DependencyKind::Cache if has("Redis") || has("redis") => {
            let is_async = has("asyncio") || has("aioredis");
            let call = if is_async { format!("await {e}.ping()") } else { format!("{e}.ping()") };
            (vec![call], is_async, false, false)
        }
        DependencyKind::Cache => return None,
        DependencyKind::Http if has("AsyncClient") => (
            vec![
                format!("response = await {e}.get(\"http://downstream/health\", timeout=3)  # TODO: the downstream service's health URL"),
                "response.raise_for_status()".into(),
            ],
            true,
            false,
            true,
        ),
        DependencyKind::Http if has("httpx") || has("requests") => (
            vec![
                format!("response = {e}.get(\"http://downstream/health\", timeout=3)  # TODO: the downstream service's health URL"),
                "response.raise_for_status()".into(),
            ],
            false,
            false,
            true,
        ),
        DependencyKind::Http => return None,
    };
    if flask && is_async {
        return None;
    }
    Some(Probe {
        kind: client.kind,
        expr: e.clone(),
        lines,
        is_async,
        needs_text,
        guess,
    })
}

/// The clients a route placed after `at` in the target's file can name, in a stable order, one per name.
pub(crate) fn clients(ctx: &Context, target: &Target, at: usize) -> Vec<Client> {
    let mut out: Vec<Client> = Vec::new();
    let src = &target.file.text;
    for dep in &target.py.web.dependencies {
        let Some(var) = &dep.var else { continue };
        let head = var.split('.').next().unwrap_or("");
        let indent = super::text::indent_at(src, dep.range.start);
        let visible = (indent.is_empty() || (indent == target.app.indent && dep.range.end <= at))
            && (!var.contains('.') || head == target.app.var);
        if visible {
            out.push(Client {
                expr: var.clone(),
                kind: dep.kind,
                source: dep.range.slice(src).to_owned(),
                import: None,
            });
        }
    }
    // Clients other modules define at module level: already imported, or importable from a sibling module.
    for file in ctx.workspace.of_kind(FileKind::Python) {
        if file.path == target.file.path {
            continue;
        }
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        for dep in &py.web.dependencies {
            let Some(var) = dep.var.as_deref().filter(|v| !v.contains('.')) else {
                continue;
            };
            if !super::text::indent_at(&file.text, dep.range.start).is_empty() {
                continue;
            }
            let imported = target.py.imports.iter().find(|i| {
                i.name.as_deref() == Some(var)
                    && modules::resolve(ctx.workspace, &target.file.path, &i.module, i.level)
                        == Some(file.path.as_str())
            });
            // The route must name the client so that its kind shows (`redis_client`, `db_engine`): an
            // imported name is only recognised by its spelling.
            let alias = spelled_alias(var, dep.kind);
            let (expr, import) = match imported {
                Some(i) if spells_kind(&i.local, dep.kind) => (i.local.clone(), None),
                Some(i) => (
                    alias.clone(),
                    Some(format!(
                        "from {}{} import {var} as {alias}",
                        ".".repeat(i.level),
                        i.module
                    )),
                ),
                None => match sibling_import(ctx, target, &file.path, var, &alias) {
                    Some(statement) => (alias.clone(), Some(statement)),
                    None => continue,
                },
            };
            if target
                .py
                .imports
                .iter()
                .any(|i| i.local == expr && imported.is_none())
            {
                continue;
            }
            out.push(Client {
                expr,
                kind: dep.kind,
                source: dep.range.slice(&file.text).to_owned(),
                import,
            });
        }
    }
    let mut seen = Vec::new();
    out.retain(|c| {
        let new = !seen.contains(&c.expr);
        seen.push(c.expr.clone());
        new
    });
    out
}

/// `from .db import engine` for a module next to the app's file in a package (a folder with
/// `__init__.py`), `from db import engine` next to a top-level script; modules elsewhere are left out
/// rather than guessed at.
fn sibling_import(
    ctx: &Context,
    target: &Target,
    other: &str,
    var: &str,
    alias: &str,
) -> Option<String> {
    let dir = target.file.dir();
    let (other_dir, name) = other.rsplit_once('/').unwrap_or(("", other));
    if other_dir != dir {
        return None;
    }
    let stem = name.strip_suffix(".py").filter(|s| *s != "__init__")?;
    let init = if dir.is_empty() {
        "__init__.py".to_owned()
    } else {
        format!("{dir}/__init__.py")
    };
    let dot = if ctx.workspace.file(&init).is_some() {
        "."
    } else {
        ""
    };
    Some(if alias == var {
        format!("from {dot}{stem} import {var}")
    } else {
        format!("from {dot}{stem} import {var} as {alias}")
    })
}

/// Whether a name's words say what kind of client it is, as the route facts read names.
fn spells_kind(name: &str, kind: DependencyKind) -> bool {
    let words: Vec<String> = name.split('_').map(str::to_ascii_lowercase).collect();
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    match kind {
        DependencyKind::Database => any(&[
            "db", "engine", "session", "database", "conn", "pool", "mongo",
        ]),
        DependencyKind::Cache => any(&["redis", "cache"]),
        DependencyKind::Http => any(&["http", "httpx"]),
    }
}

/// `var` itself when it spells its kind, else `var` prefixed with the kind (`client` -> `redis_client`).
fn spelled_alias(var: &str, kind: DependencyKind) -> String {
    if spells_kind(var, kind) {
        return var.to_owned();
    }
    let prefix = match kind {
        DependencyKind::Database => "db",
        DependencyKind::Cache => "redis",
        DependencyKind::Http => "http",
    };
    format!("{prefix}_{var}")
}
