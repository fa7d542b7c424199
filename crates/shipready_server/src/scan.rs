//! Scanning workspace folders: each is loaded on the blocking pool and installed in the session, with
//! `$/progress` reports (file counts) when the client accepts a progress token. Used at `initialized` and for
//! folders added later; the caller has marked the scan as running, so nothing is published meanwhile.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use shipready_analysis::{Analysis, Profile, RealFs};
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use crate::outbox;
use crate::server::Server;
use crate::session::lock;

/// How long to wait for the client to answer a request of ours before going on without it.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

/// Send a request to the client and wait at most [`CLIENT_TIMEOUT`] for its answer (`None` without one).
///
/// The request runs in a task of its own that outlives the wait: tower-lsp panics when an answer arrives after
/// the future waiting for it was dropped ("receiver already dropped", which ended the server when a client
/// answered `window/workDoneProgress/create` late), so the waiter must still be there however late it comes.
pub async fn ask_client<T: Send + 'static>(
    request: impl std::future::Future<Output = tower_lsp::jsonrpc::Result<T>> + Send + 'static,
) -> Option<T> {
    let task = tokio::spawn(request);
    match tokio::time::timeout(CLIENT_TIMEOUT, task).await {
        Ok(Ok(Ok(answer))) => Some(answer),
        _ => None,
    }
}

/// Progress tokens must be unique while in use; scans of added folders may overlap.
static SCANS: AtomicUsize = AtomicUsize::new(0);

/// Load every folder in `roots` and install each analysis in the root of the same path.
pub async fn scan(server: &Server, roots: Vec<PathBuf>, profile: Profile, progress: bool) {
    let progress = Reporter::start(server, progress, roots.len()).await;
    let mut total = 0;
    for (i, path) in roots.into_iter().enumerate() {
        let shown = path.display().to_string();
        let folder = path.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            Analysis::load_configured(path, Some(profile), &RealFs)
        })
        .await;
        match loaded {
            Ok((analysis, config_error)) => {
                total += analysis.paths().count();
                if let Some(e) = &config_error {
                    let message = format!("invalid configuration, using the defaults: {e}");
                    outbox::log(&server.outbox, MessageType::WARNING, message);
                }
                lock(&server.session).install(analysis, config_error);
            }
            Err(e) => {
                let message = format!("scanning workspace folder {shown} failed: {e}");
                outbox::log(&server.outbox, MessageType::ERROR, message);
                lock(&server.session).mark_loaded(&folder);
            }
        }
        progress.report(i + 1, total).await;
    }
    progress.end(total).await;
}

/// Marks a scan finished when dropped, however the scanning handler ends (a panic included), so requests never
/// wait on a dead scan; the publisher then publishes the complete state.
pub struct ScanEnd<'a>(pub &'a Server);

impl Drop for ScanEnd<'_> {
    fn drop(&mut self) {
        self.0.publisher.scan_finished();
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
            let n = SCANS.fetch_add(1, Ordering::Relaxed);
            let t = NumberOrString::String(format!("shipready/scan/{n}"));
            let params = WorkDoneProgressCreateParams { token: t.clone() };
            let client = server.client.clone();
            let created =
                ask_client(
                    async move { client.send_request::<WorkDoneProgressCreate>(params).await },
                )
                .await;
            if created.is_some() {
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
