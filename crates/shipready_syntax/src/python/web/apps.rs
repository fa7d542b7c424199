//! App and router constructors: `app = FastAPI()`, `router = APIRouter(prefix=...)`, `app = Flask(__name__)`,
//! `bp = Blueprint(..., url_prefix=...)`, `app = Starlette(...)`, at module level or inside an app factory, and
//! instances of the file's own subclasses of those (`class WebApp(Flask)` then `app = WebApp(__name__)`).

use crate::python::ts::KindName;
use tree_sitter::Node;

use crate::python::ts::Field;

use super::constants::literal_or_source;
use super::{AppClass, AppKind, At, Cx, Framework, Resolved, WebApp};
use crate::python::index::Kind;
use crate::python::ts::{self, Args};

pub(super) fn extract(cx: &Cx) -> Vec<WebApp> {
    let subclasses = subclasses(cx);
    cx.assignments
        .iter()
        .filter_map(|&assignment| app_of(cx, assignment, &subclasses))
        .collect()
}

/// The file's classes derived from an app or router class, for the files that import them.
pub(super) fn app_classes(cx: &Cx) -> Vec<AppClass> {
    subclasses(cx)
        .into_iter()
        .map(|(name, framework, kind)| AppClass {
            name,
            framework,
            kind,
        })
        .collect()
}

/// A class of this file derived from an app or router class, with what it inherits.
type Subclass = (String, Framework, AppKind);

/// The classes of this file derived from an app or router class, directly or through each other
/// (`class Base(Flask)`, `class WebApp(Base)`), whatever order they are written in.
fn subclasses(cx: &Cx) -> Vec<Subclass> {
    let mut out: Vec<Subclass> = Vec::new();
    // Each round adds at least one class, so the classes of the file bound the rounds.
    for _ in 0..=cx.classes.len() {
        let before = out.len();
        for &(_, class) in &cx.classes {
            let Some(name) = class.field("name").map(|n| cx.text(n)) else {
                continue;
            };
            if out.iter().any(|(n, _, _)| n == name) {
                continue;
            }
            let Some(bases) = class.field("superclasses") else {
                continue;
            };
            let mut cursor = bases.walk();
            let inherited = bases.named_children(&mut cursor).find_map(|base| {
                let resolved = cx.resolve(base)?;
                classify(&resolved).or_else(|| {
                    out.iter()
                        .find(|(n, _, _)| *n == resolved.name)
                        .map(|&(_, f, k)| (f, k))
                })
            });
            if let Some((framework, kind)) = inherited {
                out.push((name.to_owned(), framework, kind));
            }
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// The framework and kind of a constructor callee, by where the name was imported from; a name that was not
/// imported at all (star import, half-typed file) is recognised by its unambiguous spelling.
pub(super) fn classify(callee: &Resolved) -> Option<(Framework, AppKind)> {
    let by_name = match callee.last() {
        "FastAPI" => (Framework::FastApi, AppKind::App),
        "APIRouter" => (Framework::FastApi, AppKind::Router),
        "Flask" => (Framework::Flask, AppKind::App),
        "Blueprint" => (Framework::Flask, AppKind::Router),
        "Starlette" => (Framework::Starlette, AppKind::App),
        "Router" if callee.imported => (Framework::Starlette, AppKind::Router),
        _ => return None,
    };
    if !callee.imported {
        return (!callee.name.contains('.')).then_some(by_name);
    }
    let framework = match callee.root() {
        "fastapi" => Framework::FastApi,
        "flask" => Framework::Flask,
        "starlette" => Framework::Starlette,
        _ => return None,
    };
    Some((framework, by_name.1))
}

/// `var = Ctor(...)`, `var: T = Ctor(...)`, `a = b = Ctor(...)`, `self.app = Ctor(...)`.
fn app_of(cx: &Cx, (id, assignment): At, subclasses: &[Subclass]) -> Option<WebApp> {
    // The innermost assignment of a chain holds the call; the statement is the outermost one.
    if cx
        .parent(id)
        .is_some_and(|(p, _)| cx.index.kind(p) == Kind::Assignment)
    {
        return None;
    }
    let left = assignment.field("left")?;
    let call = assigned_value(assignment)?;
    if call.kind_name() != "call" {
        return None;
    }
    let callee = cx.resolve(call.field("function")?)?;
    let (framework, kind) = classify(&callee).or_else(|| {
        subclasses
            .iter()
            .find(|(n, _, _)| !callee.imported && *n == callee.name)
            .map(|&(_, f, k)| (f, k))
    })?;
    let var = ts::dotted(left, cx.src)?;
    let prefix_kw = match (framework, kind) {
        (_, AppKind::App) | (Framework::Starlette, _) => None,
        (Framework::FastApi, AppKind::Router) => Some("prefix"),
        (Framework::Flask, AppKind::Router) => Some("url_prefix"),
    };
    let (prefix, prefix_expr) = prefix_kw
        .and_then(|kw| Args::of(call, cx.src).keyword(kw))
        .map(|value| literal_or_source(cx, value))
        .unwrap_or_default();
    let routes_var = (framework == Framework::Starlette)
        .then(|| Args::of(call, cx.src).keyword("routes"))
        .flatten()
        .filter(|value| value.kind_name() == "identifier")
        .map(|value| cx.text(value).to_owned());
    let statement = statement_of(cx, (id, assignment));
    let range = ts::range(statement);
    Some(WebApp {
        var,
        framework,
        kind,
        prefix,
        prefix_expr,
        routes_var,
        range,
        indent: ts::line_indent(cx.src, range.start),
    })
}

/// The value finally assigned by an assignment statement, looking through chains and `await`.
pub(super) fn assigned_value(assignment: Node) -> Option<Node> {
    let mut value = assignment.field("right")?;
    for _ in 0..16 {
        match value.kind_name() {
            "assignment" => value = value.field("right")?,
            "await" => value = value.named_child(0)?,
            _ => return Some(value),
        }
    }
    None
}

/// The whole statement an assignment belongs to (the `expression_statement`, which has the same bytes unless the
/// statement holds more than the assignment).
pub(super) fn statement_of<'t>(cx: &Cx<'t, '_>, (id, assignment): At<'t>) -> Node<'t> {
    match cx.parent(id) {
        Some((_, parent)) if parent.kind_name() == "expression_statement" => parent,
        _ => assignment,
    }
}

#[cfg(test)]
mod tests {
    use crate::python::parse;
    use crate::python::web::{AppKind, Framework};

    fn apps(src: &str) -> Vec<(String, Framework, AppKind, Option<String>, String, String)> {
        parse(src)
            .web
            .apps
            .into_iter()
            .map(|a| {
                (
                    a.var,
                    a.framework,
                    a.kind,
                    a.prefix,
                    a.range.slice(src).to_owned(),
                    a.indent,
                )
            })
            .collect()
    }

    #[test]
    fn fastapi_app_and_router() {
        let src = "import fastapi\nfrom fastapi import APIRouter as R\n\napp = fastapi.FastAPI(title=\"x\")\n\
                   router = R(prefix=\"/api\", tags=[\"a\"])\napp2: fastapi.FastAPI = fastapi.FastAPI()\n";
        assert_eq!(
            apps(src),
            vec![
                (
                    "app".into(),
                    Framework::FastApi,
                    AppKind::App,
                    None,
                    "app = fastapi.FastAPI(title=\"x\")".into(),
                    "".into()
                ),
                (
                    "router".into(),
                    Framework::FastApi,
                    AppKind::Router,
                    Some("/api".into()),
                    "router = R(prefix=\"/api\", tags=[\"a\"])".into(),
                    "".into()
                ),
                (
                    "app2".into(),
                    Framework::FastApi,
                    AppKind::App,
                    None,
                    "app2: fastapi.FastAPI = fastapi.FastAPI()".into(),
                    "".into()
                ),
            ]
        );
    }

    #[test]
    fn flask_factory_and_blueprint() {
        let src = "from flask import Flask, Blueprint\n\nbp = Blueprint(\"x\", __name__, url_prefix='/x')\n\n\
                   def create_app():\n\tapp = Flask(__name__)\n\tapp.register_blueprint(bp)\n\treturn app\n";
        let got = apps(src);
        assert_eq!(got[0].0, "bp");
        assert_eq!(got[0].3.as_deref(), Some("/x"));
        assert_eq!(
            (got[1].0.as_str(), got[1].1, got[1].2),
            ("app", Framework::Flask, AppKind::App)
        );
        assert_eq!(
            (got[1].4.as_str(), got[1].5.as_str()),
            ("app = Flask(__name__)", "\t")
        );
    }

    #[test]
    fn starlette_and_unimported_names() {
        let src =
            "from starlette.applications import Starlette\nfrom starlette.routing import Router\n\
                   app = Starlette(routes=[])\nr = Router()\napi = FastAPI()\nx = other.Flask()\n";
        let got: Vec<_> = apps(src).into_iter().map(|a| (a.0, a.1, a.2)).collect();
        assert_eq!(
            got,
            vec![
                ("app".into(), Framework::Starlette, AppKind::App),
                ("r".into(), Framework::Starlette, AppKind::Router),
                ("api".into(), Framework::FastApi, AppKind::App),
            ]
        );
    }

    #[test]
    fn names_imported_from_elsewhere_are_not_apps() {
        assert!(apps(
            "from mylib import Flask\napp = Flask()\nfrom x import Router\nr = Router()\n"
        )
        .is_empty());
    }
}
