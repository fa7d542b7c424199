//! Tests of app composition across files: sub-applications mounted with a prefix, routers registered in helpers
//! that receive the app or built by factories, and routes a health probe requests.

use super::*;

/// `(full path, served by the main app)` of each route, in file and route order.
fn paths_on_main(index: &WebIndex) -> Vec<(String, bool)> {
    let main = index.main_app;
    index
        .routes
        .iter()
        .flat_map(|r| {
            r.mounts
                .iter()
                .map(move |(p, a)| (p.clone(), main.is_some() && *a == main))
        })
        .collect()
}

#[test]
fn a_mounted_sub_application_serves_its_routes_under_the_prefix() {
    let ws = Workspace::from_texts([
        (
            "app/main.py",
            "from fastapi import FastAPI\nfrom app.ops import ops_app\n\napp = FastAPI()\napp.mount(\"/ops\", ops_app)\n",
        ),
        (
            "app/ops.py",
            "from fastapi import FastAPI\n\nops_app = FastAPI()\n\n@ops_app.get(\"/health\")\ndef health(): ...\n",
        ),
    ]);
    let index = build(&ws, &[]);
    // The mounted app is served through the main one, so it is not a candidate for the main app itself.
    assert_eq!(index.main_reason, "the only application");
    assert_eq!(
        paths_on_main(&index),
        vec![
            ("/health".to_owned(), false),
            ("/ops/health".to_owned(), true)
        ]
    );
}

#[test]
fn blueprints_registered_by_helpers_on_a_flask_subclass_built_in_a_factory() {
    let ws = Workspace::from_texts([
        (
            "web/__init__.py",
            "from flask import Flask\nfrom web.views import register_views\nfrom web import api\n\n\
             class WebApp(Flask):\n    pass\n\ndef create_app():\n    app = WebApp(__name__)\n    register_views(app)\n\
             \x20   app.register_blueprint(api.create_blueprint(), url_prefix=\"/api\")\n    return app\n",
        ),
        (
            "web/views.py",
            "from flask import Blueprint\n\nops = Blueprint(\"ops\", __name__)\n\n@ops.route(\"/healthz\")\ndef healthz(): ...\n\n\
             def register_views(app):\n    app.register_blueprint(ops, url_prefix=\"/ops\")\n\n    @app.route(\"/about\")\n    def about(): ...\n",
        ),
        (
            "web/api.py",
            "from flask import Blueprint\n\ndef create_blueprint():\n    bp = Blueprint(\"api\", __name__)\n\n\
             \x20   @bp.route(\"/items\")\n    def items(): ...\n\n    return bp\n",
        ),
    ]);
    let index = build(&ws, &[(String::new(), "web:create_app()".to_owned())]);
    assert_eq!(index.main_reason, "started as `web:create_app()`");
    assert_eq!(
        paths_on_main(&index),
        vec![
            ("/api/items".to_owned(), true),
            ("/ops/healthz".to_owned(), true),
            ("/about".to_owned(), true),
        ]
    );
}

#[test]
fn a_route_a_probe_script_requests_is_the_health_route() {
    let ws = Workspace::from_texts([
        (
            "Dockerfile",
            "FROM python:3.12-slim\nCOPY . /app\nHEALTHCHECK CMD python /app/scripts/healthcheck.py\n\
             CMD [\"uvicorn\", \"main:app\"]\n",
        ),
        (
            "scripts/healthcheck.py",
            "import sys, urllib.request\ntry:\n    urllib.request.urlopen(\"http://localhost:8000/api/app/about\", timeout=3)\n\
             except Exception:\n    sys.exit(1)\n",
        ),
        (
            "main.py",
            "from fastapi import FastAPI, APIRouter\n\napp = FastAPI()\nrouter = APIRouter(prefix=\"/app\")\n\n\
             @router.get(\"/about\")\ndef about(): ...\n\n@router.get(\"/users\")\ndef users(): ...\n\n\
             app.include_router(router, prefix=\"/api\")\n",
        ),
    ]);
    let index = build(&ws, &[]);
    let health: Vec<_> = index.health_routes().map(WebIndex::display_path).collect();
    assert_eq!(health, vec!["/api/app/about"]);
}

#[test]
fn an_instance_of_an_app_subclass_imported_from_another_file_is_an_app() {
    let ws = Workspace::from_texts([
        (
            "web/base.py",
            "from flask import Flask\n\nclass Base(Flask):\n    pass\n\nclass WebApp(Base):\n    json_sort_keys = False\n",
        ),
        (
            "web/app.py",
            "from web.base import WebApp\n\napp = WebApp(__name__)\n\n@app.get(\"/status\")\ndef status(): ...\n",
        ),
    ]);
    let index = build(&ws, &[(String::new(), "web.app:app".to_owned())]);
    assert_eq!(index.main_reason, "started as `web.app:app`");
    assert_eq!(paths_on_main(&index), vec![("/status".to_owned(), true)]);
}

#[test]
fn an_extension_object_registers_its_blueprints_in_init_app() {
    let ws = Workspace::from_texts([
        (
            "shop/extensions.py",
            "from flask import Blueprint\n\nstatus = Blueprint(\"status\", __name__)\n\n@status.route(\"/ready\")\ndef ready(): ...\n\n\
             class Monitoring:\n    def init_app(self, app):\n        app.register_blueprint(status, url_prefix=\"/_\")\n\n\
             monitoring = Monitoring()\n",
        ),
        (
            "shop/__init__.py",
            "from flask import Flask\nfrom shop.extensions import monitoring\n\ndef create_app():\n    app = Flask(__name__)\n\
             \x20   monitoring.init_app(app)\n    return app\n",
        ),
    ]);
    let index = build(&ws, &[]);
    assert_eq!(paths_on_main(&index), vec![("/_/ready".to_owned(), true)]);
}

#[test]
fn a_wsgi_wrapper_started_by_name_serves_the_outer_app() {
    let ws = Workspace::from_texts([(
        "wsgi.py",
        "from flask import Flask\nfrom werkzeug.middleware.dispatcher import DispatcherMiddleware\n\n\
         backend = Flask(\"backend\")\nfrontend = Flask(\"frontend\")\n\n@backend.route(\"/ping\")\ndef ping(): ...\n\n\
         application = DispatcherMiddleware(frontend, {\"/backend\": backend})\n",
    )]);
    let index = build(&ws, &[(String::new(), "wsgi:application".to_owned())]);
    let main = index.main_app.and_then(|n| index.apps.get(n));
    assert_eq!(main.map(|a| a.app.var.as_str()), Some("frontend"));
    assert_eq!(
        paths_on_main(&index),
        vec![
            ("/ping".to_owned(), false),
            ("/backend/ping".to_owned(), true)
        ]
    );
}

#[test]
fn a_starlette_mount_of_another_app_serves_its_routes_under_the_mount() {
    let ws = Workspace::from_texts([
        (
            "main.py",
            "from starlette.applications import Starlette\nfrom starlette.routing import Mount\nfrom ops import ops\n\n\
             app = Starlette(routes=[Mount(\"/ops\", app=ops)])\n",
        ),
        (
            "ops.py",
            "from fastapi import FastAPI\n\nops = FastAPI()\n\n@ops.get(\"/live\")\ndef live(): ...\n",
        ),
    ]);
    let index = build(&ws, &[(String::new(), "main:app".to_owned())]);
    assert_eq!(
        paths_on_main(&index),
        vec![("/live".to_owned(), false), ("/ops/live".to_owned(), true)]
    );
}
