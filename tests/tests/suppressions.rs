//! Inline suppressions end to end (`tests/fixtures/suppressions`): a `# shipready: ignore[DK004] reason` above
//! the `FROM` line and a file-level `ignore-file[HC00]` accept their gaps, which the CLI reports as suppressed
//! (still costing their points) and the language server does not show; a comment that accepts nothing is
//! reported as unused; and the "Ignore ... on this line" code action writes a comment that makes the gap go.

use serde_json::{json, Value};
use shipready_e2e::cli::{check_json, fixture};
use shipready_e2e::lsp_client::{apply_edits, codes, copy_fixture, file_uri, find, LspClient};

fn suppressed(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| !f["suppressed"].is_null())
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["suppressed"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_cli_reports_suppressed_and_unused_suppressions_and_keeps_the_score() {
    let report = check_json(&fixture("suppressions"), "standard");
    let found = suppressed(&report);
    let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["DK004", "HC001", "HC003"]);
    assert_eq!(
        found[0].1,
        "the release pipeline pins this tag to a digest before building"
    );
    let unused = report["unused_suppressions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(unused.len(), 1, "{unused:#?}");
    assert_eq!(unused[0]["codes"], json!(["HC002"]));
    assert_eq!(unused[0]["range"]["start"]["line"], 3);
    // Suppressing accepts a gap, it does not close it: DK004 still fails and costs its points.
    let dk004 = report["units"][0]["categories"][0]["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|k| k["code"] == "DK004")
        .map(|k| k["status"].clone());
    assert_eq!(dk004, Some(json!("fail")));
}

#[test]
fn the_editor_hides_suppressed_gaps_flags_unused_comments_and_offers_to_ignore_a_gap() {
    let dir = copy_fixture("suppressions");
    let root = dir.path();
    let (mut c, _) = LspClient::initialized(&[root], json!({}), json!({}));
    let docker = file_uri(&root.join("Dockerfile"));
    let diags = c.diagnostics_until(&docker, |d| !d.is_empty());
    let shown = codes(&diags);
    assert!(!shown.contains(&"DK004".to_owned()), "{shown:?}");
    let unused = find(&diags, "unused-suppression");
    assert_eq!(unused["range"]["start"]["line"], 2);
    assert_eq!(unused["tags"], json!([1]));
    let main = file_uri(&root.join("app/main.py"));
    let on_main = c
        .diagnostics
        .get(&main)
        .and_then(|p| p["diagnostics"].as_array().cloned())
        .unwrap_or_default();
    assert!(
        !codes(&on_main).iter().any(|c| c.starts_with("HC00")),
        "{on_main:#?}"
    );

    // "Ignore DK002 on this line" writes the comment above the FROM line; the gap then goes.
    let dk002 = find(&diags, "DK002").clone();
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": docker}, "range": dk002["range"],
                   "context": {"diagnostics": [dk002], "only": ["quickfix"]}}),
        )
        .ok()
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default();
    let ignore = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Ignore DK002"))
        })
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(ignore["isPreferred"], false, "{actions:#?}");
    let edits = ignore["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let text = std::fs::read_to_string(root.join("Dockerfile")).unwrap_or_default();
    let after = apply_edits(&text, &edits, false);
    assert_eq!(
        after.lines().nth(1),
        Some("# shipready: ignore[DK002] <why this gap is accepted>")
    );
    assert_eq!(
        after.replace(
            "# shipready: ignore[DK002] <why this gap is accepted>\n",
            ""
        ),
        text
    );
    std::fs::write(root.join("Dockerfile"), &after).unwrap_or_default();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": docker, "type": 2}]}),
    );
    c.diagnostics_until(&docker, |d| !codes(d).contains(&"DK002".to_owned()));
}
