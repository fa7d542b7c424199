//! Python facts from `tree-sitter-python`: web apps and routes (FastAPI, Flask, Starlette), CDK apps and stacks,
//! imports, and the dependencies code talks to. [`PythonDocument`] keeps a tree that is edited incrementally.

pub mod cdk;
mod document;
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
/// file that names no web framework, CDK or server runner is never parsed.
pub fn is_relevant(bytes: &[u8]) -> bool {
    const NEEDLES: &[&[u8]] = &[b"fastapi", b"flask", b"starlette", b"aws_cdk", b"uvicorn", b"Router", b"Blueprint"];
    NEEDLES.iter().any(|needle| bytes.windows(needle.len()).any(|w| w == *needle))
}

/// Parse a Python file from scratch. Never fails; syntax errors are reported in `errors`.
pub fn parse(text: &str) -> PythonFacts {
    PythonDocument::new(text).facts()
}
