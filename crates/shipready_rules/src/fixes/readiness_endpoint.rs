//! The fix for HC004: a readiness route on the main application that checks the dependencies the code
//! actually uses and answers 503 when any of them fails.
//!
//! Dependencies are the clients of [`DependencyUse`] facts that the route can name: module-level clients of
//! the app's own file, clients another module defines and the app's file already imports, and clients of a
//! sibling module (imported by the fix, which makes it Unsafe). Each client gets the probe its library
//! offers: `SELECT 1` through a SQLAlchemy engine or session factory (sync or async, with `sqlalchemy.text`
//! imported), `ping` for Redis and MongoDB, `acquire` for an asyncpg pool, and a GET of a downstream URL for
//! HTTP clients, which is guesswork and makes the fix Unsafe. FastAPI answers with a `JSONResponse` and
//! `status_code=503`; Flask with a `(body, 503)` tuple; Flask views stay synchronous, so async clients are
//! left out there. With no dependency it can probe, the fix offers a plain readiness route (Unsafe: it checks
//! nothing, so it does not close HC004 by itself) and only while the app has no readiness route yet.

use shipready_syntax::python::web::{DependencyKind, Framework};
use shipready_syntax::FileFacts;

use super::python::{self, Target};
use crate::index::{modules, web::is_health_path};
use crate::{Applicability, Context, Fix};

const PATHS: &[&str] = &["/ready", "/readyz", "/health/ready"];
const NAMES: &[&str] = &["ready", "readiness", "readiness_check"];

/// A client the readiness route can reach: the expression that names it and whether the route must import it.
struct Client {
    expr: String,
    kind: DependencyKind,
    /// The client's construction, which says which library and flavour it is.
    source: String,
    import: Option<String>,
}

/// A readiness route for the main application.
pub(crate) fn fix(ctx: &Context) -> Option<Fix> {
    let target = python::target(ctx)?;
    let path = python::free_path(ctx, &target, PATHS)?;
    let name = python::free_name(&target.file.text, NAMES)?;
    let at = python::anchor(&target);
    let flask = match target.app.framework {
        Framework::FastApi => false,
        Framework::Flask => true,
        Framework::Starlette => return None,
    };
    let mut imports = Vec::new();
    let mut checks: Vec<Probe> = Vec::new();
    let mut guessed = false;
    for client in clients(ctx, &target, at) {
        let Some(mut probe) = probe(&client, flask) else {
            continue;
        };
        if probe.needs_text {
            let (local, statement) =
                python::import_name(&target, &["sqlalchemy"], "text", "sql_text");
            probe.lines = probe
                .lines
                .iter()
                .map(|l| l.replace("text(", &format!("{local}(")))
                .collect();
            imports.extend(statement);
        }
        guessed |= probe.guess || client.import.is_some();
        imports.extend(client.import.clone());
        checks.push(probe);
    }
    if checks.is_empty() && has_readiness_route(ctx, &target) {
        return None;
    }
    let (indent, body) = target.indents();
    let unit = body
        .strip_prefix(indent.as_str())
        .unwrap_or("    ")
        .to_owned();
    // Blocking probes run in FastAPI's thread pool from a sync handler; a route that awaits, or checks
    // nothing, is async.
    let is_async = !flask && (checks.is_empty() || checks.iter().any(|c| c.is_async));
    let def = if is_async { "async def" } else { "def" };
    let decorator = python::get_decorator(ctx, &target, &path);
    let mut lines = vec![format!("{indent}{decorator}")];
    if checks.is_empty() {
        let ret = if flask { "" } else { " -> dict[str, str]" };
        lines.push(format!("{indent}{def} {name}(){ret}:"));
        lines.push(format!("{body}return {{\"status\": \"ready\"}}"));
    } else {
        let response = if flask {
            None
        } else {
            let (local, statement) = python::import_name(
                &target,
                &["fastapi.responses", "starlette.responses"],
                "JSONResponse",
                "ReadinessResponse",
            );
            imports.extend(statement);
            Some(local)
        };
        let ret = response
            .as_deref()
            .map(|r| format!(" -> {r}"))
            .unwrap_or_default();
        lines.push(format!("{indent}{def} {name}(){ret}:"));
        lines.push(format!("{body}checks: dict[str, str] = {{}}"));
        let labels = labels(&checks);
        for (probe, label) in checks.iter().zip(labels) {
            lines.push(format!("{body}try:"));
            for l in &probe.lines {
                lines.push(format!("{body}{unit}{}", l.replace('\t', &unit)));
            }
            lines.push(format!("{body}{unit}checks[\"{label}\"] = \"ok\""));
            lines.push(format!("{body}except Exception:"));
            lines.push(format!("{body}{unit}checks[\"{label}\"] = \"unavailable\""));
        }
        lines.push(format!(
            "{body}ok = all(state == \"ok\" for state in checks.values())"
        ));
        lines.push(format!(
            "{body}payload = {{\"status\": \"ready\" if ok else \"unavailable\", \"checks\": checks}}"
        ));
        lines.push(match &response {
            Some(r) => format!("{body}return {r}(payload, status_code=200 if ok else 503)"),
            None => format!("{body}return payload, (200 if ok else 503)"),
        });
    }
    imports.sort();
    imports.dedup();
    let mut edits = vec![python::route_block(&target, at, &lines)];
    edits.extend(python::imports_edit(&target, &imports));
    edits.sort_by_key(edit_start);
    let plain = checks.is_empty();
    let title = if plain {
        format!(
            "Add a GET {path} readiness endpoint to `{}` (no dependencies found to check)",
            target.app.var
        )
    } else {
        format!(
            "Add a GET {path} readiness endpoint to `{}` that checks its dependencies",
            target.app.var
        )
    };
    Some(Fix {
        title,
        applicability: if plain || guessed {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        edits,
    })
}

fn edit_start(edit: &crate::Edit) -> usize {
    match edit {
        crate::Edit::Replace { range, .. } => range.start,
        crate::Edit::Create { .. } => 0,
    }
}

/// One dependency probe: its body lines (a tab marks one more indentation level), written against the
/// client's expression.
struct Probe {
    kind: DependencyKind,
    expr: String,
    lines: Vec<String>,
    is_async: bool,
    needs_text: bool,
    guess: bool,
}

fn probe(client: &Client, flask: bool) -> Option<Probe> {
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

/// Keys of the `checks` map: the dependency kind, or the client's name when two clients share a kind.
fn labels(checks: &[Probe]) -> Vec<String> {
    checks
        .iter()
        .map(|c| {
            let shared = checks.iter().filter(|o| o.kind == c.kind).count() > 1;
            let kind = match c.kind {
                DependencyKind::Database => "database",
                DependencyKind::Cache => "cache",
                DependencyKind::Http => "downstream",
            };
            if shared {
                c.expr.clone()
            } else {
                kind.to_owned()
            }
        })
        .collect()
}

/// The clients a route placed after `at` in the target's file can name, in a stable order, one per name.
fn clients(ctx: &Context, target: &Target, at: usize) -> Vec<Client> {
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
    for file in ctx.workspace.files() {
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

/// Whether the target already serves a readiness path (`/ready`, `/readyz`, `/readiness`).
fn has_readiness_route(ctx: &Context, target: &Target) -> bool {
    ctx.index.web.routes.iter().any(|r| {
        let ours = r.served_by(target.node)
            || (r.file == target.file.path && r.route.owner == target.app.var);
        let paths = r
            .mounts
            .iter()
            .map(|(p, _)| p.as_str())
            .chain([r.route.path.as_str()]);
        ours && paths.clone().any(is_health_path)
            && paths.clone().any(|p| {
                let last = p.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                matches!(last, "ready" | "readyz" | "readiness")
            })
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
