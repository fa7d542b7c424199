//! Tests of [`Session`]'s resource bounds: syntax trees live only as long as their buffers are open, and a
//! buffer over the size limit keeps no tree and no facts in the analysis, until it shrinks again.

use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use super::*;
use crate::document::MAX_BUFFER_BYTES;

const APP: &str = "from fastapi import FastAPI\n\napp = FastAPI()\n";

fn session() -> (Session, Url, Url) {
    let mut s = Session::default();
    let root = Url::parse("file:///w").ok();
    let (a, b) = (
        Url::parse("file:///w/app/main.py").ok(),
        Url::parse("file:///w/app/other.py").ok(),
    );
    let (Some(root), Some(a), Some(b)) = (root, a, b) else {
        panic!("bad test URIs");
    };
    assert_eq!(s.add_root(&root), Some(0));
    (s, a, b)
}

#[test]
fn trees_of_closed_buffers_are_dropped() {
    let (mut s, a, b) = session();
    s.open(a.clone(), APP, 1);
    s.open(b.clone(), APP, 1);
    s.flush();
    assert_eq!(s.trees_held(), 2);
    assert!(s.close(&a));
    assert_eq!(s.trees_held(), 1);
    assert!(s.close(&b));
    assert_eq!(s.trees_held(), 0);
    // Closed files are back to what the disk has: here nothing, so they leave the index.
    assert!(s.roots[0].analysis.file("app/main.py").is_none());
}

#[test]
fn an_oversized_buffer_keeps_no_tree_and_no_facts_until_it_shrinks() {
    let (mut s, a, _) = session();
    s.open(a.clone(), APP, 1);
    s.flush();
    assert!(s.roots[0].analysis.file("app/main.py").is_some());
    let grow = TextDocumentContentChangeEvent {
        range: Some(Range::new(Position::new(3, 0), Position::new(3, 0))),
        range_length: None,
        text: "#".repeat(MAX_BUFFER_BYTES),
    };
    assert_eq!(s.change(&a, 2, &[grow]), Ok(()));
    s.flush();
    assert_eq!(s.trees_held(), 0);
    assert!(s.docs.get(&a).and_then(Document::too_large).is_some());
    assert!(s.roots[0].analysis.file("app/main.py").is_none());
    let shrink = TextDocumentContentChangeEvent {
        range: None,
        range_length: None,
        text: APP.to_owned(),
    };
    assert_eq!(s.change(&a, 3, &[shrink]), Ok(()));
    s.flush();
    assert_eq!(s.trees_held(), 1);
    let indexed = s.roots[0].analysis.file("app/main.py");
    let fresh = shipready_rules::SourceFile::new("app/main.py", FileKind::Python, APP.to_owned());
    assert_eq!(indexed.map(|f| &f.facts), Some(&fresh.facts));
}
