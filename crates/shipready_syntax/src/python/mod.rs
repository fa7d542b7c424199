//! Python facts from `tree-sitter-python`: web apps and routes (FastAPI, Flask, Starlette), CDK apps and stacks,
//! imports, and the dependencies code talks to. [`PythonDocument`] keeps a tree that is edited incrementally.

pub mod cdk;
mod document;
mod env_files;
mod imports;
mod index;
pub mod observe;
mod reads;
pub mod security;
mod shift;
mod splice;
mod token_edit;
mod ts;
pub mod web;

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::Serialize;
use shipready_text::TextRange;

pub use cdk::CdkFacts;
pub use document::{PythonDocument, TextEdit};
pub use shift::{displacement_between, route_changes, Displacement, RouteChanges};
pub use web::WebFacts;

use crate::SyntaxError;

/// Everything shipready knows about one Python file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PythonFacts {
    pub imports: Vec<Import>,
    pub web: WebFacts,
    pub cdk: CdkFacts,
    pub errors: Vec<SyntaxError>,
    /// Logging set-up, error-tracker initialisation, Alembic `downgrade()` bodies and the keyword arguments of
    /// stateful CDK constructs (observability and data-safety rules).
    pub observe: observe::ObserveFacts,
    /// The file loads settings from an env file shipready does not read (`load_dotenv()`, `env_file=`).
    pub loads_env_file: bool,
    /// Settings, CORS, debug switches and compared strings a security reviewer reads.
    pub security: security::SecurityFacts,
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
    match &*SEARCHER {
        Some(searcher) => searcher.is_match(bytes) || has_route_decorator(bytes),
        // Unreachable with these literal needles; the slow search keeps the answer the same if it ever were.
        None => NEEDLES.iter().any(|needle| contains(bytes, needle)) || has_route_decorator(bytes),
    }
}

/// The words whose presence makes a file worth parsing, looked for together in one pass.
const NEEDLES: &[&str] = &[
    // Imports of the frameworks, runners and CDK (`from aws_cdk import ...`, `import aws_cdk.aws_ec2`).
    "fastapi",
    "mangum",
    "flask",
    "starlette",
    "uvicorn",
    "hypercorn",
    "aws_cdk",
    // Apps, routers and stacks built from names imported elsewhere (`class Api(BaseStack)`).
    "APIRouter",
    "Blueprint",
    "Router",
    "Stack",
    // Includes and registrations on an imported app (`from .app import app`).
    "include_router",
    "register_blueprint",
    "add_url_rule",
    "add_api_route",
    "mount(",
    "DispatcherMiddleware",
    // `app.run()` in a `run.py` that imports the app, and entry files that only build it from a factory
    // (`from app import create_app` then `app = create_app()`, microblog's `microblog.py`).
    ".run(",
    "create_app",
    "make_app",
    "get_app",
    "_app(",
    // Constants a prefix names from a module of its own (`API_PREFIX = "/api"` in `constants.py`).
    "PREFIX",
    "API_",
    // The environment the app reads: settings classes and `os.environ`/`os.getenv` reads.
    "BaseSettings",
    "environ",
    "getenv",
    // Settings loaded from an env file by python-dotenv (`SettingsConfigDict(env_file=...)` names `BaseSettings`).
    "load_dotenv",
    // Configuration libraries that read names shipready cannot list (python-decouple, dynaconf, python-dotenv);
    // django-environ and environs are found by `environ`.
    "decouple",
    "dynaconf",
    "dotenv_values",
    // Dependency clients a readiness endpoint should check, in a module of their own (`db.py`).
    "create_engine",
    "sessionmaker",
    "Redis",
    "MongoClient",
    "SQLAlchemy",
    "asyncpg",
    "psycopg",
    "sqlalchemy",
    "tortoise",
    "pymongo",
    // Observability and data safety: logging set-up, error trackers, Alembic migrations (`observe`).
    "basicConfig",
    "dictConfig",
    "fileConfig",
    "structlog",
    "loguru",
    "addHandler",
    "sentry_sdk",
    "def downgrade",
    // Metrics exporters and instrumentation (`prometheus_client`, `opentelemetry`, `ddtrace`, `statsd`).
    "prometheus",
    "opentelemetry",
    "ddtrace",
    "statsd",
    // Settings a security reviewer reads (`SECRET_KEY = "..."`, `DEBUG = True`, a `PASSWORD` in a config
    // class), and CORS set up from an imported middleware or extension (`CORSMiddleware`, `CORS(app)`).
    "SECRET",
    "PASSWORD",
    "DEBUG",
    "CORS",
];

/// Route methods a decorator line calls (`@bp.route(`, `@router.get(`).
const METHODS: &[&str] = &[
    ".get(",
    ".post(",
    ".put(",
    ".patch(",
    ".delete(",
    ".head(",
    ".options(",
    ".route(",
    ".api_route(",
    ".websocket(",
    ".websocket_route(",
];

/// One automaton over every needle: a single pass over the file (SIMD-prefiltered) instead of one `windows`
/// scan per needle, which cost 30% of a cold check's CPU on a large corpus.
static SEARCHER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| AhoCorasick::new(NEEDLES).ok());
static METHOD_SEARCHER: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(METHODS).ok());

fn contains(haystack: &[u8], needle: &str) -> bool {
    memchr::memmem::find(haystack, needle.as_bytes()).is_some()
}

/// A line starting with `@` that calls a route method (`@bp.route(`, `@router.get(`): routes on an imported
/// router or blueprint, where the file names no framework at all. Only lines holding an `@` are looked at.
fn has_route_decorator(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'@', bytes).any(|at| {
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        if !bytes[line_start..at].iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let line = &bytes[at..line_end];
        match &*METHOD_SEARCHER {
            Some(searcher) => searcher.is_match(line),
            None => METHODS.iter().any(|m| contains(line, m)),
        }
    })
}

/// Parse a Python file from scratch. Never fails; syntax errors are reported in `errors`.
pub fn parse(text: &str) -> PythonFacts {
    PythonDocument::new(text).into_facts()
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
            "SECRET_KEY = 'x'\n",
            "class Config:\n    DEBUG = True\n",
            "app.add_middleware(CORSMiddleware)\n",
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

    /// The search as it was before the one-pass automaton: one `windows` scan per needle, lines split first.
    fn reference(bytes: &[u8]) -> bool {
        let naive = |h: &[u8], n: &str| h.windows(n.len()).any(|w| w == n.as_bytes());
        NEEDLES.iter().any(|n| naive(bytes, n))
            || bytes.split(|&b| b == b'\n').any(|line| {
                let line = line.trim_ascii_start();
                line.first() == Some(&b'@') && METHODS.iter().any(|m| naive(line, m))
            })
    }

    #[test]
    fn one_pass_search_agrees_with_one_scan_per_needle() {
        // Pieces of needles, whole needles, decorators at and off line starts, so every branch is taken.
        const PIECES: &[&str] = &[
            "x",
            " ",
            "\t",
            "\n",
            "\r\n",
            "@",
            "@app",
            ".get(",
            ".ge",
            "t(",
            "flas",
            "k",
            "Stac",
            "API",
            "_",
            "environ",
            "# @r.route(",
            "  @bp.route(",
            "é",
            "PREFI",
            "X",
            "run",
            ".run",
            "(",
            "mount",
            "Router",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut relevant, mut irrelevant) = (0, 0);
        for _ in 0..20_000 {
            let len = next(12);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let expected = reference(text.as_bytes());
            assert_eq!(is_relevant(text.as_bytes()), expected, "{text:?}");
            if expected {
                relevant += 1;
            } else {
                irrelevant += 1;
            }
        }
        assert!(
            relevant > 1000 && irrelevant > 1000,
            "{relevant} / {irrelevant}"
        );
        for needle in NEEDLES {
            assert!(is_relevant(format!("a {needle} b").as_bytes()), "{needle}");
        }
    }

    #[test]
    fn every_relevant_file_parses_to_facts_the_search_predicted() {
        let src = "from .app import app\n\n@app.get('/health')\ndef health(): ...\n";
        assert!(is_relevant(src.as_bytes()));
        assert_eq!(parse(src).web.routes.len(), 1);
    }
}
