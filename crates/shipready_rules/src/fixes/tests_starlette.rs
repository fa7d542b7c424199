//! Fix tests for the Starlette health route (HC001/HC003): inline route lists and module-level `routes`
//! variables, one-element-per-line and inline layouts, trailing commas, taken paths and names, CRLF files,
//! imports that are missing or present, and the `app.add_route` fallback.

use super::tests::{any, check_fix, files};
use crate::Applicability;

const IMPORTS: &str =
    "from starlette.applications import Starlette\nfrom starlette.routing import Route\n";

#[test]
fn inline_list_gets_the_handler_the_route_and_the_missing_import() {
    let src = format!(
        "{IMPORTS}\n\nasync def home(request):\n    return PlainTextResponse(\"hi\")\n\n\napp = Starlette(routes=[\n    Route(\"/\", home),\n])\n"
    );
    let ws = files(&[("app.py", &src)]);
    let done = check_fix(&ws, "HC001", any);
    assert_eq!(done.fix.applicability, Applicability::Safe);
    assert_eq!(
        done.after["app.py"],
        format!(
            "{IMPORTS}from starlette.responses import JSONResponse\n\n\nasync def home(request):\n    return PlainTextResponse(\"hi\")\n\n\n\
             async def health(request):\n    return JSONResponse({{\"status\": \"healthy\"}})\n\n\n\
             app = Starlette(routes=[\n    Route(\"/\", home),\n    Route(\"/health\", health),\n])\n"
        )
    );
    assert!(!done.audit.findings.iter().any(|f| f.code == "HC003"));
}

#[test]
fn main_app_with_an_inline_list_clears_hc003() {
    let ws = files(&[
        (
            "main.py",
            "from starlette.applications import Starlette\nfrom starlette.responses import JSONResponse\nfrom starlette.routing import Route\napp = Starlette(debug=True, routes=[Route(\"/a\", a), Route(\"/b\", b)])\n",
        ),
        ("Dockerfile", "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n"),
    ]);
    let done = check_fix(&ws, "HC003", any);
    assert_eq!(
        done.after["main.py"],
        "from starlette.applications import Starlette\nfrom starlette.responses import JSONResponse\nfrom starlette.routing import Route\n\n\n\
         async def health(request):\n    return JSONResponse({\"status\": \"healthy\"})\n\n\n\
         app = Starlette(debug=True, routes=[Route(\"/a\", a), Route(\"/b\", b), Route(\"/health\", health)])\n"
    );
    assert!(!done.audit.findings.iter().any(|f| f.code == "HC001"));
}

#[test]
fn module_level_routes_variable_without_trailing_comma() {
    let ws = files(&[(
        "app.py",
        "from starlette.applications import Starlette\n\nroutes: list = [\n    Route(\"/users\", users),  # the users\n]\n\napp = Starlette(routes=routes)\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert_eq!(
        done.after["app.py"],
        "from starlette.applications import Starlette\nfrom starlette.routing import Route\nfrom starlette.responses import JSONResponse\n\n\n\
         async def health(request):\n    return JSONResponse({\"status\": \"healthy\"})\n\n\n\
         routes: list = [\n    Route(\"/users\", users),  # the users\n    Route(\"/health\", health),\n]\n\napp = Starlette(routes=routes)\n"
    );
}

#[test]
fn one_element_per_line_without_a_trailing_comma_gets_one_comma() {
    let ws = files(&[(
        "app.py",
        "from starlette.applications import Starlette\nfrom starlette.routing import Route\nfrom starlette.responses import JSONResponse\n\nroutes = [\n\tRoute(\"/a\", a)\n]\napp = Starlette(routes=routes)\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert!(done.after["app.py"].contains(
        "routes = [\n\tRoute(\"/a\", a),\n\tRoute(\"/health\", health)\n]\napp = Starlette(routes=routes)\n"
    ));
}

#[test]
fn health_path_and_name_taken_by_another_app_move_to_the_next_free_ones() {
    let ws = files(&[
        (
            "main.py",
            "from starlette.applications import Starlette\nfrom starlette.routing import Route\nfrom starlette.responses import JSONResponse\n\n\n\
             def health(request):\n    return JSONResponse({})\n\n\nadmin = Starlette(routes=[Route(\"/health\", health)])\n\
             app = Starlette(routes=[Route(\"/a\", a),])\n",
        ),
        ("Dockerfile", "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n"),
    ]);
    let done = check_fix(&ws, "HC003", any);
    assert_eq!(
        done.inserted("main.py"),
        "\n\nasync def health_check(request):\n    return JSONResponse({\"status\": \"healthy\"})\n\n\n Route(\"/healthz\", health_check),"
    );
}

#[test]
fn module_level_routes_variable_of_the_main_app_is_fixed_once() {
    let ws = files(&[
        (
            "main.py",
            "from starlette.applications import Starlette\nfrom starlette.routing import Route\n\nroutes = [Route(\"/a\", a)]\napp = Starlette(routes=routes)\n",
        ),
        ("Dockerfile", "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n"),
    ]);
    // The main app's gap is the one to close: routes listed in `routes` are the app's (routes=routes).
    let done = check_fix(&ws, "HC003", any);
    assert!(
        done.after["main.py"].contains("routes = [Route(\"/a\", a), Route(\"/health\", health)]\n")
    );
    assert!(!done
        .audit
        .findings
        .iter()
        .any(|f| f.code == "HC001" || f.code == "HC003"));
}

#[test]
fn crlf_file_keeps_its_line_endings() {
    let src = "from starlette.applications import Starlette\r\nfrom starlette.routing import Route\r\n\r\nroutes = [\r\n    Route(\"/a\", a),\r\n]\r\napp = Starlette(routes=routes)\r\n";
    let ws = files(&[("app.py", src)]);
    let done = check_fix(&ws, "HC001", any);
    let text = &done.after["app.py"];
    assert_eq!(
        text,
        "from starlette.applications import Starlette\r\nfrom starlette.routing import Route\r\nfrom starlette.responses import JSONResponse\r\n\r\n\r\n\
         async def health(request):\r\n    return JSONResponse({\"status\": \"healthy\"})\r\n\r\n\r\n\
         routes = [\r\n    Route(\"/a\", a),\r\n    Route(\"/health\", health),\r\n]\r\napp = Starlette(routes=routes)\r\n"
    );
}

#[test]
fn dynamic_routes_fall_back_to_add_route() {
    let ws = files(&[(
        "app.py",
        "from starlette.applications import Starlette\n\napp = Starlette(routes=build_routes())\napp.add_route(\"/a\", a)\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert_eq!(
        done.after["app.py"],
        "from starlette.applications import Starlette\nfrom starlette.responses import JSONResponse\n\n\n\
         async def health(request):\n    return JSONResponse({\"status\": \"healthy\"})\n\n\n\
         app = Starlette(routes=build_routes())\napp.add_route(\"/health\", health)\napp.add_route(\"/a\", a)\n"
    );
}

#[test]
fn annotated_routes_and_comprehensions() {
    let ws = files(&[(
        "app.py",
        "from starlette.applications import Starlette\nfrom starlette.routing import Route\nfrom starlette.responses import JSONResponse\n\n\n\
         routes: list[Route] = [Route(\"/a\", a)]\napp = Starlette(routes=routes)\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert!(done.after["app.py"]
        .contains("routes: list[Route] = [Route(\"/a\", a), Route(\"/health\", health)]\n"));
    // A comprehension has no element list to extend: the route is registered on the app instead.
    let ws = files(&[(
        "app.py",
        "from starlette.applications import Starlette\nfrom starlette.routing import Route\nfrom starlette.responses import JSONResponse\n\n\n\
         app = Starlette(routes=[Route(p, h) for p, h in TABLE])\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert!(done
        .inserted("app.py")
        .contains("app.add_route(\"/health\", health)"));
}
