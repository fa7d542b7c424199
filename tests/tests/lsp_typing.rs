//! `shipready lsp` end to end while typing fast: a `didChange` only edits the buffer, and the facts of a Python
//! buffer are derived once for the audit that follows a burst of changes, not once per change.

use serde_json::json;
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{file_uri, LspClient};

const ROUTES: &str = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get(\"/users\")\ndef users():\n    return []\n";

/// The buffer versions whose facts the server's log says it derived for `uri`.
fn derived(log: &[String], uri: &str) -> Vec<i64> {
    let marker = format!("derived the facts of {uri} at version ");
    log.iter()
        .filter_map(|l| l.split_once(&marker))
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}

#[test]
fn a_burst_of_changes_derives_the_buffers_facts_once_per_audit() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::start_logging("debug").init(&[&root], json!({}), json!({}));
    c.wait_for("shipready/score", |_| true);
    let routes = file_uri(&root.join("app/routes.py"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": routes, "languageId": "python", "version": 1, "text": ROUTES}}),
    );
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == routes.as_str() && p["version"] == 1
    });

    // Twenty keystrokes sent in one write: `#` and 19 letters typed at the end of the file.
    let changes = 20;
    let burst: Vec<(&str, serde_json::Value)> = (0..changes)
        .map(|k| {
            let at = json!({"line": 8, "character": k});
            let text = if k == 0 { "#" } else { "x" };
            let params = json!({"textDocument": {"uri": routes, "version": 2 + k},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": text}]});
            ("textDocument/didChange", params)
        })
        .collect();
    c.notify_all(&burst);
    let last = 1 + changes;
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == routes.as_str() && p["version"] == last
    });
    let log = c.log_until(|l| {
        !derived(&[l.to_owned()], &routes).is_empty() && l.ends_with(&format!(" {last}"))
    });
    let versions: Vec<i64> = derived(&log, &routes)
        .into_iter()
        .filter(|v| *v > 1)
        .collect();
    // The publisher may wake before the burst has fully arrived, so some earlier versions can be derived too,
    // but nowhere near once per change.
    assert!(versions.contains(&last), "{versions:?}");
    assert!(
        versions.len() <= 6,
        "derived {} times: {versions:?}",
        versions.len()
    );
}
