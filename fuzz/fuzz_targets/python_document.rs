//! Fuzz target: the Python document model. The input is a seed text and a sequence of edits (raw, possibly
//! invalid byte ranges); after every round, the incrementally edited document has the same text and the same
//! facts as a fresh parse of that text, or says it is unsettled (an incremental reparse left errors) and has them
//! once settled. The seed has comments, parameters and strings no fact is read from, whose
//! edits move the facts without a parse. An input whose first byte is odd edits one change at a time in a
//! document that splices the facts of edited functions (which large modules do), so splicing is fuzzed too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipready_syntax::python::{PythonDocument, TextEdit};
use shipready_text::TextRange;

const SEED: &str = "# service\nfrom fastapi import FastAPI, APIRouter\nimport redis  # cache\n\napp = FastAPI()\n# routes (see README)\nrouter = APIRouter(prefix=\"/api\")\n\n@app.get(\"/health\")\ndef health():\n    return {\"ok\": True}\n\n@router.post(\"/items/{id}\")\ndef create(id: int, q: str = \"x\"):\n    note = \"created\"  # log\n    return id\n\napp.include_router(router, prefix=\"/v1\")\n";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, mut rest)) = data.split_first() else {
        return;
    };
    let splicing = mode % 2 == 1;
    let per_round = if splicing { 1 } else { 3 };
    let mut doc = PythonDocument::new(SEED);
    if splicing {
        doc = doc.splice_from(0);
        let _ = doc.facts();
    }
    // Each edit: 2 bytes start, 1 byte length, 1 byte text length, then the text (lossy UTF-8).
    let mut round = Vec::new();
    while rest.len() >= 4 {
        let start = usize::from(u16::from_le_bytes([rest[0], rest[1]]));
        let len = usize::from(rest[2]);
        let text_len = usize::from(rest[3] % 32).min(rest.len() - 4);
        let new_text = String::from_utf8_lossy(&rest[4..4 + text_len]).into_owned();
        rest = &rest[4 + text_len..];
        round.push(TextEdit {
            range: TextRange {
                start,
                end: start.saturating_add(len),
            },
            new_text,
        });
        // Every third edit ends a round: one reparse for several edits, as an editor's notification does.
        if round.len() == per_round || rest.len() < 4 {
            doc.apply_edits(&round);
            round.clear();
            let fresh = PythonDocument::new(doc.text());
            if doc.facts() != fresh.facts() {
                // Only an incremental reparse that left errors may recover from them differently.
                assert!(!doc.settled(), "a settled document differs from a fresh parse");
                doc.settle();
                assert_eq!(doc.facts(), fresh.facts());
            }
            // A spliced document is unsettled: settle it now and then, as the language server does when typing
            // pauses, so that later edits splice from a fresh parse's facts as well as from spliced ones.
            if splicing && rest.first().is_some_and(|b| b % 4 == 0) {
                doc.settle();
                assert_eq!(doc.facts(), fresh.facts());
            }
        }
    }
});
