//! `workspace/didChangeWorkspaceFolders`: added folders are scanned (with `$/progress`) and join the workspace;
//! removed folders drop their analysis, and their files' diagnostics are cleared.

use tower_lsp::lsp_types::{DidChangeWorkspaceFoldersParams, MessageType};

use crate::outbox;
use crate::scan::{self, ScanEnd};
use crate::server::Server;
use crate::session::lock;

pub async fn run(server: &Server, params: DidChangeWorkspaceFoldersParams) {
    let event = params.event;
    // The folders change before the first await, so later requests already see them, and wait for the scan.
    server.publisher.scan_started();
    let _scan = ScanEnd(server);
    let mut problems = Vec::new();
    let (added, profile, progress) = {
        let mut s = lock(&server.session);
        for folder in &event.removed {
            if !s.remove_root(&folder.uri) {
                problems.push(format!(
                    "removed workspace folder {} was not one: ignored",
                    folder.uri
                ));
            }
        }
        let mut added = Vec::new();
        for folder in &event.added {
            let known = s.roots.len();
            match s.add_root(&folder.uri) {
                Some(i) if i >= known => added.extend(s.roots.get(i).map(|r| r.path.clone())),
                Some(_) => {}
                None => problems.push(format!(
                    "workspace folder {} is not a local folder: ignored",
                    folder.uri
                )),
            }
        }
        (added, s.config.profile, s.caps.work_done_progress)
    };
    for message in problems {
        outbox::log(&server.outbox, MessageType::WARNING, message);
    }
    if !added.is_empty() {
        scan::scan(server, added, profile, progress).await;
    }
}
