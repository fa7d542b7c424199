use std::collections::BTreeMap;
use std::sync::Arc;

use shipready_syntax::FileKind;

use crate::reads::{Part, Reads};
use crate::{
    audit_workspace_cached, audit_workspace_with, Profile, Settings, SourceFile, UnitCache,
    Workspace,
};

/// Pieces typed into the fixture files: characters, line breaks, and lines that make or break a fact of every
/// kind of file (a probe, a route, a guide section, a compose key, an import, a port).
const TYPED: &[&str] = &[
    "x",
    "\n",
    " ",
    "é",
    "# note",
    "/health",
    "HEALTHCHECK CMD curl -f http://localhost:8000/health\n",
    "EXPOSE 8080\n",
    "USER app\n",
    "@app.get(\"/healthz\")\ndef healthz():\n    return {}\n",
    "import sentry_sdk\n",
    "## Rollback\n\nRedeploy the previous tag.\n",
    "    restart: always\n",
    "      - \"5432:5432\"\n",
    "",
];

fn json(a: &crate::WorkspaceAudit) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or_default()
}

/// `ws` with `path` holding `text`, every other file the very same `Arc`.
fn replaced(ws: &Workspace, path: &str, text: &str) -> Workspace {
    let files = ws
        .files()
        .iter()
        .map(|f| match f.path == path {
            true => Arc::new(SourceFile::new(path, f.kind, text)),
            false => Arc::clone(f),
        })
        .collect();
    Workspace::new(files)
}

/// Random edits typed into every fixture workspace's files, each audited with the unit cache (which keeps the
/// outcomes of the rules that read nothing the edit changed) and afresh: the two audits are the same, and most
/// rules are kept.
#[test]
fn rules_kept_across_edits_give_the_audit_a_fresh_one_gives() {
    let (kept_before, run_before) = crate::audit::tally::get();
    let mut steps = 0;
    for (n, (name, files)) in crate::fixes::fixture_workspaces().into_iter().enumerate() {
        let mut texts: BTreeMap<String, String> = files;
        let mut ws = Workspace::from_texts(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        if ws.files().is_empty() {
            continue;
        }
        let profile = if n % 3 == 0 {
            Profile::Seed
        } else {
            Profile::Standard
        };
        let settings = Settings::with_profile(profile);
        let mut cache = UnitCache::default();
        let _ = audit_workspace_cached(&ws, &settings, &mut cache);
        let mut rng = 0x2545_f491_4f6c_dd1d_u64 ^ (n as u64) << 7;
        for _ in 0..12 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let files = ws.files();
            let file = &files[(rng as usize >> 5) % files.len()];
            let path = file.path.clone();
            let mut text = texts.get(&path).cloned().unwrap_or_default();
            let mut at = (rng as usize >> 17) % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + (rng as usize >> 40) % 5).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let typed = TYPED[(rng >> 50) as usize % TYPED.len()];
            text.replace_range(at..end, typed);
            ws = replaced(&ws, &path, &text);
            texts.insert(path.clone(), text);
            let kept = audit_workspace_cached(&ws, &settings, &mut cache);
            let fresh = audit_workspace_with(&ws, &settings);
            assert_eq!(
                json(&kept),
                json(&fresh),
                "{name}: {path} after typing {typed:?} at {at}"
            );
            steps += 1;
        }
    }
    let (kept, run) = crate::audit::tally::get();
    let (kept, run) = (kept - kept_before, run - run_before);
    assert!(steps > 500, "{steps}");
    // Many edits change what most rules read (a new route, a probe, a guide section; rules that read every
    // file are run again after any edit), yet about a third of the rules are kept.
    assert!(kept * 4 > run, "{kept} kept, {run} run");
}

/// What a rule reads is what it is kept on: a rule reading the guide's part of the index is kept across a
/// Dockerfile's `RUN` edit, a rule reading Dockerfiles is not.
#[test]
fn an_edit_reruns_the_rules_that_read_it() {
    let files = [
        ("Dockerfile", "FROM python:3.12\nRUN pip install -r requirements.txt\nCMD [\"uvicorn\", \"main:app\"]\n"),
        ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {}\n"),
        ("DEPLOYMENT.md", "# Deploy\n\n## Rollback\n\nRedeploy the previous image.\n"),
    ];
    let ws = Workspace::from_texts(files);
    let settings = Settings::with_profile(Profile::Standard);
    let mut cache = UnitCache::default();
    let _ = audit_workspace_cached(&ws, &settings, &mut cache);
    let edited = replaced(
        &ws,
        "Dockerfile",
        &files[0].1.replace("requirements.txt", "requirements.txt x"),
    );
    let (kept_before, run_before) = crate::audit::tally::get();
    let _ = audit_workspace_cached(&edited, &settings, &mut cache);
    let (kept, run) = crate::audit::tally::get();
    let (kept, run) = (kept - kept_before, run - run_before);
    assert!(kept > 10 && run > 3, "{kept} kept, {run} run");
}

/// The parts of a rebuilt index that differ: none after an edit of a `RUN` line, the Docker part (what the
/// image starts) and the web part (the main app) after an edit of `CMD`, and nothing read of the files.
#[test]
fn the_index_parts_that_differ_are_named() {
    let dockerfile = "FROM python:3.12\nRUN pip install x\nCMD [\"uvicorn\", \"main:app\"]\n";
    let files = |dockerfile: &str| {
        Workspace::from_texts([
            ("Dockerfile", dockerfile),
            ("main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ("other.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
        ])
    };
    let index = |text: &str| crate::Index::build(&files(text));
    let before = index(dockerfile);
    let after = index(&dockerfile.replace("install x", "install y"));
    let (run, reads) = crate::reads::recording(|| before.changed_parts(&after));
    assert_eq!(run, Reads::default());
    assert_eq!(
        reads,
        Reads::default(),
        "comparing parts reads nothing for a rule"
    );
    let cmd = before.changed_parts(&index(&dockerfile.replace("main:app", "other:app")));
    assert!(cmd.meets(Reads::part(Part::Docker)) && cmd.meets(Reads::part(Part::Web)));
    assert!(!cmd.meets(Reads::part(Part::Cdk)) && !cmd.meets(Reads::FILES));
    let _ = FileKind::Dockerfile;
}

/// A one-off audit (`shipready check`) keeps no rule memo; an editor's cache keeps one per unit.
#[test]
fn only_a_cache_audited_again_keeps_rule_memos() {
    let ws = Workspace::from_texts([
        (
            "a/Dockerfile",
            "FROM python:3.12\nCMD [\"python\", \"a.py\"]\n",
        ),
        (
            "b/Dockerfile",
            "FROM python:3.12\nCMD [\"python\", \"b.py\"]\n",
        ),
    ]);
    let settings = Settings::with_profile(Profile::Standard);
    let mut once = UnitCache::one_off();
    let _ = audit_workspace_cached(&ws, &settings, &mut once);
    assert_eq!(once.rule_memos(), 0);
    let mut kept = UnitCache::default();
    let _ = audit_workspace_cached(&ws, &settings, &mut kept);
    assert_eq!(kept.rule_memos(), 2);
}
