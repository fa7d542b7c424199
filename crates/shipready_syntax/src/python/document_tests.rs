//! Tests of [`PythonDocument`]: edits and their clamping, syntax errors, and the differential test that an
//! incrementally edited document equals a fresh parse of its final text.

use super::*;
use crate::python::parse;

fn edit(start: usize, end: usize, new_text: &str) -> TextEdit {
    TextEdit {
        range: TextRange { start, end },
        new_text: new_text.to_owned(),
    }
}

fn sexp(doc: &PythonDocument) -> String {
    doc.tree()
        .map(|t| t.root_node().to_sexp())
        .unwrap_or_default()
}

#[test]
fn edits_apply_in_sequence() {
    let mut doc = PythonDocument::new("app = FastAPI()\n");
    doc.apply_edits(&[
        edit(0, 3, "api"),
        edit(15, 15, "\n@api.get(\"/\")\ndef f(): pass"),
    ]);
    assert_eq!(
        doc.text(),
        "api = FastAPI()\n@api.get(\"/\")\ndef f(): pass\n"
    );
    assert_eq!(sexp(&doc), sexp(&PythonDocument::new(doc.text())));
}

#[test]
fn bad_ranges_are_clamped_not_panics() {
    let mut doc = PythonDocument::new("x = 'é'\n");
    // Inside the two bytes of `é`, inverted, and past the end.
    doc.apply_edits(&[edit(6, 6, "a")]);
    assert_eq!(doc.text(), "x = 'aé'\n");
    doc.apply_edits(&[edit(8, 7, "")]);
    assert_eq!(doc.text(), "x = 'a'\n");
    doc.apply_edits(&[edit(100, 200, "y = 1\n")]);
    assert_eq!(doc.text(), "x = 'a'\ny = 1\n");
    assert_eq!(sexp(&doc), sexp(&PythonDocument::new(doc.text())));
}

#[test]
fn points_count_rows_by_newline_and_columns_in_bytes() {
    assert_eq!(point_at("a\r\né b", 6), Point { row: 1, column: 3 });
    assert_eq!(point_at("", 0), Point { row: 0, column: 0 });
    assert_eq!(
        advance(Point { row: 2, column: 4 }, "xé"),
        Point { row: 2, column: 7 }
    );
    assert_eq!(
        advance(Point { row: 2, column: 4 }, "a\nbc"),
        Point { row: 3, column: 2 }
    );
}

#[test]
fn syntax_errors_are_reported_with_ranges() {
    let src = "import os\nx = foo(1, 2\ndef f(:\n    pass\n";
    let errors = parse(src).errors;
    assert!(!errors.is_empty());
    for error in &errors {
        assert!(
            error.message == "syntax error" || error.message.starts_with("missing `"),
            "{error:?}"
        );
        assert!(error.range.end <= src.len());
    }
    let src = "def f(:\n  pass\n";
    let missing = parse(src).errors;
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].message, "missing `)`");
    assert_eq!(missing[0].range, TextRange::empty(6));
    let unexpected = parse("print(a b)\n").errors;
    assert_eq!(
        (
            unexpected[0].message.as_str(),
            unexpected[0].range.slice("print(a b)\n")
        ),
        ("syntax error", "b")
    );
    assert!(parse("x = 1\n").errors.is_empty());
}

#[test]
fn empty_and_odd_inputs() {
    for src in [
        "",
        "\u{feff}",
        "\r\n\r\n",
        "\t\t",
        "@app.get(",
        "@",
        "def",
        "\u{0}\u{1}",
        "'''",
        "é\n日本",
    ] {
        let facts = parse(src);
        for error in facts.errors {
            assert!(
                src.get(error.range.start..error.range.end).is_some(),
                "{src:?}"
            );
        }
    }
}

/// A deterministic xorshift generator: reproducible edit sequences without a new dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// A random char boundary of `text`.
    fn boundary(&mut self, text: &str) -> usize {
        let mut at = self.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

pub(super) const SEED_TEXT: &str = "\u{feff}# -*- coding: utf-8 -*-\n\"\"\"Tést ✓ app.\"\"\"\nfrom fastapi import FastAPI, APIRouter, Depends\n\
import os, redis\nfrom .db import get_db\n\napp = FastAPI()\nrouter = APIRouter(prefix=\"/api\")\n\
cache = redis.from_url(os.environ[\"REDIS_URL\"])\n\n@app.get(\"/health\")\nasync def health(db=Depends(get_db)):\r\n\
\treturn {\"ok\": cache.ping()}\n\n@router.post(\"/items/{id}\")\ndef create(id: int):\n    # 日本語のコメント\n    return id\n\n\
API = f\"/{V}\"\nclass C:\n    P: str = \"/p\"\nsettings = C()\n\
app.include_router(router, prefix=\"/v1\")\napp.include_router(r2, prefix=settings.P)\nif __name__ == \"__main__\":\n    import uvicorn\n    uvicorn.run(\"main:app\", port=8000)\n";

pub(super) const FRAGMENTS: &[&str] = &[
    "@app.get(",
    "@router.delete(\"/x\")\n",
    "def f(",
    "):\n    pass\n",
    "'",
    "\"",
    "\"\"\"",
    "(",
    ")",
    "[",
    "]",
    ":",
    "\n",
    "\r\n",
    "\t",
    "    ",
    "é",
    "日本",
    "✓ ",
    "# ü\n",
    "app",
    "= FastAPI(",
    "APIRouter()\n",
    "os.getenv(\"K\")",
    "class S(BaseSettings):\n    a: int = 1\n",
    "uvicorn.run(app, port=1)\n",
    "import flask\n",
    "\\",
    "lambda",
    "x.",
    "API_PREFIX = \"/api\"\n",
    "settings = Settings()\n",
    "prefix=f\"{API}/v\"",
    "settings.API_V1_STR",
    // Functions that register on a parameter, nested and not, so edits move registrations across their spans.
    "def init(app):\n    app.include_router(r)\n",
    "def outer(api):\n    def inner(site):\n        @site.get(\"/i\")\n        def i(): pass\n",
];

#[test]
fn incremental_edits_match_a_fresh_parse() {
    // The seed holds every kind of fact, so edits move, break and restore each of them.
    let seed = parse(SEED_TEXT).web;
    let names: Vec<&str> = seed.constants.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"API") && names.contains(&"C.P") && names.contains(&"settings"));
    assert!(seed.includes.iter().any(|i| i.prefix_expr.is_some()));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _sequence in 0..60 {
        let mut doc = PythonDocument::new(SEED_TEXT);
        let mut shadow = SEED_TEXT.to_owned();
        for _round in 0..8 {
            let mut edits = Vec::new();
            for _ in 0..1 + rng.below(4) {
                let start = rng.boundary(&shadow);
                let end = match rng.below(3) {
                    0 => start,
                    _ => {
                        let len = rng.below(24);
                        let mut end = (start + len).min(shadow.len());
                        while !shadow.is_char_boundary(end) {
                            end += 1;
                        }
                        end
                    }
                };
                let new_text = if rng.below(4) == 0 {
                    ""
                } else {
                    FRAGMENTS[rng.below(FRAGMENTS.len())]
                };
                shadow.replace_range(start..end, new_text);
                edits.push(edit(start, end, new_text));
            }
            doc.apply_edits(&edits);
            assert_eq!(doc.text(), shadow);
            let fresh = PythonDocument::new(&shadow);
            settle_if_apart(&mut doc, &fresh);
            assert_eq!(sexp(&doc), sexp(&fresh), "trees differ for {shadow:?}");
            assert_eq!(doc.facts(), fresh.facts(), "facts differ for {shadow:?}");
        }
    }
}

#[test]
fn typing_a_route_character_by_character() {
    let base = "from fastapi import FastAPI\napp = FastAPI()\n";
    let typed = "@app.get(\"/héalth\")\r\ndef health():\r\n    return 'ok'\r\n";
    let mut doc = PythonDocument::new(base);
    let mut offset = base.len();
    for c in typed.chars() {
        doc.apply_edits(&[edit(offset, offset, c.encode_utf8(&mut [0; 4]))]);
        offset += c.len_utf8();
        let fresh = PythonDocument::new(doc.text());
        settle_if_apart(&mut doc, &fresh);
        assert_eq!(sexp(&doc), sexp(&fresh));
    }
    let facts = doc.facts();
    assert_eq!(facts.web.routes.len(), 1);
    assert_eq!(facts.web.routes[0].path, "/héalth");
    assert_eq!(facts, parse(doc.text()));
}

#[test]
fn a_parse_over_its_time_budget_is_cut_off_with_a_notice() {
    // Deeply nested, unclosed brackets: the kind of input that keeps the parser busiest.
    let src = format!("{}\n{}", SEED_TEXT, "f(".repeat(20_000));
    let doc = PythonDocument::with_budget(&src, std::time::Duration::ZERO);
    assert!(doc.cut_off());
    let facts = doc.facts();
    assert_eq!(facts.errors.len(), 1);
    assert!(
        facts.errors[0].message.contains("parse time budget"),
        "{facts:?}"
    );
    assert!(facts.web.routes.is_empty() && facts.imports.is_empty());
    // An edit under the same budget is cut off too, and keeps the old tree aligned for later.
    let mut doc = PythonDocument::new(SEED_TEXT);
    assert!(!doc.cut_off() && !doc.facts().web.routes.is_empty());
    doc.budget = std::time::Duration::ZERO;
    doc.apply_edits(&[edit(0, 0, &"[".repeat(20_000))]);
    assert!(doc.cut_off());
    assert_eq!(doc.facts().errors.len(), 1);
    // With time to finish, the same text parses as a fresh document does.
    doc.budget = crate::budget::PARSE_BUDGET;
    doc.apply_edits(&[edit(0, 20_000, "")]);
    assert!(!doc.cut_off());
    assert_eq!(doc.facts(), parse(SEED_TEXT));
}

/// Found by the `python_document` fuzz target: after these edits the incremental reparse recovered from the
/// syntax error differently from a fresh parse (the fresh one saw an `include_router` the other did not). The
/// document says it is unsettled, and settling it gives a fresh parse's facts.
#[test]
fn fuzz_regression_error_recovery_matches_a_fresh_parse_once_settled() {
    let seed = "from fastapi import FastAPI, APIRouter\nimport redis\n\napp = FastAPI()\nrouter = APIRouter(prefix=\"/api\")\n\n@app.get(\"/health\")\ndef health():\n    return {\"ok\": True}\n\n@router.post(\"/items/{id}\")\ndef create(id: int):\n    return id\n\napp.include_router(router, prefix=\"/v1\")\n";
    let mut doc = PythonDocument::new(seed);
    assert!(doc.settled());
    doc.apply_edits(&[edit(113, 113, ""), edit(48, 48, ""), edit(48, 158, "*")]);
    assert!(
        !doc.settled(),
        "an incremental reparse with errors is unsettled"
    );
    let _ = doc.facts();
    doc.settle();
    assert!(doc.settled());
    assert_eq!(doc.facts(), parse(doc.text()));
    doc.apply_edits(&[edit(31333, 31432, "\u{14}\u{14}")]);
    doc.settle();
    assert_eq!(doc.facts(), parse(doc.text()));
    // A valid text parsed incrementally is settled at once.
    doc.apply_edits(&[edit(0, doc.text().len(), seed)]);
    assert!(doc.settled());
    assert_eq!(doc.facts(), parse(seed));
}

/// An incrementally edited document that differs from a fresh parse of its text must say it is unsettled
/// (tree-sitter recovered from an error differently, or statements were parsed apart); it is then settled, for
/// the caller to compare again.
pub(super) fn settle_if_apart(doc: &mut PythonDocument, fresh: &PythonDocument) {
    // Every node's kind and range (a piece parsed apart leaves the module's tree behind there).
    let same = |d: &PythonDocument| {
        super::comment_tests::shape(d) == super::comment_tests::shape(fresh)
            && d.facts() == fresh.facts()
    };
    if !same(doc) {
        assert!(
            !doc.settled(),
            "a settled document differs from a fresh parse of {:?}",
            doc.text()
        );
        doc.settle();
    }
}
