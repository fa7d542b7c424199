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

/// How long a report request or a batch of file-system changes waits for a running workspace scan.
const SCAN_WAIT: Duration = Duration::from_secs(60);

/// LSP's `RequestFailed`: the request was valid but could not be answered now.
const REQUEST_FAILED: i64 = -32803;

/// LSP's `ServerCancelled`: the server cancelled the request; with `retriggerRequest` a client asks again.
const SERVER_CANCELLED: i64 = -32802;

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

/// Like [`with_session`], for requests that read the analysis. It never waits for a workspace scan: each
/// handler asks [`Session::locate_loaded`] whether its file's folder has been scanned and, while it has not,
/// answers as partial (no hover, no actions, no lenses yet; pull diagnostics are cancelled with
/// `retriggerRequest`, so the client asks again), never from a half-loaded index.
pub async fn query<T: Send + 'static>(
    server: &Server,
    f: impl FnOnce(&mut Session) -> T + Send + 'static,
) -> Result<T> {
    with_session(server, f).await
}

/// The answer to a pull-diagnostics request while the folder's scan runs: cancelled, to be asked again.
pub fn scanning() -> Error {
    Error {
        code: ErrorCode::ServerError(SERVER_CANCELLED),
        message: "shipready: the workspace scan is still running".into(),
        data: Some(serde_json::json!({ "retriggerRequest": true })),
    }
}

/// Like [`query`], waiting (at most a minute) for running workspace scans first: for the full report, which
/// a user asked for and which says nothing true before the scan ends, and for file-system changes, which
/// must apply to the scanned index rather than be overwritten by it.
pub async fn query_scanned<T: Send + 'static>(
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
