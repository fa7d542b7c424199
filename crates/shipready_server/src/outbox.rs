//! The outbox: the one task that pushes diagnostics, score notifications and log lines to the client.
//!
//! One publisher task computes snapshots and queues them, so the queue holds them in the order of the states they
//! describe. A snapshot carries what changed since the one before (see [`crate::delta`]); this task applies them
//! in queue order to what it last sent, folding those queued together into one, and sends the files whose
//! diagnostics differ. A late handler can therefore never publish stale diagnostics (tower-lsp runs handlers
//! concurrently), and no handler ever holds the lock while talking to the client.

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

impl Snapshot {
    /// Fold a later snapshot into this one: sending the result sends what sending both would end with.
    fn merge(&mut self, next: Snapshot) {
        self.diagnostics = match (self.diagnostics.take(), next.diagnostics) {
            (Some(mut a), Some(b)) if !b.full => {
                a.files.extend(b.files);
                Some(a)
            }
            (a, b) => b.or(a),
        };
        let mut at: HashMap<Url, usize> = self
            .scores
            .iter()
            .enumerate()
            .map(|(i, s)| (s.root.clone(), i))
            .collect();
        for s in next.scores {
            match at.get(&s.root).and_then(|&i| self.scores.get_mut(i)) {
                Some(slot) => *slot = s,
                None => {
                    at.insert(s.root.clone(), self.scores.len());
                    self.scores.push(s);
                }
            }
        }
        self.refresh |= next.refresh;
        self.refresh_lenses |= next.refresh_lenses;
    }
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
pub type Published = (Option<i32>, Arc<Vec<Diagnostic>>);

async fn run(client: Client, mut rx: UnboundedReceiver<Outgoing>) {
    let mut published: HashMap<Url, Published> = HashMap::new();
    let mut scores: HashMap<Url, f64> = HashMap::new();
    while let Some(first) = rx.recv().await {
        let mut latest: Option<Snapshot> = None;
        let mut pending = Some(first);
        // Drain what is queued: log lines go out in order, the snapshots are folded into one.
        while let Some(item) = pending.take().or_else(|| rx.try_recv().ok()) {
            match item {
                Outgoing::Log(level, message) => client.log_message(level, message).await,
                Outgoing::Snapshot(s) => match latest.as_mut() {
                    Some(l) => l.merge(s),
                    None => latest = Some(s),
                },
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
    if let Some(update) = snapshot.diagnostics {
        for (uri, (version, diagnostics)) in apply(published, update) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn update(full: bool, files: &[(&str, Option<usize>)]) -> Snapshot {
        let files = files
            .iter()
            .filter_map(|(path, n)| {
                let uri = Url::parse(&format!("file:///w/{path}")).ok()?;
                let list = n.map(|n| (None, Arc::new(vec![Diagnostic::default(); n])));
                Some((uri, list))
            })
            .collect();
        Snapshot {
            diagnostics: Some(DiagnosticsUpdate { full, files }),
            ..Snapshot::default()
        }
    }

    /// Snapshots folded together leave the client with what applying them one by one does.
    #[test]
    fn folded_snapshots_end_where_sending_each_would() {
        let steps = [
            update(true, &[("a", Some(1)), ("b", Some(2)), ("c", Some(0))]),
            update(false, &[("a", None), ("d", Some(1))]),
            update(false, &[("b", Some(3)), ("d", None), ("a", Some(1))]),
            update(true, &[("b", Some(1)), ("e", Some(2))]),
            update(false, &[("e", None), ("f", Some(0))]),
        ];
        for split in 0..steps.len() {
            let mut one_by_one = HashMap::new();
            let mut folded = HashMap::new();
            let mut pending: Option<Snapshot> = None;
            for (i, s) in steps.iter().enumerate() {
                if let Some(d) = s.diagnostics.clone() {
                    apply(&mut one_by_one, d);
                }
                match pending.as_mut() {
                    Some(p) => p.merge(s.clone()),
                    None => pending = Some(s.clone()),
                }
                if i == split || i + 1 == steps.len() {
                    if let Some(d) = pending.take().and_then(|p| p.diagnostics) {
                        apply(&mut folded, d);
                    }
                }
            }
            assert_eq!(one_by_one, folded, "folded after step {split}");
        }
    }
}
