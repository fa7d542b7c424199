//! One handler per LSP method. Handlers change the session in one critical section, do heavy work on the
//! blocking pool, and never hold the session lock while talking to the client.

pub mod code_action;
pub mod code_lens;
pub mod diagnostic;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_close;
pub mod did_open;
pub mod execute_command;
pub mod guard;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod shutdown;
pub mod workspace_diagnostic;

use tower_lsp::jsonrpc::Result;

use crate::outbox::{Outgoing, ScoreParams, Snapshot};
use crate::server::Server;
use crate::session::{lock, Session};
use crate::{diagnostics, score};

/// Run `f` with the session locked, on the blocking pool (analysis is CPU work). A panic inside becomes an
/// internal error.
pub async fn with_session<T: Send + 'static>(
    server: &Server,
    f: impl FnOnce(&mut Session) -> T + Send + 'static,
) -> Result<T> {
    let shared = server.session.clone();
    tokio::task::spawn_blocking(move || f(&mut lock(&shared)))
        .await
        .map_err(guard::join_error)
}

/// Publish the session's state if it changed: diagnostics (pushed unless the client pulls), scores and a
/// refresh request for pulling clients. The snapshot is queued while the lock is held, so snapshots reach the
/// outbox in the order of the states they describe.
pub async fn publish(server: &Server) {
    let outbox = server.outbox.clone();
    let done = with_session(server, move |s| {
        if !s.dirty {
            return;
        }
        s.dirty = false;
        let snapshot = snapshot(s);
        let _ = outbox.send(Outgoing::Snapshot(snapshot));
    })
    .await;
    if let Err(e) = done {
        tracing::error!("publishing diagnostics failed: {}", e.message);
    }
}

fn snapshot(s: &mut Session) -> Snapshot {
    let diagnostics = (!s.caps.pull_diagnostics).then(|| diagnostics::collect(s, false));
    let scores: Vec<ScoreParams> = s
        .roots
        .iter_mut()
        .map(|r| score::params(&r.uri, &r.analysis.score_summary()))
        .collect();
    Snapshot {
        diagnostics,
        scores,
        // lsp-types 0.94 reads the client's `workspace.diagnostics.refreshSupport` under a misspelt key, so
        // support cannot be seen; a pulling client that lacks it answers with an error, which is ignored.
        refresh: s.caps.pull_diagnostics,
    }
}
