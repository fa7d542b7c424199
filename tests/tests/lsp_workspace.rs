//! `shipready lsp` end to end on the workspace: files changed, created and deleted on disk reach the index
//! through `workspace/didChangeWatchedFiles`; pull diagnostics for clients that offer them; several roots.

use serde_json::{json, Value};
use shipready_e2e::cli::{check_json, fixture};
use shipready_e2e::lsp_client::{codes, copy_fixture, file_uri, find, LspClient};

const HEALTHY_ROUTES: &str = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n";

#[test]
fn files_changed_created_and_deleted_on_disk_update_the_diagnostics() {
    let dir = copy_fixture("lsp-basic");
    let root = dir.path();
    let (mut c, _) = LspClient::initialized(&[root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    let docker = file_uri(&root.join("Dockerfile"));
    let guide = file_uri(&root.join("DEPLOYMENT.md"));
    c.diagnostics_until(&main, |d| codes(d).contains(&"HC001".to_owned()));
    c.diagnostics_until(&guide, |d| !d.is_empty());

    // Changed: the router now serves /health, which clears HC001 in app/main.py.
    std::fs::write(root.join("app/routes.py"), HEALTHY_ROUTES).unwrap_or_default();
    // Created: a compose file closes DK002 on the Dockerfile.
    std::fs::write(
        root.join("compose.yaml"),
        "services:\n  api:\n    build: .\n    ports:\n      - \"8000:8000\"\n",
    )
    .unwrap_or_default();
    // Deleted: the guide's diagnostics must be cleared.
    std::fs::remove_file(root.join("DEPLOYMENT.md")).unwrap_or_default();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": file_uri(&root.join("app/routes.py")), "type": 2},
            {"uri": file_uri(&root.join("compose.yaml")), "type": 1},
            {"uri": guide, "type": 3},
        ]}),
    );
    c.diagnostics_until(&main, |d| !codes(d).contains(&"HC001".to_owned()));
    c.diagnostics_until(&docker, |d| !codes(d).contains(&"DK002".to_owned()));
    c.diagnostics_until(&guide, |d| d.is_empty());

    // A file outside shipready's interest, or in a vendored folder, changes nothing and breaks nothing.
    std::fs::create_dir_all(root.join("node_modules/x")).unwrap_or_default();
    std::fs::write(root.join("node_modules/x/Dockerfile"), "FROM x\n").unwrap_or_default();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": file_uri(&root.join("node_modules/x/Dockerfile")), "type": 1},
            {"uri": file_uri(&root.join("notes.txt")), "type": 1},
            {"uri": "file:///elsewhere/Dockerfile", "type": 2},
        ]}),
    );
    let report = c
        .request(
            "workspace/executeCommand",
            json!({"command": "shipready.report"}),
        )
        .unwrap_or(Value::Null);
    assert_eq!(report["files_analyzed"], 5, "{report:#}");
}

#[test]
fn pulling_clients_get_document_and_workspace_reports_and_no_pushes() {
    let root = fixture("lsp-basic");
    let caps = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}}
    });
    let (mut c, init) = LspClient::initialized(&[&root], caps, json!({}));
    let provider = &init["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["workspaceDiagnostics"], true);
    assert_eq!(provider["interFileDependencies"], true);

    let main = file_uri(&root.join("app/main.py"));
    let doc = c
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": main}}),
        )
        .unwrap_or(Value::Null);
    assert_eq!(doc["kind"], "full");
    let items = doc["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(codes(&items), ["HC001", "HC003", "HC004", "OB001"]);
    assert_eq!(find(&items, "HC001")["range"]["start"]["line"], 4);

    let ws = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .unwrap_or(Value::Null);
    let reports = ws["items"].as_array().cloned().unwrap_or_default();
    let of = |rel: &str| {
        let uri = file_uri(&root.join(rel));
        reports.iter().find(|r| r["uri"] == uri.as_str()).cloned()
    };
    let docker = of("Dockerfile").unwrap_or(Value::Null);
    assert_eq!(
        codes(docker["items"].as_array().map(Vec::as_slice).unwrap_or(&[])),
        ["CI001", "DK002", "DK003", "HC002", "SC001"]
    );
    // Clean files are reported empty, so a client drops whatever it had for them.
    let routes = of("app/routes.py").unwrap_or(Value::Null);
    assert_eq!(routes["items"], json!([]));

    // A change makes the server ask the client to pull again; nothing is pushed.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": "import os\n"}}),
    );
    c.wait_for("workspace/diagnostic/refresh", |_| true);
    assert!(!c
        .received
        .iter()
        .any(|m| m["method"] == "textDocument/publishDiagnostics"));
}

#[test]
fn every_workspace_folder_is_analyzed_on_its_own() {
    let basic = fixture("lsp-basic");
    let unicode = fixture("lsp-unicode");
    let (mut c, _) = LspClient::initialized(&[&basic, &unicode], json!({}), json!({}));
    let a = c.diagnostics_until(&file_uri(&basic.join("app/main.py")), |d| !d.is_empty());
    let b = c.diagnostics_until(&file_uri(&unicode.join("app/main.py")), |d| !d.is_empty());
    assert!(codes(&a).contains(&"HC001".to_owned()));
    // The unicode fixture has no Dockerfile: DK001 lands on its app, which the basic one never shows.
    assert!(codes(&b).contains(&"DK001".to_owned()));
    assert!(!codes(&a).contains(&"DK001".to_owned()));
    let report = c
        .request(
            "workspace/executeCommand",
            json!({"command": "shipready.report", "arguments": [file_uri(&unicode)]}),
        )
        .unwrap_or(Value::Null);
    assert!(
        report["root"]
            .as_str()
            .is_some_and(|r| r.ends_with("lsp-unicode")),
        "{report:#}"
    );
}

#[test]
fn files_git_ignores_stay_out_of_the_index_when_created_on_disk_or_opened() {
    let dir = copy_fixture("lsp-basic");
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), "Dockerfile.local\nscratch/\n").unwrap_or_default();
    let (mut c, _) = LspClient::initialized(&[root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    c.diagnostics_until(&main, |d| codes(d).contains(&"HC001".to_owned()));

    // A gitignored Dockerfile appears on disk, in the same batch as a change that clears HC001: once that
    // change shows, the whole batch has been applied.
    let local = root.join("Dockerfile.local");
    std::fs::write(&local, "FROM python:latest\nUSER root\n").unwrap_or_default();
    std::fs::write(root.join("app/routes.py"), HEALTHY_ROUTES).unwrap_or_default();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": file_uri(&local), "type": 1},
            {"uri": file_uri(&root.join("app/routes.py")), "type": 2},
        ]}),
    );
    c.diagnostics_until(&main, |d| !codes(d).contains(&"HC001".to_owned()));
    // Opening a gitignored file in the editor does not bring it in either.
    let scratch = file_uri(&root.join("scratch/Dockerfile"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": scratch, "languageId": "dockerfile", "version": 1, "text": "FROM node:latest\n"}}),
    );

    let report = c
        .request(
            "workspace/executeCommand",
            json!({"command": "shipready.report"}),
        )
        .unwrap_or(Value::Null);
    assert_eq!(report["files_analyzed"], 5, "{report:#}");
    // The server's score is the one `shipready check` gives for the same files on disk.
    let expected = check_json(root, "standard");
    assert_eq!(report["overall"], expected["overall"]);
    // The score notification for the batch may trail the report's answer: wait for it, then make sure no
    // later one says otherwise.
    let want = expected["overall"].clone();
    c.wait_for("shipready/score", |p| p["overall"] == want);
    let later: Vec<&Value> = c
        .received
        .iter()
        .filter(|m| m["method"] == "shipready/score" && m["params"]["overall"] != want)
        .collect();
    assert!(later.is_empty(), "{later:#?}");
    for uri in [file_uri(&local), scratch] {
        let published = c
            .diagnostics
            .get(&uri)
            .and_then(|p| p["diagnostics"].as_array());
        assert!(
            published.is_none_or(|d| d.is_empty()),
            "{uri}: {published:?}"
        );
    }
}

#[test]
fn pulled_reports_carry_result_ids_and_come_back_unchanged_until_the_findings_change() {
    let root = fixture("lsp-basic");
    let caps = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let (mut c, _) = LspClient::initialized(&[&root], caps, json!({}));
    let main = file_uri(&root.join("app/main.py"));
    let pull = |c: &mut LspClient, previous: Value| {
        c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": main}, "previousResultId": previous}),
        )
        .unwrap_or(Value::Null)
    };
    let first = pull(&mut c, Value::Null);
    assert_eq!(first["kind"], "full");
    let id = first["resultId"].clone();
    assert!(id.as_str().is_some_and(|s| !s.is_empty()), "{first:#}");
    let again = pull(&mut c, id.clone());
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));

    // The whole workspace: every file the client has a current id for is unchanged.
    let ws = c
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .unwrap_or(Value::Null);
    let reports = ws["items"].as_array().cloned().unwrap_or_default();
    assert!(reports
        .iter()
        .all(|r| r["kind"] == "full" && r["resultId"].is_string()));
    let previous: Vec<Value> = reports
        .iter()
        .map(|r| json!({"uri": r["uri"], "value": r["resultId"]}))
        .collect();
    let ws = c
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        )
        .unwrap_or(Value::Null);
    let kinds: Vec<&str> = ws["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, vec!["unchanged"; reports.len()]);

    // New findings, new id: the app gains a health route, so HC001 goes away.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1,
            "text": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n"}}),
    );
    let changed = pull(&mut c, id.clone());
    assert_eq!(changed["kind"], "full");
    assert_ne!(changed["resultId"], id);
    let items = changed["items"].as_array().cloned().unwrap_or_default();
    assert!(!codes(&items).contains(&"HC001".to_owned()), "{items:#?}");
}

#[test]
fn workspace_folders_added_later_are_scanned_and_removed_ones_cleared() {
    let basic = fixture("lsp-basic");
    let unicode = fixture("lsp-unicode");
    let (mut c, init) = LspClient::initialized(&[&basic], json!({}), json!({}));
    let folders = &init["capabilities"]["workspace"]["workspaceFolders"];
    assert_eq!(folders["supported"], true);
    assert_eq!(folders["changeNotifications"], true);
    let other = file_uri(&unicode.join("app/main.py"));
    assert!(!c.diagnostics.contains_key(&other));

    let folder = json!({"uri": file_uri(&unicode), "name": "unicode"});
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [folder], "removed": []}}),
    );
    let added = c.diagnostics_until(&other, |d| !d.is_empty());
    assert!(codes(&added).contains(&"DK001".to_owned()), "{added:#?}");
    // The scan of the new folder reported its progress under a token of its own.
    let ends = c
        .received
        .iter()
        .filter(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end")
        .count();
    assert_eq!(ends, 2);
    let report = c
        .request(
            "workspace/executeCommand",
            json!({"command": "shipready.report", "arguments": [file_uri(&unicode)]}),
        )
        .unwrap_or(Value::Null);
    assert!(report["root"]
        .as_str()
        .is_some_and(|r| r.ends_with("lsp-unicode")));

    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [folder]}}),
    );
    c.diagnostics_until(&other, |d| d.is_empty());
    // The first folder is untouched.
    let main = c
        .diagnostics
        .get(&file_uri(&basic.join("app/main.py")))
        .and_then(|p| p["diagnostics"].as_array())
        .cloned()
        .unwrap_or_default();
    assert!(codes(&main).contains(&"HC001".to_owned()));
}

#[test]
fn scores_name_each_folder_by_the_uri_the_client_sent() {
    let basic = fixture("lsp-basic");
    let unicode = fixture("lsp-unicode");
    // The first folder as VS Code sends it, without a trailing slash.
    let (mut c, _) = LspClient::handshake(&[&basic], json!({}), json!({}));
    let first = c.wait_for("shipready/score", |_| true);
    assert_eq!(first["root"], file_uri(&basic));
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": file_uri(&basic.join("Dockerfile"))}}),
        )
        .unwrap_or(Value::Null);
    assert_eq!(lenses[0]["command"]["arguments"][0], file_uri(&basic));

    // A folder added later, this time with a trailing slash: kept as sent too.
    let with_slash = format!("{}/", file_uri(&unicode));
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": with_slash, "name": "unicode"}], "removed": []}}),
    );
    c.wait_for("shipready/score", |p| p["root"] == with_slash.as_str());
}
