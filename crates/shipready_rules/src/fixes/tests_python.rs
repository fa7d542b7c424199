//! Fix tests for the Python route fixes: health endpoints (HC001/HC003) and readiness endpoints (HC004), on
//! FastAPI, Flask, app factories, router-only files, CRLF and tab-indented files and non-ASCII text.

use super::tests::{any, check_fix, files};
use crate::Applicability;

#[test]
fn fastapi_health_route_after_the_last_route() {
    let ws = files(&[(
        "app/main.py",
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/users\")\ndef users():\n    return []\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert_eq!(done.fix.applicability, Applicability::Safe);
    assert_eq!(
        done.after["app/main.py"],
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/users\")\ndef users():\n    return []\n\n\n@app.get(\"/health\")\nasync def health() -> dict[str, str]:\n    return {\"status\": \"healthy\"}\n"
    );
}

#[test]
fn flask_health_route_uses_the_apps_variable_and_route_form() {
    let ws = files(&[(
        "server.py",
        "from flask import Flask\napi = Flask(__name__)\n@api.route(\"/\")\ndef index():\n    return \"hi\"\nif __name__ == \"__main__\":\n    api.run()\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    let text = &done.after["server.py"];
    assert!(
        text.contains("    return \"hi\"\n\n\n@api.route(\"/health\")\ndef health():\n    return {\"status\": \"healthy\"}\n\n\nif __name__"),
        "{text}"
    );
}

#[test]
fn flask_2_method_form_when_the_workspace_uses_it() {
    let ws = files(&[(
        "app.py",
        "from flask import Flask\napp = Flask(__name__)\n\n@app.post(\"/items\")\ndef add():\n    return {}\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert!(done
        .inserted("app.py")
        .contains("@app.get(\"/health\")\ndef health():"));
}

#[test]
fn app_factory_gets_the_route_inside_the_function_with_tabs() {
    let ws = files(&[
        (
            "app/__init__.py",
            "from flask import Flask\n\n\ndef create_app():\n\tapp = Flask(__name__)\n\treturn app\n",
        ),
        ("Dockerfile", "FROM python:3.12\nCMD [\"gunicorn\", \"app:create_app()\"]\n"),
    ]);
    let done = check_fix(&ws, "HC003", any);
    assert_eq!(
        done.after["app/__init__.py"],
        "from flask import Flask\n\n\ndef create_app():\n\tapp = Flask(__name__)\n\n\t@app.route(\"/health\")\n\tdef health():\n\t\treturn {\"status\": \"healthy\"}\n\n\treturn app\n"
    );
}

#[test]
fn router_only_main_file() {
    let ws = files(&[(
        "api/main.py",
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/v1\")\n",
    )]);
    let done = check_fix(&ws, "HC001", any);
    assert!(done
        .inserted("api/main.py")
        .contains("@router.get(\"/health\")"));
}

#[test]
fn crlf_file_keeps_crlf_and_non_ascii_text_before_the_insertion() {
    let ws = files(&[(
        "main.py",
        "# Größenänderung – ünïcödé\r\nfrom fastapi import FastAPI\r\napp = FastAPI(title=\"Café\")",
    )]);
    let done = check_fix(&ws, "HC001", any);
    let text = &done.after["main.py"];
    assert!(text.starts_with("# Größenänderung"));
    assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
    assert!(text.ends_with("app = FastAPI(title=\"Café\")\r\n\r\n\r\n@app.get(\"/health\")\r\nasync def health() -> dict[str, str]:\r\n    return {\"status\": \"healthy\"}\r\n"));
}

#[test]
fn an_existing_health_path_in_the_file_moves_the_new_route_to_healthz() {
    let ws = files(&[
        (
            "main.py",
            "from fastapi import FastAPI\napp = FastAPI()\nadmin = FastAPI()\n\n@admin.get(\"/health\")\ndef admin_ok():\n    return {}\n",
        ),
        ("Dockerfile", "FROM python:3.12\nCMD uvicorn main:app --port 80\n"),
    ]);
    let done = check_fix(&ws, "HC003", any);
    assert!(done.inserted("main.py").contains("@app.get(\"/healthz\")"));
}

#[test]
fn readiness_checks_the_engine_and_redis_of_the_apps_file() {
    let ws = files(&[(
        "main.py",
        "import redis\nfrom fastapi import FastAPI\nfrom sqlalchemy import create_engine\n\nengine = create_engine(\"sqlite://\")\ncache = redis.Redis()\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n",
    )]);
    let done = check_fix(&ws, "HC004", any);
    assert_eq!(done.fix.applicability, Applicability::Safe);
    let text = &done.after["main.py"];
    assert!(text.contains("from sqlalchemy import create_engine\nfrom fastapi.responses import JSONResponse\nfrom sqlalchemy import text\n\nengine"), "{text}");
    let route = done
        .fix
        .edits
        .iter()
        .map(|e| format!("{e:?}"))
        .collect::<String>();
    for expected in [
        "@app.get(\\\"/ready\\\")",
        "def ready() -> JSONResponse:",
        "with engine.connect() as conn:",
        "conn.execute(text(\\\"SELECT 1\\\"))",
        "cache.ping()",
        "status_code=200 if ok else 503",
    ] {
        assert!(route.contains(expected), "{expected} in {route}");
    }
    assert!(
        !route.contains("async def"),
        "blocking probes stay in a sync handler"
    );
}

#[test]
fn readiness_uses_an_imported_async_engine_and_aliases_a_taken_name() {
    let ws = files(&[
        ("app/__init__.py", ""),
        (
            "app/db.py",
            "from sqlalchemy.ext.asyncio import create_async_engine\nimport os\nengine = create_async_engine(os.environ[\"DB\"])\n",
        ),
        (
            "app/main.py",
            "from fastapi import FastAPI\nfrom .db import engine as db_engine\n\n\ndef text(s):\n    return s\n\napp = FastAPI()\n",
        ),
    ]);
    let done = check_fix(&ws, "HC004", any);
    let inserted = done.inserted("app/main.py");
    assert!(
        inserted.contains("from sqlalchemy import text as sql_text"),
        "{inserted}"
    );
    assert!(inserted.contains("async def ready() -> JSONResponse:"));
    assert!(inserted.contains("async with db_engine.connect() as conn:\n            await conn.execute(sql_text(\"SELECT 1\"))"), "{inserted}");
}

#[test]
fn readiness_imports_a_sibling_client_and_is_unsafe_then() {
    let ws = files(&[
        ("svc/__init__.py", ""),
        ("svc/cache.py", "import redis\nimport os\nclient = redis.from_url(os.getenv(\"REDIS_URL\"))\n"),
        ("svc/app.py", "from flask import Flask\napp = Flask(__name__)\n@app.route(\"/healthz\")\ndef hz():\n    return \"ok\"\n"),
    ]);
    let done = check_fix(&ws, "HC004", any);
    assert_eq!(done.fix.applicability, Applicability::Unsafe);
    let inserted = done.inserted("svc/app.py");
    assert!(
        inserted.contains("from .cache import client as redis_client"),
        "{inserted}"
    );
    assert!(
        inserted.contains("@app.route(\"/ready\")\ndef ready():"),
        "{inserted}"
    );
    assert!(inserted.contains("redis_client.ping()"));
    assert!(inserted.contains("return payload, (200 if ok else 503)"));
}

#[test]
fn plain_readiness_route_without_dependencies_is_offered_once() {
    // Under `standard` an app that talks to no dependency has nothing for a readiness route to check (HC004 is
    // not applicable); the seed profile still asks for one, and offers a plain route once.
    let ws = files(&[("main.py", "from fastapi import FastAPI\napp = FastAPI()\n")]);
    assert!(super::tests::finding(&super::tests::audit_files(&ws), "HC004", any).is_none());
    let seed = |files: &super::tests::Files| {
        let list: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        crate::audit(&crate::Workspace::from_texts(list), crate::Profile::Seed)
    };
    let before = seed(&ws);
    let fix = super::tests::finding(&before, "HC004", any)
        .and_then(|f| f.fix.clone())
        .expect("plain readiness fix");
    assert_eq!(fix.applicability, Applicability::Unsafe);
    let after = super::tests::apply(&ws, &fix);
    let text = &after["main.py"];
    assert!(text.contains("@app.get(\"/ready\")\nasync def ready() -> dict[str, str]:\n    return {\"status\": \"ready\"}\n"), "{text}");
    let again = seed(&after);
    assert!(super::tests::finding(&again, "HC004", |f| f.fix.is_some()).is_none());
}
