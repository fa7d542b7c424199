//! Differential test of spliced facts ([`super::splice`]): edits typed inside the top-level functions of every
//! Python file of the fixtures and of modules whose functions depend on each other, each compared with a fresh
//! parse. A spliced document is unsettled, so it may differ from a fresh parse until settled; the test counts how
//! often it does, and requires it never to on these files.

use super::comment_tests::{pick, shape, EXTRA};
use super::*;
use crate::python::parse;

/// What is typed: names, a path's characters, the start of a call, a line of code, and characters that leave a
/// syntax error.
const TYPED: &[&str] = &[
    "x",
    "/",
    "_v2",
    "engine",
    "(",
    ".",
    "\"",
    "\n    value = compute(q)",
    "\n    ",
    "os.getenv(\"PORT\")",
    "debug=True, ",
    "{",
    "",
];

/// What is typed between top-level statements: a function, a route, a client, a decorator, a statement.
const BETWEEN: &[&str] = &[
    "\ndef extra():\n    return 1\n",
    "\n@router.get(\"/new\")\ndef new():\n    return cache\n",
    "\nengine = sqlalchemy.create_engine(URL)\n",
    "@app.get(\"/deco\")\n",
    "x = 1\n",
    "import os\n",
    "\n",
];

/// Modules whose functions depend on each other: a handler registered by name, an app bound in a factory,
/// a migration's two halves, settings through a function, a client module-level and used in handlers.
const LINKED: &[&str] = &[
    "from fastapi import FastAPI\nimport sqlalchemy\n\napp = FastAPI()\nengine = sqlalchemy.create_engine(URL)\n\n\
def ready():\n    with engine.connect() as c:\n        return c\n\n\
def other():\n    return 1\n\napp.add_api_route(\"/ready\", ready)\n\n\
@app.get(\"/a\")\ndef a():\n    return engine\n\n@app.get(\"/b\")\nasync def b(q: str):\n    return {\"q\": q}\n",
    "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n\n    @app.route(\"x\")\n    def x():\n        return 1\n\n    return app\n\n\
def register(app):\n    app.add_url_rule(\"/y\", \"y\", view)\n\ndef view():\n    return 2\n\n\
def run():\n    create_app().run(debug=True)\n",
    "from alembic import op\n\nrevision = \"1\"\n\ndef upgrade():\n    op.add_column(\"t\", \"c\")\n\n\
def downgrade():\n    op.drop_column(\"t\", \"c\")\n",
    "from functools import lru_cache\nfrom pydantic_settings import BaseSettings\n\n\
class Settings(BaseSettings):\n    API_V1_STR: str = \"/api/v1\"\n\n@lru_cache\ndef get_settings():\n    return Settings()\n\n\
settings = get_settings()\n\ndef token():\n    return os.environ[\"TOKEN\"]\n",
];

/// The top-level functions of the document, as byte ranges.
fn functions(doc: &PythonDocument) -> Vec<(usize, usize)> {
    let Some(tree) = doc.tree() else {
        return Vec::new();
    };
    let root = tree.root_node();
    let mut cursor = root.walk();
    let out: Vec<(usize, usize)> = root
        .named_children(&mut cursor)
        .filter(|c| matches!(c.kind(), "function_definition" | "decorated_definition"))
        .map(|c| (c.start_byte(), c.end_byte()))
        .collect();
    out
}

#[test]
fn edits_inside_functions_splice_the_facts_a_fresh_parse_gives() {
    let mut sources = crate::test_fixtures::python_sources();
    sources.push(("EXTRA".to_owned(), EXTRA.to_owned()));
    sources.extend(
        LINKED
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("LINKED {i}"), (*t).to_owned())),
    );
    let mut large = String::from("from fastapi import APIRouter\nimport redis\n\nrouter = APIRouter()\ncache = redis.Redis()\n");
    for i in 0..60 {
        large.push_str(&format!("\n@router.get(\"/things/{i}\")\nasync def thing_{i}(q: str | None = None):\n    cache.get(q)\n    return {{\"id\": {i}}}\n"));
    }
    sources.push(("LARGE".to_owned(), large));
    let (mut spliced, mut apart, mut edits) = ((0, 0), Vec::new(), 0);
    for (path, text) in &sources {
        let mut doc = PythonDocument::new(text).splice_from(0);
        let _ = doc.facts();
        let mut rng = 0x2545_f491_4f6c_dd1d_u64 ^ text.len() as u64;
        for step in 0..48 {
            let Some((start, end)) = pick(&mut rng, &functions(&doc)) else {
                break;
            };
            if step % 5 == 4 {
                // Before a function, or in place of it: statements come and go.
                let range = if step % 10 == 4 {
                    TextRange::empty(start)
                } else {
                    TextRange::new(start, end)
                };
                let typed = BETWEEN[(rng >> 40) as usize % BETWEEN.len()];
                edits += 1;
                check(&mut doc, path, range, typed, &mut spliced, &mut apart);
                continue;
            }
            let mut at = start + 1 + (rng >> 8) as usize % (end - start).max(1);
            at = at.min(end);
            while !doc.text().is_char_boundary(at) {
                at -= 1;
            }
            let range = if step % 4 == 3 {
                let to = (at + 1 + (rng >> 20) as usize % 3).min(end);
                let to = (to..=end)
                    .find(|&t| doc.text().is_char_boundary(t))
                    .unwrap_or(end);
                TextRange::new(at, to)
            } else {
                TextRange::empty(at)
            };
            let typed = TYPED[(rng >> 40) as usize % TYPED.len()];
            edits += 1;
            check(&mut doc, path, range, typed, &mut spliced, &mut apart);
            // Start again from the file as it was after an edit that left a syntax error, so that most edits
            // meet a valid module; else settle now and then, as the language server does when typing pauses,
            // and keep splicing from the spliced state the rest of the time.
            if !doc.facts().errors.is_empty() {
                doc = PythonDocument::new(text).splice_from(0);
                let _ = doc.facts();
            } else if step % 4 == 0 {
                doc.settle();
                let _ = doc.facts();
            }
        }
    }
    let (spliced, apart_parsed) = spliced;
    eprintln!(
        "{spliced} of {edits} edits spliced the facts, {apart_parsed} of them parsing the edited statements apart; {} differed before settling",
        apart.len()
    );
    assert!(edits > 1000, "{edits} edits");
    assert!(spliced * 3 > edits, "{spliced} of {edits} edits spliced");
    assert!(
        apart_parsed * 3 > spliced,
        "{apart_parsed} of {spliced} parsed apart"
    );
    assert!(
        apart.is_empty(),
        "spliced facts differ from a fresh parse:\n{}",
        apart.join("\n")
    );
}

/// Type `typed` over `range` of `doc`; count a splice, and a spliced document that differs from a fresh parse;
/// then require the document to equal a fresh parse (once settled, if it differs).
fn check(
    doc: &mut PythonDocument,
    path: &str,
    range: TextRange,
    typed: &str,
    spliced: &mut (usize, usize),
    apart: &mut Vec<String>,
) {
    doc.apply_edits(&[TextEdit {
        range,
        new_text: typed.to_owned(),
    }]);
    let fresh = PythonDocument::new(doc.text());
    if doc.spliced {
        spliced.0 += 1;
        spliced.1 += usize::from(doc.piece.is_some());
        assert!(!doc.settled(), "a spliced document says it is settled");
        // Half-typed code is recovered from inside the statements typed in, where a whole parse can let the
        // error reach further: only an error-free text must splice exactly.
        if doc.facts() != fresh.facts() && fresh.facts().errors.is_empty() {
            apart.push(format!("{path}: {range:?} {typed:?}"));
        }
    }
    super::tests::settle_if_apart(doc, &fresh);
    assert_eq!(
        shape(doc),
        shape(&fresh),
        "{path}: tree after {range:?} {typed:?}"
    );
    assert_eq!(
        doc.facts(),
        fresh.facts(),
        "{path}: facts after {range:?} {typed:?}"
    );
}

/// Type `typed` in place of the first `old` of `text` in a document that splices, and return it with whether it
/// spliced and the facts a fresh parse gives.
fn splice_at(text: &str, old: &str, typed: &str) -> (PythonDocument, PythonFacts) {
    let mut doc = PythonDocument::new(text).splice_from(0);
    let _ = doc.facts();
    let at = text.find(old).unwrap_or(0);
    doc.apply_edits(&[TextEdit {
        range: TextRange::new(at, at + old.len()),
        new_text: typed.to_owned(),
    }]);
    let fresh = parse(doc.text());
    (doc, fresh)
}

#[test]
fn a_function_registered_by_name_elsewhere_is_not_spliced() {
    // `view`'s body decides what the route `register` adds touches; the view without `register` cannot see it.
    let text = "import redis\nfrom flask import Flask\n\ncache = redis.Redis()\n\n\
def create_app():\n    app = Flask(__name__)\n    return app\n\n\
def register(app):\n    app.add_url_rule(\"/y\", \"y\", view)\n\n\
def view():\n    return cache.get(\"k\")\n";
    assert_eq!(parse(text).web.routes.len(), 1);
    assert!(!parse(text).web.routes[0].touches.is_empty());
    let (doc, fresh) = splice_at(text, "cache.get", "cached.get");
    assert!(fresh.web.routes[0].touches.is_empty());
    assert_eq!(doc.facts(), fresh);
}

#[test]
fn facts_the_view_of_a_function_does_not_find_in_it_are_not_spliced() {
    // `app` is an app only because another function binds it: the pass in `setup` is seen whole, not in a view.
    let text = "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n\n\
def setup():\n    register_views(app)\n";
    assert_eq!(parse(text).web.app_passes.len(), 1);
    let (doc, fresh) = splice_at(text, "(app)", "(apps)");
    assert!(fresh.web.app_passes.is_empty());
    assert_eq!(doc.facts(), fresh);
}

#[test]
fn a_route_path_typed_in_a_large_module_is_spliced() {
    let mut text = String::from("from fastapi import APIRouter\n\nrouter = APIRouter()\n");
    for i in 0..50 {
        text.push_str(&format!(
            "\n@router.get(\"/t/{i}\")\ndef t_{i}():\n    return {i}\n"
        ));
    }
    let (doc, fresh) = splice_at(&text, "\"/t/7\"", "\"/t/7x\"");
    assert!(doc.spliced && !doc.settled());
    assert_eq!(doc.facts(), fresh);
    assert!(fresh.web.routes.iter().any(|r| r.path == "/t/7x"));
}

#[test]
fn a_large_module_of_statements_other_than_functions_is_extracted_whole() {
    // A view would hold most of it: two views cost more than one extraction.
    let mut text = String::from("import os\n\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "SETTING_{i} = os.getenv(\"SETTING_{i}\", \"x\")\n"
        ));
    }
    text.push_str("\ndef helper():\n    return 1\n");
    assert!(text.len() >= super::PARALLEL_FROM);
    let mut doc = PythonDocument::new(&text);
    let _ = doc.facts();
    let at = text.find("return 1").unwrap_or(0) + "return ".len();
    doc.apply_edits(&[TextEdit {
        range: TextRange::new(at, at + 1),
        new_text: "2".to_owned(),
    }]);
    assert!(!doc.spliced);
    assert_eq!(doc.facts(), parse(doc.text()));
}

#[test]
fn an_edit_that_unmakes_a_migration_equals_a_fresh_parse() {
    // The text after the edit no longer spells `downgrade`; the migration read before is refused by the views.
    let text = LINKED[2];
    assert!(parse(text).observe.migration.is_some());
    let (doc, fresh) = splice_at(text, "def downgrade", "def downgradx");
    assert!(fresh.observe.migration.is_none());
    assert_eq!(doc.facts(), fresh);
}
