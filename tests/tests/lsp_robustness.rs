//! `shipready lsp` never trusts its input: unknown documents, positions and ranges past the end, versions
//! going backwards, malformed params and garbage bodies get an error or are ignored, and the server keeps
//! serving.

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{codes, file_uri, find, LspClient};

const APP: &str = "from fastapi import FastAPI\n\napp = FastAPI()\n";

#[test]
fn unknown_documents_are_ignored() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let ghost = file_uri(&root.join("app/ghost.py"));
    let outside = "file:///nowhere/app.py";
    for uri in [ghost.as_str(), outside, "untitled:Untitled-1"] {
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        );
        assert_eq!(hover, Ok(Value::Null), "{uri}");
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
        );
        assert_eq!(actions, Ok(Value::Null), "{uri}");
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "x"}]}),
        );
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    let log = c.wait_for("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("not open"))
    });
    assert_eq!(log["type"], 2);
    assert!(c.is_alive());
}

#[test]
fn positions_past_the_end_are_clamped() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": APP}}),
    );
    c.diagnostics_until(&main, |d| {
        d.iter()
            .any(|x| x["code"] == "HC001" && x["range"]["start"]["line"] == 2)
    });
    // A column far past the end of line 2 means the end of that line: the hover still finds `app = FastAPI()`.
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": main}, "position": {"line": 2, "character": 500}}),
        )
        .unwrap_or(Value::Null);
    assert!(hover["contents"]["value"]
        .as_str()
        .is_some_and(|v| v.contains("HC001")));
    // A change whose range runs past the end of the text replaces up to the end.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 99, "character": 7}}, "text": "api = FastAPI()\n"}
        ]}),
    );
    let d = c.diagnostics_until(&main, |d| {
        d.iter().any(|x| x["code"] == "HC001") && c_version(d) == 2
    });
    assert_eq!(
        find(&d, "HC001")["range"],
        json!({"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 15}})
    );
    assert!(c.is_alive());
}

/// The version the finding data was computed for.
fn c_version(d: &[Value]) -> i64 {
    d.first()
        .and_then(|x| x["data"]["version"].as_i64())
        .unwrap_or(-1)
}

#[test]
fn versions_going_backwards_are_ignored() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 5, "text": APP}}),
    );
    c.diagnostics_until(&main, |d| c_version(d) == 5);
    // Version 4 comes after 5: ignored, so the health route it adds never counts.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 4}, "contentChanges": [
            {"text": "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/health')\ndef h(): ...\n"}
        ]}),
    );
    c.wait_for("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("version 4"))
    });
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 6}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# v6\n"}
        ]}),
    );
    let d = c.diagnostics_until(&main, |d| c_version(d) == 6);
    assert!(codes(&d).contains(&"HC001".to_owned()), "{d:#?}");
    assert_eq!(find(&d, "HC001")["range"]["start"]["line"], 3);
}

#[test]
fn malformed_messages_get_errors_and_the_server_keeps_serving() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let bad = c.request("textDocument/hover", json!({"textDocument": 7}));
    assert_eq!(bad.err().map(|e| e["code"].clone()), Some(json!(-32602)));
    let unknown = c.request("shipready/doesNotExist", json!({}));
    assert_eq!(
        unknown.err().map(|e| e["code"].clone()),
        Some(json!(-32601))
    );
    c.send_raw("{not json at all");
    c.send_raw(r#"{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"nope": true}}"#);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"profile": "nonsense", "severities": {"HC001": 12}}}),
    );
    let log = c.wait_for("window/logMessage", |p| {
        p["message"].as_str().is_some_and(|m| m.contains("profile"))
    });
    assert_eq!(log["type"], 2);
    assert!(c.is_alive());
    let main = file_uri(&root.join("app/main.py"));
    let d = c.diagnostics_until(&main, |d| !d.is_empty());
    assert_eq!(find(&d, "HC001")["severity"], 1);
}
