//! `shipready lsp` keeps its memory bounded whatever the client sends: an endless header line is dropped in
//! 8 KiB pieces (the cap in the server's framing guard) instead of being buffered, so the server's peak
//! resident memory does not grow with it.

use serde_json::json;
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::LspClient;

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
