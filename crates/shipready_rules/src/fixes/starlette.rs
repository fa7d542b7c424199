//! The health route fix for Starlette apps, whose routes are a list handed to the constructor
//! (`Starlette(routes=[...])`, or `routes=routes` with `routes = [...]` bound at module level).
//!
//! The fix adds a handler function before the statement that holds the list, a `Route(path, handler)` element
//! to the list (in the list's own layout: one element per line or inline, with or without a trailing comma),
//! and the `Route`/`JSONResponse` imports the file lacks. When the routes are not a list literal of the file
//! (built by a function, imported, or absent), the route is registered with `app.add_route(...)` right after
//! the app's assignment instead.

use shipready_syntax::python::web::{AppKind, Framework};

use super::python::{self, Target};
use super::{py_scan, text};
use crate::{Applicability, Context, Edit, Fix};

/// Handler names tried in order.
const NAMES: &[&str] = &["health", "health_check", "healthz_endpoint"];

/// A health route for the main Starlette application, or `None` when the main app is not one.
pub(crate) fn health_fix(ctx: &Context, paths: &[&str]) -> Option<Fix> {
    let target = target(ctx)?;
    let path = python::free_path(ctx, &target, paths)?;
    let src: &str = &target.file.text;
    let name = NAMES
        .iter()
        .copied()
        .filter(|n| !target.py.imports.iter().any(|i| i.local == *n))
        .find(|n| python::free_name(src, &[n]).is_some())?;
    let (route, route_import) =
        python::import_name(&target, &["starlette.routing"], "Route", "StarletteRoute");
    let (json, json_import) = python::import_name(
        &target,
        &["starlette.responses"],
        "JSONResponse",
        "StarletteJSONResponse",
    );
    let element = format!("{route}(\"{path}\", {name})");
    let (statement, list_edits, statements) = match routes_list(&target) {
        // The index does not yet join a `routes = [...]` variable to the app it is passed to, so a health
        // route added there satisfies HC001 but not HC003: never offer a second one.
        Some((_, _, owner)) if has_health_route(ctx, &target, owner) => return None,
        Some((statement, shape, _)) => (
            statement,
            element_edits(&target, shape, &element),
            route_import.into_iter().chain(json_import).collect(),
        ),
        None => (
            target.app.range.start,
            vec![add_route(&target, &path, name)],
            json_import.into_iter().collect::<Vec<_>>(),
        ),
    };
    let handler_at = text::line_start(src, statement);
    let handler = handler_block(&target, handler_at, name, &json);
    let mut edits = Vec::new();
    match python::imports_edit(&target, &statements) {
        Some(Edit::Replace {
            range, new_text, ..
        }) if range.start == handler_at => {
            edits.push(text::insert(
                &target.file.path,
                handler_at,
                format!("{new_text}{handler}"),
            ));
        }
        // `Route(...)` in a list runs at import time: an import placed after it would come too late.
        Some(Edit::Replace { range, .. }) if range.start > handler_at => return None,
        Some(edit) => {
            edits.push(edit);
            edits.push(text::insert(&target.file.path, handler_at, handler));
        }
        None => edits.push(text::insert(&target.file.path, handler_at, handler)),
    }
    edits.extend(list_edits);
    Some(Fix {
        title: format!("Add a GET {path} health endpoint to `{}`", target.app.var),
        applicability: if super::health_endpoint::equivalent_exists(ctx, &target) {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        edits,
    })
}

/// The main application when it is a Starlette app bound to a plain variable, else the first such app.
fn target<'a>(ctx: &'a Context) -> Option<Target<'a>> {
    let web = &ctx.index.web();
    let is_starlette = |i: usize| {
        web.apps.get(i).is_some_and(|a| {
            a.app.framework == Framework::Starlette
                && a.app.kind == AppKind::App
                && !a.app.var.contains('.')
        })
    };
    let node = match web.main_app {
        Some(main) => Some(main).filter(|&m| is_starlette(m))?,
        None => (0..web.apps.len()).find(|&i| is_starlette(i))?,
    };
    python::target_of(ctx, node)
}

/// The list literal the app's routes are in, with the start of the statement that holds it: the app's
/// assignment for an inline list, the module-level binding for `routes=<name>`.
fn routes_list<'t>(target: &'t Target) -> Option<(usize, py_scan::ListShape, &'t str)> {
    let src: &str = &target.file.text;
    let stmt = target.app.range;
    let open = stmt.start + src.get(stmt.start..stmt.end)?.find('(')?;
    let value = py_scan::keyword_value(src, open, "routes")?;
    if src.as_bytes().get(value) == Some(&b'[') {
        let shape = py_scan::list_shape(src, value)?;
        return Some((stmt.start, shape, target.app.var.as_str()));
    }
    let rest = src.get(value..)?;
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = rest.get(..len).filter(|n| !n.is_empty())?;
    let after = py_scan::tokens(src, value + len).next()?;
    if !matches!(after.byte, b',' | b')') {
        return None;
    }
    let binding = module_binding(src.get(..stmt.start)?, name)?;
    // After the `=`: an annotation (`routes: list[Route] = [...]`) has brackets of its own.
    let eq = binding + src.get(binding..)?.find('=')?;
    let open = eq + src.get(eq..)?.find('[')?;
    Some((binding, py_scan::list_shape(src, open)?, name))
}

/// Whether a route of `owner`'s list in the target's file is already a health route.
fn has_health_route(ctx: &Context, target: &Target, owner: &str) -> bool {
    ctx.index
        .web()
        .health_routes()
        .any(|r| r.file == target.file.path && r.route.owner == owner)
}

/// The start of the last module-level `name = [` / `name: T = [` line of `before`.
fn module_binding(before: &str, name: &str) -> Option<usize> {
    let mut found = None;
    let mut at = 0;
    for line in before.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(name) {
            let rest = rest.trim_start();
            let value = match rest.strip_prefix(':') {
                Some(annotated) => annotated.split_once('=').map(|(_, v)| v),
                None => rest.strip_prefix('=').filter(|v| !v.starts_with('=')),
            };
            if value.is_some_and(|v| v.trim_start().starts_with('[')) {
                found = Some(at);
            }
        }
        at += line.len();
    }
    found
}

/// The insertions that add `element` to the list: a line of its own before the closing bracket when the
/// list has one element per line, else right after the last element.
fn element_edits(target: &Target, shape: py_scan::ListShape, element: &str) -> Vec<Edit> {
    let src: &str = &target.file.text;
    let file = &target.file.path;
    let (Some(first), Some(last_end)) = (shape.first, shape.last_end) else {
        return vec![text::insert(file, shape.open + 1, element.to_owned())];
    };
    let per_line = src.get(shape.open..first).is_some_and(|s| s.contains('\n'))
        && text::line_at(src, shape.close)
            .trim_start()
            .starts_with(']');
    if per_line {
        let indent = text::indent_at(src, first);
        let eol = text::eol(src);
        let line_at = text::line_start(src, shape.close);
        return match shape.trailing_comma {
            Some(_) => vec![text::insert(
                file,
                line_at,
                format!("{indent}{element},{eol}"),
            )],
            None => vec![
                text::insert(file, last_end, ",".to_owned()),
                text::insert(file, line_at, format!("{indent}{element}{eol}")),
            ],
        };
    }
    match shape.trailing_comma {
        Some(comma) => vec![text::insert(file, comma, format!(" {element},"))],
        None => vec![text::insert(file, last_end, format!(", {element}"))],
    }
}

/// `app.add_route(path, handler)` on the line after the app's assignment.
fn add_route(target: &Target, path: &str, name: &str) -> Edit {
    let src: &str = &target.file.text;
    let line = format!(
        "{}{}.add_route(\"{path}\", {name}){}",
        target.app.indent,
        target.app.var,
        text::eol(src)
    );
    text::insert_lines_after(&target.file.path, src, target.app.range.end, &line)
}

/// The handler function, placed at the start of line `at`, separated from the code around it by blank
/// lines (two at module level, one in a function).
fn handler_block(target: &Target, at: usize, name: &str, json: &str) -> String {
    let src: &str = &target.file.text;
    let eol = text::eol(src);
    let indent = text::indent_at(src, at);
    let body = format!("{indent}{}", python::indent_unit(src, indent));
    let wanted = if indent.is_empty() { 2 } else { 1 };
    let blanks = eol.repeat(wanted);
    let before = eol.repeat(wanted.saturating_sub(blank_lines_before(src, at)));
    format!(
        "{before}{indent}async def {name}(request):{eol}{body}return {json}({{\"status\": \"healthy\"}}){eol}{blanks}"
    )
}

/// How many blank lines end the text before `at` (a line start); the start of the file counts as enough.
fn blank_lines_before(src: &str, at: usize) -> usize {
    let before = src.get(..at).unwrap_or("");
    if before.trim().is_empty() {
        return usize::MAX;
    }
    before
        .strip_suffix('\n')
        .unwrap_or(before)
        .rsplit('\n')
        .take_while(|line| line.trim().is_empty())
        .count()
}
