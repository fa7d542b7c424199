//! `initialized`: scan every workspace root with `$/progress` reports (file counts), register the file
//! watchers; when the scan ends the first diagnostics and score are published, never before.

use tower_lsp::lsp_types::*;

use crate::outbox;
use crate::scan::{self, ScanEnd};
use crate::server::Server;
use crate::session::lock;

/// The files shipready reads, watched so changes made outside the editor reach the index.
pub const WATCHED: &[&str] = &[
    "**/Dockerfile*",
    "**/*.Dockerfile",
    "**/Containerfile",
    "**/*compose*.y*ml",
    "**/*.md",
    "**/*.py",
    "**/cdk.json",
    "**/requirements*.txt",
    "**/pyproject.toml",
    "**/*.sh",
    "**/Makefile",
    "**/justfile",
    "**/package.json",
    "**/shipready.toml",
    "**/.shipready.toml",
    // Committed `.env` files (`.env`, `.env.prod`): secrets a deployment loads.
    "**/.env",
    "**/.env.*",
    // CI files the pipelines rules read.
    "**/.github/workflows/*.y*ml",
    "**/.github/dependabot.y*ml",
    "**/.gitlab-ci.yml",
    "**/.circleci/config.y*ml",
    "**/.travis.yml",
    "**/renovate.json",
];

pub async fn run(server: &Server, _params: InitializedParams) {
    // Ends the scan `initialize` started however this handler ends, so requests never wait on a dead scan.
    let _scan = ScanEnd(server);
    let (roots, profile, caps) = {
        let s = lock(&server.session);
        let roots: Vec<_> = s.roots.iter().map(|r| r.path.clone()).collect();
        (roots, s.config.profile, s.caps)
    };
    if caps.watch_files {
        register_watchers(server).await;
    }
    scan::scan(server, roots, profile, caps.work_done_progress).await;
}

async fn register_watchers(server: &Server) {
    let watchers = WATCHED
        .iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String((*g).to_owned()),
            kind: None,
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: "shipready-watch".to_owned(),
        method: "workspace/didChangeWatchedFiles".to_owned(),
        register_options: serde_json::to_value(options).ok(),
    };
    let client = server.client.clone();
    let sent =
        scan::ask_client(async move { client.register_capability(vec![registration]).await }).await;
    if sent.is_none() {
        let message = "could not register file watchers: changes outside the editor are not seen";
        outbox::log(&server.outbox, MessageType::WARNING, message.to_owned());
    }
}
