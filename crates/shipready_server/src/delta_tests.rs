//! The differential test of publishing only what changed: a session driven through edits, file removal, a new
//! unit, a profile switch, a configuration change, a closed buffer and a root added and removed, where after each
//! step what a client holds from the deltas equals a full recomputation from empty caches.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use shipready_analysis::{Analysis, Profile, RealFs};
use tower_lsp::lsp_types::{TextDocumentContentChangeEvent, Url};

use super::{publish, Touched};
use crate::config::Config;
use crate::diagnostics::collect;
use crate::outbox::{apply, DiagnosticsUpdate, Published};
use crate::session::Session;

/// What a client holds: the diagnostics it was sent, by file, and the last score of each root and unit.
#[derive(Default)]
struct Client {
    diagnostics: HashMap<Url, Published>,
    scores: HashMap<Url, f64>,
}

/// How the last step was published: in full, or as a delta of so many files.
#[derive(Debug, PartialEq)]
enum Sent {
    Full,
    Delta(usize),
}

/// Publish what changed as the publisher does, apply it as the outbox does, and check that the client now
/// holds what a full recomputation from empty caches gives.
fn step(s: &mut Session, client: &mut Client) -> Sent {
    s.flush();
    let touched = std::mem::take(&mut s.touched);
    let (update, scores) = publish(s, touched, true);
    let Some(update) = update else {
        panic!("a pushing client gets diagnostics");
    };
    let sent = if update.full {
        Sent::Full
    } else {
        Sent::Delta(update.files.len())
    };
    apply(&mut client.diagnostics, update);
    for score in scores {
        client.scores.insert(score.root.clone(), score.overall);
    }
    let mut fresh = s.view();
    fresh.diagnostic_cache = Default::default();
    fresh.unit_scores = Default::default();
    fresh.published = Default::default();
    let files = collect(&mut fresh, false)
        .into_iter()
        .map(|f| (f.uri, Some((f.version, f.diagnostics))))
        .collect();
    let mut expected = HashMap::new();
    apply(&mut expected, DiagnosticsUpdate { full: true, files });
    let mut uris: Vec<&Url> = expected.keys().chain(client.diagnostics.keys()).collect();
    uris.sort();
    uris.dedup();
    for uri in uris {
        let (want, got) = (expected.get(uri), client.diagnostics.get(uri));
        let same = match (want, got) {
            (Some((v, d)), Some((w, e))) => v == w && d == e,
            (None, None) => true,
            _ => false,
        };
        assert!(
            same,
            "{uri}: the client holds {got:?}, a full recomputation gives {want:?}"
        );
    }
    // Every score a full recomputation sends is the one the client holds.
    let (_, all) = publish(&mut fresh, Touched::default(), true);
    for score in all {
        assert_eq!(
            client.scores.get(&score.root),
            Some(&score.overall),
            "score of {}",
            score.root
        );
    }
    sent
}

fn write(dir: &Path, path: &str, text: &str) {
    let file = dir.join(path);
    if let Some(parent) = file.parent() {
        assert!(std::fs::create_dir_all(parent).is_ok());
    }
    assert!(std::fs::write(file, text).is_ok());
}

fn uri(dir: &Path, path: &str) -> Url {
    match Url::from_file_path(dir.join(path)) {
        Ok(u) => u,
        Err(()) => panic!("no URI for {path}"),
    }
}

/// A root on `dir`, loaded from disk as the scan loads it.
fn add_root(s: &mut Session, dir: &Path) {
    let Ok(root) = Url::from_directory_path(dir) else {
        panic!("no URI for the root");
    };
    assert!(s.add_root(&root).is_some());
    let (analysis, error) = Analysis::load_configured(dir, Some(s.config.profile), &RealFs);
    s.install(analysis, error);
}

fn whole(text: &str) -> Vec<TextDocumentContentChangeEvent> {
    vec![TextDocumentContentChangeEvent {
        range: None,
        range_length: None,
        text: text.to_owned(),
    }]
}

const API: &str =
    "FROM python:3.12\nCOPY . /app\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\"]\n";
const APP: &str = "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get(\"/items\")\ndef items():\n    return []\n";

fn workspace(dir: &Path) {
    write(dir, "api/Dockerfile", API);
    write(dir, "api/main.py", APP);
    write(dir, "api/requirements.txt", "fastapi\nuvicorn\n");
    write(dir, "web/Dockerfile", "FROM nginx\nEXPOSE 80\n");
    write(
        dir,
        "DEPLOYMENT.md",
        "# Deploying\n\nBuild the images and run them.\n",
    );
}

#[test]
fn a_delta_leaves_the_client_with_what_a_full_recomputation_gives() {
    let Ok(tmp) = tempfile::tempdir() else {
        panic!("no temporary folder");
    };
    let dir = tmp.path();
    workspace(dir);
    let mut s = Session::default();
    let mut client = Client::default();
    add_root(&mut s, dir);
    assert_eq!(step(&mut s, &mut client), Sent::Full);
    assert!(!client.diagnostics.is_empty());
    // Nothing changed: nothing is sent.
    assert_eq!(step(&mut s, &mut client), Sent::Delta(0));

    // Open a Dockerfile and edit it: its unit's files only.
    let web = uri(dir, "web/Dockerfile");
    s.open(web.clone(), "FROM nginx\nEXPOSE 80\n", 1);
    assert_eq!(step(&mut s, &mut client), Sent::Delta(1));
    assert!(s
        .change(&web, 2, &whole("FROM nginx:1.27.3\nEXPOSE 80\n"))
        .is_ok());
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));
    // A suppression that suppresses nothing, then one that does.
    let text = "FROM nginx:1.27.3\n# shipready: ignore[CD001] not ours\nEXPOSE 80\n";
    assert!(s.change(&web, 3, &whole(text)).is_ok());
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));
    let text = "# shipready: ignore-file[DK] accepted\nFROM nginx\nEXPOSE 80\n";
    assert!(s.change(&web, 4, &whole(text)).is_ok());
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));

    // Edit the API's Dockerfile in a buffer: a health check closes gaps.
    let api = uri(dir, "api/Dockerfile");
    s.open(api.clone(), API, 1);
    let healthy = format!("{API}HEALTHCHECK CMD curl -f http://localhost:8000/items || exit 1\n");
    assert!(s.change(&api, 2, &whole(&healthy)).is_ok());
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));

    // A dependency on a metrics library closes the gap in the app's file, which is left with no findings
    // though it did not change.
    let requirements = uri(dir, "api/requirements.txt");
    write(
        dir,
        "api/requirements.txt",
        "fastapi\nuvicorn\nprometheus-client\n",
    );
    s.disk_changed(&requirements);
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));
    assert!(!client.diagnostics.contains_key(&uri(dir, "api/main.py")));
    write(dir, "api/requirements.txt", "fastapi\nuvicorn\n");
    s.disk_changed(&requirements);
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));

    // A file of a unit removed on disk, and one created.
    assert!(std::fs::remove_file(dir.join("api/main.py")).is_ok());
    s.disk_deleted(&uri(dir, "api/main.py"));
    step(&mut s, &mut client);
    write(dir, "api/main.py", APP);
    s.disk_changed(&uri(dir, "api/main.py"));
    step(&mut s, &mut client);
    write(
        dir,
        "DEPLOYMENT.md",
        "# Deploying\n\n## Rollback\n\nRedeploy the last image.\n",
    );
    s.disk_changed(&uri(dir, "DEPLOYMENT.md"));
    step(&mut s, &mut client);

    // A new unit.
    write(
        dir,
        "worker/Dockerfile",
        "FROM python\nCMD [\"python\", \"work.py\"]\n",
    );
    s.disk_changed(&uri(dir, "worker/Dockerfile"));
    step(&mut s, &mut client);
    let worker = uri(dir, "worker/Dockerfile");
    s.open(
        worker.clone(),
        "FROM python\nCMD [\"python\", \"work.py\"]\n",
        1,
    );
    assert!(s.change(&worker, 2, &whole("FROM python:3.12\n")).is_ok());
    step(&mut s, &mut client);

    // A profile switch, and severities.
    s.set_config(Config {
        profile: Profile::Seed,
        ..Config::default()
    });
    assert_eq!(step(&mut s, &mut client), Sent::Full);
    let (config, _) =
        Config::from_value(Some(&serde_json::json!({"severities": {"DK004": "off"}})));
    s.set_config(config);
    step(&mut s, &mut client);

    // The configuration file: invalid (shown on it), then valid.
    write(dir, "shipready.toml", "[rules\n");
    assert!(s.reload_config(&uri(dir, "shipready.toml")));
    step(&mut s, &mut client);
    assert!(s.change(&api, 3, &whole(API)).is_ok());
    step(&mut s, &mut client);
    write(dir, "shipready.toml", "# defaults\n");
    assert!(s.reload_config(&uri(dir, "shipready.toml")));
    step(&mut s, &mut client);

    // Closing buffers: the disk's text is the truth again.
    assert!(s.close(&web));
    step(&mut s, &mut client);
    assert!(s.close(&worker));
    step(&mut s, &mut client);

    // A second root, edited, then removed.
    let Ok(other) = tempfile::tempdir() else {
        panic!("no temporary folder");
    };
    write(other.path(), "Dockerfile", "FROM node\n");
    add_root(&mut s, other.path());
    step(&mut s, &mut client);
    let node = uri(other.path(), "Dockerfile");
    s.open(node.clone(), "FROM node\n", 1);
    assert!(s
        .change(&node, 2, &whole("FROM node:22\nEXPOSE 3000\n"))
        .is_ok());
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));
    assert!(s.change(&api, 4, &whole(&healthy)).is_ok());
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));
    let Ok(root) = Url::from_directory_path(other.path()) else {
        panic!("no URI for the root");
    };
    assert!(s.remove_root(&root));
    step(&mut s, &mut client);
    assert!(client
        .diagnostics
        .keys()
        .all(|u| !u.path().starts_with(root.path())));
    assert!(s.change(&api, 5, &whole(API)).is_ok());
    assert!(matches!(step(&mut s, &mut client), Sent::Delta(_)));
}

/// A client that pulls diagnostics is sent none, and every score.
#[test]
fn a_pulling_client_gets_scores_only() {
    let Ok(tmp) = tempfile::tempdir() else {
        panic!("no temporary folder");
    };
    workspace(tmp.path());
    let mut s = Session::default();
    s.caps.pull_diagnostics = true;
    add_root(&mut s, tmp.path());
    for _ in 0..2 {
        let touched = std::mem::take(&mut s.touched);
        let (diagnostics, scores) = publish(&mut s, touched, false);
        assert!(diagnostics.is_none());
        // The folder's score and each unit's (api, web).
        assert_eq!(scores.len(), 3);
        assert!(scores.iter().all(|p| Arc::strong_count(p) >= 1));
    }
}
