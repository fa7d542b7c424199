//! The fix for HC001/HC003: a GET health route on the main application (or, in a workspace of routers
//! only, on the router in the entry file).
//!
//! The route uses the app's own variable, the file's indentation and line ending, and the first path of
//! `/health`, `/healthz`, `/health/live` that the app does not serve yet. It goes after the app's last route
//! at the app's indentation, else right after the app's assignment, which is valid Python both at module
//! level and inside an app factory (`def create_app(): app = Flask(__name__) ... return app`). FastAPI and
//! Flask need no import for it. Starlette apps declare routes as a list: [`starlette`](super::starlette) adds
//! the route there. The fix is Unsafe when an equivalent health route may already exist (in the app's file, or on
//! a router mounted nowhere the workspace shows, like `/api/v1/healthcheck` on an unlinked router).

use shipready_syntax::python::web::Framework;

use super::{python, starlette};
use crate::{Applicability, Context, Fix};

/// Health paths tried in order.
const PATHS: &[&str] = &["/health", "/healthz", "/health/live"];
const NAMES: &[&str] = &["health", "health_check", "healthcheck", "liveness"];

/// A health route for the main application, or `None` when there is no app to extend.
pub(crate) fn fix(ctx: &Context) -> Option<Fix> {
    let Some(target) = python::target(ctx) else {
        return starlette::health_fix(ctx, PATHS);
    };
    let path = python::free_path(ctx, &target, PATHS)?;
    let name = python::free_name(&target.file.text, NAMES)?;
    let (indent, body) = target.indents();
    let decorator = python::get_decorator(ctx, &target, &path);
    let (def, value) = match target.app.framework {
        Framework::FastApi => (
            format!("async def {name}() -> dict[str, str]:"),
            "return {\"status\": \"healthy\"}",
        ),
        Framework::Flask => (format!("def {name}():"), "return {\"status\": \"healthy\"}"),
        Framework::Starlette => return None,
    };
    let lines = [
        format!("{indent}{decorator}"),
        format!("{indent}{def}"),
        format!("{body}{value}"),
    ];
    let at = python::anchor(&target);
    let edit = python::route_block(&target, at, &lines);
    Some(Fix {
        title: format!("Add a GET {path} health endpoint to `{}`", target.app.var),
        applicability: if equivalent_exists(ctx, &target) {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        edits: vec![edit],
    })
}

/// Whether a health route that may already be the target's exists: one in the target's own file, one served by
/// the target, or one on a router that is mounted nowhere the workspace shows (it may be included in a way
/// shipready cannot follow). Adding `/health` next to it could duplicate it, so the fix is not safe.
pub(crate) fn equivalent_exists(ctx: &Context, target: &python::Target) -> bool {
    ctx.index.web().health_routes().any(|r| {
        r.file == target.file.path
            || r.served_by(target.node)
            || r.mounts.iter().all(|(_, app)| app.is_none())
    })
}
