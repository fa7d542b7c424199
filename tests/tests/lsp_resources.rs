//! `shipready lsp` keeps its memory bounded whatever the client sends: an endless header line is dropped in
//! 8 KiB pieces (the cap in the server's framing guard) instead of being buffered, so the server's peak
//! resident memory does not grow with it.

use serde_json::json;
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{codes, file_uri, find, LspClient};

/// The peak resident set (`VmHWM`) of process `pid`, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("no /proc status for {pid}: {e}"));
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmHWM in /proc/{pid}/status"))
}

#[test]
fn an_endless_header_line_does_not_grow_memory() {
    const GARBAGE_MIB: u64 = 128;
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    assert!(c.is_alive());
    let before = peak_rss_kib(c.pid());
    let chunk = vec![b'x'; 1024 * 1024];
    for _ in 0..GARBAGE_MIB {
        c.write_raw(&chunk);
    }
    c.write_raw(b"\r\n");
    // The server skipped the line and still serves.
    assert!(c.is_alive());
    let grown = peak_rss_kib(c.pid()).saturating_sub(before);
    eprintln!("peak RSS grew by {grown} KiB over a {GARBAGE_MIB} MiB header line");
    // Buffering the line would take at least its size; skipping it in pieces takes a few KiB.
    assert!(
        grown < 16 * 1024,
        "peak RSS grew by {grown} KiB while the server read a {GARBAGE_MIB} MiB header line"
    );
}

#[test]
fn a_buffer_over_the_size_limit_is_not_analysed_and_says_why() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    let small = "from fastapi import FastAPI\n\napp = FastAPI()\n";
    // Over 2 MiB of valid Python with a main app and no health route: analysed, it would get HC001.
    let filler =
        "# padding line that is not code at all, only bulk for the size limit\n".repeat(33_000);
    let huge = format!("{small}{filler}");
    assert!(huge.len() > 2 * 1024 * 1024);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": huge}}),
    );
    let shown = c.diagnostics_until(&main, |d| codes(d).contains(&"too-large".to_owned()));
    assert_eq!(codes(&shown), ["too-large"], "{shown:#?}");
    let notice = find(&shown, "too-large");
    assert!(
        notice["message"]
            .as_str()
            .is_some_and(|m| m.contains("Not analysed") && m.contains("2 MiB")),
        "{notice}"
    );
    // Shrunk under the limit, it is analysed again and the notice goes.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{"range": {"start": {"line": 3, "character": 0}, "end": {"line": 33_003, "character": 0}}, "text": ""}]}),
    );
    let shown = c.diagnostics_until(&main, |d| !codes(d).contains(&"too-large".to_owned()));
    assert!(codes(&shown).contains(&"HC001".to_owned()), "{shown:#?}");
    assert!(c.is_alive());
}
