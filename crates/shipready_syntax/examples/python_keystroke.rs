//! Where a keystroke in a large Python file goes: one-character edits at the end of a 10,000-line FastAPI route
//! file (2,000 routes, as `bench/genworkspace.py` writes it), timing the incremental reparse and the facts
//! separately. A measurement, not a test: `cargo run --release -p shipready_syntax --example python_keystroke`
//! (or under `valgrind --tool=callgrind` for instruction counts); `-- 200 code` types in a handler's code, `-- 200 path` in a route's path, `-- 200 statement` before a statement (with `TYPED=(` a syntax error).

use std::hint::black_box;
use std::time::{Duration, Instant};

use shipready_syntax::python::{PythonDocument, TextEdit};
use shipready_text::TextRange;

fn main() {
    let edits: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let mut text = String::from("\"\"\"A large hand-written FastAPI service.\"\"\"\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n");
    for i in 0..2000 {
        text.push_str(&format!("@router.get(\"/things/{i}\")\nasync def thing_{i}(q: str | None = None):\n    return {{\"id\": {i}, \"q\": q}}\n\n"));
    }
    text.push_str("# keystrokes land on this line\n");
    // The second argument says where the keystrokes land: `code` inside the last handler's `"id"` string (no
    // fact is read from it), `path` at the end of the last route's path (a fact), else the comment.
    let at = match std::env::args().nth(2).as_deref() {
        Some("code") => text.rfind("\"id\"").map_or(text.len() - 1, |i| i + 3),
        Some("path") => text.rfind("\")\nasync def").unwrap_or(text.len() - 1),
        // Before the last handler's `return`: most characters typed there leave a syntax error.
        Some("statement") => text.rfind("return {").unwrap_or(text.len() - 1),
        _ => text.len() - 1,
    };
    let mut doc = PythonDocument::new(&text);
    let (mut reparse, mut facts) = (Vec::new(), Vec::new());
    for k in 0..edits {
        let edit = if k % 2 == 0 {
            TextEdit {
                range: TextRange::empty(at),
                new_text: std::env::var("TYPED").unwrap_or_else(|_| "x".to_owned()),
            }
        } else {
            TextEdit {
                range: TextRange::new(at, at + 1),
                new_text: String::new(),
            }
        };
        let t = Instant::now();
        doc.apply_edits(&[edit]);
        reparse.push(t.elapsed());
        let t = Instant::now();
        black_box(doc.facts());
        facts.push(t.elapsed());
    }
    let p = |mut v: Vec<Duration>, q: usize| {
        v.sort();
        v[(v.len() * q / 100).min(v.len() - 1)].as_secs_f64() * 1e3
    };
    println!(
        "{} bytes, {edits} edits: reparse p50 {:.2} ms p99 {:.2} ms; facts p50 {:.2} ms p99 {:.2} ms",
        text.len(),
        p(reparse.clone(), 50),
        p(reparse, 99),
        p(facts.clone(), 50),
        p(facts, 99)
    );
}
