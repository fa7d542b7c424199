//! `shipready lsp` on a workspace of several deployable units (`tests/fixtures/units-two`: an API image, a
//! Python CDK app, a CLI image, plus a dev container and an archived image that are set aside): diagnostics
//! per unit, hovers that name the unit whose score a fix moves, a score notification per unit that an editor
//! picks by the active file's folder, and code lenses with the unit's score.

use serde_json::{json, Value};
use shipready_e2e::cli::{check_json, fixture};
use shipready_e2e::lsp_client::{codes, copy_fixture, file_uri, find, LspClient};

fn unit_overall(report: &Value, name: &str) -> f64 {
    report["units"]
        .as_array()
        .and_then(|units| units.iter().find(|u| u["name"] == name))
        .and_then(|u| u["overall"].as_f64())
        .unwrap_or(-1.0)
}

fn hover_text(c: &mut LspClient, uri: &str, at: &Value) -> String {
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .unwrap_or(Value::Null);
    hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn each_unit_has_its_own_diagnostics_hovers_scores_and_lenses() {
    let report = check_json(&fixture("units-two"), "standard");
    let (api, billing) = (
        unit_overall(&report, "api"),
        unit_overall(&report, "billing"),
    );
    assert!(api >= 0.0 && billing >= 0.0, "{report:#}");

    let dir = copy_fixture("units-two");
    let root = dir.path();
    let (mut c, _) = LspClient::handshake(&[root], json!({}), json!({}));
    let main = file_uri(&root.join("api/app/main.py"));
    let cdk_app = file_uri(&root.join("billing/app.py"));
    let cli = file_uri(&root.join("tools/reportgen/Dockerfile"));

    // Diagnostics per unit: the API lacks a health route, the CDK app has few stacks, the CLI image gets no
    // health-check gap, and the set-aside images get nothing at all.
    let api_diags = c.diagnostics_until(&main, |d| !d.is_empty());
    assert!(codes(&api_diags).contains(&"HC001".to_owned()));
    let cdk_diags = c.diagnostics_until(&cdk_app, |d| !d.is_empty());
    assert!(codes(&cdk_diags).contains(&"CD003".to_owned()));
    let cli_diags = c.diagnostics_until(&cli, |d| !d.is_empty());
    assert!(!codes(&cli_diags).iter().any(|c| c.starts_with("HC")));
    assert!(!c
        .diagnostics
        .contains_key(&file_uri(&root.join(".devcontainer/Dockerfile"))));

    // Hovers say which unit's score a fix moves, with that unit's numbers.
    let hc001 = find(&api_diags, "HC001");
    let text = hover_text(&mut c, &main, &hc001["range"]["start"]);
    assert!(
        text.contains(&format!("Fixing this takes unit `api` from {api}")),
        "{text}"
    );
    let cd003 = find(&cdk_diags, "CD003");
    let text = hover_text(&mut c, &cdk_app, &cd003["range"]["start"]);
    assert!(
        text.contains(&format!("Fixing this takes unit `billing` from {billing}")),
        "{text}"
    );

    // A score per unit, named by the unit's folder, beside the folder's own (the mean).
    let api_root = file_uri(&root.join("api"));
    let score = c.wait_for("shipready/score", |p| p["unit"] == "api");
    assert_eq!(score["root"], api_root.as_str());
    assert_eq!(score["overall"].as_f64(), Some(api));
    let folder = c.wait_for("shipready/score", |p| {
        p.get("unit").is_none() && p["root"] == file_uri(root).as_str()
    });
    assert_eq!(folder["overall"], report["overall"]);

    // The lens above the API's Dockerfile shows the API's score.
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": file_uri(&root.join("api/Dockerfile"))}}),
        )
        .unwrap_or(Value::Null);
    let title = lenses[0]["command"]["title"].as_str().unwrap_or_default();
    assert!(title.ends_with("· unit api"), "{lenses}");
    assert!(title.contains(&format!("Readiness {api}")), "{title}");

    // Fixing the API's gap moves the API's score (and the mean), not the CDK app's.
    let first = c.wait_for("shipready/score", |p| p["unit"] == "billing");
    assert_eq!(first["overall"].as_f64(), Some(billing));
    let text = std::fs::read_to_string(root.join("api/app/main.py")).unwrap_or_default();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "python", "version": 1, "text": text}}),
    );
    let end = text.lines().count();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{
            "range": {"start": {"line": end, "character": 0}, "end": {"line": end, "character": 0}},
            "text": "\n\n@app.get(\"/health\")\nasync def health() -> dict[str, str]:\n    return {\"status\": \"ok\"}\n"
        }]}),
    );
    let after = c.wait_for("shipready/score", |p| {
        p["unit"] == "api" && p["overall"].as_f64() > Some(api)
    });
    assert_eq!(after["root"], api_root.as_str());
    c.diagnostics_until(&main, |d| !codes(d).contains(&"HC001".to_owned()));
    assert!(!c
        .received
        .iter()
        .any(|m| { m["method"] == "shipready/score" && m["params"]["unit"] == "billing" }));
}
