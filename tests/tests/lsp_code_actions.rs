//! `shipready lsp` end to end on code actions: a fix several findings share is offered once and names every
//! diagnostic it resolves, fix-all applies each edit once, and diagnostics older than the buffer never bring
//! edits computed for other text.

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{apply_edits, codes, copy_fixture, file_uri, LspClient};

/// The code actions offered for `diagnostics` (all sent as the request's context) over their first range.
fn actions(c: &mut LspClient, uri: &str, diagnostics: &[Value], only: &str) -> Vec<Value> {
    let range = diagnostics
        .first()
        .map(|d| d["range"].clone())
        .unwrap_or(Value::Null);
    let answer = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range,
               "context": {"diagnostics": diagnostics, "only": [only]}}),
    );
    answer
        .ok()
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default()
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions.iter().filter_map(|a| a["title"].as_str()).collect()
}

/// The action titled like `prefix`, which must be offered exactly once.
fn single<'a>(actions: &'a [Value], prefix: &str) -> &'a Value {
    let matching: Vec<&Value> = actions
        .iter()
        .filter(|a| a["title"].as_str().is_some_and(|t| t.starts_with(prefix)))
        .collect();
    assert_eq!(matching.len(), 1, "{:?}", titles(actions));
    matching[0]
}

#[test]
fn a_fix_shared_by_several_findings_is_offered_once_for_all_of_them() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));

    // HC001 and HC003 both ask for the health route on `app = FastAPI()`.
    let main = file_uri(&root.join("app/main.py"));
    let diags = c.diagnostics_until(&main, |d| codes(d).contains(&"HC003".to_owned()));
    let at_app: Vec<Value> = diags
        .iter()
        .filter(|d| d["range"] == diags[0]["range"])
        .cloned()
        .collect();
    assert!(codes(&at_app).contains(&"HC001".to_owned()), "{diags:#?}");
    let offered = actions(&mut c, &main, &at_app, "quickfix");
    let health = single(&offered, "Add a GET /health health endpoint");
    let resolved = health["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        resolved.len(),
        1,
        "one diagnostic for the missing route: {resolved:#?}"
    );
    assert_eq!(codes(&resolved), vec!["HC001", "HC003"]);
    assert_eq!(health["isPreferred"], true);
    let mut unique = titles(&offered);
    unique.dedup();
    assert_eq!(unique.len(), offered.len(), "{unique:?}");

    // GD002's missing Rollback section is RB001's and RB002's finding too: one diagnostic for the three.
    let guide = file_uri(&root.join("DEPLOYMENT.md"));
    let diags = c.diagnostics_until(&guide, |d| codes(d).contains(&"RB001".to_owned()));
    let offered = actions(&mut c, &guide, &diags, "quickfix");
    let rollback = single(&offered, "Add a Rollback section");
    let resolved = rollback["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(resolved.len(), 1, "{resolved:#?}");
    assert_eq!(codes(&resolved), vec!["GD002", "RB001", "RB002"]);
    let message = resolved[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("The same fix closes"), "{message}");
}

#[test]
fn fix_all_adds_a_shared_fix_once() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    let text = std::fs::read_to_string(root.join("app/main.py")).unwrap_or_default();
    let diags = c.diagnostics_until(&main, |d| codes(d).contains(&"HC003".to_owned()));
    let offered = actions(&mut c, &main, &diags, "source.fixAll");
    let all = single(&offered, "shipready: apply all safe fixes");
    let edits: Vec<Value> = all["edit"]["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["textDocument"]["uri"] == main.as_str())
        .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
        .collect();
    let fixed = apply_edits(&text, &edits, false);
    assert_eq!(fixed.matches("@app.get(\"/health\")").count(), 1, "{fixed}");
}

/// The diagnostics of `code` whose message contains `words`.
fn pick(diagnostics: &[Value], code: &str, words: &str) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == code && d["message"].as_str().is_some_and(|m| m.contains(words)))
        .cloned()
        .collect()
}

#[test]
fn diagnostics_older_than_the_buffer_get_the_fix_for_the_current_text() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = file_uri(&root.join("app/main.py"));
    let text = std::fs::read_to_string(root.join("app/main.py")).unwrap_or_default();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": text}}),
    );
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == main.as_str() && p["version"] == 1
    });
    let old = c.diagnostics_until(&main, |d| codes(d).contains(&"HC003".to_owned()));
    // A line typed at the top moves the app statement, and so where the health route goes.
    let top = json!({"line": 0, "character": 0});
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2},
               "contentChanges": [{"range": {"start": top, "end": top}, "text": "# The API.\n"}]}),
    );
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == main.as_str() && p["version"] == 2
    });
    let new = c.diagnostics_until(&main, |d| codes(d).contains(&"HC003".to_owned()));
    let current = single(
        &actions(&mut c, &main, &pick(&new, "HC001", ""), "quickfix"),
        "Add a GET /health",
    )
    .clone();

    // The client asks with its version 1 diagnostics, over the app statement where it is now.
    let mut stale = pick(&old, "HC001", "");
    stale.extend(pick(&old, "HC003", ""));
    let range = pick(&new, "HC001", "")[0]["range"].clone();
    for d in &mut stale {
        d["range"] = range.clone();
    }
    let offered = actions(&mut c, &main, &stale, "quickfix");
    let health = single(&offered, "Add a GET /health");
    assert_eq!(health["edit"], current["edit"]);
    // The diagnostics it resolves are the current ones.
    let resolved = health["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        resolved.len(),
        1,
        "one diagnostic for the missing route: {resolved:#?}"
    );
    assert_eq!(codes(&resolved), vec!["HC001", "HC003"]);
    assert!(
        resolved.iter().all(|d| d["data"]["version"] == 2),
        "{resolved:#?}"
    );
}

#[test]
fn diagnostics_of_a_file_changed_on_disk_since_get_the_fix_for_its_new_text() {
    let dir = copy_fixture("lsp-basic");
    let root = dir.path();
    let (mut c, _) = LspClient::initialized(&[root], json!({}), json!({}));
    let guide = file_uri(&root.join("DEPLOYMENT.md"));
    let old = c.diagnostics_until(&guide, |d| codes(d).contains(&"GD002".to_owned()));
    let old = pick(&old, "GD002", "Local Setup");
    assert_eq!(old.len(), 1, "{old:#?}");

    // The guide gains an introduction on disk: every section moves down.
    let text = std::fs::read_to_string(root.join("DEPLOYMENT.md")).unwrap_or_default();
    let moved = text.replacen("\n\n", "\n\nHow to ship the API.\n\n", 1);
    std::fs::write(root.join("DEPLOYMENT.md"), &moved).unwrap_or_default();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": guide, "type": 2}]}),
    );
    let new = c.diagnostics_until(&guide, |d| {
        pick(d, "GD002", "Local Setup")
            .first()
            .is_some_and(|x| x["data"] != old[0]["data"])
    });
    let new = pick(&new, "GD002", "Local Setup");
    let current = single(
        &actions(&mut c, &guide, &new, "quickfix"),
        "Add a Local Setup",
    )
    .clone();
    let offered = actions(&mut c, &guide, &old, "quickfix");
    let fix = single(&offered, "Add a Local Setup");
    assert_eq!(fix["edit"], current["edit"]);
    let edits: Vec<Value> = fix["edit"]["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
        .collect();
    let fixed = apply_edits(&moved, &edits, false);
    assert!(fixed.contains("How to ship the API.\n\n"), "{fixed}");
}
