//! Where Python route fixes go: the app, router or blueprint to extend, a free path and handler name, the
//! file's indentation unit, the line after which new code is valid, and import insertions.

use shipready_syntax::python::web::{AppKind, Framework, WebApp};
use shipready_syntax::python::{Import, PythonFacts};
use shipready_syntax::FileFacts;

use super::py_layout::block_end;
pub(crate) use super::py_layout::indent_unit;
use super::text;
use crate::index::web::{join_path, AppNode};
use crate::{Context, Edit, SourceFile};

/// The app, router or blueprint a route fix extends, with its file.
pub(crate) struct Target<'a> {
    /// Index into the web index's apps.
    pub node: usize,
    pub app: &'a WebApp,
    pub file: &'a SourceFile,
    pub py: &'a PythonFacts,
}

impl Target<'_> {
    /// The indentation of a statement next to the app's assignment, and of the lines in a new function body.
    pub fn indents(&self) -> (String, String) {
        let unit = indent_unit(&self.file.text, &self.app.indent);
        (
            self.app.indent.clone(),
            format!("{}{unit}", self.app.indent),
        )
    }
}

/// The main application, else (in a workspace of routers or blueprints only) the router in the conventional
/// entry file, else the first one. Starlette apps (routes declared as a list) and attribute-bound apps
/// (`self.app = Flask()`) get no route fixes: where a route goes is not a place after a line.
pub(crate) fn target<'a>(ctx: &'a Context) -> Option<Target<'a>> {
    let web = &ctx.index.web();
    let node = web.main_app.or_else(|| {
        let routers: Vec<(usize, &AppNode)> = web
            .apps
            .iter()
            .enumerate()
            .filter(|(_, a)| a.app.kind == AppKind::Router)
            .collect();
        routers
            .iter()
            .find(|(_, a)| is_entry_file(&a.file))
            .or(routers.first())
            .map(|(i, _)| *i)
    })?;
    target_at(ctx, node)
}

/// The app node `node` as a fix target for the decorator-based frameworks (FastAPI, Flask).
pub(crate) fn target_at<'a>(ctx: &'a Context, node: usize) -> Option<Target<'a>> {
    let app_node = ctx.index.web().apps.get(node)?;
    if app_node.app.framework == Framework::Starlette || app_node.app.var.contains('.') {
        return None;
    }
    target_of(ctx, node)
}

/// The app node `node` as a fix target, whatever its framework.
pub(crate) fn target_of<'a>(ctx: &'a Context, node: usize) -> Option<Target<'a>> {
    let app_node = ctx.index.web().apps.get(node)?;
    let file = ctx.workspace.file(&app_node.file)?;
    let FileFacts::Python(py) = &file.facts else {
        return None;
    };
    Some(Target {
        node,
        app: &app_node.app,
        file,
        py,
    })
}

fn is_entry_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "main.py" | "app.py" | "server.py" | "asgi.py" | "wsgi.py" | "api.py" | "__init__.py"
    )
}

/// The first of `candidates` (paths as written on the target) that no route of the target's app serves and
/// no route in the target's file declares, so a new route never shadows or duplicates one.
pub(crate) fn free_path(ctx: &Context, target: &Target, candidates: &[&str]) -> Option<String> {
    let web = &ctx.index.web();
    let prefix = target.app.prefix.as_deref().unwrap_or("");
    let mut taken: Vec<String> = Vec::new();
    for route in web.routes.iter() {
        if route.served_by(target.node) {
            taken.extend(route.mounts.iter().map(|(p, _)| p.clone()));
        }
        if route.file == target.file.path {
            taken.push(join_path("", &route.route.path));
            if route.route.owner == target.app.var {
                taken.push(join_path(prefix, &route.route.path));
            }
        }
    }
    candidates
        .iter()
        .find(|c| !taken.contains(&join_path("", c)) && !taken.contains(&join_path(prefix, c)))
        .map(|c| (*c).to_owned())
}

/// The first of `candidates` that the file does not already define as a function.
pub(crate) fn free_name(source: &str, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find(|n| !source.contains(&format!("def {n}(")))
        .map(|n| (*n).to_owned())
}

/// The decorator that registers a GET route: `@app.get(...)` on FastAPI and Flask 2 (when the workspace
/// already uses that form), `@app.route(...)` on older Flask.
pub(crate) fn get_decorator(ctx: &Context, target: &Target, path: &str) -> String {
    let var = &target.app.var;
    let method_form = target.app.framework == Framework::FastApi || uses_flask_method_form(ctx);
    if method_form {
        format!("@{var}.get(\"{path}\")")
    } else {
        format!("@{var}.route(\"{path}\")")
    }
}

fn uses_flask_method_form(ctx: &Context) -> bool {
    ctx.index.web().routes.iter().any(|r| {
        let framework = ctx
            .index
            .web()
            .apps
            .iter()
            .find(|a| a.file == r.file && a.app.var == r.route.owner)
            .map(|a| a.app.framework);
        let decorator = ctx
            .workspace
            .file(&r.file)
            .and_then(|f| f.text.get(r.route.range.start..r.route.range.end))
            .unwrap_or("");
        framework == Some(Framework::Flask)
            && [".get(", ".post(", ".put(", ".delete(", ".patch("]
                .iter()
                .any(|m| decorator.contains(m))
    })
}

/// The offset after which a new route of the target is valid Python at the app's indentation: the end of
/// the last route of the target declared after the app at the same indentation and in the same block (a
/// factory's body up to its `return`), else the app's assignment.
pub(crate) fn anchor(target: &Target) -> usize {
    let src = &target.file.text;
    let limit = block_end(src, target.app.range.end, &target.app.indent);
    target
        .py
        .web
        .routes
        .iter()
        .filter(|r| r.owner == target.app.var && r.range.start > target.app.range.start)
        .filter(|r| text::indent_at(src, r.range.start) == target.app.indent)
        .filter_map(|r| r.handler_range)
        .map(|r| r.end)
        .filter(|&end| end <= limit)
        .max()
        .unwrap_or(target.app.range.end)
}

/// The code of a new function placed after `anchor`: blank lines around it (two at module level, one in a
/// function, as PEP 8 has it), each line indented by `indent` (blank lines stay empty), in the file's line
/// ending.
pub(crate) fn route_block(target: &Target, at: usize, lines: &[String]) -> Edit {
    let src = &target.file.text;
    let eol = text::eol(src);
    let blanks = if target.app.indent.is_empty() { 2 } else { 1 };
    let mut block = eol.repeat(blanks);
    for line in lines {
        if !line.is_empty() {
            block.push_str(line);
        }
        block.push_str(eol);
    }
    // When code follows directly, keep it separated from the new function too.
    let next_is_code = text::next_line_start(src, at)
        .map(|n| text::line_at(src, n))
        .is_some_and(|l| !l.trim().is_empty());
    if next_is_code {
        block.push_str(&eol.repeat(blanks));
    }
    text::insert_lines_after(&target.file.path, src, at, &block)
}

/// An import of `name` from one of `modules` (the first is used when adding one), reusing an existing
/// binding: the local name to use and, when the import is missing, the statement that adds it. A name
/// already bound to something else is imported under `alias`.
pub(crate) fn import_name(
    target: &Target,
    modules: &[&str],
    name: &str,
    alias: &str,
) -> (String, Option<String>) {
    let imports = &target.py.imports;
    if let Some(existing) = imports.iter().find(|i| {
        modules.contains(&i.module.as_str()) && i.level == 0 && i.name.as_deref() == Some(name)
    }) {
        return (existing.local.clone(), None);
    }
    let module = modules.first().copied().unwrap_or_default();
    let clash = imports.iter().any(|i| i.local == name)
        || target.file.text.contains(&format!("def {name}("));
    if clash {
        (
            alias.to_owned(),
            Some(format!("from {module} import {name} as {alias}")),
        )
    } else {
        (
            name.to_owned(),
            Some(format!("from {module} import {name}")),
        )
    }
}

/// Module-level import statements placed after the file's last top-level import (or at the top), as one
/// edit so that several imports never compete for the same offset.
pub(crate) fn imports_edit(target: &Target, statements: &[String]) -> Option<Edit> {
    if statements.is_empty() {
        return None;
    }
    let src = &target.file.text;
    let eol = text::eol(src);
    let block: String = statements.iter().map(|s| format!("{s}{eol}")).collect();
    let last: Option<&Import> = target
        .py
        .imports
        .iter()
        .filter(|i| text::indent_at(src, i.range.start).is_empty())
        .max_by_key(|i| i.range.end);
    Some(match last {
        Some(i) => text::insert_lines_after(&target.file.path, src, i.range.end, &block),
        None => text::insert(&target.file.path, 0, block),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names() {
        assert_eq!(
            free_name("def health():", &["health", "health_check"]).as_deref(),
            Some("health_check")
        );
        assert_eq!(free_name("", &["health"]).as_deref(), Some("health"));
    }
}
