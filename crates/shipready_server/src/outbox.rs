//! The outbox: the one task that pushes diagnostics, score notifications and log lines to the client.
//!
//! Snapshots are computed under the session lock and queued in that same critical section, so the queue holds
//! them in the order of the states they describe; this task sends them in queue order, skipping snapshots a
//! newer one supersedes. A late handler can therefore never publish stale diagnostics (tower-lsp runs handlers
//! concurrently), and no handler ever holds the lock while talking to the client.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tower_lsp::lsp_types::notification::Notification;
use tower_lsp::lsp_types::request::WorkspaceDiagnosticRefresh;
use tower_lsp::lsp_types::{Diagnostic, MessageType, Url};
use tower_lsp::Client;

use crate::diagnostics::FileDiagnostics;

/// The full published state at one moment: every file's diagnostics (when the server pushes them) and every
/// root's score.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub diagnostics: Option<Vec<FileDiagnostics>>,
    /// Shared with the publisher's cache of unit scores: unchanged units' messages are not rebuilt.
    pub scores: Vec<Arc<ScoreParams>>,
    /// Ask a pulling client to pull again.
    pub refresh: bool,
    /// Ask the client to re-request code lenses when a score they show changed.
    pub refresh_lenses: bool,
}

pub enum Outgoing {
    Snapshot(Snapshot),
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
type Published = (Option<i32>, Arc<Vec<Diagnostic>>);

async fn run(client: Client, mut rx: UnboundedReceiver<Outgoing>) {
    let mut published: HashMap<Url, Published> = HashMap::new();
    let mut scores: HashMap<Url, f64> = HashMap::new();
    while let Some(first) = rx.recv().await {
        let mut latest = None;
        let mut pending = Some(first);
        // Drain what is queued: log lines go out in order, only the newest snapshot matters.
        while let Some(item) = pending.take().or_else(|| rx.try_recv().ok()) {
            match item {
                Outgoing::Log(level, message) => client.log_message(level, message).await,
                Outgoing::Snapshot(s) => latest = Some(s),
            }
        }
        if let Some(snapshot) = latest {
            send(&client, snapshot, &mut published, &mut scores).await;
        }
    }
}

async fn send(
    client: &Client,
    snapshot: Snapshot,
    published: &mut HashMap<Url, Published>,
    scores: &mut HashMap<Url, f64>,
) {
    if let Some(files) = snapshot.diagnostics {
        let mut now: HashMap<Url, Published> = HashMap::new();
        for f in files {
            now.insert(f.uri, (f.version, f.diagnostics));
        }
        // Files whose findings went away (fixed or deleted) get an empty list, once.
        for (uri, (version, diags)) in published.iter() {
            if !diags.is_empty() && !now.contains_key(uri) {
                client
                    .publish_diagnostics(uri.clone(), Vec::new(), *version)
                    .await;
            }
        }
        for (uri, entry) in &now {
            // The same allocation is the same list (the diagnostics cache shares unchanged files' lists).
            let unchanged = published.get(uri).is_some_and(|(version, diags)| {
                *version == entry.0 && (Arc::ptr_eq(diags, &entry.1) || diags == &entry.1)
            });
            if !unchanged {
                client
                    .publish_diagnostics(uri.clone(), entry.1.to_vec(), entry.0)
                    .await;
            }
        }
        *published = now;
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
