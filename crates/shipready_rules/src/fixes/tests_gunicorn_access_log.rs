//! OB002's quick fix: `--access-logfile -` goes right after `gunicorn`, in exec form, shell form and a compose
//! command; the gap closes and the fix is not offered again.

use super::tests::{check_fix, files};

const APP: &str = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/\")\ndef index():\n    return \"ok\"\n";

#[test]
fn exec_form_cmd() {
    let ws = files(&[
        ("app.py", APP),
        (
            "Dockerfile",
            "FROM python:3.12-slim\nCOPY . .\nEXPOSE 8000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
        ),
    ]);
    let done = check_fix(&ws, "OB002", |_| true);
    assert!(done.after["Dockerfile"].contains(
        "CMD [\"gunicorn\", \"--access-logfile\", \"-\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n"
    ));
}

#[test]
fn shell_form_cmd_with_a_path() {
    let ws = files(&[
        ("app.py", APP),
        (
            "Dockerfile",
            "FROM python:3.12-slim\r\nCOPY . .\r\nEXPOSE 8000\r\nCMD /venv/bin/gunicorn -w 2 app:app\r\n",
        ),
    ]);
    let done = check_fix(&ws, "OB002", |_| true);
    assert_eq!(done.inserted("Dockerfile"), " --access-logfile -");
    assert!(done.after["Dockerfile"]
        .contains("CMD /venv/bin/gunicorn --access-logfile - -w 2 app:app\r\n"));
}

#[test]
fn compose_command() {
    let ws = files(&[
        ("app.py", APP),
        ("Dockerfile", "FROM python:3.12-slim\nCOPY . .\n"),
        (
            "compose.yaml",
            "services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 app:app\n    ports:\n      - \"8000:8000\"\n",
        ),
    ]);
    let done = check_fix(&ws, "OB002", |_| true);
    assert!(done.after["compose.yaml"]
        .contains("command: gunicorn --access-logfile - -b 0.0.0.0:8000 app:app\n"));
}
