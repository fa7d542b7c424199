//! `shipready lsp` end to end: diagnostics for every file with findings after the scan, with exact ranges,
//! rule links, severities, fixes in `data`; hovers with point figures; lenses, the report command and the
//! score notification; configured severities.

use serde_json::{json, Value};
use shipready_e2e::cli::fixture;
use shipready_e2e::lsp_client::{codes, file_uri, find, LspClient};

fn uri(rel: &str) -> String {
    file_uri(&fixture("lsp-basic").join(rel))
}

#[test]
fn every_file_with_findings_gets_diagnostics_with_exact_ranges() {
    let root = fixture("lsp-basic");
    let (mut c, init) = LspClient::initialized(&[&root], json!({}), json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);

    let main = c.diagnostics_until(&uri("app/main.py"), |d| !d.is_empty());
    // OB001: the app exports no metrics (observability, standard profile).
    assert_eq!(codes(&main), ["HC001", "HC003", "HC004", "OB001"]);
    let hc001 = find(&main, "HC001");
    // `app = FastAPI()` on line 5 (0-based 4).
    assert_eq!(
        hc001["range"],
        json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 15}})
    );
    assert_eq!(hc001["source"], "shipready");
    assert_eq!(hc001["severity"], 1, "CRITICAL maps to Error");
    assert_eq!(
        hc001["codeDescription"]["href"],
        "https://github.com/shipready/shipready/blob/main/docs/rules/HC001.md"
    );
    assert_eq!(hc001["data"]["code"], "HC001");
    assert!(hc001["message"]
        .as_str()
        .is_some_and(|m| m.contains("health")));

    let docker = c.diagnostics_until(&uri("Dockerfile"), |d| !d.is_empty());
    assert_eq!(
        codes(&docker),
        ["CI001", "DK002", "DK003", "HC002", "SC001"]
    );
    assert_eq!(
        find(&docker, "DK003")["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 16}})
    );
    let guide = c.diagnostics_until(&uri("DEPLOYMENT.md"), |d| !d.is_empty());
    assert!(codes(&guide).contains(&"RB001".to_owned()), "{guide:#?}");

    // The scan announced itself with $/progress and registered the file watchers.
    assert!(c.received.iter().any(|m| m["method"] == "$/progress"
        && m["params"]["value"]["kind"] == "end"
        && m["params"]["value"]["message"]
            .as_str()
            .is_some_and(|s| s.contains("files"))));
    assert!(c
        .received
        .iter()
        .any(|m| m["method"] == "client/registerCapability"
            && m["params"]["registrations"][0]["method"] == "workspace/didChangeWatchedFiles"));
}

#[test]
fn hovers_say_what_a_gap_costs_and_what_a_route_earns() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let hover = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri("app/main.py")}, "position": {"line": 4, "character": 2}}),
        )
        .unwrap_or(Value::Null);
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(text.contains("HC001"), "{text}");
    assert!(text.contains("Worth **2.5 points**"), "{text}");
    assert!(
        text.contains("Fixing this takes the workspace from 38.84 Significant Work Required to 41.34 Significant Work Required"),
        "{text}"
    );
    assert!(
        text.contains("Health Check Endpoints (now 0.0/100)"),
        "{text}"
    );

    // Off any construct: no hover.
    let none = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri("app/main.py")}, "position": {"line": 1, "character": 0}}),
    );
    assert_eq!(none, Ok(Value::Null));
}

#[test]
fn lenses_report_command_and_score_notification() {
    let root = fixture("lsp-basic");
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), json!({}));
    let score = c
        .received
        .iter()
        .chain(std::iter::empty())
        .find(|m| m["method"] == "shipready/score")
        .cloned();
    // The first score was consumed by `initialized`; the report tells the same number.
    assert!(score.is_none());
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri("Dockerfile")}}),
        )
        .unwrap_or(Value::Null);
    let titles: Vec<&str> = lenses
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l["command"]["title"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        titles.first().copied(),
        Some("Readiness 38.84/100 - Significant Work Required")
    );
    assert!(
        titles.get(1).is_some_and(|t| t.contains("Docker 50.0")),
        "{titles:?}"
    );
    assert_eq!(
        lenses[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );

    // No lens on a file that is neither guide, Dockerfile nor main app.
    let none = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri("app/routes.py")}}),
        )
        .unwrap_or(Value::Null);
    assert_eq!(none, json!([]));

    let report = c
        .request(
            "workspace/executeCommand",
            json!({"command": "shipready.report", "arguments": [file_uri(&root)]}),
        )
        .unwrap_or(Value::Null);
    assert_eq!(report["overall"], 38.84);
    assert_eq!(report["schema_version"], 1);
    let unknown = c.request(
        "workspace/executeCommand",
        json!({"command": "rm -rf", "arguments": []}),
    );
    assert!(unknown.is_err());
}

#[test]
fn severities_follow_the_configuration() {
    let root = fixture("lsp-basic");
    let options = json!({"severities": {"HC001": "hint", "HC004": "information", "low": "off"}});
    let (mut c, _) = LspClient::initialized(&[&root], json!({}), options);
    let main = c.diagnostics_until(&uri("app/main.py"), |d| !d.is_empty());
    assert_eq!(find(&main, "HC004")["severity"], 3);
    // HC001 and HC003 are one missing health route, one diagnostic: the most severe of the two as
    // configured (HC003, HIGH, an error) speaks for it.
    let route = find(&main, "HC001");
    assert_eq!(route["code"], "HC003");
    assert_eq!(route["severity"], 1);
    let guide = c.diagnostics_until(&uri("DEPLOYMENT.md"), |d| !d.is_empty());
    assert!(
        !codes(&guide).contains(&"GD006".to_owned()),
        "LOW is off: {guide:#?}"
    );

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"shipready": {"severities": {"HC004": "warning"}}}}),
    );
    let main = c.diagnostics_until(&uri("app/main.py"), |d| {
        d.iter().any(|x| x["code"] == "HC004" && x["severity"] == 2)
    });
    assert_eq!(find(&main, "HC001")["severity"], 1);
    let guide = c.diagnostics_until(&uri("DEPLOYMENT.md"), |d| {
        codes(d).contains(&"GD006".to_owned())
    });
    assert_eq!(
        find(&guide, "GD006")["severity"],
        3,
        "LOW maps to Information again"
    );
}
