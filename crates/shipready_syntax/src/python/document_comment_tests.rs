//! Differential test of comment edits, which a [`PythonDocument`] applies without parsing or extracting again:
//! typed into and deleted from module-level comments added to every Python file of the repository's fixtures,
//! each edit must leave the same tree (kinds and byte ranges) and the same facts as a fresh parse. The fixtures
//! hold every kind of fact, so an offset [`Shift`] leaves out fails here.

use super::*;
use crate::python::ts::walk;

/// Every node's kind and byte range, in order: what a tree must agree on, positions included.
pub(super) fn shape(doc: &PythonDocument) -> Vec<(u16, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    if let Some(tree) = doc.tree() {
        walk(tree.root_node(), |n| {
            out.push((n.kind_id(), n.byte_range()))
        });
    }
    out
}

/// `text` with a comment line before every other top-level statement and a comment after the first line of
/// every third one (`x = 1  # note`): the places comment edits go.
fn with_comments(text: &str) -> String {
    let tree = ts::parse_tree(text);
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut inserts: Vec<(usize, &str)> = Vec::new();
    for (i, statement) in root.named_children(&mut cursor).enumerate() {
        if statement.kind() == "comment" {
            continue;
        }
        if i % 2 == 0 {
            inserts.push((statement.start_byte(), "# ok (see import CORS == debug)\n"));
        }
        if i % 3 == 0 {
            let line_end = text[statement.start_byte()..]
                .find('\n')
                .map_or(text.len(), |n| statement.start_byte() + n);
            if line_end == statement.end_byte() {
                inserts.push((line_end, "  # trailing [x]"));
            }
        }
    }
    let mut out = text.to_owned();
    for (at, what) in inserts.into_iter().rev() {
        out.insert_str(at, what);
    }
    out
}

/// The comments directly in the module: `(start, end)` of each.
fn module_comments(doc: &PythonDocument) -> Vec<(usize, usize)> {
    let Some(tree) = doc.tree() else {
        return Vec::new();
    };
    let root = tree.root_node();
    let mut cursor = root.walk();
    let comments = root
        .named_children(&mut cursor)
        .filter(|n| n.kind() == "comment")
        .map(|n| (n.start_byte(), n.end_byte()))
        .collect();
    comments
}

/// Facts no fixture file holds, written here so that their offsets are moved too.
pub(super) const EXTRA: &str =
    "import logging\nimport structlog\nfrom aws_cdk import aws_ecs as ecs\n\n\
logging.basicConfig(level=logging.INFO)\nstructlog.configure(processors=[])\n\n\
check = ecs.HealthCheck(command=[\"CMD-SHELL\", \"curl -f http://localhost/health\"])\n";

#[test]
fn comment_edits_move_the_facts_exactly_as_a_fresh_parse_places_them() {
    let files = crate::test_fixtures::files(|n| n.ends_with(".py"));
    assert!(files.len() > 100, "{} Python fixtures", files.len());
    const TYPED: &[&str] = &[
        "x",
        "é",
        "(",
        "import os",
        "CORS",
        " == ",
        "[",
        "\"",
        "'''",
        "\\",
        "#",
        "",
    ];
    let (mut fast, mut edits, mut kinds) = (0, 0, Kinds::default());
    let mut sources: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect();
    sources.push(("EXTRA".to_owned(), EXTRA.to_owned()));
    for (path, original) in &sources {
        let text = with_comments(original);
        let mut doc = PythonDocument::new(&text);
        kinds.add(&doc.facts());
        let mut rng = 0x2545_f491_4f6c_dd1d_u64 ^ text.len() as u64;
        for step in 0..12 {
            let Some((start, end)) = pick(&mut rng, &module_comments(&doc)) else {
                break;
            };
            edits += 1;
            if edit_inside(&mut doc, (start, end), step, rng, TYPED, path) {
                fast += 1;
            }
        }
    }
    eprintln!("{fast} of {edits} comment edits moved the facts without a parse");
    assert!(edits > 1000, "{edits} edits");
    // Most of the typed strings make or break a needle some extractor searches for (`(`, `import`, `CORS`,
    // `==`) or are not ASCII, which always takes the slow path; the rest must move the facts.
    assert!(
        fast * 4 > edits,
        "{fast} of {edits} edits took the path that moves the facts"
    );
    kinds.assert_all_seen();
}

/// Step `rng` (xorshift) and pick one of `items` with it; `None` when there are none.
pub(super) fn pick<T: Copy>(rng: &mut u64, items: &[T]) -> Option<T> {
    if items.is_empty() {
        return None;
    }
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    Some(items[*rng as usize % items.len()])
}

/// One edit inside the token `start..end` of `doc`, chosen by `step` and `rng`: an insertion at its end or inside
/// it, or a replacement of part of it, typing one of `typed`. After it the document must equal a fresh parse
/// (tree kinds and byte ranges, and facts; an unsettled document once settled). Returns whether the edit only
/// moved the facts.
pub(super) fn edit_inside(
    doc: &mut PythonDocument,
    (start, end): (usize, usize),
    step: usize,
    rng: u64,
    typed: &[&str],
    label: &str,
) -> bool {
    let inside = |k: u64| {
        let mut at = start + 1 + (k as usize % (end - start));
        while !doc.text().is_char_boundary(at) {
            at -= 1;
        }
        at.max(start + 1).min(end)
    };
    let (a, b) = (inside(rng >> 8), inside(rng >> 24));
    let range = if step.is_multiple_of(3) {
        TextRange::new(a.min(b), a.max(b))
    } else {
        TextRange::empty(if step.is_multiple_of(2) { end } else { a })
    };
    let typed = typed[(rng >> 40) as usize % typed.len()];
    doc.apply_edits(&[TextEdit {
        range,
        new_text: typed.to_owned(),
    }]);
    let moved = doc.facts.get().is_some();
    let fresh = PythonDocument::new(doc.text());
    super::tests::settle_if_apart(doc, &fresh);
    assert_eq!(
        shape(doc),
        shape(&fresh),
        "{label}: tree after {range:?} {typed:?}"
    );
    assert_eq!(
        doc.facts(),
        fresh.facts(),
        "{label}: facts after {range:?} {typed:?}"
    );
    moved
}

/// Which kinds of facts the files held: the test is only as good as the facts the edits moved.
#[derive(Default)]
pub(super) struct Kinds {
    seen: std::collections::BTreeMap<&'static str, usize>,
}

impl Kinds {
    pub(super) fn add(&mut self, f: &PythonFacts) {
        let (w, c, o, s) = (&f.web, &f.cdk, &f.observe, &f.security);
        let counts = [
            ("imports", f.imports.len()),
            ("apps", w.apps.len()),
            ("routes", w.routes.len()),
            (
                "handler ranges",
                w.routes
                    .iter()
                    .filter(|r| r.handler_range.is_some())
                    .count(),
            ),
            ("includes", w.includes.len()),
            ("dependencies", w.dependencies.len()),
            ("runners", w.runners.len()),
            ("env vars", w.env_vars.len()),
            ("app params", w.app_params.len()),
            ("app passes", w.app_passes.len()),
            ("class instances", w.class_instances.len()),
            ("cdk apps", c.apps.len()),
            ("synth calls", c.synth_calls.len()),
            ("stack classes", c.stack_classes.len()),
            ("stack instances", c.stack_instances.len()),
            ("constructs", c.constructs.len()),
            ("probe paths", c.probes.paths.len()),
            ("container commands", c.probes.container_commands.len()),
            ("balancers", c.probes.balancers.len()),
            ("images", c.probes.images.len()),
            ("logging", o.logging_setup.len()),
            ("error tracking", o.error_tracking.len()),
            ("migration", usize::from(o.migration.is_some())),
            ("construct args", o.construct_args.len()),
            ("settings", s.settings.len()),
            ("cors any origin", s.cors_any_origin.len()),
            ("debug on", s.debug_on.len()),
        ];
        for (kind, n) in counts {
            *self.seen.entry(kind).or_default() += n;
        }
    }

    pub(super) fn assert_all_seen(&self) {
        let missing: Vec<_> = self
            .seen
            .iter()
            .filter(|(_, &n)| n == 0)
            .map(|(k, _)| k)
            .collect();
        assert!(missing.is_empty(), "no fixture holds {missing:?}");
    }
}

/// CRLF line ends: the comment token runs up to the `\n`, its `\r` included, so a character typed at the end of
/// the line lands inside it; and a comment whose line is the file's last, without a line end.
#[test]
fn comment_edits_at_line_ends_equal_a_fresh_parse() {
    let text = "from fastapi import FastAPI\r\n# one\r\napp = FastAPI()  # two\r\n\r\n@app.get(\"/h\")\r\ndef h():\r\n    return 1\r\n# last";
    for at in ["# one\r", "# one", "# two\r", "# two", "# las", "# last"] {
        let mut doc = PythonDocument::new(text);
        let _ = doc.facts();
        let offset = text.find(at).map(|i| i + at.len()).expect("in the text");
        for typed in ["x", "(", "\u{e9}", ""] {
            doc.apply_edits(&[TextEdit {
                range: TextRange::empty(offset),
                new_text: typed.to_owned(),
            }]);
            let fresh = PythonDocument::new(doc.text());
            assert_eq!(shape(&doc), shape(&fresh), "{at:?} + {typed:?}");
            assert_eq!(doc.facts(), fresh.facts(), "{at:?} + {typed:?}");
        }
    }
}
