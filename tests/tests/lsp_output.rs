//! `shipready lsp` writes each keystroke's diagnostics from its publisher thread straight to stdout, beside the
//! protocol's own writer (answers, scores, logs). Every message must still arrive whole: typing while asking
//! for hovers and code lenses, each answer and each version's diagnostics is read as a well-formed message.

use serde_json::json;
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{file_uri, LspClient};

#[test]
fn diagnostics_written_by_the_publisher_never_break_another_message() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::handshake(&[&root], json!({}), json!({}));
    c.wait_for("shipready/score", |_| true);
    let dockerfile = file_uri(&root.join("Dockerfile"));
    let text = std::fs::read_to_string(root.join("Dockerfile")).unwrap_or_default();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": dockerfile, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == dockerfile.as_str() && p["version"] == 1
    });
    let line = text.lines().count();
    for k in 0..60 {
        let version = 2 + k;
        // Type a character on a new last line, or delete it: a change the publisher answers with diagnostics
        // while the request after it is answered by the protocol's writer.
        let at = json!({"line": line, "character": 0});
        let change = if k % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": "#"})
        } else {
            json!({"range": {"start": at, "end": {"line": line, "character": 1}}, "text": ""})
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": dockerfile, "version": version}, "contentChanges": [change]}),
        );
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": dockerfile}, "position": {"line": 0, "character": 1}}),
        );
        assert!(hover.is_ok(), "{hover:?}");
        let lenses = c.request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": dockerfile}}),
        );
        assert!(lenses.is_ok(), "{lenses:?}");
        c.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == dockerfile.as_str() && p["version"] == version
        });
    }
    assert!(c.shutdown().is_ok());
}
