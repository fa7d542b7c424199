//! `workspace/didChangeWatchedFiles`: files created, changed or deleted outside the editor update the index.
//! Open buffers win over the disk until they are closed.

use tower_lsp::lsp_types::{DidChangeWatchedFilesParams, FileChangeType};

use crate::server::Server;

pub async fn run(server: &Server, params: DidChangeWatchedFilesParams) {
    // Reading files is IO: done on the blocking pool, in one critical section for the whole batch.
    let done = super::query_scanned(server, move |s| {
        for change in params.changes {
            if change.typ == FileChangeType::DELETED {
                s.disk_deleted(&change.uri);
            } else {
                s.disk_changed(&change.uri);
            }
        }
    })
    .await;
    if let Err(e) = done {
        tracing::error!("applying file changes failed: {}", e.message);
    }
    super::publish(server);
}
