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

use super::python::{self, Target};
use super::readiness_clients::{clients, probe, Probe};
use crate::index::web::is_health_path;
use crate::{Applicability, Context, Fix};

const PATHS: &[&str] = &["/ready", "/readyz", "/health/ready"];
const NAMES: &[&str] = &["ready", "readiness", "readiness_check"];

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

/// Whether the target already serves a readiness path (`/ready`, `/readyz`, `/readiness`).
fn has_readiness_route(ctx: &Context, target: &Target) -> bool {
    ctx.index.web().routes.iter().any(|r| {
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
