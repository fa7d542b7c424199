//! Fix tests in the shapes real code has: the port a compose service binds gunicorn to, `ENV PORT`, the path of
//! the health route the app already serves, a health route fix that is not safe when an equivalent route exists,
//! and routes inserted inside the factory that builds the router, before its `return`.

use super::tests::{any, check_fix, files};
use crate::Applicability;

const FLASK_APP: &str = "from flask import Flask, Blueprint\n\napi = Blueprint(\"api\", __name__, url_prefix=\"/api/v1\")\n\n\
                         @api.route(\"/healthcheck\")\ndef healthcheck():\n    return {\"ok\": True}\n\n\n\
                         def create_app():\n    app = Flask(__name__)\n    app.register_blueprint(api)\n    return app\n";

#[test]
fn healthcheck_probes_the_port_the_compose_command_binds_and_the_existing_route() {
    let ws = files(&[
        ("web/__init__.py", FLASK_APP),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\nCMD [\"gunicorn\", \"web:create_app()\"]\n",
        ),
        (
            "compose.yaml",
            "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:5000 \"web:create_app()\"\n    ports:\n      - \"80:5000\"\n",
        ),
    ]);
    let done = check_fix(&ws, "HC002", |f| f.message.contains("`web`"));
    assert_eq!(done.fix.applicability, Applicability::Safe);
    assert_eq!(
        done.inserted("Dockerfile"),
        "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD curl -fsS http://127.0.0.1:5000/api/v1/healthcheck || exit 1\n"
    );
}

#[test]
fn healthcheck_probes_the_port_env_port_sets() {
    let ws = files(&[
        ("web/__init__.py", FLASK_APP),
        (
            "Dockerfile",
            "FROM python:3.12-slim AS base\nENV PORT=7000\n\nFROM base\nRUN apk add --no-cache wget\nCMD gunicorn -b 0.0.0.0:$PORT \"web:create_app()\"\n",
        ),
    ]);
    let done = check_fix(&ws, "HC002", |f| f.file.as_deref() == Some("Dockerfile"));
    assert!(
        done.inserted("Dockerfile")
            .contains("http://127.0.0.1:7000/api/v1/healthcheck"),
        "{}",
        done.inserted("Dockerfile")
    );
}

#[test]
fn health_route_fix_is_unsafe_when_an_equivalent_route_exists_unmounted() {
    let ws = files(&[
        (
            "app/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/items\")\ndef items():\n    return []\n",
        ),
        (
            "app/ops.py",
            "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/api/v1\")\n\n\n@router.get(\"/healthcheck\")\ndef healthcheck():\n    return {}\n",
        ),
    ]);
    let done = check_fix(&ws, "HC003", any);
    assert_eq!(done.fix.applicability, Applicability::Unsafe);
}

#[test]
fn route_goes_before_the_return_of_the_factory_that_builds_the_router() {
    // Two factories bind the same name: the route of the first must stay in the first, before its `return`.
    let src = "from flask import Blueprint\n\n\ndef create_blueprint():\n    bp = Blueprint(\"a\", __name__)\n\n\
               \x20   @bp.route(\"/items\")\n    def items():\n        return []\n\n    return bp\n\n\n\
               def create_admin():\n    bp = Blueprint(\"b\", __name__)\n\n    @bp.route(\"/admin\")\n    def admin():\n        return []\n\n    return bp\n";
    let ws = files(&[("web/api.py", src)]);
    let done = check_fix(&ws, "HC001", any);
    let after = &done.after["web/api.py"];
    assert!(
        after.contains("        return []\n\n    @bp.route(\"/health\")\n    def health():\n        return {\"status\": \"healthy\"}\n\n    return bp\n\n\ndef create_admin"),
        "{after}"
    );
}

#[test]
fn compose_service_on_a_stock_python_image_gets_a_probe_of_the_port_its_command_binds() {
    let ws = files(&[
        (
            "web.py",
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/ping\")\ndef ping():\n    return \"pong\"\n",
        ),
        (
            "compose.yaml",
            "services:\n  web:\n    image: python:3.12-slim\n    working_dir: /srv\n    volumes:\n      - .:/srv\n    command: gunicorn -b 0.0.0.0:5000 web:app\n    ports:\n      - \"8080:5000\"\n",
        ),
    ]);
    let done = check_fix(&ws, "HC002", |f| f.message.contains("`web`"));
    assert_eq!(done.fix.applicability, Applicability::Safe);
    assert_eq!(
        done.inserted("compose.yaml"),
        "    healthcheck:\n      test: [\"CMD-SHELL\", \"python -c \\\"import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/ping', timeout=3)\\\"\"]\n      interval: 10s\n      timeout: 5s\n      retries: 5\n"
    );
}
