//! The configuration end to end through the binary: `shipready.toml` and `[tool.shipready]` in `pyproject.toml`
//! change the profile, rules, severities, categories, roles, units and files the audit sees; mistakes are usage
//! errors naming file, line and column; `shipready init` writes a configuration that audits the same.

use std::path::Path;

use serde_json::Value;
use shipready_e2e::cli::{fixture, shipready};

/// A copy of the `units-two` fixture with `config` written as `name`.
fn workspace_with(name: &str, config: &str) -> tempfile::TempDir {
    let dir = shipready_e2e::lsp_client::copy_fixture("units-two");
    std::fs::write(dir.path().join(name), config).unwrap_or_default();
    dir
}

fn check(dir: &Path, extra: &[&str]) -> Value {
    let path = dir.to_string_lossy();
    let mut args = vec!["check", &*path, "--format", "json"];
    args.extend_from_slice(extra);
    let run = shipready(&args);
    assert_eq!(run.code, Some(0), "{run:#?}");
    run.json()
}

fn codes(report: &Value) -> Vec<String> {
    let mut c: Vec<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str().map(str::to_owned))
        .collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn the_configuration_changes_what_the_audit_sees() {
    let plain = check(&fixture("units-two"), &[]);
    let config = r#"
profile = "standard"
[categories.rollback]
enabled = false
[rules]
ignore = ["GD"]
severity = { HC001 = "low" }
[roles]
archived = ["tools/**"]
[[units]]
name = "orders"
paths = ["api"]
"#;
    let dir = workspace_with("shipready.toml", config);
    let r = check(dir.path(), &[]);
    let found = codes(&r);
    assert!(
        !found
            .iter()
            .any(|c| c.starts_with("GD") || c.starts_with("RB")),
        "{found:?}"
    );
    let hc001 = r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["code"] == "HC001")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(hc001["severity"], "LOW");
    let names: Vec<&str> = r["units"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names, ["billing", "orders"]);
    assert!(r["set_aside"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|s| s["path"] == "tools/reportgen/Dockerfile" && s["role"] == "archived"));
    // Switching checks off takes them out of the score instead of failing them.
    assert_ne!(r["overall"], plain["overall"]);
    let rollback = r["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == "rollback")
        .cloned()
        .unwrap_or(Value::Null);
    assert!(rollback["score"].is_null(), "{rollback:#}");
}

#[test]
fn pyproject_tool_shipready_is_read_and_the_command_line_profile_wins() {
    let dir = workspace_with(
        "pyproject.toml",
        "[project]\nname = \"acme\"\n\n[tool.shipready]\nprofile = \"seed\"\n[files]\n",
    );
    // `[files]` after `[tool.shipready]` is a top-level table of pyproject.toml, not shipready's: fine.
    let r = check(dir.path(), &[]);
    assert_eq!(r["profile"], "seed");
    let r = check(dir.path(), &["--profile", "standard"]);
    assert_eq!(r["profile"], "standard");
}

#[test]
fn a_mistake_is_a_usage_error_at_its_place() {
    let dir = workspace_with("shipready.toml", "[rules]\nignore = [\"GD\", \"ZZ01\"]\n");
    let path = dir.path().to_string_lossy().into_owned();
    let run = shipready(&["check", &path]);
    assert_eq!(run.code, Some(2), "{run:#?}");
    assert!(
        run.stderr
            .contains("shipready.toml:2:17: `ZZ01` names no rule"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn init_writes_a_configuration_that_audits_the_same_and_never_overwrites() {
    let dir = shipready_e2e::lsp_client::copy_fixture("units-two");
    let path = dir.path().to_string_lossy().into_owned();
    let before = check(dir.path(), &[]);
    let run = shipready(&["init", &path]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    let text = std::fs::read_to_string(dir.path().join("shipready.toml")).unwrap_or_default();
    assert!(
        text.contains("name = \"billing\"\npaths = [\"billing\"]"),
        "{text}"
    );
    let after = check(dir.path(), &[]);
    assert_eq!(after["overall"], before["overall"]);
    let again = shipready(&["init", &path]);
    assert_eq!(again.code, Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("shipready.toml")).unwrap_or_default(),
        text
    );
}

#[test]
fn the_language_server_shows_configuration_errors_and_reloads_the_file() {
    use serde_json::json;
    use shipready_e2e::lsp_client::{codes, file_uri, LspClient};
    let dir = workspace_with("shipready.toml", "[rules]\nignore = [\"GD\"]\nselect = 3\n");
    let root = dir.path();
    let (mut c, _) = LspClient::initialized(&[root], json!({}), json!({}));
    let config = file_uri(&root.join("shipready.toml"));
    let shown = c.diagnostics_until(&config, |d| !d.is_empty());
    assert_eq!(shown[0]["code"], "invalid-configuration");
    assert_eq!(shown[0]["range"]["start"]["line"], 2);
    // Meanwhile the defaults apply: the guide rules still run.
    let docker = file_uri(&root.join("api/Dockerfile"));
    c.diagnostics_until(&docker, |d| codes(d).iter().any(|c| c.starts_with("GD")));

    std::fs::write(root.join("shipready.toml"), "[rules]\nignore = [\"GD\"]\n").unwrap_or_default();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config, "type": 2}]}),
    );
    c.diagnostics_until(&config, |d| d.is_empty());
    c.diagnostics_until(&docker, |d| {
        !d.is_empty() && !codes(d).iter().any(|c| c.starts_with("GD"))
    });
}

#[test]
fn a_sub_folder_configuration_applies_to_the_units_below_it() {
    // The root's configuration for the workspace; api/'s own file switches the health rules off for api only.
    let dir = workspace_with("shipready.toml", "[rules]\nignore = [\"GD\"]\n");
    std::fs::write(
        dir.path().join("api/shipready.toml"),
        "[categories.health]\nenabled = false\n",
    )
    .unwrap_or_default();
    let r = check(dir.path(), &[]);
    let of_unit = |name: &str| -> Vec<String> {
        r["units"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|u| u["name"] == name)
            .flat_map(|u| u["findings"].as_array().cloned().unwrap_or_default())
            .filter_map(|f| f["code"].as_str().map(str::to_owned))
            .collect()
    };
    let api = of_unit("api");
    assert!(!api.iter().any(|c| c.starts_with("HC")), "{api:?}");
    // The nearest file wins: api/'s does not ignore the guide rules (the root's does, for the other units).
    assert!(api.iter().any(|c| c.starts_with("GD")), "{api:?}");
    let billing = of_unit("billing");
    assert!(!billing.iter().any(|c| c.starts_with("GD")), "{billing:?}");
}
