//! Differential test of edits inside names and strings, which a [`PythonDocument`] applies without parsing or
//! extracting again when no fact was read from the token: typed into and deleted from names and string texts
//! anywhere in every Python file of the repository's fixtures (route paths, handler bodies, settings), each edit
//! must leave the same tree (kinds and byte ranges) and the same facts as a fresh parse. An extractor that reads
//! text without noting it ([`super::reads`]) or a token rule that lets the lexer see another token fails here.

use super::comment_tests::{edit_inside, pick, shape, Kinds, EXTRA};
use super::*;
use crate::python::ts::walk;

/// The names and string texts of the document: `(start, end, kind)` of each.
fn tokens(doc: &PythonDocument) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    if let Some(tree) = doc.tree() {
        walk(tree.root_node(), |n| {
            let kind = matches!(n.kind(), "identifier" | "string_content");
            if kind && n.child_count() == 0 && n.end_byte() > n.start_byte() {
                out.push((n.start_byte(), n.end_byte(), n.kind()));
            }
        });
    }
    out
}

/// What is typed: name characters (some of which spell a keyword after `i`, `pr`, `Non`), and the characters
/// that end a name or a string, start an escape or an interpolation, or are not ASCII.
const TYPED: &[&str] = &[
    "x", "_", "9", "f", "int", "e", "db", "port", "(", ".", " ", "\u{e9}", "\"", "'", "\\", "{", "",
];

#[test]
fn edits_inside_unread_names_and_strings_equal_a_fresh_parse() {
    let mut sources = crate::test_fixtures::python_sources();
    sources.push(("EXTRA".to_owned(), EXTRA.to_owned()));
    sources.push((
        "KEYWORDS".to_owned(),
        "from __future_ import annotations\npr = 1\nNon = 2\ni = 3\nmatc = 4\nrb = 5\nx = rb\"b\"\n".to_owned(),
    ));
    let (mut moved, mut edits, mut kinds) = (0, 0, Kinds::default());
    for (path, text) in &sources {
        let mut doc = PythonDocument::new(text);
        kinds.add(&doc.facts());
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64 ^ text.len() as u64;
        for step in 0..24 {
            let Some((start, end, kind)) = pick(&mut rng, &tokens(&doc)) else {
                break;
            };
            edits += 1;
            if edit_inside(
                &mut doc,
                (start, end),
                step,
                rng,
                TYPED,
                &format!("{path}, a {kind}"),
            ) {
                moved += 1;
            }
            // Start again from the file as it was after an edit that left a syntax error, so that most edits
            // meet a valid tree.
            if doc.tree().is_some_and(|t| t.root_node().has_error()) {
                doc = PythonDocument::new(text);
                let _ = doc.facts();
            }
        }
    }
    eprintln!("{moved} of {edits} edits in names and strings moved the facts without a parse");
    assert!(edits > 2000, "{edits} edits");
    // The fixtures are dense with facts (most of their names are read), and many typed strings end a token:
    // about one edit in ten moves the facts. Both paths must be seen often.
    assert!(
        moved > 300 && moved * 2 < edits,
        "{moved} of {edits} edits moved the facts: the test must see both paths"
    );
    kinds.assert_all_seen();
}

/// A document of `text` with facts derived, then `typed` inserted after the first `after`.
fn typed_after(text: &str, after: &str, typed: &str) -> PythonDocument {
    let mut doc = PythonDocument::new(text);
    let _ = doc.facts();
    let at = text
        .find(after)
        .map(|i| i + after.len())
        .expect("in the text");
    doc.apply_edits(&[TextEdit {
        range: TextRange::empty(at),
        new_text: typed.to_owned(),
    }]);
    doc
}

/// The token rules one by one: each edit below would change the tree or a fact if it only moved the facts.
#[test]
fn edits_that_change_the_token_take_the_slow_path() {
    // Inside a function body, where none of these tokens is read: only the token rule refuses them.
    let cases: &[(&str, &str, &str)] = &[
        // A name that becomes a keyword (Python 2's `print` and the constant `None` included).
        ("def h():\n    x = i + 1\n", "i", "f"),
        ("def h():\n    x = pr + 1\n", "pr", "int"),
        ("def h():\n    x = Non + 1\n", "Non", "e"),
        // The text of a string gains a quote, an escape or an interpolation.
        ("def h():\n    x = \"ab\"\n", "\"a", "\""),
        ("def h():\n    x = \"ab\"\n", "\"a", "\\"),
        ("def h():\n    x = f\"ab\"\n", "\"a", "{"),
        // A comment gains a line break.
        ("def h():\n    x = 1  # ab\n", "# a", "\ny = 2"),
        // A route path is read: typing in it changes the route.
        ("from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/health\")\ndef h():\n    return 1\n", "/hea", "x"),
    ];
    for &(text, after, typed) in cases {
        let mut doc = typed_after(text, after, typed);
        assert!(
            doc.facts.get().is_none(),
            "{text:?} + {typed:?} only moved the facts"
        );
        let fresh = PythonDocument::new(doc.text());
        super::tests::settle_if_apart(&mut doc, &fresh);
        assert_eq!(shape(&doc), shape(&fresh), "{text:?} + {typed:?}");
        assert_eq!(doc.facts(), fresh.facts(), "{text:?} + {typed:?}");
    }
    // And an unread local name or string in a handler only moves them.
    let text = "from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/health\")\ndef h(q):\n    return {\"id\": q}\n";
    for (after, typed) in [("\"i", "x"), ("(q", "x"), ("{\"id", "_")] {
        let doc = typed_after(text, after, typed);
        assert!(
            doc.facts.get().is_some(),
            "{after:?} + {typed:?} was parsed again"
        );
        assert_eq!(doc.facts(), PythonDocument::new(doc.text()).facts());
    }
}

/// In a tree with errors (half-typed code elsewhere), an edit of an unread name moves the facts as a reparse
/// from the old tree would, and leaves the document unsettled: settled, it equals a fresh parse.
#[test]
fn edits_in_a_module_with_errors_move_the_facts_and_unsettle_it() {
    let text = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef h(q):\n    return {\"id\": q}\n\ndef broken(:\n    pass\n";
    let mut doc = PythonDocument::new(text);
    assert!(doc.tree().is_some_and(|t| t.root_node().has_error()));
    let before = doc.facts();
    assert_eq!(before.web.routes.len(), 1);
    let at = text.find("\"id").map_or(0, |i| i + 3);
    doc.apply_edits(&[TextEdit {
        range: TextRange::empty(at),
        new_text: "x".to_owned(),
    }]);
    assert!(doc.facts.get().is_some(), "the facts were derived again");
    assert!(!doc.settled());
    // Past the edit, every offset moved by one: the handler, which holds it, grew by one.
    let after = doc.facts();
    let mut moved = before.web.routes.clone();
    let first = std::sync::Arc::make_mut(&mut moved[0]);
    first.handler_range = first
        .handler_range
        .map(|r| TextRange::new(r.start, r.end + 1));
    assert_eq!(after.web.routes, moved);
    let errors = |f: &PythonFacts| f.errors.iter().map(|e| e.range.start).collect::<Vec<_>>();
    assert_eq!(
        errors(&after),
        errors(&before).iter().map(|s| s + 1).collect::<Vec<_>>()
    );
    doc.settle();
    assert!(doc.settled());
    assert_eq!(doc.facts(), PythonDocument::new(doc.text()).facts());
}
