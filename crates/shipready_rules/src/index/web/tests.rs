//! Tests of the route table on small workspaces in the shapes of real repositories: full paths through
//! prefixes written as constants and settings, and the main app found through an app factory.

use super::*;

#[test]
fn main_app_built_by_an_imported_factory() {
    // The microblog shape: gunicorn serves `microblog:app`, where `app = create_app()` and the Flask app
    // is built inside `create_app` in app/__init__.py; a second app elsewhere must not be chosen. The entry
    // file names no framework and runs nothing, so only the factory's name gets it parsed at all.
    let ws = Workspace::from_texts([
        (
            "app/__init__.py",
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
        ),
        (
            "microblog.py",
            "from app import create_app, db\n\napp = create_app()\n",
        ),
        ("admin/app.py", "from flask import Flask\napp = Flask(__name__)\n"),
    ]);
    let index = build(&ws, &[(String::new(), "microblog:app".to_owned())]);
    let main = index.main_app.and_then(|i| index.apps.get(i));
    assert_eq!(main.map(|a| a.file.as_str()), Some("app/__init__.py"));
    assert_eq!(
        index.main_reason,
        "started as `microblog:app`, built in app/__init__.py"
    );
}

#[test]
fn joins_prefixes() {
    assert_eq!(join_path("/api/", "/health"), "/api/health");
    assert_eq!(join_path("", "/health"), "/health");
    assert_eq!(join_path("/users", ""), "/users");
    assert_eq!(join_path("", ""), "/");
}

#[test]
fn health_paths() {
    for p in [
        "/health",
        "/api/v1/healthz",
        "/ready",
        "/health/db",
        "/livez/",
    ] {
        assert!(is_health_path(p), "{p}");
    }
    for p in ["/users", "/healthy-recipes-list", "/"] {
        assert!(!is_health_path(p), "{p}");
    }
}

/// The full paths of the routes, in the order of the files and routes.
fn full_paths(index: &WebIndex) -> Vec<String> {
    index
        .routes
        .iter()
        .map(|r| WebIndex::display_path(r).to_owned())
        .collect()
}

#[test]
fn prefix_from_a_settings_instance_in_another_file() {
    // The fastapi/full-stack-fastapi-template shape.
    let ws = Workspace::from_texts([
        (
            "backend/app/core/config.py",
            "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n\
             \x20   API_V1_STR: str = \"/api/v1\"\n    PROJECT_NAME: str\n\nsettings = Settings()  # type: ignore\n",
        ),
        (
            "backend/app/main.py",
            "from fastapi import FastAPI\n\nfrom app.api.main import api_router\nfrom app.core.config import settings\n\n\
             app = FastAPI(title=settings.PROJECT_NAME)\n\napp.include_router(api_router, prefix=settings.API_V1_STR)\n",
        ),
        (
            "backend/app/api/main.py",
            "from fastapi import APIRouter\n\nfrom app.api.routes import items, utils\n\napi_router = APIRouter()\n\
             api_router.include_router(utils.router)\napi_router.include_router(items.router)\n",
        ),
        (
            "backend/app/api/routes/utils.py",
            "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/utils\", tags=[\"utils\"])\n\n\
             @router.get(\"/health-check/\")\nasync def health_check() -> bool:\n    return True\n",
        ),
        (
            "backend/app/api/routes/items.py",
            "from fastapi import APIRouter\nfrom app.core import config\n\n\
             router = APIRouter(prefix=f\"{config.settings.API_V1_STR}/extra\")\n\n@router.get(\"/\")\ndef items(): ...\n",
        ),
    ]);
    let index = build(&ws, &[]);
    assert_eq!(
        full_paths(&index),
        vec!["/api/v1/api/v1/extra/", "/api/v1/utils/health-check/"]
    );
}

#[test]
fn prefixes_from_module_constants_and_f_strings() {
    let ws = Workspace::from_texts([
        (
            "constants.py",
            "API_PREFIX = \"/api\"\nV2 = f\"{API_PREFIX}/v2\"\n",
        ),
        (
            "main.py",
            "from fastapi import FastAPI, APIRouter\nfrom constants import API_PREFIX\nimport constants as c\n\n\
             HEALTH = \"/health\"\napp = FastAPI()\nrouter = APIRouter(prefix=API_PREFIX)\nv2 = APIRouter()\n\n\
             @router.get(HEALTH)\ndef health(): ...\n\n@v2.get(f\"{HEALTH}z\")\ndef healthz(): ...\n\n\
             @v2.get(\"/{item_id}\")\ndef item(item_id: int): ...\n\n\
             app.include_router(router)\napp.include_router(v2, prefix=c.V2 + \"/x\")\n",
        ),
    ]);
    let index = build(&ws, &[]);
    assert_eq!(
        full_paths(&index),
        vec!["/api/health", "/api/v2/x/healthz", "/api/v2/x/{item_id}"]
    );
}

#[test]
fn flask_blueprint_prefixes_and_unknown_values() {
    let ws = Workspace::from_texts([
        (
            "app/__init__.py",
            "from flask import Flask, Blueprint\nfrom app.settings import Config\n\n\
             bp = Blueprint(\"api\", __name__, url_prefix=Config.API_ROOT)\nother = Blueprint(\"o\", __name__)\n\n\
             @bp.route(\"/ping\")\ndef ping(): ...\n\n@other.route(\"/status\")\ndef status(): ...\n\n\
             def create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp)\n\
             \x20   app.register_blueprint(other, url_prefix=os.environ[\"PREFIX\"])\n    return app\n",
        ),
        (
            "app/settings.py",
            "import os\n\nclass Config:\n    API_ROOT = '/api'\n    SECRET = os.environ.get('SECRET')\n",
        ),
    ]);
    let index = build(&ws, &[]);
    // An environment read is not a constant: the blueprint's path stays as written rather than guessed.
    assert_eq!(full_paths(&index), vec!["/api/ping", "/status"]);
}

#[test]
fn cyclic_constants_stay_unknown() {
    let ws = Workspace::from_texts([
        ("a.py", "from b import B\nA = B + \"/a\"\n"),
        (
            "b.py",
            "from a import A\nfrom fastapi import APIRouter\nB = A\nrouter = APIRouter(prefix=A)\n\
             @router.get(\"/x\")\ndef x(): ...\n",
        ),
    ]);
    let index = build(&ws, &[]);
    assert_eq!(full_paths(&index), vec!["/x"]);
}

#[test]
fn constants_built_from_many_others_end_quickly() {
    // Ten levels of `L<n> = L<n+1> + L<n+1> + ...`: followed naively, 10^10 look-ups.
    let mut src = String::from("from fastapi import APIRouter\nL10 = \"/x\"\n");
    for level in (0..10).rev() {
        let next = format!("L{}", level + 1);
        let terms = [next.as_str(); 10].join(" + ");
        src.push_str(&format!("L{level} = {terms}\n"));
    }
    src.push_str("router = APIRouter(prefix=L0)\n@router.get(\"/y\")\ndef y(): ...\n");
    let ws = Workspace::from_texts([("main.py", src.as_str())]);
    assert_eq!(full_paths(&build(&ws, &[])), vec!["/y"]);
}

/// A unit re-audited after a change outside its Python files (its Dockerfile, its guide) reuses its route
/// table; a changed Python file or a changed probe path gives a new one, equal to a table built from scratch.
#[test]
fn the_route_table_is_reused_while_its_python_files_and_probes_are_unchanged() {
    use crate::SourceFile;
    use shipready_syntax::FileKind;
    let file = |path: &str, kind, text: &str| Arc::new(SourceFile::new(path, kind, text));
    let app = file(
        "main.py",
        FileKind::Python,
        "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/healthz\")\ndef probe():\n    return {}\n\n@app.get(\"/items\")\ndef items():\n    return []\n",
    );
    let docker = |probe: &str| {
        let text = format!("FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost:8000{probe}\nCMD [\"uvicorn\", \"main:app\"]\n");
        file("Dockerfile", FileKind::Dockerfile, &text)
    };
    let slot: Arc<crate::index::UnitMemo> = Arc::default();
    let unit =
        |files: Vec<Arc<SourceFile>>| Workspace::new(files).with_unit_memo(Arc::clone(&slot));
    let starts = [(String::new(), "main:app".to_owned())];
    let probed = |index: &WebIndex| -> Vec<String> {
        index
            .routes
            .iter()
            .filter(|r| r.probed)
            .map(|r| r.route.path.clone())
            .collect()
    };

    let first = build(&unit(vec![docker("/healthz"), app.clone()]), &starts);
    assert_eq!(probed(&first), ["/healthz"]);
    // The Dockerfile changed (a new Arc), its probe did not: the very same table.
    let again = build(&unit(vec![docker("/healthz"), app.clone()]), &starts);
    assert!(Arc::ptr_eq(&first.routes, &again.routes));
    assert_eq!(again.main_app, first.main_app);
    // The probe now requests another route: a new table, marked as a fresh build marks it.
    let moved = build(&unit(vec![docker("/items"), app.clone()]), &starts);
    assert!(!Arc::ptr_eq(&first.routes, &moved.routes));
    assert_eq!(probed(&moved), ["/items"]);
    let fresh = build(
        &Workspace::new(vec![docker("/items"), app.clone()]),
        &starts,
    );
    assert_eq!(format!("{:?}", moved.routes), format!("{:?}", fresh.routes));
    // A changed Python file gives a new table.
    let edited = file(
        "main.py",
        FileKind::Python,
        &app.text.replace("/items", "/things"),
    );
    let after = build(&unit(vec![docker("/items"), edited.clone()]), &starts);
    assert!(after.routes.iter().any(|r| r.route.path == "/things"));
    assert!(!after.routes.iter().any(|r| r.route.path == "/items"));
    // A newer text sharing the file's facts (an open buffer edited in a trailing comment): the same table.
    let commented = Arc::new(SourceFile::with_facts(
        "main.py",
        FileKind::Python,
        format!("{}# TODO\n", edited.text),
        edited.facts.clone(),
    ));
    let kept = build(&unit(vec![docker("/items"), commented]), &starts);
    assert!(Arc::ptr_eq(&after.routes, &kept.routes));
    // Equal facts in another `Arc`, and facts that only moved past an edit (a handler's parameter typed): the
    // table is not built again but moved, and equals a fresh build.
    let builds = || super::ROUTING_BUILDS.with(std::cell::Cell::get);
    let before = builds();
    let reparsed = file(
        "main.py",
        FileKind::Python,
        &format!("{}# TODO\n", edited.text),
    );
    let same = build(&unit(vec![docker("/items"), reparsed]), &starts);
    assert_eq!(format!("{:?}", same.routes), format!("{:?}", after.routes));
    let typed = edited
        .text
        .replace("def probe():", "def probe(request, q=None):");
    let moved = build(
        &unit(vec![
            docker("/items"),
            file("main.py", FileKind::Python, &typed),
        ]),
        &starts,
    );
    assert_eq!(builds(), before, "the table was built again");
    let fresh = build(
        &Workspace::new(vec![
            docker("/items"),
            file("main.py", FileKind::Python, &typed),
        ]),
        &starts,
    );
    assert_eq!(format!("{:?}", moved.routes), format!("{:?}", fresh.routes));
    assert_eq!(format!("{:?}", moved.apps), format!("{:?}", fresh.apps));
    assert_ne!(format!("{:?}", moved.routes), format!("{:?}", after.routes));
    // A route's path changed, a route was added before another: the other routes keep their resolution (moved),
    // the changed ones are resolved again, and the table equals a fresh build.
    let mut changed = edited.text.to_string();
    let mut last = moved;
    for (from, to) in [
        ("/things", "/stuff"),
        ("/stuff", "/healthz/deep"),
        (
            "@app.get(\"/healthz\")",
            "@app.get(\"/new\")\ndef new():\n    return 1\n\n@app.get(\"/healthz\")",
        ),
    ] {
        changed = changed.replace(from, to);
        let before = builds();
        let unit_table = build(
            &unit(vec![
                docker("/items"),
                file("main.py", FileKind::Python, &changed),
            ]),
            &starts,
        );
        assert_eq!(builds(), before, "the table was built again for {changed}");
        // The route before the edit (`/healthz`, once the table is the previous path's, until a route is added
        // before it) is shared, not copied.
        if from == "/stuff" {
            assert!(Arc::ptr_eq(&last.routes[0], &unit_table.routes[0]));
        }
        let fresh = build(
            &Workspace::new(vec![
                docker("/items"),
                file("main.py", FileKind::Python, &changed),
            ]),
            &starts,
        );
        assert_eq!(
            format!("{:?}", unit_table.routes),
            format!("{:?}", fresh.routes),
            "{changed}"
        );
        assert_eq!(
            format!("{:?}", unit_table.apps),
            format!("{:?}", fresh.apps)
        );
        last = unit_table;
    }
    // A new app: built again.
    let before = builds();
    let apps = format!("{}\nother = FastAPI()\n", edited.text);
    build(
        &unit(vec![
            docker("/items"),
            file("main.py", FileKind::Python, &apps),
        ]),
        &starts,
    );
    assert_eq!(builds(), before + 1);
}
