//! Python facts from `tree-sitter-python`: web apps and routes (FastAPI, Flask, Starlette), CDK apps and stacks,
//! imports, and the dependencies code talks to. [`PythonDocument`] keeps a tree that is edited incrementally.

pub mod cdk;
mod document;
mod imports;
mod index;
mod ts;
pub mod web;

use serde::Serialize;
use shipready_text::TextRange;

pub use cdk::CdkFacts;
pub use document::{PythonDocument, TextEdit};
pub use web::WebFacts;

use crate::SyntaxError;

/// Everything shipready knows about one Python file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PythonFacts {
    pub imports: Vec<Import>,
    pub web: WebFacts,
    pub cdk: CdkFacts,
    pub errors: Vec<SyntaxError>,
}

/// One `import a.b as c` or `from .a import b as c` statement, one entry per imported name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Import {
    /// The module path without leading dots (`app.routers`, or `` for `from . import x`).
    pub module: String,
    /// Number of leading dots of a relative import (0 for absolute).
    pub level: usize,
    /// The imported name for `from m import name` (`None` for `import m`).
    pub name: Option<String>,
    /// The local binding (`as` alias, else the name, else the top-level module for `import a.b`).
    pub local: String,
    pub range: TextRange,
}

/// Whether a Python file can matter to shipready, by a cheap byte search run before any parse.
///
/// tree-sitter-python parses about 8 MB/s per core while a byte search is an order of magnitude cheaper, so a
/// file that names no web framework, CDK, server runner, app factory, prefix constant or environment read is
/// never parsed. The search is case-sensitive and errs on the side of parsing: a file that imports its app or
/// router from a sibling module names no framework, so route decorators, include calls and `.run(` are looked
/// for too.
pub fn is_relevant(bytes: &[u8]) -> bool {
    const NEEDLES: &[&[u8]] = &[
        // Imports of the frameworks, runners and CDK (`from aws_cdk import ...`, `import aws_cdk.aws_ec2`).
        b"fastapi",
        b"mangum",
        b"flask",
        b"starlette",
        b"uvicorn",
        b"hypercorn",
        b"aws_cdk",
        // Apps, routers and stacks built from names imported elsewhere (`class Api(BaseStack)`).
        b"APIRouter",
        b"Blueprint",
        b"Router",
        b"Stack",
        // Includes and registrations on an imported app (`from .app import app`).
        b"include_router",
        b"register_blueprint",
        b"add_url_rule",
        b"add_api_route",
        b"mount(",
        b"DispatcherMiddleware",
        // `app.run()` in a `run.py` that imports the app, and entry files that only build it from a factory
        // (`from app import create_app` then `app = create_app()`, microblog's `microblog.py`).
        b".run(",
        b"create_app",
        b"make_app",
        b"get_app",
        b"_app(",
        // Constants a prefix names from a module of its own (`API_PREFIX = "/api"` in `constants.py`).
        b"PREFIX",
        b"API_",
        // The environment the app reads: settings classes and `os.environ`/`os.getenv` reads.
        b"BaseSettings",
        b"environ",
        b"getenv",
        // Dependency clients a readiness endpoint should check, in a module of their own (`db.py`).
        b"create_engine",
        b"sessionmaker",
        b"Redis",
        b"MongoClient",
        b"SQLAlchemy",
        b"asyncpg",
        b"psycopg",
        b"sqlalchemy",
        b"tortoise",
        b"pymongo",
    ];
    NEEDLES.iter().any(|needle| contains(bytes, needle)) || has_route_decorator(bytes)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A line starting with `@` that calls a route method (`@bp.route(`, `@router.get(`): routes on an imported
/// router or blueprint, where the file names no framework at all.
fn has_route_decorator(bytes: &[u8]) -> bool {
    const METHODS: &[&[u8]] = &[
        b".get(",
        b".post(",
        b".put(",
        b".patch(",
        b".delete(",
        b".head(",
        b".options(",
        b".route(",
        b".api_route(",
        b".websocket(",
        b".websocket_route(",
    ];
    bytes.split(|&b| b == b'\n').any(|line| {
        let line = line.trim_ascii_start();
        line.first() == Some(&b'@') && METHODS.iter().any(|m| contains(line, m))
    })
}

/// Parse a Python file from scratch. Never fails; syntax errors are reported in `errors`.
pub fn parse(text: &str) -> PythonFacts {
    PythonDocument::new(text).facts()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_files() {
        for src in [
            "from fastapi import FastAPI",
            "import flask",
            "from starlette.routing import Route",
            "import aws_cdk as cdk",
            "from aws_cdk import core",
            "class ApiStack(BaseStack):",
            "from .deps import router\nrouter2 = APIRouter()",
            "bp = Blueprint('x', __name__)",
            "from . import bp\n\n\t@bp.route('/x')\ndef x(): ...",
            "from .routers import r\n@r.get('/x')\ndef x(): ...",
            "from app.main import app\napp.include_router(r)",
            "from app import create_app\napp = create_app()\napp.run(port=5000)",
            "from app import create_app, db\n\napp = create_app()\n",
            "from .factory import make_app\napplication = make_app(settings)\n",
            "api = build_app()\n",
            "API_V1_PREFIX = '/api/v1'\n",
            "import uvicorn\nuvicorn.run('main:app')",
            "from pydantic_settings import BaseSettings",
            "DATABASE_URL = os.getenv('DATABASE_URL')",
        ] {
            assert!(is_relevant(src.as_bytes()), "{src}");
        }
    }

    #[test]
    fn irrelevant_files() {
        for src in [
            "",
            "import os\nprint(os.path.join('a'))\n",
            "@property\ndef x(self): return d.get('k')\n",
            "FLASK",
            "APP_NAME = 'x'\napp_name = APP_NAME\n",
        ] {
            assert!(!is_relevant(src.as_bytes()), "{src}");
        }
    }

    #[test]
    fn every_relevant_file_parses_to_facts_the_search_predicted() {
        let src = "from .app import app\n\n@app.get('/health')\ndef health(): ...\n";
        assert!(is_relevant(src.as_bytes()));
        assert_eq!(parse(src).web.routes.len(), 1);
    }
}
