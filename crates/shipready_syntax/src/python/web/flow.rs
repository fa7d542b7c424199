//! Where an app object flows between functions, so the workspace can follow it: helpers that receive an app as a
//! parameter and register on it (`def init_app(app): app.register_blueprint(bp)`), the calls that pass an app to
//! a function (`init_app(app)`, `views.register(app=app)`), factories that return the app or router they build
//! (`def create_blueprint(): bp = Blueprint(...); ...; return bp`), and instances of classes imported from
//! another module that may derive from an app class there (`app = WebApp(__name__)`).

use crate::python::ts::KindName;
use serde::Serialize;
use shipready_text::TextRange;
use tree_sitter::Node;

use crate::python::index::Kind;
use crate::python::ts::Field;

use super::apps::{assigned_value, classify, statement_of};
use super::{AppKind, Cx, Framework, Include, Route, WebApp};
use crate::python::ts::{self, Args};

/// A parameter of a function that routes or includes are registered on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppParam {
    pub function: String,
    pub param: String,
    /// Its position among the parameters, not counting a method's `self`/`cls`.
    pub position: usize,
    /// The whole function definition: registrations inside it on `param` are on the passed app.
    pub range: TextRange,
}

/// A call passing `arg` (an app of the file, or an imported app) to `callee`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppPass {
    /// The callee as written (`register_views`, `views.init_app`).
    pub callee: String,
    pub arg: String,
    /// The positional index, or the keyword, it is passed as.
    pub position: Option<usize>,
    pub keyword: Option<String>,
    /// The call.
    pub range: TextRange,
}

/// A function returning the app or router bound to `returns` in its own body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Factory {
    pub function: String,
    pub returns: String,
}

/// A class derived from an app or router class, directly or through other classes of its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppClass {
    pub name: String,
    pub framework: Framework,
    pub kind: AppKind,
}

/// An instance of an imported class that is used like an app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassInstance {
    /// The class as written (`WebApp`, `base.WebApp`).
    pub class: String,
    pub var: String,
    /// The whole assignment statement.
    pub range: TextRange,
    /// The indentation of the assignment's line.
    pub indent: String,
}

/// Parameters that routes or includes are registered on, with their function.
///
/// Registrations are sorted by start once, so each function looks only at those that start inside it: a file of
/// 2,000 handlers costs 2,000 binary searches rather than 2,000 x 2,000 comparisons (it was the largest cost of
/// a keystroke's facts in such a file).
pub(super) fn params(cx: &Cx, routes: &[Route], includes: &[Include]) -> Vec<AppParam> {
    let mut registrations: Vec<(shipready_text::TextRange, &str)> = routes
        .iter()
        .map(|r| (r.range, r.owner.as_str()))
        .chain(includes.iter().map(|i| (i.range, i.parent.as_str())))
        .collect();
    registrations.sort_by_key(|(range, _)| range.start);
    let mut out = Vec::new();
    for &(_, function) in &cx.functions {
        let Some(name) = function.field("name").map(|n| cx.text(n).to_owned()) else {
            continue;
        };
        let span = ts::range(function);
        let first = registrations.partition_point(|(r, _)| r.start < span.start);
        let inside = registrations
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|(r, _)| r.start <= span.end)
            .filter(|(r, _)| r.end <= span.end);
        let owners: Vec<&str> = inside.map(|(_, owner)| *owner).collect();
        if owners.is_empty() {
            continue;
        }
        for (position, param) in parameter_names(cx, function).into_iter().enumerate() {
            if owners.contains(&param.as_str()) {
                out.push(AppParam {
                    function: name.clone(),
                    param,
                    position,
                    range: span,
                });
            }
        }
    }
    out
}

/// The names of a function's parameters in order, without a method's `self`/`cls` (a method call passes its
/// first argument to the second parameter) and without `*args`/`**kwargs`.
fn parameter_names(cx: &Cx, function: Node) -> Vec<String> {
    let Some(list) = function.field("parameters") else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let mut cursor = list.walk();
    for param in list.named_children(&mut cursor) {
        let name = match param.kind_name() {
            "identifier" => Some(param),
            "typed_parameter" => param
                .named_child(0)
                .filter(|n| n.kind_name() == "identifier"),
            "default_parameter" | "typed_default_parameter" => param.field("name"),
            _ => None,
        };
        if let Some(name) = name {
            names.push(cx.text(name).to_owned());
        }
    }
    if names.first().is_some_and(|n| n == "self" || n == "cls") {
        names.remove(0);
    }
    names
}

/// Calls that pass an app of this file, or an imported name that says it is one, to a function: `register_views(app)`,
/// `views.init_app(app=app)`. Registration methods of the app itself are includes, not passes.
pub(super) fn passes(cx: &Cx, apps: &[WebApp], instances: &[ClassInstance]) -> Vec<AppPass> {
    let mut out = Vec::new();
    let is_app = |name: &str| {
        apps.iter().any(|a| a.var == name)
            || instances.iter().any(|i| i.var == name)
            || (cx.names.is_imported(name) && name.to_ascii_lowercase().contains("app"))
    };
    for call in &cx.calls {
        let Some(callee) = call.function.and_then(|f| ts::dotted(f, cx.src)) else {
            continue;
        };
        let args = Args::of(call.node, cx.src);
        let mut push = |arg: Node, position: Option<usize>, keyword: Option<&str>| {
            if arg.kind_name() != "identifier" {
                return;
            }
            let arg = cx.text(arg);
            if is_app(arg) && arg != callee && !callee.starts_with(&format!("{arg}.")) {
                out.push(AppPass {
                    callee: callee.clone(),
                    arg: arg.to_owned(),
                    position,
                    keyword: keyword.map(str::to_owned),
                    range: ts::range(call.node),
                });
            }
        };
        for (i, &arg) in args.positional.iter().enumerate() {
            push(arg, Some(i), None);
        }
        for (name, arg) in &args.keywords {
            push(*arg, None, Some(name));
        }
    }
    out
}

/// Functions that return an app or router assigned in their own body (`return bp` after `bp = Blueprint(...)`).
pub(super) fn factories(cx: &Cx, apps: &[WebApp], instances: &[ClassInstance]) -> Vec<Factory> {
    let mut out = Vec::new();
    for &(_, function) in &cx.functions {
        let (Some(name), Some(body)) = (function.field("name"), function.field("body")) else {
            continue;
        };
        let span = ts::range(function);
        let mut cursor = body.walk();
        for statement in body.named_children(&mut cursor) {
            if statement.kind_name() != "return_statement" {
                continue;
            }
            let Some(value) = statement
                .named_child(0)
                .filter(|v| v.kind_name() == "identifier")
            else {
                continue;
            };
            let var = cx.text(value);
            let inside = |r: shipready_text::TextRange| r.start >= span.start && r.end <= span.end;
            let built_here = apps.iter().any(|a| a.var == var && inside(a.range))
                || instances.iter().any(|i| i.var == var && inside(i.range));
            if built_here {
                out.push(Factory {
                    function: cx.text(name).to_owned(),
                    returns: var.to_owned(),
                });
            }
        }
    }
    out
}

/// `var = Imported(...)` where `Imported` is a capitalised name from another module that is not a framework
/// class: an app when that module's class derives from one (the workspace decides).
pub(super) fn class_instances(cx: &Cx) -> Vec<ClassInstance> {
    let mut out = Vec::new();
    for &(id, assignment) in &cx.assignments {
        let nested = cx
            .parent(id)
            .is_some_and(|(p, _)| cx.index.kind(p) == Kind::Assignment);
        let Some(call) = assigned_value(assignment).filter(|v| v.kind_name() == "call") else {
            continue;
        };
        let (Some(left), Some(function)) = (assignment.field("left"), call.field("function"))
        else {
            continue;
        };
        let Some(class) = ts::dotted(function, cx.src) else {
            continue;
        };
        let capitalised = ts::last_segment(&class).starts_with(|c: char| c.is_ascii_uppercase());
        let head = class.split('.').next().unwrap_or("");
        if nested || !capitalised || !cx.names.is_imported(head) {
            continue;
        }
        let Some(resolved) = cx.resolve(function) else {
            continue;
        };
        if classify(&resolved).is_some() {
            continue;
        }
        let (Some(var), range) = (
            ts::dotted(left, cx.src),
            ts::range(statement_of(cx, (id, assignment))),
        ) else {
            continue;
        };
        out.push(ClassInstance {
            class,
            var,
            range,
            indent: ts::line_indent(cx.src, range.start),
        });
    }
    out
}
