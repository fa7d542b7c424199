//! `shipready lsp` end to end: the session's lifecycle. The server ends on `exit` even while the client keeps
//! its stdin open, with the exit code the LSP specification asks for (0 after `shutdown`, 1 without).

use std::time::Duration;

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{file_uri, LspClient};

/// Long enough for a debug build on a busy machine, far shorter than the test client's own deadlines.
const EXIT_WITHIN: Duration = Duration::from_secs(5);

#[test]
fn exit_after_shutdown_ends_the_process_with_code_0_while_stdin_stays_open() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    assert_eq!(c.shutdown(), Ok(Value::Null));
    c.notify("exit", Value::Null);
    // `c` keeps the pipe to the server's stdin open until it is dropped.
    assert_eq!(c.exit_code(EXIT_WITHIN), Some(0));
}

#[test]
fn exit_without_shutdown_ends_the_process_with_code_1() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(EXIT_WITHIN), Some(1));
}

#[test]
fn nothing_is_published_or_answered_from_a_half_scanned_workspace() {
    let root = fixture("seed-example");
    let (mut c, _) = LspClient::handshake(&[&root], json!({}), json!({"profile": "seed"}));
    // Sent right after `initialized`, while the scan runs: the answer waits for it.
    let main = file_uri(&root.join("backend/main.py"));
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": main}, "position": {"line": 3, "character": 2}}),
        )
        .unwrap_or(Value::Null);
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("HC003"), "{hover:#}");
    assert!(text.contains("from 86.0 Production Ready"), "{text}");

    // The first score the client hears is the scanned workspace's, as `shipready check --profile seed` says.
    let first = c.wait_for("shipready/score", |_| true);
    assert_eq!(first["overall"], 86.0, "{first:#}");
    let report = c
        .request(
            "workspace/executeCommand",
            json!({"command": "shipready.report"}),
        )
        .unwrap_or(Value::Null);
    assert_eq!(report["overall"], 86.0);
    assert_eq!(report["files_analyzed"], 18);
    // Diagnostics were published once, from the scanned workspace: no file was published twice.
    let mut published: Vec<&str> = c
        .received
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .filter_map(|m| m["params"]["uri"].as_str())
        .collect();
    assert!(!published.is_empty());
    let count = published.len();
    published.sort_unstable();
    published.dedup();
    assert_eq!(published.len(), count, "{published:?}");
}
