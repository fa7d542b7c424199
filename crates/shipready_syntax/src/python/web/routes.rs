//! Routes: decorators (`@app.get("/health")`, `@bp.route("/", methods=[...])`), registration calls
//! (`app.add_api_route`, `app.add_url_rule`, `app.add_route`) and Starlette `Route(...)`/`Mount(...)` lists.

use crate::python::ts::KindName;
use tree_sitter::Node;

use crate::python::ts::Field;

use super::touches::{touches, Mentions};
use super::{At, Call, Cx, DependencyUse, Include, Route, WebApp};
use crate::python::ts::{self, Args};

/// Decorator and registration method names, with the methods they imply (`None`: read `methods=`).
fn method_kind(name: &str) -> Option<Option<&'static str>> {
    Some(match name {
        "get" => Some("GET"),
        "post" => Some("POST"),
        "put" => Some("PUT"),
        "patch" => Some("PATCH"),
        "delete" => Some("DELETE"),
        "head" => Some("HEAD"),
        "options" => Some("OPTIONS"),
        "trace" => Some("TRACE"),
        "websocket" | "websocket_route" | "add_websocket_route" | "add_api_websocket_route" => {
            Some("WEBSOCKET")
        }
        "route" | "api_route" | "add_api_route" | "add_url_rule" | "add_route" => None,
        _ => return None,
    })
}

/// Routes of the file, and the includes that Starlette `Mount("/p", app=...)` entries amount to.
pub(super) fn extract(
    cx: &Cx,
    apps: &[WebApp],
    deps: &[DependencyUse],
) -> (Vec<Route>, Vec<Include>) {
    let known = |owner: &str| apps.iter().any(|app| app.var == owner);
    let mut routes = Vec::new();
    let mut includes = Vec::new();
    let mentions = Mentions::new(cx, deps);
    for &(_, definition) in &cx.decorated {
        let function = definition
            .field("definition")
            .filter(|d| d.kind_name() == "function_definition");
        let mut cursor = definition.walk();
        for decorator in definition
            .named_children(&mut cursor)
            .filter(|d| d.kind_name() == "decorator")
        {
            let Some(call) = decorator.named_child(0).filter(|c| c.kind_name() == "call") else {
                continue;
            };
            let Some(mut route) = registration(cx, call, &known, true) else {
                continue;
            };
            route.range = ts::range(decorator);
            route.handler = function
                .and_then(|f| f.field("name"))
                .map(|n| cx.text(n).to_owned());
            route.handler_range = Some(ts::range(definition));
            route.touches = function
                .map(|f| touches(cx, f, deps, &mentions))
                .unwrap_or_default();
            routes.push(route);
        }
    }
    for call in &cx.calls {
        let in_decorator = cx
            .parent(call.id)
            .is_some_and(|(_, p)| p.kind_name() == "decorator");
        let route = if in_decorator {
            None
        } else {
            registration(cx, call.node, &known, false)
        };
        if let Some(mut route) = route.or_else(|| starlette_route(cx, call, &mut includes)) {
            route.touches = route
                .handler
                .as_deref()
                .and_then(|handler| function_named(cx, handler))
                .map(|f| touches(cx, f, deps, &mentions))
                .unwrap_or_default();
            routes.push(route);
        }
    }
    (routes, includes)
}

/// `<owner>.<method>(path, ...)` as a decorator (`decorator`) or a registration call (`app.add_api_route`).
fn registration(
    cx: &Cx,
    call: Node,
    known: &dyn Fn(&str) -> bool,
    decorator: bool,
) -> Option<Route> {
    let function = call
        .field("function")
        .filter(|f| f.kind_name() == "attribute")?;
    let method_name = cx.text(function.field("attribute")?);
    let registers = method_name.starts_with("add_");
    if registers == decorator {
        return None;
    }
    let implied = method_kind(method_name)?;
    let object = function.field("object")?;
    let owner = ts::dotted(object, cx.src).unwrap_or_else(|| cx.text(object).to_owned());
    let args = Args::of(call, cx.src);
    let path_node = args
        .keyword("path")
        .or_else(|| args.keyword("rule"))
        .or_else(|| args.positional.first().copied());
    let literal = path_node.and_then(|p| ts::string_value(p, cx.src));
    let path_expr = path_node
        .filter(|&p| literal.is_none() || ts::is_interpolated(p, cx.src))
        .map(|p| cx.text(p).trim().to_owned());
    // A decorator on a variable that is not an app of this file counts only with a literal absolute path,
    // so `@cache.get("key")` and `@functools.lru_cache()` are not routes; the `add_*` names are distinctive.
    let path = match literal {
        Some(path) if path.starts_with('/') || known(&owner) || registers => path,
        None if known(&owner) => cx.text(path_node?).to_owned(),
        _ => return None,
    };
    let methods = match implied {
        Some(method) => vec![method.to_owned()],
        None => args
            .keyword("methods")
            .map(|m| ts::upper_strings(m, cx.src))
            .unwrap_or_default(),
    };
    let handler = if registers {
        let handler = match method_name {
            "add_url_rule" => args
                .keyword("view_func")
                .or_else(|| args.positional.get(2).copied()),
            "add_api_route" | "add_api_websocket_route" => args.get(1, "endpoint"),
            _ => args.get(1, "route").or_else(|| args.keyword("endpoint")),
        };
        handler.map(|h| cx.text(h).to_owned())
    } else {
        None
    };
    Some(Route {
        owner,
        path,
        path_expr,
        methods,
        range: ts::range(call),
        handler,
        handler_range: None,
        touches: Vec::new(),
    })
}

/// Starlette `Route("/x", endpoint=f, methods=[...])` / `WebSocketRoute(...)` anywhere, owned by the variable the
/// enclosing list or app is assigned to; a `Mount("/p", app=x)` becomes an include of `x` instead.
fn starlette_route(cx: &Cx, call: &Call, includes: &mut Vec<Include>) -> Option<Route> {
    let callee = cx.resolve_callee(call, &["Route", "WebSocketRoute", "Mount"])?;
    let starlette = !callee.imported || matches!(callee.root(), "starlette" | "fastapi");
    let kind = callee.last();
    if !starlette || !matches!(kind, "Route" | "WebSocketRoute" | "Mount") {
        return None;
    }
    let args = Args::of(call.node, cx.src);
    let path = ts::string_value(args.get(0, "path")?, cx.src)?;
    if !path.is_empty() && !path.starts_with('/') {
        return None;
    }
    let (owner, mount_prefix) = enclosing_owner(cx, (call.id, call.node));
    if kind == "Mount" {
        if let Some(app) = args.get(1, "app") {
            includes.push(Include {
                parent: owner,
                child: cx.text(app).to_owned(),
                prefix: Some(path),
                prefix_expr: None,
                range: ts::range(call.node),
            });
        }
        return None;
    }
    let methods = if kind == "WebSocketRoute" {
        vec!["WEBSOCKET".to_owned()]
    } else {
        args.keyword("methods")
            .map(|m| ts::upper_strings(m, cx.src))
            .unwrap_or_default()
    };
    Some(Route {
        owner,
        path: format!("{mount_prefix}{path}"),
        path_expr: None,
        methods,
        range: ts::range(call.node),
        handler: args.get(1, "endpoint").map(|h| cx.text(h).to_owned()),
        handler_range: None,
        touches: Vec::new(),
    })
}

/// The variable the route list is assigned to (`routes = [...]`, `app = Starlette(routes=[...])`), and the
/// joined paths of the `Mount(...)` calls the route is nested in.
fn enclosing_owner(cx: &Cx, (id, call): At) -> (String, String) {
    let mut prefixes = Vec::new();
    let mut node = id;
    while let Some((parent_id, parent)) = cx.parent(node) {
        match parent.kind_name() {
            "assignment" => {
                let owner = parent
                    .field("left")
                    .and_then(|l| ts::dotted(l, cx.src))
                    .unwrap_or_default();
                prefixes.reverse();
                return (owner, prefixes.concat());
            }
            "call" if parent != call => {
                let is_mount = parent
                    .field("function")
                    .is_some_and(|f| ts::last_segment(cx.text(f)) == "Mount");
                if is_mount {
                    if let Some(path) = Args::of(parent, cx.src)
                        .get(0, "path")
                        .and_then(|p| ts::string_value(p, cx.src))
                    {
                        prefixes.push(path);
                    }
                }
            }
            "function_definition" | "class_definition" | "module" => break,
            _ => {}
        }
        node = parent_id;
    }
    prefixes.reverse();
    (String::new(), prefixes.concat())
}

/// The first function definition of the file named `name` (a handler registered by name).
fn function_named<'t>(cx: &Cx<'t, '_>, name: &str) -> Option<Node<'t>> {
    cx.functions
        .iter()
        .map(|&(_, f)| f)
        .find(|f| f.field("name").is_some_and(|n| cx.text(n) == name))
}
