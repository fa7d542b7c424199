//! `shipready lsp` end to end: the session's lifecycle. The server ends on `exit` even while the client keeps
//! its stdin open, with the exit code the LSP specification asks for (0 after `shutdown`, 1 without).

use std::time::{Duration, Instant};

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
fn requests_during_the_scan_answer_at_once_as_partial_and_never_from_a_half_scanned_workspace() {
    let root = fixture("seed-example");
    // A client slow to answer the server's progress request holds the scan at its start: whatever the
    // machine's speed, the requests below arrive while it runs.
    let mut c = LspClient::start();
    c.hold_requests = true;
    let (mut c, _) = c.init(&[&root], json!({}), json!({"profile": "seed"}));
    c.wait_for_request("window/workDoneProgress/create");
    let main = file_uri(&root.join("backend/main.py"));
    let position = json!({"textDocument": {"uri": main}, "position": {"line": 3, "character": 2}});
    let asked = Instant::now();
    // Nothing is known yet: no hover, no actions, no lenses; pull diagnostics are cancelled for a retry.
    let hover = c.request("textDocument/hover", position.clone());
    assert_eq!(hover, Ok(Value::Null));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main}, "range": {"start": {"line": 3, "character": 0},
            "end": {"line": 3, "character": 1}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, Ok(Value::Null));
    let lenses = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": main}}),
    );
    assert!(
        matches!(&lenses, Ok(v) if v.is_null() || v == &json!([])),
        "{lenses:?}"
    );
    let pulled = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": main}}),
    );
    let error = pulled.expect_err("cancelled while the scan runs");
    assert_eq!(error["code"], -32802, "{error:#}");
    assert_eq!(error["data"]["retriggerRequest"], true, "{error:#}");
    let waited = asked.elapsed();
    assert!(
        waited < Duration::from_secs(2),
        "four requests during the scan took {waited:?}: they waited for it"
    );
    assert!(
        !c.received
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                || m["method"] == "shipready/score"),
        "published during the scan: {:#?}",
        c.received
    );

    // The scan goes on once the client answers; then the same hover has the seed's numbers. The answer to
    // `client/registerCapability` comes after the server stopped waiting for it (5 s): it once ended the
    // server (tower-lsp panics on an answer nobody waits for).
    c.answer_held();
    let first = c.wait_for("shipready/score", |_| true);
    assert_eq!(first["overall"], 86.0, "{first:#}");
    let hover = c
        .request("textDocument/hover", position)
        .unwrap_or(Value::Null);
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("HC003"), "{hover:#}");
    assert!(text.contains("from 86.0 Production Ready"), "{text}");

    // The first score the client heard is the scanned workspace's, as `shipready check --profile seed` says.
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
