//! Measures keystroke latency of `shipready lsp`: the time from sending a `didChange` of one character in a
//! large open Python file to receiving that version's `publishDiagnostics`. A measurement, not a test:
//! `cargo run --release -p shipready_e2e --example lsp_keystroke_latency [lines] [keystrokes]` (it drives the
//! `shipready` binary of the same profile). It also counts the audits a burst of queued changes costs.

use std::time::{Duration, Instant};

use serde_json::json;
use shipready_e2e::lsp_client::{copy_fixture, file_uri, LspClient};

fn main() {
    let mut args = std::env::args().skip(1);
    let lines: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let keystrokes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let dir = copy_fixture("seed-example");
    let root = dir.path();
    let text = big_module(lines);
    let path = root.join("backend/big.py");
    if let Err(e) = std::fs::write(&path, &text) {
        panic!("write {}: {e}", path.display());
    }
    let (mut c, _) = LspClient::initialized(&[root], json!({}), json!({"profile": "seed"}));
    let uri = file_uri(&path);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
    );
    wait_version(&mut c, &uri, 1);

    // One keystroke at a time: type a character into a comment in the middle of the file, then delete it.
    let line = lines / 2;
    let mut version = 1;
    let mut samples = Vec::with_capacity(keystrokes);
    for k in 0..keystrokes {
        version += 1;
        let at = json!({"line": line, "character": 6});
        let change = if k % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": "x"})
        } else {
            json!({"range": {"start": at, "end": {"line": line, "character": 7}}, "text": ""})
        };
        let sent = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        wait_version(&mut c, &uri, version);
        samples.push(sent.elapsed());
        c.received.clear();
    }
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{lines} lines, {keystrokes} keystrokes: median {:.1} ms, p90 {:.1} ms, max {:.1} ms, min {:.1} ms",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() * 9 / 10]),
        ms(samples[samples.len() - 1]),
        ms(samples[0]),
    );

    // A burst: 20 changes sent at once; count how many times the file was republished for them.
    c.received.clear();
    let sent = Instant::now();
    for k in 0..20 {
        version += 1;
        let at = json!({"line": line, "character": 6});
        let change = if k % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": "x"})
        } else {
            json!({"range": {"start": at, "end": {"line": line, "character": 7}}, "text": ""})
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
    }
    wait_version(&mut c, &uri, version);
    println!(
        "burst of 20 changes: settled in {:.1} ms with {} publications of the file",
        ms(sent.elapsed()),
        published(&c, &uri) + 1
    );
}

fn wait_version(c: &mut LspClient, uri: &str, version: i64) {
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"].as_i64() == Some(version)
    });
}

/// Publications of `uri` received and not consumed by a wait.
fn published(c: &LspClient, uri: &str) -> usize {
    c.received
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .count()
}

/// A FastAPI module of `lines` lines: routes, helpers and comments, as a large hand-written service has.
fn big_module(lines: usize) -> String {
    let mut out = String::from("from fastapi import FastAPI\n\napp = FastAPI()\n\n");
    let mut i = 0;
    while out.lines().count() < lines {
        out.push_str(&format!(
            "\n# item {i}: comment\n@app.get(\"/items/{i}\")\ndef item_{i}(q: str | None = None) -> dict:\n    value = compute_{i}(q)\n    return {{\"id\": {i}, \"value\": value}}\n\n\ndef compute_{i}(q):\n    if q:\n        return q.upper()\n    return None\n"
        ));
        i += 1;
    }
    let v: Vec<&str> = out.lines().take(lines).collect();
    let mut s = v.join("\n");
    s.push('\n');
    // The measured line must be a comment, so typing into it keeps the module valid.
    let mut all: Vec<String> = s.lines().map(str::to_owned).collect();
    if let Some(l) = all.get_mut(lines / 2) {
        *l = "#     keystrokes land here".to_owned();
    }
    all.join("\n") + "\n"
}
