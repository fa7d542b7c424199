//! `initialized`: scan every workspace root with `$/progress` reports (file counts), register the file
//! watchers; when the scan ends the first diagnostics and score are published, never before.

use std::time::Duration;

use shipready_analysis::{Analysis, RealFs};
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use crate::outbox;
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
];

/// How long to wait for the client to answer a request of ours before going on without it.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

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
    let progress = Reporter::start(server, caps.work_done_progress, roots.len()).await;
    let mut total = 0;
    for (i, path) in roots.into_iter().enumerate() {
        let loaded =
            tokio::task::spawn_blocking(move || Analysis::load(path, profile, &RealFs)).await;
        match loaded {
            Ok(analysis) => {
                total += analysis.paths().count();
                lock(&server.session).install(i, analysis);
            }
            Err(e) => {
                let message = format!("scanning workspace folder {i} failed: {e}");
                outbox::log(&server.outbox, MessageType::ERROR, message);
            }
        }
        progress.report(i + 1, total).await;
    }
    progress.end(total).await;
}

/// Marks the initial scan finished when dropped; the publisher then publishes the first complete state.
struct ScanEnd<'a>(&'a Server);

impl Drop for ScanEnd<'_> {
    fn drop(&mut self) {
        self.0.publisher.scan_finished();
    }
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
    let sent = tokio::time::timeout(
        CLIENT_TIMEOUT,
        server.client.register_capability(vec![registration]),
    )
    .await;
    if !matches!(sent, Ok(Ok(()))) {
        let message = "could not register file watchers: changes outside the editor are not seen";
        outbox::log(&server.outbox, MessageType::WARNING, message.to_owned());
    }
}

/// `$/progress` for the scan, when the client accepted a progress token.
struct Reporter<'a> {
    server: &'a Server,
    token: Option<NumberOrString>,
    roots: usize,
}

impl<'a> Reporter<'a> {
    async fn start(server: &'a Server, supported: bool, roots: usize) -> Reporter<'a> {
        let mut token = None;
        if supported {
            let t = NumberOrString::String("shipready/scan".to_owned());
            let params = WorkDoneProgressCreateParams { token: t.clone() };
            let created = tokio::time::timeout(
                CLIENT_TIMEOUT,
                server.client.send_request::<WorkDoneProgressCreate>(params),
            )
            .await;
            if matches!(created, Ok(Ok(()))) {
                token = Some(t);
            }
        }
        let r = Reporter {
            server,
            token,
            roots,
        };
        r.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: "shipready: scanning the workspace".to_owned(),
            cancellable: Some(false),
            message: Some(format!("{roots} folder(s)")),
            percentage: Some(0),
        }))
        .await;
        r
    }

    async fn report(&self, done: usize, files: usize) {
        let percentage = (done * 100 / self.roots.max(1)) as u32;
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(format!("{files} files ({done}/{} folders)", self.roots)),
            percentage: Some(percentage),
        }))
        .await;
    }

    async fn end(&self, files: usize) {
        self.send(WorkDoneProgress::End(WorkDoneProgressEnd {
            message: Some(format!("{files} files analyzed")),
        }))
        .await;
    }

    async fn send(&self, value: WorkDoneProgress) {
        if let Some(token) = &self.token {
            let params = ProgressParams {
                token: token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            };
            self.server
                .client
                .send_notification::<Progress>(params)
                .await;
        }
    }
}
