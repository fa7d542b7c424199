//! End-to-end tests of the web facts on small files written in the shapes real projects use.

use crate::python::parse;
use crate::python::web::{DependencyKind, Route, WebFacts};

fn web(src: &str) -> WebFacts {
    parse(src).web
}

/// `(owner, path, methods, range text, handler)` of each route.
type RouteRow = (String, String, Vec<String>, String, Option<String>);

fn routes(src: &str) -> Vec<RouteRow> {
    web(src)
        .routes
        .into_iter()
        .map(|r| {
            let r = std::sync::Arc::unwrap_or_clone(r);
            (
                r.owner,
                r.path,
                r.methods,
                r.range.slice(src).to_owned(),
                r.handler,
            )
        })
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn router_defined_and_used_in_one_file() {
    let src = "\u{feff}# Ünïcödé comment ✓\r\nfrom fastapi import APIRouter, Depends\r\n\r\nrouter = APIRouter(prefix=\"/users\")\r\n\r\n\
               MSG = \"héllo 日本\"\r\n\r\n@router.get(\"\")\r\nasync def list_users():\r\n    return []\r\n\r\n\
               @router.api_route(\"/{id}\", methods=[\"GET\", \"put\"])\r\n@router.delete(path='/{id}', status_code=204)\r\n\
               def user(id: int):\r\n\tpass\r\n";
    let got = routes(src);
    assert_eq!(
        got,
        vec![
            (
                "router".into(),
                "".into(),
                strings(&["GET"]),
                "@router.get(\"\")".into(),
                Some("list_users".into())
            ),
            (
                "router".into(),
                "/{id}".into(),
                strings(&["GET", "PUT"]),
                "@router.api_route(\"/{id}\", methods=[\"GET\", \"put\"])".into(),
                Some("user".into())
            ),
            (
                "router".into(),
                "/{id}".into(),
                strings(&["DELETE"]),
                "@router.delete(path='/{id}', status_code=204)".into(),
                Some("user".into())
            ),
        ]
    );
    // A BOM, CRLF line ends and a tab-indented body are all valid Python.
    assert!(parse(src).errors.is_empty());
    let facts = web(src);
    let handler = facts.routes[1].handler_range.expect("decorated").slice(src);
    assert!(
        handler.starts_with("@router.api_route") && handler.ends_with("\tpass"),
        "{handler:?}"
    );
    assert_eq!(
        facts.apps[0].range.slice(src),
        "router = APIRouter(prefix=\"/users\")"
    );
}

#[test]
fn imported_router_counts_only_with_an_absolute_path() {
    let src = "from .views import bp\nfrom functools import lru_cache\n\n@bp.route('/x', methods=('POST',))\ndef x(): ...\n\n\
               @lru_cache()\n@cache.get('key')\ndef y(): ...\n";
    assert_eq!(
        routes(src),
        vec![(
            "bp".into(),
            "/x".into(),
            strings(&["POST"]),
            "@bp.route('/x', methods=('POST',))".into(),
            Some("x".into())
        )]
    );
}

#[test]
fn half_typed_decorator_at_end_of_file() {
    let src = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/ok\")\ndef ok(): return 1\n\n@app.get(";
    let facts = parse(src);
    assert_eq!(facts.web.apps.len(), 1);
    assert_eq!(
        facts
            .web
            .routes
            .iter()
            .map(|r| r.path.as_str())
            .collect::<Vec<_>>(),
        vec!["/ok"]
    );
    assert!(!facts.errors.is_empty());
}

#[test]
fn flask_app_factory() {
    let src = "from flask import Flask\nfrom .api import api_bp\n\n\ndef create_app(config=None):\n    app = Flask(__name__)\n\
               \x20   app.register_blueprint(api_bp, url_prefix=\"/api\")\n\n    @app.route(\"/healthz\")\n    def healthz():\n\
               \x20       return \"ok\"\n\n    app.add_url_rule(\"/ping\", \"ping\", view_func=ping)\n    return app\n\n\
               if __name__ == \"__main__\":\n    create_app().run()\n    app.run(\"0.0.0.0\", 5000)\n";
    let run_py = "from myapp import create_app\n\nserver = create_app()\nif __name__ == '__main__':\n    server.run(port=8080)\n";
    assert_eq!(
        web(run_py)
            .runners
            .iter()
            .map(|r| (r.target.as_str(), r.port))
            .collect::<Vec<_>>(),
        vec![("server", Some(8080))]
    );
    let facts = web(src);
    assert_eq!(facts.apps[0].indent, "    ");
    assert_eq!(facts.apps[0].range.slice(src), "app = Flask(__name__)");
    let got: Vec<_> = facts
        .routes
        .iter()
        .map(|r| (r.owner.as_str(), r.path.as_str(), r.handler.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("app", "/healthz", Some("healthz")),
            ("app", "/ping", Some("ping"))
        ]
    );
    assert_eq!(
        facts.routes[1].range.slice(src),
        "app.add_url_rule(\"/ping\", \"ping\", view_func=ping)"
    );
    let include = &facts.includes[0];
    assert_eq!(
        (
            include.parent.as_str(),
            include.child.as_str(),
            include.prefix.as_deref()
        ),
        ("app", "api_bp", Some("/api"))
    );
    assert_eq!(
        include.range.slice(src),
        "app.register_blueprint(api_bp, url_prefix=\"/api\")"
    );
    assert_eq!(facts.runners.len(), 1);
    assert_eq!(
        (facts.runners[0].target.as_str(), facts.runners[0].port),
        ("app", Some(5000))
    );
}

#[test]
fn starlette_routes_list_and_mounts() {
    let src = "from starlette.applications import Starlette\nfrom starlette.routing import Route, Mount, WebSocketRoute\n\n\
               async def health(request):\n    return PlainTextResponse(str(await redis.ping()))\n\n\
               routes = [\n    Route(\"/health\", endpoint=health, methods=[\"GET\", \"HEAD\"]),\n    WebSocketRoute(\"/ws\", ws),\n\
               \x20   Mount(\"/api\", routes=[Route(\"/users\", users)]),\n    Mount(\"/static\", app=StaticFiles(directory=\"s\")),\n]\n\
               app = Starlette(debug=True, routes=routes)\n";
    let facts = web(src);
    let got: Vec<_> = facts
        .routes
        .iter()
        .map(|r: &std::sync::Arc<Route>| {
            (
                r.owner.as_str(),
                r.path.as_str(),
                r.methods.clone(),
                r.handler.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("app", "/health", strings(&["GET", "HEAD"]), Some("health")),
            ("app", "/ws", strings(&["WEBSOCKET"]), Some("ws")),
            ("app", "/api/users", vec![], Some("users")),
        ]
    );
    assert_eq!(
        facts.routes[0].range.slice(src),
        "Route(\"/health\", endpoint=health, methods=[\"GET\", \"HEAD\"])"
    );
    assert_eq!(facts.routes[0].touches, vec![DependencyKind::Cache]);
    assert_eq!(facts.includes.len(), 1);
    assert_eq!(
        (
            facts.includes[0].parent.as_str(),
            facts.includes[0].child.as_str()
        ),
        ("app", "StaticFiles(directory=\"s\")")
    );
    assert_eq!(facts.apps[0].var, "app");
}

#[test]
fn includes_and_runners() {
    let src = "import uvicorn\nfrom fastapi import FastAPI\nfrom app.api import users, items\n\napp = FastAPI()\n\
               app.include_router(users.router, prefix=\"/users\", tags=[\"u\"])\napp.include_router(router=items.router)\n\
               app.mount(\"/static\", StaticFiles(directory=\"static\"), name=\"static\")\ns = requests.Session()\n\
               s.mount(\"https://\", adapter)\n\nif __name__ == \"__main__\":\n    uvicorn.run(\"main:app\", host=\"0.0.0.0\", port=8_000, reload=True)\n\
               \x20   uvicorn.run(app, port=int(os.environ.get(\"PORT\", 80)))\n";
    let facts = web(src);
    let got: Vec<_> = facts
        .includes
        .iter()
        .map(|i| (i.parent.as_str(), i.child.as_str(), i.prefix.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("app", "users.router", Some("/users")),
            ("app", "items.router", None),
            ("app", "StaticFiles(directory=\"static\")", Some("/static")),
        ]
    );
    let runners: Vec<_> = facts
        .runners
        .iter()
        .map(|r| (r.target.as_str(), r.port, r.range.slice(src)))
        .collect();
    assert_eq!(
        runners,
        vec![
            (
                "main:app",
                Some(8000),
                "uvicorn.run(\"main:app\", host=\"0.0.0.0\", port=8_000, reload=True)"
            ),
            (
                "app",
                None,
                "uvicorn.run(app, port=int(os.environ.get(\"PORT\", 80)))"
            ),
        ]
    );
    assert_eq!(
        facts
            .env_vars
            .iter()
            .map(|e| e.value.as_str())
            .collect::<Vec<_>>(),
        vec!["PORT"]
    );
}

#[test]
fn dependencies_and_what_handlers_touch() {
    let src = "import httpx\nimport redis.asyncio as aioredis\nfrom fastapi import FastAPI, Depends\n\
               from sqlalchemy import create_engine, text\nfrom sqlalchemy.orm import sessionmaker, Session\nfrom .deps import get_db\n\n\
               engine = create_engine(DATABASE_URL, pool_pre_ping=True)\nSessionLocal = sessionmaker(bind=engine)\n\
               cache: aioredis.Redis = aioredis.from_url(\"redis://\")\napp = FastAPI()\n\n\
               @app.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n\n\
               @app.get(\"/ready\")\nasync def ready(db: Session = Depends(get_db)):\n    db.execute(text(\"SELECT 1\"))\n\
               \x20   await cache.ping()\n    async with httpx.AsyncClient() as client:\n        await client.get(\"http://x\")\n\n\
               @app.get(\"/users/{id}\")\ndef user(id: int, session_id: str, request: Request):\n    return request.session.get(\"u\")\n";
    let facts = web(src);
    let deps: Vec<_> = facts
        .dependencies
        .iter()
        .map(|d| (d.kind, d.var.as_deref(), d.range.slice(src)))
        .collect();
    assert_eq!(
        deps,
        vec![
            (
                DependencyKind::Database,
                Some("engine"),
                "engine = create_engine(DATABASE_URL, pool_pre_ping=True)"
            ),
            (
                DependencyKind::Database,
                Some("SessionLocal"),
                "SessionLocal = sessionmaker(bind=engine)"
            ),
            (
                DependencyKind::Cache,
                Some("cache"),
                "cache: aioredis.Redis = aioredis.from_url(\"redis://\")"
            ),
            (
                DependencyKind::Http,
                Some("client"),
                "httpx.AsyncClient() as client"
            ),
        ]
    );
    let touches: Vec<_> = facts.routes.iter().map(|r| r.touches.clone()).collect();
    assert_eq!(
        touches,
        vec![
            vec![],
            vec![
                DependencyKind::Database,
                DependencyKind::Cache,
                DependencyKind::Http
            ],
            vec![]
        ]
    );
}

#[test]
fn environment_reads_and_settings_fields() {
    let src = "import os\nfrom os import getenv, environ\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n\
               DB = os.environ[\"DATABASE_URL\"]\nDEBUG = os.environ.get('DEBUG', '0')\nKEY = getenv(\"SECRET_KEY\")\nX = environ[\"X\"]\n\n\
               class Base(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"app_\")\n    redis_url: str = \"redis://\"\n\
               \x20   _private: int = 0\n\nclass Settings(Base):\n    port: int = 8000\n    token: str = Field(\"\", env=\"API_TOKEN\")\n";
    let facts = web(src);
    let got: Vec<_> = facts
        .env_vars
        .iter()
        .map(|e| (e.value.as_str(), e.range.slice(src)))
        .collect();
    assert_eq!(
        got,
        vec![
            ("DATABASE_URL", "os.environ[\"DATABASE_URL\"]"),
            ("DEBUG", "os.environ.get('DEBUG', '0')"),
            ("SECRET_KEY", "getenv(\"SECRET_KEY\")"),
            ("X", "environ[\"X\"]"),
            ("APP_REDIS_URL", "redis_url: str = \"redis://\""),
            ("PORT", "port: int = 8000"),
            ("API_TOKEN", "token: str = Field(\"\", env=\"API_TOKEN\")"),
        ]
    );
}

#[test]
fn registration_calls() {
    let src = "from fastapi import FastAPI\napp = FastAPI()\napp.add_api_route(\"/x\", handler, methods=[\"POST\"])\n\
               app.add_api_websocket_route(\"/ws\", ws)\n";
    let got = routes(src);
    assert_eq!(
        got[0],
        (
            "app".into(),
            "/x".into(),
            strings(&["POST"]),
            "app.add_api_route(\"/x\", handler, methods=[\"POST\"])".into(),
            Some("handler".into())
        )
    );
    assert_eq!(
        (got[1].1.as_str(), got[1].2.clone()),
        ("/ws", strings(&["WEBSOCKET"]))
    );
}

#[test]
fn prefixes_and_paths_that_name_constants_keep_their_source() {
    let src = "from fastapi import FastAPI, APIRouter\nfrom flask import Blueprint\nfrom app.core.config import settings\n\n\
               API_PREFIX = \"/api\"\napp = FastAPI()\nrouter = APIRouter(prefix=API_PREFIX)\n\
               users = APIRouter(prefix=f\"{settings.API_V1_STR}/users\")\nbp = Blueprint(\"b\", __name__, url_prefix=\"/b\")\n\
               app.include_router(api_router, prefix=settings.API_V1_STR)\napp.include_router(users, prefix=\"/plain\")\n\
               app.register_blueprint(bp, url_prefix=API_PREFIX + \"/bp\")\n\n\
               @router.get(f\"{API_PREFIX}/health\")\ndef health(): ...\n\n@router.get(\"/{id}\")\ndef item(id): ...\n";
    let facts = web(src);
    let apps: Vec<_> = facts
        .apps
        .iter()
        .map(|a| {
            (
                a.var.as_str(),
                a.prefix.as_deref(),
                a.prefix_expr.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        apps,
        vec![
            ("app", None, None),
            ("router", None, Some("API_PREFIX")),
            ("users", None, Some("f\"{settings.API_V1_STR}/users\"")),
            ("bp", Some("/b"), None),
        ]
    );
    let includes: Vec<_> = facts
        .includes
        .iter()
        .map(|i| {
            (
                i.child.as_str(),
                i.prefix.as_deref(),
                i.prefix_expr.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        includes,
        vec![
            ("api_router", None, Some("settings.API_V1_STR")),
            ("users", Some("/plain"), None),
            ("bp", None, Some("API_PREFIX + \"/bp\"")),
        ]
    );
    let paths: Vec<_> = facts
        .routes
        .iter()
        .map(|r| r.path_expr.as_deref())
        .collect();
    assert_eq!(paths, vec![Some("f\"{API_PREFIX}/health\""), None]);
}

#[test]
fn starlette_routes_in_a_variable_belong_to_the_app_that_takes_them() {
    let src = "from starlette.applications import Starlette\nfrom starlette.routing import Route\n\n\
               async def health(request):\n    ...\n\nroutes = [\n    Route(\"/health\", health),\n]\n\n\
               app = Starlette(routes=routes)\n";
    let facts = web(src);
    assert_eq!(facts.apps[0].routes_var.as_deref(), Some("routes"));
    let owners: Vec<(&str, &str)> = facts
        .routes
        .iter()
        .map(|r| (r.owner.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(owners, [("app", "/health")]);
}

#[test]
fn environment_reads_whose_names_cannot_be_listed() {
    let unlisted = [
        "import os\nname = 'X'\nv = os.getenv(name)\n",
        "import os\nv = os.environ[key]\n",
        "from os import environ\nfor k, v in environ.items():\n    pass\n",
        "import os, subprocess\nsubprocess.run(['x'], env=os.environ)\n",
        "import os\nsettings = dict(os.environ)\n",
        "import os\nf(**os.environ)\n",
        "import environ\nenv = environ.Env()\nDEBUG = env.bool('DEBUG')\n",
        "from decouple import config\nSECRET = config('SECRET_KEY')\n",
        "from starlette.config import Config\nconfig = Config('.env')\n",
        "from dynaconf import Dynaconf\nsettings = Dynaconf()\n",
    ];
    for src in unlisted {
        assert!(web(src).env_unlisted, "{src}");
    }
    let listed = [
        "import os\nv = os.environ['A']\nw = os.getenv('B', 'x')\nos.environ['C'] = '1'\n",
        "from os import environ\nv = environ.get('A')\n",
        "from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    a: str\n",
        "def config(x):\n    return x\nconfig('not an env read')\n",
    ];
    for src in listed {
        assert!(!web(src).env_unlisted, "{src}");
    }
}
