//! `shipready lsp` end to end while editing: incremental changes with cross-file effects, UTF-8 and UTF-16
//! clients on non-ASCII text, quick fixes applied and re-checked, and the score notification.

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{apply_edits, codes, file_uri, find, LspClient};

const ROUTES: &str = "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get(\"/users\")\ndef users():\n    return []\n";
const HEALTH: &str =
    "\n\n@router.get(\"/health\")\ndef health():\n    return {\"status\": \"ok\"}\n";

fn uri(fixture_name: &str, rel: &str) -> String {
    file_uri(&fixture(fixture_name).join(rel))
}

#[test]
fn adding_a_health_route_in_one_file_clears_gaps_in_another() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = uri("lsp-basic", "app/main.py");
    let routes = uri("lsp-basic", "app/routes.py");
    let before = c.diagnostics_until(&main, |d| !d.is_empty());
    assert!(codes(&before).contains(&"HC001".to_owned()));

    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": routes, "languageId": "python", "version": 1, "text": ROUTES}}),
    );
    // Type the route at the end of the file (line 8), in two changes of one notification.
    let end = json!({"line": 8, "character": 0});
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": routes, "version": 2},
            "contentChanges": [
                {"range": {"start": end, "end": end}, "text": &HEALTH[..20]},
                {"range": {"start": {"line": 10, "character": 18}, "end": {"line": 10, "character": 18}}, "text": &HEALTH[20..]},
            ]
        }),
    );
    let after = c.diagnostics_until(&main, |d| !codes(d).contains(&"HC001".to_owned()));
    assert!(!codes(&after).contains(&"HC003".to_owned()), "{after:#?}");
    // The open buffer's diagnostics carry its version; HC004 now points at the new health route.
    let on_routes = c.diagnostics_until(&routes, |d| codes(d).contains(&"HC004".to_owned()));
    assert_eq!(find(&on_routes, "HC004")["range"]["start"]["line"], 10);
    assert_eq!(c.diagnostics[&routes]["version"], 2);

    // The score went up and was announced.
    let score = c.wait_for("shipready/score", |p| p["overall"].as_f64() > Some(38.84));
    assert_eq!(score["overall"], 43.84);

    // Hovering the health route says what it earns.
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": routes}, "position": {"line": 10, "character": 3}}),
        )
        .unwrap_or(Value::Null);
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.contains("satisfies HC001: worth 2.5 points of the overall score"),
        "{text}"
    );

    // Closing the buffer reverts to the file on disk: the gap is back.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": routes}}),
    );
    c.diagnostics_until(&main, |d| codes(d).contains(&"HC001".to_owned()));
}

fn unicode_range(encoding: &str) -> Value {
    let root = fixture("lsp-unicode");
    let caps = json!({"general": {"positionEncodings": [encoding]}});
    let (mut c, init) = LspClient::initialized(&[&root], caps, json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], encoding);
    let main = uri("lsp-unicode", "app/main.py");
    let d = c.diagnostics_until(&main, |d| !d.is_empty());
    find(&d, "HC001")["range"].clone()
}

#[test]
fn columns_after_non_ascii_text_follow_the_negotiated_encoding() {
    // Line 4 is `ÉTAT = "prêt 𝄞"; app = FastAPI()`: 22 UTF-8 bytes or 18 UTF-16 units before `app`.
    assert_eq!(
        unicode_range("utf-8"),
        json!({"start": {"line": 3, "character": 22}, "end": {"line": 3, "character": 37}})
    );
    assert_eq!(
        unicode_range("utf-16"),
        json!({"start": {"line": 3, "character": 18}, "end": {"line": 3, "character": 33}})
    );
}

#[test]
fn utf16_edits_after_non_ascii_text_land_where_the_client_meant() {
    let root = fixture("lsp-unicode");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = uri("lsp-unicode", "app/main.py");
    let text = std::fs::read_to_string(root.join("app/main.py")).unwrap_or_default();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": text}}),
    );
    // Insert `x = 1; ` right before `app` (UTF-16 column 18): the finding moves 7 units right.
    let at = json!({"line": 3, "character": 18});
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2},
               "contentChanges": [{"range": {"start": at, "end": at}, "text": "x = 1; "}]}),
    );
    let d = c.diagnostics_until(&main, |d| {
        d.iter()
            .any(|x| x["code"] == "HC001" && x["range"]["start"]["character"] == 25)
    });
    assert_eq!(find(&d, "HC001")["range"]["end"]["character"], 40);
}

#[test]
fn a_quick_fix_applied_and_sent_back_closes_its_gap() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = uri("lsp-basic", "app/main.py");
    let text = std::fs::read_to_string(root.join("app/main.py")).unwrap_or_default();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": text}}),
    );
    let diags = c.diagnostics_until(&main, |d| !d.is_empty());
    let hc001 = find(&diags, "HC001").clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": main}, "range": hc001["range"],
                   "context": {"diagnostics": [hc001], "only": ["quickfix"]}}),
        )
        .unwrap_or(Value::Null);
    let action = actions
        .as_array()
        .and_then(|a| a.iter().find(|x| x["kind"] == "quickfix"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(action["isPreferred"], true, "{actions:#}");
    let changes = action["edit"]["documentChanges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ours: Vec<&Value> = changes
        .iter()
        .filter(|c| c["textDocument"]["uri"] == main)
        .collect();
    assert_eq!(ours.len(), 1, "{action:#}");
    assert_eq!(ours[0]["textDocument"]["version"], 1);
    let edits = ours[0]["edits"].as_array().cloned().unwrap_or_default();
    let fixed = apply_edits(&text, &edits, false);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = c.diagnostics_until(&main, |d| !codes(d).contains(&"HC001".to_owned()));
    assert!(!codes(&after).contains(&"HC003".to_owned()), "{after:#?}");

    // Nothing left to fix the same way: no quick fix for HC001 any more, and fix-all has nothing safe left
    // for this gap.
    let again = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": main}, "range": hc001_range(), "context": {"diagnostics": []}}),
        )
        .unwrap_or(Value::Null);
    let titles: Vec<&str> = again
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["title"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        !titles
            .iter()
            .any(|t| t.to_lowercase().contains("health endpoint")),
        "{titles:?}"
    );
}

fn hc001_range() -> Value {
    json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 15}})
}

#[test]
fn fix_all_applies_the_safe_fixes_of_a_file() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let main = uri("lsp-basic", "app/main.py");
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": main}, "range": hc001_range(),
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .unwrap_or(Value::Null);
    let all = actions.as_array().cloned().unwrap_or_default();
    assert_eq!(all.len(), 1, "{actions:#}");
    assert_eq!(all[0]["kind"], "source.fixAll.shipready");
    assert!(all[0]["edit"]["documentChanges"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
}

#[test]
fn an_edit_that_changes_no_findings_elsewhere_republishes_only_the_edited_buffer() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let routes = uri("lsp-basic", "app/routes.py");
    c.diagnostics_until(&uri("lsp-basic", "app/main.py"), |d| !d.is_empty());
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": routes, "languageId": "python", "version": 1, "text": ROUTES}}),
    );
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == routes.as_str() && p["version"] == 1
    });
    c.received.clear();
    // Two comment edits: the second one's publication comes after every publication of the first.
    for version in [2, 3] {
        let end = json!({"line": 8, "character": 0});
        c.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": routes, "version": version},
                "contentChanges": [{"range": {"start": end, "end": end}, "text": "# note\n"}]
            }),
        );
    }
    c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == routes.as_str() && p["version"] == 3
    });
    let others: Vec<&Value> = c
        .received
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] != routes.as_str()
        })
        .collect();
    assert!(others.is_empty(), "{others:#?}");
    assert!(!c.received.iter().any(|m| m["method"] == "shipready/score"));
}
