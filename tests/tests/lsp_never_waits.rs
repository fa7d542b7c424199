//! The editor never waits on `shipready lsp`: a flood of 10,000 changes is applied as it arrives, a hover
//! right after it is answered at once (not after the audits the flood causes), and the last diagnostics
//! published are those of the final text.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{codes, file_uri, LspClient};

const APP: &str = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/users\")\ndef users():\n    return []\n";

#[test]
fn a_hover_after_ten_thousand_changes_answers_at_once_and_the_last_diagnostics_match() {
    const CHANGES: i64 = 10_000;
    const HELPERS: usize = 500;
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    // A module of a realistic size: the app, then helpers, so each reparse has real work to do.
    let helpers: String = (0..HELPERS)
        .map(|i| format!("def helper_{i}(x):\n    return x + {i}\n\n"))
        .collect();
    let text = format!("{APP}{helpers}");
    let end_line = text.matches('\n').count();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": text}}),
    );
    let first = c.diagnostics_until(&main, |d| !d.is_empty());
    assert!(codes(&first).contains(&"HC001".to_owned()), "{first:#?}");
    // 9,999 changes type a comment character at the end and delete it again, as typing and undoing do; the
    // last one completes a health route there, which closes the HC001 gap: only diagnostics of the final
    // text lack it.
    let at = json!({"line": end_line, "character": 0});
    let after = json!({"line": end_line, "character": 1});
    let mut flood: Vec<(&str, Value)> = (0..CHANGES - 1)
        .map(|k| {
            let change = if k % 2 == 0 {
                json!({"range": {"start": at, "end": at}, "text": "#"})
            } else {
                json!({"range": {"start": at, "end": after}, "text": ""})
            };
            let params = json!({"textDocument": {"uri": main, "version": 2 + k}, "contentChanges": [change]});
            ("textDocument/didChange", params)
        })
        .collect();
    // 9,999 is odd: the comment character is there now, and the route goes after it.
    let end = json!({"line": end_line, "character": 1});
    flood.push((
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 1 + CHANGES},
            "contentChanges": [{"range": {"start": end, "end": end},
                "text": "\n@app.get(\"/health\")\ndef health():\n    return {}\n"}]}),
    ));
    let flood_start = Instant::now();
    c.notify_all(&flood);
    // A request the server answers in order once it has read the flood: the changes are applied by then (each
    // `didChange` applies its change before anything later starts), and audits of them are under way.
    let barrier = c.request("shipready/barrier", json!({}));
    assert!(
        barrier.is_err(),
        "an unknown method gets an error: {barrier:?}"
    );
    let applied = flood_start.elapsed();
    let sent = Instant::now();
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main}, "position": {"line": 2, "character": 1}}),
    );
    let answered = sent.elapsed();
    eprintln!(
        "{CHANGES} changes applied in {applied:?}; a hover right after answered in {answered:?}"
    );
    assert!(hover.is_ok(), "{hover:?}");
    let last = c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == main.as_str() && p["version"] == 1 + CHANGES
    });
    let diagnostics = last["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(
        !codes(&diagnostics).contains(&"HC001".to_owned()),
        "{diagnostics:#?}"
    );
    // A change costs no parse and no line count (about 0.1 ms in a debug build: 1-2 s for the flood on a loaded
    // machine; with a reparse per change it takes 15-20 s): a bound that a parse per change cannot meet.
    assert!(
        applied < Duration::from_secs(8),
        "{CHANGES} changes took {applied:?}"
    );
    assert!(
        answered < Duration::from_millis(50),
        "hover took {answered:?}"
    );
}
