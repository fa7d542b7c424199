//! A file whose parse runs past the parse time budget is cut off and says so: `shipready check` lists it among
//! the files it skipped, with the reason, and the language server shows an information diagnostic on it
//! (`parse-budget`) instead of silently showing nothing. The budget is 5 s; `SHIPREADY_PARSE_BUDGET_MS` sets
//! it (here 0, so that every parse long enough to report progress is cut off).

use std::path::Path;

use serde_json::json;
use shipready_e2e::cli::shipready_env;
use shipready_e2e::lsp_client::{codes, file_uri, find, LspClient};

/// A workspace with a Dockerfile, a compose file and a FastAPI app, each long enough for tree-sitter to
/// report progress (and so to be cut off with a zero budget).
fn slow_workspace(dir: &Path) {
    let steps: String = (0..400).map(|i| format!("RUN echo step {i}\n")).collect();
    let dockerfile = format!("FROM python:3.12-slim\n{steps}CMD [\"uvicorn\", \"main:app\"]\n");
    let services: String = (0..200)
        .map(|i| format!("  svc{i}:\n    image: nginx:1.27\n    restart: always\n"))
        .collect();
    let routes: String = (0..300)
        .map(|i| format!("@app.get(\"/r{i}\")\ndef r{i}():\n    return {{\"n\": {i}}}\n\n"))
        .collect();
    let main = format!("from fastapi import FastAPI\n\napp = FastAPI()\n\n{routes}");
    for (name, text) in [
        ("Dockerfile", dockerfile),
        ("compose.yaml", format!("services:\n{services}")),
        ("main.py", main),
    ] {
        if let Err(e) = std::fs::write(dir.join(name), text) {
            panic!("cannot write {name}: {e}");
        }
    }
}

fn temp_workspace(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("shipready-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    slow_workspace(&dir);
    dir
}

fn skipped(dir: &Path, budget: Option<&str>) -> Vec<(String, String)> {
    let zero = Path::new(budget.unwrap_or(""));
    let env: Vec<(&str, &Path)> = budget
        .map(|_| ("SHIPREADY_PARSE_BUDGET_MS", zero))
        .into_iter()
        .collect();
    let dir_arg = dir.as_os_str();
    let run = shipready_env(
        &[
            std::ffi::OsStr::new("check"),
            dir_arg,
            "--format".as_ref(),
            "json".as_ref(),
        ],
        &env,
    );
    let report = run.json();
    report["skipped"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    let field = |k: &str| s[k].as_str().unwrap_or_default().to_owned();
                    (field("path"), field("reason"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn check_lists_files_the_budget_cut_off_with_the_reason() {
    let dir = temp_workspace("budget-cli");
    assert_eq!(skipped(&dir, None), Vec::<(String, String)>::new());
    let cut = skipped(&dir, Some("0"));
    let paths: Vec<&str> = cut.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["Dockerfile", "compose.yaml", "main.py"], "{cut:?}");
    assert!(
        cut.iter().all(|(_, why)| why.contains("parse time budget")),
        "{cut:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_server_says_why_a_cut_off_file_shows_no_findings() {
    let dir = temp_workspace("budget-lsp");
    let wrapper = ["env".as_ref(), "SHIPREADY_PARSE_BUDGET_MS=0".as_ref()];
    let (mut c, _) = LspClient::start_under(&wrapper).init(&[&dir], json!({}), json!({}));
    c.wait_for("shipready/score", |_| true);
    let uri = file_uri(&dir.join("Dockerfile"));
    let text = std::fs::read_to_string(dir.join("Dockerfile")).unwrap_or_default();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    let shown = c.diagnostics_until(&uri, |d| codes(d).contains(&"parse-budget".to_owned()));
    let notice = find(&shown, "parse-budget");
    assert_eq!(notice["severity"], json!(3), "{notice}");
    assert!(
        notice["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Not analysed") && m.contains("parse time budget")),
        "{notice}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
