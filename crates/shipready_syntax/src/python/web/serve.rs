//! How apps are put together and served: `include_router`/`register_blueprint`/`mount` calls, Werkzeug's
//! `DispatcherMiddleware(app.wsgi_app, {"/sub": sub})`, and the runners
//! (`uvicorn.run(...)`, Flask's `app.run(...)`), wherever they are (an `if __name__ == "__main__":` block included).

use crate::python::ts::KindName;
use tree_sitter::Node;

use crate::python::ts::Field;

use super::apps::assigned_value;
use super::constants::literal_or_source;
use super::{Cx, Include, Runner, WebApp};
use crate::python::ts::{self, Args};

/// `parent.include_router(child, prefix=...)`, `parent.register_blueprint(child, url_prefix=...)`,
/// `parent.mount("/p", child)`.
pub(super) fn includes(cx: &Cx) -> Vec<Include> {
    let mut out = Vec::new();
    for call in &cx.calls {
        dispatcher_mounts(cx, call.node, &mut out);
        let Some((object, method)) = call.method else {
            continue;
        };
        if !matches!(method, "include_router" | "register_blueprint" | "mount") {
            continue;
        }
        let args = Args::of(call.node, cx.src);
        let string = |node: Option<Node>| node.and_then(|n| ts::string_value(n, cx.src));
        let prefix_of =
            |node: Option<Node>| node.map(|n| literal_or_source(cx, n)).unwrap_or_default();
        let (child, (prefix, prefix_expr)) = match method {
            "include_router" => (args.get(0, "router"), prefix_of(args.keyword("prefix"))),
            "register_blueprint" => (
                args.get(0, "blueprint"),
                prefix_of(args.keyword("url_prefix")),
            ),
            "mount" => {
                // `requests.Session().mount("https://", adapter)` shares the name; only a path is a mount point.
                let Some(path) =
                    string(args.get(0, "path")).filter(|p| p.starts_with('/') || p.is_empty())
                else {
                    continue;
                };
                (args.get(1, "app"), (Some(path), None))
            }
            _ => continue,
        };
        let Some(child) = child else { continue };
        out.push(Include {
            parent: ts::dotted(object, cx.src).unwrap_or_else(|| cx.text(object).to_owned()),
            child: cx.text(child).to_owned(),
            prefix,
            prefix_expr,
            range: ts::range(call.node),
        });
    }
    out
}

/// `DispatcherMiddleware(app.wsgi_app, {"/api": api_app, "/admin": admin.wsgi_app})`: each string key mounts its
/// app under the first argument's app (Werkzeug's way of composing Flask apps).
fn dispatcher_mounts(cx: &Cx, call: Node, out: &mut Vec<Include>) {
    let Some(function) = call.field("function") else {
        return;
    };
    if ts::last_segment(cx.text(function)) != "DispatcherMiddleware" {
        return;
    }
    let args = Args::of(call, cx.src);
    let app_of = |node: Node| {
        let dotted = ts::dotted(node, cx.src)?;
        Some(
            dotted
                .strip_suffix(".wsgi_app")
                .unwrap_or(&dotted)
                .to_owned(),
        )
    };
    let Some(parent) = args.get(0, "app").and_then(app_of) else {
        return;
    };
    let Some(mounts) = args
        .get(1, "mounts")
        .filter(|m| m.kind_name() == "dictionary")
    else {
        return;
    };
    let mut cursor = mounts.walk();
    for pair in mounts.named_children(&mut cursor) {
        if pair.kind_name() != "pair" {
            continue;
        }
        let key = pair.field("key").and_then(|k| ts::string_value(k, cx.src));
        let child = pair.field("value").and_then(app_of);
        if let (Some(prefix), Some(child)) = (key, child) {
            out.push(Include {
                parent: parent.clone(),
                child,
                prefix: Some(prefix),
                prefix_expr: None,
                range: ts::range(pair),
            });
        }
    }
}

/// `uvicorn.run("main:app", port=8000)`, `uvicorn.run(app)`, and `app.run(...)` on an app of this file or on an
/// imported name that says it is an app (`from myapp import app; app.run()` in a `run.py`).
pub(super) fn runners(cx: &Cx, apps: &[WebApp]) -> Vec<Runner> {
    let mut out = Vec::new();
    for call in &cx.calls {
        let Some(callee) = call.function.and_then(|f| cx.resolve(f)) else {
            continue;
        };
        let uvicorn = matches!(callee.root(), "uvicorn" | "hypercorn") && callee.last() == "run";
        if !uvicorn && callee.last() != "run" {
            continue;
        }
        let args = Args::of(call.node, cx.src);
        let (target, port) = if uvicorn {
            let Some(app) = args.get(0, "app") else {
                continue;
            };
            let target = ts::string_value(app, cx.src).unwrap_or_else(|| cx.text(app).to_owned());
            (target, args.keyword("port"))
        } else {
            let Some((object, "run")) = call.method else {
                continue;
            };
            let Some(owner) = ts::dotted(object, cx.src) else {
                continue;
            };
            let is_app = apps.iter().any(|a| a.var == owner)
                || (cx.names.is_imported(&owner) && owner.to_ascii_lowercase().contains("app"))
                || built_by_factory(cx, &owner);
            if !is_app {
                continue;
            }
            (owner, args.get(1, "port"))
        };
        let port = port.and_then(|p| cx.text(p).replace('_', "").parse::<u16>().ok());
        out.push(Runner {
            target,
            port,
            range: ts::range(call.node),
        });
    }
    out
}

/// Whether `var` is assigned from an app factory call (`app = create_app()`, `app = make_app(config)`).
fn built_by_factory(cx: &Cx, var: &str) -> bool {
    cx.assignments.iter().any(|&(_, assignment)| {
        let assigns_var = assignment.field("left").is_some_and(|l| cx.text(l) == var);
        let factory = assigned_value(assignment)
            .filter(|value| value.kind_name() == "call")
            .and_then(|call| call.field("function"))
            .and_then(|f| ts::dotted(f, cx.src))
            .is_some_and(|f| ts::last_segment(&f).to_ascii_lowercase().contains("app"));
        assigns_var && factory
    })
}
