//! `shipready lsp` never trusts what the editor sends: lone surrogate escapes, huge buffers, ranges and
//! positions at `u32::MAX`, inverted ranges, params of the wrong type, unknown notifications, URIs outside the
//! workspace or not naming a file, and a `Content-Length` larger than its body. Each request gets a result or
//! an error, the server keeps publishing diagnostics for a normal file afterwards, and it exits 0 on
//! `shutdown` and `exit`.

use std::io::{BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::Duration;

use serde_json::{json, Value};
use shipready_e2e::cli::binary;
use shipready_e2e::lsp_client::{file_uri, read_message, LspClient, TIMEOUT};

const APP: &str = "from fastapi import FastAPI\n\napp = FastAPI()\n";

fn workspace() -> tempfile::TempDir {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temporary folder: {e}"),
    };
    let app = dir.path().join("app");
    if let Err(e) =
        std::fs::create_dir_all(&app).and_then(|_| std::fs::write(app.join("main.py"), APP))
    {
        panic!("cannot write the workspace: {e}");
    }
    dir
}

fn open(c: &mut LspClient, uri: &str, text: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
    );
}

/// The server still analyses a normal file: a fresh edit of it gets its HC001 diagnostic at the new line.
fn still_publishes(c: &mut LspClient, uri: &str, version: i64) {
    let blank_lines = "\n".repeat(version as usize);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"text": format!("{blank_lines}{APP}")}
        ]}),
    );
    let line = version + 2;
    c.diagnostics_until(uri, |d| {
        d.iter()
            .any(|x| x["code"] == "HC001" && x["range"]["start"]["line"] == line)
    });
}

#[test]
fn hostile_requests_are_answered_and_the_server_keeps_serving() {
    let dir = workspace();
    let root = dir.path();
    let (mut c, _) = LspClient::initialized(&[root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    open(&mut c, &main, APP);
    c.diagnostics_until(&main, |d| d.iter().any(|x| x["code"] == "HC001"));

    // JSON cannot carry invalid UTF-8; lone surrogate escapes are the closest an editor can send.
    let odd = file_uri(&root.join("app/odd.py"));
    c.send_raw(&format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{odd}","languageId":"python","version":1,"text":"x = '\ud800\udfff\ud800'\n"}}}}}}"#
    ));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": odd}, "position": {"line": 0, "character": 5}}),
    );
    assert!(hover.is_ok(), "{hover:?}");
    still_publishes(&mut c, &main, 2);

    // A 5 MiB buffer.
    let big = file_uri(&root.join("app/big.py"));
    let mut text = String::from(APP);
    while text.len() < 5 * 1024 * 1024 {
        text.push_str("x = 1  # padding padding padding padding padding padding padding\n");
    }
    open(&mut c, &big, &text);
    // Analysed like any open buffer: a publication for it, even an empty one, shows the analysis finished.
    c.diagnostics_until(&big, |_| true);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": big}, "position": {"line": 2, "character": 0}}),
    );
    assert!(hover.is_ok(), "{hover:?}");

    // Ranges past the end, at u32::MAX, and an inverted range.
    let max = u32::MAX;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 40, "character": 3}, "end": {"line": 90, "character": 0}}, "text": "# tail\n"},
            {"range": {"start": {"line": max, "character": max}, "end": {"line": max, "character": max}}, "text": "# end\n"},
            {"range": {"start": {"line": 2, "character": 5}, "end": {"line": 0, "character": 0}}, "text": ""}
        ]}),
    );
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main}, "position": {"line": max, "character": max}}),
    );
    assert!(hover.is_ok(), "{hover:?}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main},
               "range": {"start": {"line": 2, "character": 9}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    assert!(actions.is_ok(), "{actions:?}");
    still_publishes(&mut c, &main, 4);

    // Params of the wrong type get an error response, not silence.
    let wrong = c.request("textDocument/hover", json!([1, 2, 3]));
    assert!(wrong.is_err(), "{wrong:?}");
    let wrong = c.request(
        "textDocument/codeAction",
        json!({"textDocument": 5, "range": "everything"}),
    );
    assert!(wrong.is_err(), "{wrong:?}");

    // Unknown notifications are ignored; unknown requests get an error.
    c.notify("$/shipready/noSuchThing", json!({"a": 1}));
    c.notify("custom/whatever", Value::Null);
    let unknown = c.request("custom/noSuchRequest", json!({}));
    assert!(unknown.is_err(), "{unknown:?}");

    // A file outside every workspace folder and a buffer that is no file at all.
    let outside = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temporary folder: {e}"),
    };
    let stray = file_uri(&outside.path().join("stray.py"));
    open(&mut c, &stray, APP);
    open(&mut c, "untitled:Untitled-1", APP);
    for uri in [stray.as_str(), "untitled:Untitled-1"] {
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 0}}),
        );
        assert!(hover.is_ok(), "{uri}: {hover:?}");
    }
    still_publishes(&mut c, &main, 5);

    assert_eq!(c.shutdown(), Ok(Value::Null));
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(TIMEOUT), Some(0));
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// A header that claims more bytes than the body has swallows what follows; the server must find its way
/// back to the next message boundary and answer the requests after it.
#[test]
fn a_content_length_larger_than_the_body_does_not_stop_the_server() {
    let dir = workspace();
    let root_uri = file_uri(dir.path());
    let child = Command::new(binary())
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => panic!("cannot start shipready lsp: {e}"),
    };
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        panic!("no stdio pipes");
    };
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(msg) = read_message(&mut reader) {
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}})
    .to_string();
    let short = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
    let mut bytes = frame(&initialize);
    bytes.push_str(&frame(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    // Claims 100 bytes more than it has: the valid request after it is partly swallowed.
    bytes.push_str(&format!(
        "Content-Length: {}\r\n\r\n{short}",
        short.len() + 100
    ));
    for id in 3..8 {
        bytes.push_str(&frame(&format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"workspace/executeCommand","params":{{"command":"shipready.report","arguments":[]}}}}"#
        )));
    }
    if let Err(e) = stdin
        .write_all(bytes.as_bytes())
        .and_then(|_| stdin.flush())
    {
        panic!("server stdin closed: {e}");
    }
    let deadline = std::time::Instant::now() + TIMEOUT;
    let mut answered = Vec::new();
    while !answered.contains(&7) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left.max(Duration::from_millis(1))) {
            Ok(msg) => {
                if let (Some(id), None) = (msg["id"].as_i64(), msg.get("method")) {
                    answered.push(id);
                }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the server stopped answering after the bad header; answered {answered:?}");
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}
