//! The publisher: the one task that turns session changes into snapshots for the outbox, and the scan barrier.
//!
//! Handlers change the session and wake the publisher; it copies the session's state under the lock (cheap:
//! analyses and buffers are shared) and computes one snapshot (the audit, and the diagnostics and scores that
//! changed: see [`crate::delta`]) from the copy with the lock released, so an audit never makes an edit or a
//! request wait. A wake-up is a single stored permit, so however many changes arrive while an audit runs, the
//! next audit covers all of them. While a workspace scan runs nothing
//! is published, and requests wait for the scan ([`Publisher::scanned`]): an answer or a score computed from a
//! half-loaded index would be wrong (a report of 0.0 with every gap open), not merely early.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::delta::{self, Touched};
use crate::outbox::Snapshot;
use crate::pending;
use crate::session::{Session, Shared};

/// The shortest time between the starts of two audits during a burst of changes (changes that arrive while an
/// audit runs): they are gathered until then, and one audit covers them all.
const COALESCE: Duration = Duration::from_millis(20);

/// How long the buffers must be left alone before a Python buffer whose reparse left syntax errors is parsed
/// afresh (see `PythonDocument::settle`): typing half-finished code in a large module is published from the
/// incremental reparse at once, and the fresh parse (tens of milliseconds for 10,000 lines) waits for a pause.
const SETTLE_AFTER: Duration = Duration::from_millis(150);

/// The publisher's handle; dropping it ends the publisher's thread.
pub struct Publisher {
    inner: Arc<Inner>,
}

struct Inner {
    wake: Mutex<Wake>,
    woken: Condvar,
    /// An audit is running.
    auditing: AtomicBool,
    /// A change arrived while an audit ran: a burst, whose next audit waits out [`COALESCE`].
    burst: AtomicBool,
    /// Workspace scans under way.
    scans: watch::Sender<usize>,
}

/// A wake-up is a single stored permit, as with `tokio::sync::Notify`.
#[derive(Default)]
struct Wake {
    permit: bool,
    closed: bool,
}

impl Publisher {
    /// Start the publisher on a thread of its own, which hands each snapshot to `send`.
    ///
    /// A thread rather than a task that hands each audit to the blocking pool: a keystroke's diagnostics then
    /// cross one thread hand-off (from the handler that woke the publisher) instead of three (to the task, to
    /// the blocking pool, to an outbox task), each a wake-up that costs the most on a busy machine.
    pub fn spawn(session: Shared, send: impl Fn(Snapshot) + Send + 'static) -> Arc<Publisher> {
        let inner = Arc::new(Inner {
            wake: Mutex::new(Wake::default()),
            woken: Condvar::new(),
            auditing: AtomicBool::new(false),
            burst: AtomicBool::new(false),
            scans: watch::Sender::new(0),
        });
        // Sending to the client may start tasks (refresh requests): the thread runs in the runtime's context.
        let runtime = tokio::runtime::Handle::try_current().ok();
        let thread = Arc::clone(&inner);
        let spawned = std::thread::Builder::new()
            .name("shipready-publisher".to_owned())
            .spawn(move || {
                let _entered = runtime.as_ref().map(|r| r.enter());
                run(&thread, &session, &send);
            });
        if let Err(e) = spawned {
            tracing::error!("starting the publisher failed, nothing will be published: {e}");
        }
        Arc::new(Publisher { inner })
    }

    /// Publish the session's state soon, if it changed.
    pub fn request(&self) {
        let inner = &self.inner;
        if inner.auditing.load(Ordering::SeqCst) {
            inner.burst.store(true, Ordering::SeqCst);
        }
        lock(&inner.wake).permit = true;
        inner.woken.notify_one();
    }

    /// A scan begins: nothing is published and requests wait until [`Publisher::scan_finished`].
    pub fn scan_started(&self) {
        self.inner.scans.send_modify(|n| *n += 1);
    }

    /// A scan ended (or failed): publish what it found once no other scan runs.
    pub fn scan_finished(&self) {
        self.inner.scans.send_modify(|n| *n = n.saturating_sub(1));
        self.request();
    }

    /// Wait, at most `within`, until no scan runs; false when one still does.
    pub async fn scanned(&self, within: Duration) -> bool {
        let mut rx = self.inner.scans.subscribe();
        let done = tokio::time::timeout(within, rx.wait_for(|n| *n == 0)).await;
        matches!(done, Ok(Ok(_)))
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        lock(&self.inner.wake).closed = true;
        self.inner.woken.notify_one();
    }
}

/// The wake-up state stays meaningful whoever panicked holding it.
fn lock(wake: &Mutex<Wake>) -> std::sync::MutexGuard<'_, Wake> {
    wake.lock().unwrap_or_else(|p| p.into_inner())
}

fn run(inner: &Inner, session: &Shared, send: &dyn Fn(Snapshot)) {
    let mut last: Option<Instant> = None;
    // Some open buffer is unsettled: a pause of SETTLE_AFTER without changes settles it.
    let mut unsettled = false;
    loop {
        let mut idle = false;
        {
            let mut wake = lock(&inner.wake);
            while !wake.permit && !wake.closed {
                if !unsettled {
                    wake = inner.woken.wait(wake).unwrap_or_else(|p| p.into_inner());
                    continue;
                }
                let (woken, waited) = inner
                    .woken
                    .wait_timeout(wake, SETTLE_AFTER)
                    .unwrap_or_else(|p| p.into_inner());
                wake = woken;
                if waited.timed_out() && !wake.permit {
                    idle = true;
                    break;
                }
            }
            if wake.closed {
                return;
            }
            wake.permit = false;
        }
        if idle {
            unsettled = false;
            let settled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                crate::pending::settle_idle(session)
            }));
            if !matches!(settled, Ok(true)) {
                continue;
            }
        }
        // Changes come in bursts (a flood of edits, a checkout, a replace-all): a change that arrived while the
        // last audit ran starts the next audit no sooner than COALESCE after the last one started, so a burst
        // costs one audit per COALESCE, not one per change, and the cores go to applying changes and answering
        // requests. A change after the last audit ended (a keystroke) is audited at once: its diagnostics do
        // not wait for a burst that is not coming.
        if let Some(at) = last.filter(|_| inner.burst.swap(false, Ordering::SeqCst)) {
            std::thread::sleep((at + COALESCE).saturating_duration_since(Instant::now()));
        }
        last = Some(Instant::now());
        // The end of the scan wakes the publisher again.
        if *inner.scans.borrow() > 0 {
            continue;
        }
        inner.auditing.store(true, Ordering::SeqCst);
        let snap = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| publish_once(session)));
        // The audit is over before its diagnostics reach the client: a change the client makes once it has
        // them is the next keystroke, not part of a burst.
        inner.auditing.store(false, Ordering::SeqCst);
        // A panic leaves the session and the published state usable (see `delta::Published`): the thread
        // goes on, and the next change publishes again.
        let sent = match snap {
            Ok(Some((snap, view))) => {
                let sent = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| send(snap)));
                // Once the diagnostics are on their way: handing back the copy's cache and dropping the copy
                // cost about 0.25 M instructions of a Dockerfile keystroke's 3.4 M, and the next audit starts
                // after this anyway.
                unsettled = adopt(session, view);
                sent
            }
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        };
        if sent.is_err() {
            tracing::error!("publishing diagnostics failed: it panicked");
            // What changed since the last snapshot was taken from the session with it: the next one
            // publishes everything.
            let published = crate::session::lock(session).published.clone();
            published.lock().unwrap_or_else(|p| p.into_inner()).forget();
        }
    }
}

/// The snapshot of the session's state when it changed since the last one (`None` otherwise), with the copy of
/// the session it was computed on (see [`adopt`]).
fn publish_once(session: &Shared) -> Option<(Snapshot, Session)> {
    let started = std::time::Instant::now();
    // Facts of the buffers changed since the last audit are derived here, once for all their changes.
    let (mut view, touched) = {
        let mut s = pending::current(session);
        if !s.dirty {
            return None;
        }
        s.dirty = false;
        (s.view(), std::mem::take(&mut s.touched))
    };
    let facts = started.elapsed();
    // The audit runs on the copy with the lock released, so edits and requests that arrive meanwhile are not
    // queued behind it; one task sends snapshots, so they stay in order.
    for r in view.roots.iter_mut() {
        r.analysis.audit();
    }
    let audited = started.elapsed();
    let snap = snapshot(&mut view, touched);
    let converted = started.elapsed();
    // `SHIPREADY_LOG=debug` shows where each publication's time went.
    tracing::debug!(
        "published: facts {:.2} ms, audit {:.2} ms, diagnostics and scores {:.2} ms, in all {:.2} ms",
        facts.as_secs_f64() * 1e3,
        (audited - facts).as_secs_f64() * 1e3,
        (converted - audited).as_secs_f64() * 1e3,
        started.elapsed().as_secs_f64() * 1e3
    );
    Some((snap, view))
}

/// What the audit of the copy learnt (its per-unit cache) goes back to the session, so the next copy re-audits
/// only the units whose files changed; then the copy is dropped. Returns whether an open buffer is unsettled.
fn adopt(session: &Shared, mut view: Session) -> bool {
    let mut s = crate::session::lock(session);
    for r in view.roots.iter_mut() {
        if let Some(own) = s.roots.iter_mut().find(|o| o.path == r.path) {
            own.analysis.adopt_audit(&mut r.analysis);
        }
    }
    let unsettled = s.docs.values().any(crate::document::Document::unsettled);
    drop(s);
    drop(view);
    unsettled
}

/// What changed since the last snapshot: diagnostics (pushed unless the client pulls) and scores; and a refresh
/// request for pulling clients.
fn snapshot(s: &mut Session, touched: Touched) -> Snapshot {
    let (diagnostics, scores) = delta::publish(s, touched, !s.caps.pull_diagnostics);
    Snapshot {
        diagnostics,
        scores,
        refresh_lenses: s.caps.code_lens_refresh,
        // lsp-types 0.94 reads the client's `workspace.diagnostics.refreshSupport` under a misspelt key, so
        // support cannot be seen; a pulling client that lacks it answers with an error, which is ignored.
        refresh: s.caps.pull_diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use shipready_analysis::{Analysis, Profile};

    use crate::diagnostics::{collect, FileDiagnostics};
    use crate::session::Session;

    /// A session on `file:///w` with two units: an API image and a web image (`web` is its Dockerfile).
    fn two_units(web: &str) -> Session {
        let mut s = Session::on_test_root();
        let mut analysis = Analysis::new("/w", Profile::Standard);
        analysis.set_file_text(
            "api/Dockerfile",
            "FROM python:3.12\nCMD [\"uvicorn\", \"main:app\"]\n",
        );
        analysis.set_file_text("web/Dockerfile", web);
        s.install(analysis, None);
        s
    }

    /// When the client gets a snapshot the audit is already over: the change it sends in answer (the next
    /// keystroke) is audited at once, not held back as part of a burst, however late the publisher task is
    /// polled again on a busy machine. Without this, keystroke latency was the 20 ms burst delay whenever the
    /// client's answer beat the publisher task's wake-up.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_audit_is_over_when_its_snapshot_is_sent() {
        let session = Arc::new(Mutex::new(two_units("FROM nginx:1.27\nEXPOSE 80\n")));
        crate::session::lock(&session).dirty = true;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let publisher = super::Publisher::spawn(session.clone(), move |snap| {
            let _ = tx.send(snap);
        });
        for _ in 0..20 {
            publisher.request();
            let got = tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await;
            assert!(matches!(got, Ok(Some(_))));
            let auditing = &publisher.inner.auditing;
            assert!(!auditing.load(std::sync::atomic::Ordering::SeqCst));
            crate::session::lock(&session).dirty = true;
        }
    }

    /// A Python buffer left unsettled by a change (a syntax error, reparsed incrementally) is published at once,
    /// then parsed afresh once no change came for `SETTLE_AFTER`, and published again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unsettled_buffer_is_settled_after_a_pause() {
        use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};
        let session = Arc::new(Mutex::new(two_units("FROM nginx:1.27\nEXPOSE 80\n")));
        let Ok(uri) = Url::parse("file:///w/api/main.py") else {
            panic!("bad test URI");
        };
        {
            let mut s = crate::session::lock(&session);
            s.open(
                uri.clone(),
                "from fastapi import FastAPI\n\napp = FastAPI()\n",
                1,
            );
        }
        drop(crate::pending::current(&session));
        let at = Position::new(2, 0);
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(at, at)),
            range_length: None,
            text: "x = foo(\n".to_owned(),
        };
        assert_eq!(
            crate::session::lock(&session).change(&uri, 2, &[change]),
            Ok(())
        );
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let publisher = super::Publisher::spawn(session.clone(), move |snap| {
            let _ = tx.send(snap);
        });
        publisher.request();
        let first = tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await;
        assert!(matches!(first, Ok(Some(_))));
        let settled = || {
            let s = crate::session::lock(&session);
            s.docs.get(&uri).is_some_and(|d| !d.unsettled())
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !settled() && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(settled(), "the buffer was not parsed afresh after a pause");
    }

    /// The publisher's thread ends with its handle (a server that ends leaves no thread behind): the sender
    /// it owned is dropped.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropping_the_publisher_ends_its_thread() {
        let session = Arc::new(Mutex::new(two_units("FROM nginx:1.27\nEXPOSE 80\n")));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<crate::outbox::Snapshot>();
        let publisher = super::Publisher::spawn(session, move |snap| {
            let _ = tx.send(snap);
        });
        drop(publisher);
        let ended = tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await;
        assert!(matches!(ended, Ok(None)));
    }

    #[test]
    fn the_audit_of_the_published_copy_is_kept_for_the_next_change() {
        let s = two_units("FROM nginx:1.27\nEXPOSE 80\n");
        assert_eq!(s.roots[0].analysis.cached_units(), 0);
        let shared = Arc::new(Mutex::new(s));
        let (_, view) = super::publish_once(&shared).expect("a snapshot");
        super::adopt(&shared, view);
        let s = crate::session::lock(&shared);
        // Without the hand-back every snapshot would start from this empty cache and re-audit every unit.
        assert_eq!(s.roots[0].analysis.cached_units(), 2);
    }

    fn of<'a>(files: &'a [FileDiagnostics], path: &str) -> &'a FileDiagnostics {
        match files.iter().find(|f| f.uri.path().ends_with(path)) {
            Some(f) => f,
            None => panic!("no diagnostics for {path}"),
        }
    }

    /// A change re-converts the findings of its own unit's files only: the other unit's files keep the very
    /// list published before, and the changed unit's list is what a fresh conversion gives.
    #[test]
    fn a_change_reconverts_only_its_units_files() {
        let mut s = two_units("FROM nginx\nEXPOSE 80\n");
        let before = collect(&mut s, false);
        let again = collect(&mut s, false);
        let (api, web) = ("api/Dockerfile", "web/Dockerfile");
        let same = |a: &[FileDiagnostics], b: &[FileDiagnostics], path: &str| {
            Arc::ptr_eq(&of(a, path).diagnostics, &of(b, path).diagnostics)
        };
        assert!(same(&before, &again, api) && same(&before, &again, web));
        // Pin the web image: its unit is re-audited, the API's is not.
        s.roots[0]
            .analysis
            .set_file_text(web, "FROM nginx:1.27.3\nEXPOSE 80\n");
        let after = collect(&mut s, false);
        assert!(same(&before, &after, api));
        assert!(!same(&before, &after, web));
        let unpinned = |f: &FileDiagnostics| {
            f.diagnostics
                .iter()
                .filter(|d| d.message.contains("tag"))
                .count()
        };
        assert!(unpinned(of(&before, web)) > unpinned(of(&after, web)));
        // What was reused equals a conversion with an empty cache.
        s.diagnostic_cache = Default::default();
        let fresh = collect(&mut s, false);
        for path in [api, web] {
            assert_eq!(of(&after, path).diagnostics, of(&fresh, path).diagnostics);
        }
    }
}
