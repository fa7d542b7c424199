//! One handler per LSP method. Handlers change the session in one critical section, do heavy work on the
//! blocking pool, and never hold the session lock while talking to the client.

pub mod code_action;
pub mod code_lens;
pub mod diagnostic;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_change_workspace_folders;
pub mod did_close;
pub mod did_open;
pub mod execute_command;
pub mod guard;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod shutdown;
pub mod workspace_diagnostic;

use std::time::Duration;

use tower_lsp::jsonrpc::{Error, ErrorCode, Result};

use crate::pending;
use crate::server::Server;
use crate::session::Session;

/// How long a request waits for a running workspace scan before it fails.
const SCAN_WAIT: Duration = Duration::from_secs(60);

/// LSP's `RequestFailed`: the request was valid but could not be answered now.
const REQUEST_FAILED: i64 = -32803;

/// Run `f` with the session locked and its analysis up to date with the open buffers, on the blocking pool
/// (analysis is CPU work). A panic inside becomes an internal error.
pub async fn with_session<T: Send + 'static>(
    server: &Server,
    f: impl FnOnce(&mut Session) -> T + Send + 'static,
) -> Result<T> {
    let shared = server.session.clone();
    tokio::task::spawn_blocking(move || f(&mut pending::current(&shared)))
        .await
        .map_err(guard::join_error)
}

/// Like [`with_session`], for requests that read the analysis: waits for a running workspace scan first, so
/// no answer is computed from a half-loaded index.
pub async fn query<T: Send + 'static>(
    server: &Server,
    f: impl FnOnce(&mut Session) -> T + Send + 'static,
) -> Result<T> {
    if !server.publisher.scanned(SCAN_WAIT).await {
        return Err(Error {
            code: ErrorCode::ServerError(REQUEST_FAILED),
            message: "shipready: the workspace scan is still running; try again".into(),
            data: None,
        });
    }
    with_session(server, f).await
}

/// Publish the session's state soon if it changed (the publisher coalesces what arrives meanwhile).
pub fn publish(server: &Server) {
    server.publisher.request();
}
