//! Secrets never leave shipready: a workspace with a distinct secret planted in every kind of file SC002 and
//! SC006 read (a Dockerfile `ARG` default and `ENV`, compose `environment`, a `.env` file, a settings module's
//! module-level value, settings-class attribute and environment fallback) is checked in every output format,
//! explained, and opened in a language server session (diagnostics, hovers, code actions, code lenses, the
//! report command, the server's log). No output may hold more of a value than its first two characters.

use std::path::Path;

use serde_json::{json, Value};
use shipready_e2e::cli::{shipready, shipready_env};
use shipready_e2e::lsp_client::{file_uri, LspClient};

/// The planted values. Mixed-case letters outside the hexadecimal digits, so no hash, fingerprint or word of
/// an output can hold four of their characters in a row by chance.
const SECRETS: &[(&str, &str)] = &[
    ("Dockerfile ARG", "QxWkLzRtPvMnArg"),
    ("Dockerfile ENV", "JwRkTzNqLvHsEnv"),
    ("compose environment", "GzPqWtKxMvRnCmp"),
    (".env file", "HkTwQzLrNxPvDtn"),
    ("settings module", "ZrKwPqTxLnHvMod"),
    ("settings class", "WvNqRzKtPxLhCls"),
    ("environment fallback", "TnLzQwHrKvPxFbk"),
];

fn workspace() -> tempfile::TempDir {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let value = |what: &str| {
        SECRETS
            .iter()
            .find(|(w, _)| *w == what)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    let files = [
        (
            "Dockerfile",
            format!(
                "ARG DEPLOY_TOKEN={}\nFROM python:3.12-slim\nENV STRIPE_API_KEY={}\nCOPY app /srv/app\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]\n",
                value("Dockerfile ARG"),
                value("Dockerfile ENV")
            ),
        ),
        (
            "compose.yaml",
            format!(
                "services:\n  web:\n    build: .\n    env_file: .env\n    ports:\n      - \"8000:8000\"\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: {}\n",
                value("compose environment")
            ),
        ),
        (
            ".env",
            format!("APP_ENV=production\nMAIL_PASSWORD={}\n", value(".env file")),
        ),
        (
            "app/settings.py",
            format!(
                "import os\n\nfrom pydantic_settings import BaseSettings\n\nSECRET_KEY = \"{}\"\nJWT_SECRET = os.environ.get(\"JWT_SECRET\", \"{}\")\n\n\nclass Settings(BaseSettings):\n    smtp_password: str = \"{}\"\n",
                value("settings module"),
                value("environment fallback"),
                value("settings class")
            ),
        ),
        (
            "app/main.py",
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health() -> dict:\n    return {\"status\": \"ok\"}\n".to_owned(),
        ),
    ];
    for (path, text) in files {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(e) = std::fs::write(&target, text) {
            panic!("write {path}: {e}");
        }
    }
    dir
}

/// Every piece of `output` that holds more of a planted value than its first two characters: the value's first
/// three characters, or any four of its characters in a row.
fn leaks(output: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (what, value) in SECRETS {
        let chars: Vec<char> = value.chars().collect();
        let prefix: String = chars.iter().take(3).collect();
        let mut pieces = vec![prefix];
        pieces.extend(chars.windows(4).map(|w| w.iter().collect::<String>()));
        for piece in pieces {
            if output.contains(&piece) {
                found.push(format!("{what}: `{piece}` of the planted value"));
            }
        }
    }
    found
}

fn assert_masked(label: &str, output: &str) {
    let found = leaks(output);
    assert!(
        found.is_empty(),
        "{label} shows a secret: {found:?}\n{output}"
    );
}

#[test]
fn every_secret_is_found_and_masked_in_every_check_format() {
    let ws = workspace();
    let dir = ws.path().to_string_lossy().into_owned();
    let json = shipready(&["check", &dir, "--format", "json"]).json();
    // Every planted value is reported, so the outputs below do talk about each of them.
    let messages: Vec<String> = json["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| matches!(f["code"].as_str(), Some("SC002" | "SC006")))
        .filter_map(|f| f["message"].as_str().map(str::to_owned))
        .collect();
    for (what, value) in SECRETS {
        let shown: String = value.chars().take(2).collect();
        assert!(
            messages.iter().any(|m| m.contains(&format!("`{shown}…`"))),
            "no finding shows the {what} value masked: {messages:#?}"
        );
    }
    for format in [
        "text", "json", "sarif", "github", "junit", "gitlab", "markdown",
    ] {
        let summary = ws.path().join("step-summary.md");
        let run = shipready_env(
            &["check", &dir, "--format", format],
            &[("GITHUB_STEP_SUMMARY", summary.as_path())],
        );
        assert!(
            run.code.is_some(),
            "check --format {format} was killed: {run:#?}"
        );
        assert_masked(&format!("check --format {format} (stdout)"), &run.stdout);
        assert_masked(&format!("check --format {format} (stderr)"), &run.stderr);
        let written = std::fs::read_to_string(&summary).unwrap_or_default();
        assert_masked(&format!("check --format {format} (job summary)"), &written);
    }
    for code in ["SC002", "SC006"] {
        let run = shipready(&["explain", code]);
        assert_masked(&format!("explain {code}"), &run.stdout);
    }
}

/// Hover, code actions and code lenses for every diagnostic of `uri`; the answers, as text.
fn ask_about(c: &mut LspClient, uri: &str, diagnostics: &[Value]) -> String {
    let mut answers = String::new();
    for d in diagnostics {
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": d["range"]["start"]}),
        );
        answers.push_str(&format!("{hover:?}\n"));
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"],
                   "context": {"diagnostics": [d]}}),
        );
        answers.push_str(&format!("{actions:?}\n"));
    }
    let lenses = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    answers.push_str(&format!("{lenses:?}\n"));
    answers
}

#[test]
fn the_language_server_never_shows_a_secret() {
    let ws = workspace();
    let root = ws.path();
    let (mut c, _) = LspClient::start_logging("trace").init(&[root], json!({}), json!({}));
    c.wait_for("shipready/score", |_| true);
    let mut seen = String::new();
    for (path, code) in [
        ("Dockerfile", "SC002"),
        ("compose.yaml", "SC002"),
        (".env", "SC002"),
        ("app/settings.py", "SC002"),
    ] {
        let uri = file_uri(&root.join(path));
        let diagnostics =
            c.diagnostics_until(&uri, |d| d.iter().any(|x| x["code"].as_str() == Some(code)));
        seen.push_str(&ask_about(&mut c, &uri, &diagnostics));
    }
    // Opening the files in the editor goes through the buffer path (and its logging) too.
    for (path, language) in [(".env", "dotenv"), ("app/settings.py", "python")] {
        let uri = file_uri(&root.join(path));
        let text = read(&root.join(path));
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        let diagnostics = c.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["version"] == 1
        });
        seen.push_str(&diagnostics.to_string());
        let list = diagnostics["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        seen.push_str(&ask_about(&mut c, &uri, &list));
    }
    let report = c.request(
        "workspace/executeCommand",
        json!({"command": "shipready.report", "arguments": [file_uri(root)]}),
    );
    seen.push_str(&format!("{report:?}\n"));
    let _ = c.shutdown();
    for message in &c.received {
        seen.push_str(&message.to_string());
        seen.push('\n');
    }
    for published in c.diagnostics.values() {
        seen.push_str(&published.to_string());
        seen.push('\n');
    }
    assert!(seen.contains("SC002"), "{seen}");
    assert_masked("the language server's messages", &seen);
    let log = c.log_until(|_| true).join("\n");
    assert!(!log.is_empty(), "the server logged nothing at trace level");
    assert_masked("the language server's log", &log);
}

fn read(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => panic!("read {}: {e}", path.display()),
    }
}
