//! Which app nodes an expression of a Python file refers to, following the app object where it flows: a name
//! bound in the file or imported from another ([`resolve_var`]), a parameter of a helper that callers pass an
//! app to (`def init_app(app): app.register_blueprint(bp)` called as `init_app(app)` anywhere), and a call of a
//! factory that returns a router it builds (`register_blueprint(create_blueprint())`).

use std::collections::HashMap;

use shipready_syntax::python::web::{ClassInstance, WebApp};
use shipready_syntax::python::PythonFacts;
use shipready_text::TextRange;

use super::python;
use crate::index::modules;
use crate::Workspace;

/// How deep helpers that pass the app on to further helpers are followed.
const MAX_DEPTH: usize = 4;

/// App nodes keyed by `(file, variable)`.
pub(super) type Keys = HashMap<(String, String), usize>;

/// The app nodes `expr`, written at `at` in `file`, refers to: usually one, several when a helper is called with
/// different apps, none when it is not an app the workspace declares.
pub(super) fn owners(
    ws: &Workspace,
    keys: &Keys,
    file: &str,
    py: &PythonFacts,
    expr: &str,
    at: TextRange,
) -> Vec<usize> {
    let mut out = Vec::new();
    owners_into(ws, keys, file, py, expr, at, 0, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

#[allow(clippy::too_many_arguments)]
fn owners_into(
    ws: &Workspace,
    keys: &Keys,
    file: &str,
    py: &PythonFacts,
    expr: &str,
    at: TextRange,
    depth: usize,
    out: &mut Vec<usize>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let expr = expr.trim();
    if let Some(node) = resolve_var(ws, keys, file, py, expr) {
        out.push(node);
        return;
    }
    // `create_blueprint()` / `api.create_router(prefix)`: the router the factory returns.
    if let Some((callee, _)) = expr.split_once('(') {
        if let Some((target, function)) = resolve_function(ws, file, py, callee.trim()) {
            let facts = ws.file(&target).and_then(|f| python(&f.facts));
            let returned = facts
                .into_iter()
                .flat_map(|p| &p.web.factories)
                .filter(|f| f.function == function)
                .filter_map(|f| keys.get(&(target.clone(), f.returns.clone())));
            out.extend(returned);
        }
        return;
    }
    // A parameter of the function the expression is in: whatever the callers pass.
    let params = py
        .web
        .app_params
        .iter()
        .filter(|p| p.param == expr && p.range.start <= at.start && at.end <= p.range.end);
    for param in params {
        for caller in ws.files() {
            let Some(caller_py) = python(&caller.facts) else {
                continue;
            };
            for pass in &caller_py.web.app_passes {
                let same_slot = pass.position == Some(param.position)
                    || pass.keyword.as_deref() == Some(param.param.as_str());
                if !same_slot {
                    continue;
                }
                let callee = resolve_function(ws, &caller.path, caller_py, &pass.callee);
                if callee.is_some_and(|(f, n)| f == file && n == param.function) {
                    owners_into(
                        ws,
                        keys,
                        &caller.path,
                        caller_py,
                        &pass.arg,
                        pass.range,
                        depth + 1,
                        out,
                    );
                }
            }
        }
    }
}

/// The `(file, function)` a callee written in `file` names: a function of the file itself, or one imported
/// (`from web.views import register_views`, `from web import views` then `views.register_views`).
fn resolve_function(
    ws: &Workspace,
    file: &str,
    py: &PythonFacts,
    callee: &str,
) -> Option<(String, String)> {
    let defines = |p: &PythonFacts, name: &str| {
        p.web.app_params.iter().any(|a| a.function == name)
            || p.web.factories.iter().any(|f| f.function == name)
    };
    if !callee.contains('.') && defines(py, callee) {
        return Some((file.to_owned(), callee.to_owned()));
    }
    if let Some(found) = resolve_name(ws, file, py, callee) {
        return Some(found);
    }
    // `ext.init_app(app)` on an extension object (`ext = Ext()` here, or imported from where it is made): the
    // method of that name in the file the object comes from.
    let (object, method) = callee.rsplit_once('.')?;
    let home = if object.contains('.') || py.imports.iter().any(|i| i.local == object) {
        resolve_name(ws, file, py, object)?.0
    } else {
        file.to_owned()
    };
    let facts = ws.file(&home).and_then(|f| python(&f.facts))?;
    defines(facts, method).then(|| (home, method.to_owned()))
}

/// The app an instance of an imported class is, when that class derives from an app or router class in the
/// file it comes from (`from web.base import WebApp` then `app = WebApp(__name__)`).
pub(super) fn class_app(
    ws: &Workspace,
    file: &str,
    py: &PythonFacts,
    instance: &ClassInstance,
) -> Option<WebApp> {
    let (target, name) = resolve_name(ws, file, py, &instance.class)?;
    let facts = ws.file(&target).and_then(|f| python(&f.facts))?;
    let class = facts.web.app_classes.iter().find(|c| c.name == name)?;
    Some(WebApp {
        var: instance.var.clone(),
        framework: class.framework,
        kind: class.kind,
        prefix: None,
        prefix_expr: None,
        routes_var: None,
        range: instance.range,
        indent: instance.indent.clone(),
    })
}

/// The `(file, name)` that a dotted expression written in `file` refers to through the file's imports.
fn resolve_name(
    ws: &Workspace,
    file: &str,
    py: &PythonFacts,
    expr: &str,
) -> Option<(String, String)> {
    let mut parts = expr.split('.');
    let head = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let import = py.imports.iter().rev().find(|i| i.local == head)?;
    // `from m import name` -> name is either a variable of module m, or a submodule m.name.
    let (module, mut tail): (String, Vec<&str>) = match &import.name {
        Some(name) if rest.is_empty() => {
            let target = modules::resolve(ws, file, &import.module, import.level)?;
            return Some((target.to_owned(), name.clone()));
        }
        Some(name) => {
            let m = if import.module.is_empty() {
                name.clone()
            } else {
                format!("{}.{name}", import.module)
            };
            (m, rest)
        }
        None => (import.module.clone(), rest),
    };
    let var = tail.pop()?;
    let module = if tail.is_empty() {
        module
    } else {
        format!("{module}.{}", tail.join("."))
    };
    let target = modules::resolve(ws, file, &module, import.level)?;
    Some((target.to_owned(), var.to_owned()))
}

/// The app node a Python expression (`app`, `router`, `users.router`, `api.v1.router`) refers to in `file`.
pub(super) fn resolve_var(
    ws: &Workspace,
    keys: &Keys,
    file: &str,
    py: &PythonFacts,
    expr: &str,
) -> Option<usize> {
    let expr = expr.trim();
    if let Some(&n) = keys.get(&(file.to_owned(), expr.to_owned())) {
        return Some(n);
    }
    let key = resolve_name(ws, file, py, expr)?;
    keys.get(&key).copied()
}
