//! `shipready lsp` end to end on code actions: a fix several findings share is offered once and names every
//! diagnostic it resolves, fix-all applies each edit once, and diagnostics older than the buffer never bring
//! edits computed for other text.

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{apply_edits, codes, file_uri, LspClient};

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
    assert_eq!(codes(&resolved), vec!["HC001", "HC003"]);
    assert_eq!(health["isPreferred"], true);
    let mut unique = titles(&offered);
    unique.dedup();
    assert_eq!(unique.len(), offered.len(), "{unique:?}");

    // GD002's missing Rollback section is RB001's finding too.
    let guide = file_uri(&root.join("DEPLOYMENT.md"));
    let diags = c.diagnostics_until(&guide, |d| codes(d).contains(&"RB001".to_owned()));
    let offered = actions(&mut c, &guide, &diags, "quickfix");
    let rollback = single(&offered, "Add a Rollback section");
    let resolved = rollback["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(codes(&resolved), vec!["GD002", "RB001"]);
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
