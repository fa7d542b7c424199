//! Differential tests: random edit sequences applied incrementally (rope + incrementally reparsed Python tree)
//! must give the same text and the same facts as applying them to a plain string and parsing it fresh.

use shipready_syntax::{parse_file, FileKind};
use shipready_text::{LineIndex, PositionEncoding};
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use super::Document;
use crate::conv;

/// A small deterministic generator (xorshift64*), so failures reproduce from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const START: &str = "from fastapi import FastAPI\n\napp = FastAPI()  # the app\n\n# routes\n@app.get(\"/users\")\ndef users():\n    return []\n# end\n";

/// Pieces typed into the buffer: route decorators (which change the facts), non-ASCII text, CRLF, deletions
/// of half a construct, comments and text typed into them (which move the facts without a parse).
const PIECES: &[&str] = &[
    "@app.get(\"/health\")\ndef health():\n    return {\"ok\": True}\n",
    "é𝄞",
    "\r\n",
    "\n",
    "    ",
    "router = APIRouter(prefix=\"/v1\")\n",
    "app.include_router(router)\n",
    "(",
    "\"",
    "import os\nDB = os.getenv(\"DATABASE_URL\")\n",
    "",
    "café = 1\n",
    "# note",
    " (see import x) ",
];

fn random_change(rng: &mut Rng, text: &str) -> TextDocumentContentChangeEvent {
    let lines = text.lines().count() as u32 + 1;
    let mut pos = || Position::new(rng.below(lines as usize + 1) as u32, rng.below(30) as u32);
    let (a, b) = (pos(), pos());
    let (start, end) = if (a.line, a.character) <= (b.line, b.character) {
        (a, b)
    } else {
        (b, a)
    };
    let new_text = PIECES[rng.below(PIECES.len())].to_owned();
    // Mostly short deletions or insertions, sometimes a whole-document replacement.
    let range = match rng.below(10) {
        0 => None,
        1..=5 => Some(Range::new(start, start)),
        _ => Some(Range::new(start, end)),
    };
    TextDocumentContentChangeEvent {
        range,
        range_length: None,
        text: new_text,
    }
}

/// The reference: apply a change to a string through `LineIndex`, independently of the rope.
fn apply_reference(
    text: &mut String,
    change: &TextDocumentContentChangeEvent,
    enc: PositionEncoding,
) {
    let index = LineIndex::new(text);
    let range = match change.range {
        Some(r) => conv::text_range(&index, text, r, enc),
        None => (0..text.len()).into(),
    };
    text.replace_range(range.start..range.end, &change.text);
}

fn run(seed: u64, enc: PositionEncoding, steps: usize) {
    run_kind(seed, enc, steps, FileKind::Python, START, "app/main.py");
}

fn run_kind(
    seed: u64,
    enc: PositionEncoding,
    steps: usize,
    kind: FileKind,
    start: &str,
    path: &str,
) {
    let mut rng = Rng(seed);
    let mut doc = Document::new(start, 0, Some(kind));
    let mut expected = start.to_owned();
    for step in 0..steps {
        let changes: Vec<_> = (0..1 + rng.below(3))
            .map(|_| {
                let c = random_change(&mut rng, &expected);
                apply_reference(&mut expected, &c, enc);
                c
            })
            .collect();
        doc.apply_changes(&changes, enc);
        assert_eq!(doc.text(), expected, "seed {seed} step {step}: text");
        if step % 3 != 2 {
            // As the server does before deriving facts; skipped now and then, so that facts are also derived
            // without a refresh since the last change.
            doc.refresh();
        }
        let mut incremental = doc.source_file(path, kind);
        let fresh = parse_file(kind, path, &expected);
        if incremental.facts != fresh {
            // Only a reparse that left errors may recover from them differently from a fresh parse.
            doc.refresh();
            assert!(
                doc.unsettled(),
                "seed {seed} step {step}: settled, and facts of {expected:?} differ"
            );
            doc.settle();
            incremental = doc.source_file(path, kind);
        }
        assert_eq!(
            incremental.facts, fresh,
            "seed {seed} step {step}: facts of {expected:?}"
        );
    }
}

#[test]
fn incremental_edits_match_a_fresh_parse_utf16() {
    for seed in 1..=12 {
        run(seed * 7919, PositionEncoding::Utf16, 40);
    }
}

#[test]
fn incremental_edits_match_a_fresh_parse_utf8() {
    for seed in 1..=12 {
        run(seed * 104_729, PositionEncoding::Utf8, 40);
    }
}

/// A Dockerfile buffer parses each version from the last one's tree: the same facts as a fresh parse.
#[test]
fn dockerfile_edits_match_a_fresh_parse() {
    const DOCKERFILE: &str = "# syntax=docker/dockerfile:1\nFROM python:3.12 AS build\nRUN pip wheel -w /w .\n\n\
FROM python:3.12-slim\nCOPY --from=build /w /w\nRUN <<EOF\npip install /w/*\nEOF\nUSER app\nCMD [\"uvicorn\", \"main:app\"]\n";
    for seed in 1..=12 {
        run_kind(
            seed * 7919,
            PositionEncoding::Utf16,
            40,
            FileKind::Dockerfile,
            DOCKERFILE,
            "Dockerfile",
        );
    }
}

#[test]
fn non_python_documents_are_reparsed_from_the_rope() {
    let mut doc = Document::new("FROM python:3.12\n", 1, Some(FileKind::Dockerfile));
    let change = TextDocumentContentChangeEvent {
        range: Some(Range::new(Position::new(1, 0), Position::new(1, 0))),
        range_length: None,
        text: "HEALTHCHECK CMD curl -f http://localhost/health\n".to_owned(),
    };
    doc.apply_changes(&[change], PositionEncoding::Utf16);
    let file = doc.source_file("Dockerfile", FileKind::Dockerfile);
    assert_eq!(
        file.facts,
        parse_file(FileKind::Dockerfile, "Dockerfile", &doc.text())
    );
    assert!(doc.text().ends_with("/health\n"));
}

/// A module large enough to be spliced (64 KiB and more: the statements an edit touches are parsed apart and
/// their facts swapped; see `shipready_syntax::python::splice`), typed into through the protocol's positions:
/// a buffer that differs from a fresh parse is unsettled, and equal to it once settled.
#[test]
fn edits_in_a_large_module_match_a_fresh_parse_once_settled() {
    let mut start = String::from("from fastapi import APIRouter\n\nrouter = APIRouter()\n");
    for i in 0..1000 {
        start.push_str(&format!(
            "\n@router.get(\"/t/{i}\")\ndef t_{i}(q: str = \"\"):\n    return {{\"id\": {i}}}\n"
        ));
    }
    assert!(start.len() >= 64 * 1024, "{} bytes", start.len());
    for seed in 1..=2 {
        run_kind(
            seed * 7919,
            PositionEncoding::Utf16,
            12,
            FileKind::Python,
            &start,
            "app/routes.py",
        );
    }
}
