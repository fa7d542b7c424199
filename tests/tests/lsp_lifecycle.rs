//! `shipready lsp` end to end: the session's lifecycle. The server ends on `exit` even while the client keeps
//! its stdin open, with the exit code the LSP specification asks for (0 after `shutdown`, 1 without).

use std::time::Duration;

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::LspClient;

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
