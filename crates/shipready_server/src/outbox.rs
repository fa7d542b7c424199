//! The outbox: what goes to the client unasked. Diagnostics and score notifications are sent by the one
//! publisher thread, in the order of the states they describe ([`Sender`]); log lines by a task of their own.
//!
//! A snapshot carries what changed since the one before (see [`crate::delta`]); the sender applies it to what it
//! last sent and sends the files whose diagnostics differ. A late handler can therefore never publish stale
//! diagnostics (tower-lsp runs handlers concurrently), and no handler ever holds the lock while talking to the
//! client.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tower_lsp::lsp_types::notification::Notification;
use tower_lsp::lsp_types::request::WorkspaceDiagnosticRefresh;
use tower_lsp::lsp_types::{Diagnostic, MessageType, Url};
use tower_lsp::Client;

/// What changed in the published state at one moment: the diagnostics of the files that may have changed
/// (when the server pushes them; see [`crate::delta`]) and the scores of the roots and re-audited units.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub diagnostics: Option<DiagnosticsUpdate>,
    /// Shared with the publisher's cache of unit scores: unchanged units' messages are not rebuilt.
    pub scores: Vec<Arc<ScoreParams>>,
    /// Ask a pulling client to pull again.
    pub refresh: bool,
    /// Ask the client to re-request code lenses when a score they show changed.
    pub refresh_lenses: bool,
}

/// Diagnostics to publish, as a change to what was sent before.
#[derive(Clone, Debug, Default)]
pub struct DiagnosticsUpdate {
    /// Every file with diagnostics is listed, and a file not listed has none.
    pub full: bool,
    /// In order, each file's diagnostics now, or `None` when it has none any more (it is sent an empty list
    /// when its last one was not).
    pub files: Vec<(Url, Option<Published>)>,
}

pub enum Outgoing {
    Log(MessageType, String),
}

pub type Outbox = UnboundedSender<Outgoing>;

/// `shipready/score`: sent when a root's overall score changes (and once after the first scan).
pub enum ScoreNotification {}

impl Notification for ScoreNotification {
    type Params = ScoreParams;
    const METHOD: &'static str = "shipready/score";
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreParams {
    /// The workspace folder the score is for, or, for a deployable unit's score, the unit's folder.
    pub root: Url,
    /// The deployable unit's name (its folder, `.` for the workspace folder itself), when the folder holds
    /// several units and this score is one unit's; absent for the folder's own score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub overall: f64,
    pub band: String,
    pub categories: Vec<CategoryScoreParams>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryScoreParams {
    pub id: String,
    pub title: String,
    /// `null` when none of the category's checks applies.
    pub score: Option<f64>,
}

/// Start the outbox task.
pub fn spawn(client: Client) -> Outbox {
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(client, rx));
    tx
}

/// Queue a log line for `window/logMessage` (and stderr through tracing).
pub fn log(outbox: &Outbox, level: MessageType, message: String) {
    tracing::info!("{message}");
    let _ = outbox.send(Outgoing::Log(level, message));
}

/// What was last published for a file: its version and diagnostics.
pub type Published = (Option<i32>, Arc<Vec<Diagnostic>>);

async fn run(client: Client, mut rx: UnboundedReceiver<Outgoing>) {
    while let Some(Outgoing::Log(level, message)) = rx.recv().await {
        client.log_message(level, message).await;
    }
}

/// Sends snapshots to the client, from the publisher's thread: keystroke diagnostics go straight to the
/// protocol's writer rather than through one more task's wake-up, or, given a [`Direct`] output, are written
/// by the publisher itself. While the client reads slowly the publisher waits here, and its next snapshot
/// covers every change made meanwhile.
pub struct Sender {
    client: Client,
    direct: Option<Direct>,
    sent: std::sync::Mutex<Sent>,
}

/// Writes one whole framed message to the protocol's output, from any thread, never interleaved with another
/// message (`shipready lsp`: stdout under its lock, which the protocol's own writes take too).
pub type WriteMessage = Arc<dyn Fn(&[u8]) -> std::io::Result<()> + Send + Sync>;

/// The publisher's own way to the client: [`WriteMessage`], used once the answer to `initialize` is out (nothing
/// may precede it).
#[derive(Clone)]
pub struct Direct {
    write: WriteMessage,
    answered: tokio::sync::watch::Receiver<bool>,
}

impl Direct {
    pub fn new(write: WriteMessage, answered: tokio::sync::watch::Receiver<bool>) -> Self {
        Direct { write, answered }
    }

    /// Write `textDocument/publishDiagnostics`; false when it cannot be written this way (not yet, or the
    /// message does not serialize), and the caller sends it through the client instead.
    fn publish(&self, uri: &Url, diagnostics: &[Diagnostic], version: Option<i32>) -> bool {
        if !*self.answered.borrow() {
            return false;
        }
        #[derive(Serialize)]
        struct Params<'a> {
            uri: &'a Url,
            diagnostics: &'a [Diagnostic],
            #[serde(skip_serializing_if = "Option::is_none")]
            version: Option<i32>,
        }
        #[derive(Serialize)]
        struct Message<'a> {
            jsonrpc: &'static str,
            method: &'static str,
            params: Params<'a>,
        }
        let message = Message {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params: Params {
                uri,
                diagnostics,
                version,
            },
        };
        let Ok(body) = serde_json::to_vec(&message) else {
            return false;
        };
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        if let Err(e) = (self.write)(&framed) {
            // The client is gone or not reading: as with the protocol's own writes, nothing more to do.
            tracing::debug!("writing diagnostics failed: {e}");
        }
        true
    }
}

/// What the client was sent: each file's diagnostics and each root's and unit's overall score.
#[derive(Default)]
struct Sent {
    diagnostics: HashMap<Url, Published>,
    scores: HashMap<Url, f64>,
}

impl Sender {
    pub fn new(client: Client, direct: Option<Direct>) -> Self {
        Sender {
            client,
            direct,
            sent: std::sync::Mutex::new(Sent::default()),
        }
    }

    /// Send what changed in `snapshot` (outside an async context: the publisher's thread).
    pub fn send(&self, snapshot: Snapshot) {
        let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        let sent = &mut *sent;
        futures::executor::block_on(send(
            &self.client,
            self.direct.as_ref(),
            snapshot,
            &mut sent.diagnostics,
            &mut sent.scores,
        ));
    }
}

async fn send(
    client: &Client,
    direct: Option<&Direct>,
    snapshot: Snapshot,
    published: &mut HashMap<Url, Published>,
    scores: &mut HashMap<Url, f64>,
) {
    if let Some(update) = snapshot.diagnostics {
        for (uri, (version, diagnostics)) in apply(published, update) {
            if direct.is_some_and(|d| d.publish(&uri, &diagnostics, version)) {
                continue;
            }
            client
                .publish_diagnostics(uri, diagnostics.to_vec(), version)
                .await;
        }
    }
    let mut lenses_changed = false;
    for s in snapshot.scores {
        if scores.get(&s.root) != Some(&s.overall) {
            // The first score too: lenses asked for during the scan were answered empty.
            scores.insert(s.root.clone(), s.overall);
            lenses_changed = true;
            client
                .send_notification::<ScoreNotification>(Arc::unwrap_or_clone(s))
                .await;
        }
    }
    if snapshot.refresh_lenses && lenses_changed {
        let client = client.clone();
        tokio::spawn(async move {
            if let Err(e) = client.code_lens_refresh().await {
                tracing::debug!("workspace/codeLens/refresh failed: {e}");
            }
        });
    }
    if snapshot.refresh {
        // A request waits for the client's answer; the outbox must not wait with it.
        let client = client.clone();
        tokio::spawn(async move {
            if let Err(e) = client.send_request::<WorkspaceDiagnosticRefresh>(()).await {
                tracing::debug!("workspace/diagnostic/refresh failed: {e}");
            }
        });
    }
}

/// Apply `update` to `published` (what the client was sent), and say what to send for that: each changed
/// file's diagnostics, and an empty list, once, for a file whose diagnostics went away (fixed or deleted).
pub fn apply(
    published: &mut HashMap<Url, Published>,
    update: DiagnosticsUpdate,
) -> Vec<(Url, Published)> {
    let mut now: HashMap<Url, Option<Published>> = HashMap::with_capacity(update.files.len());
    for (uri, entry) in update.files {
        now.insert(uri, entry);
    }
    let mut sends = Vec::new();
    if update.full {
        // What is not listed has no diagnostics now.
        for (uri, (version, diagnostics)) in published.iter() {
            if !diagnostics.is_empty() && now.get(uri).is_none_or(Option::is_none) {
                sends.push((uri.clone(), (*version, Arc::new(Vec::new()))));
            }
        }
        published.retain(|uri, _| now.get(uri).is_some_and(Option::is_some));
    }
    for (uri, entry) in now {
        match entry {
            Some(entry) => {
                // The same allocation is the same list (the diagnostics cache shares unchanged files' lists).
                let unchanged = published.get(&uri).is_some_and(|(version, diags)| {
                    *version == entry.0 && (Arc::ptr_eq(diags, &entry.1) || diags == &entry.1)
                });
                if !unchanged {
                    sends.push((uri.clone(), entry.clone()));
                }
                published.insert(uri, entry);
            }
            None => {
                if let Some((version, diagnostics)) = published.remove(&uri) {
                    if !diagnostics.is_empty() {
                        sends.push((uri, (version, Arc::new(Vec::new()))));
                    }
                }
            }
        }
    }
    sends
}
