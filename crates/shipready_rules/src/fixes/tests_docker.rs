//! Fix tests for the Dockerfile `HEALTHCHECK` fix (HC002): the probe, path and port come from the workspace,
//! the instruction lands before `CMD`, and a stage never gets a second one.

use super::tests::{audit_files, check_fix, files, finding};
use crate::Applicability;

const APP: &str = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/api/healthz\")\ndef hz():\n    return {}\n";

#[test]
fn python_image_gets_a_urllib_probe_of_the_real_path_and_port_before_cmd() {
    let ws = files(&[
        ("app/main.py", APP),
        (
            "Dockerfile",
            "FROM python:3.12-slim\r\nWORKDIR /srv\r\nCOPY . .\r\n# Start the API\r\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8080\"]\r\n",
        ),
    ]);
    let done = check_fix(&ws, "HC002", |f| f.file.as_deref() == Some("Dockerfile"));
    assert_eq!(done.fix.applicability, Applicability::Safe);
    assert_eq!(
        done.after["Dockerfile"],
        "FROM python:3.12-slim\r\nWORKDIR /srv\r\nCOPY . .\r\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/api/healthz', timeout=3)\"]\r\n# Start the API\r\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8080\"]\r\n"
    );
}

#[test]
fn curl_when_installed_and_the_final_stage_of_a_multi_stage_build() {
    let ws = files(&[
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n@app.route(\"/health\")\ndef h():\n    return \"ok\"\n"),
        (
            "Dockerfile",
            "FROM python:3.12 AS build\nRUN pip wheel -w /w flask\n\nFROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nEXPOSE 5001\nENTRYPOINT [\"gunicorn\", \"app:app\"]\n",
        ),
    ]);
    let done = check_fix(&ws, "HC002", |f| f.file.as_deref() == Some("Dockerfile"));
    let inserted = done.inserted("Dockerfile");
    assert_eq!(
        inserted,
        "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD curl -fsS http://127.0.0.1:5001/health || exit 1\n"
    );
    assert!(done.after["Dockerfile"].contains("5001\nHEALTHCHECK"));
}

#[test]
fn compose_service_built_from_the_dockerfile_gets_the_fix_in_the_dockerfile() {
    let ws = files(&[
        ("api/main.py", APP),
        ("api/Dockerfile", "FROM python:3.12-slim\nCOPY . .\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build: ./api\n    command: uvicorn main:app\n",
        ),
    ]);
    let done = check_fix(&ws, "HC002", |f| f.message.contains("`api`"));
    assert_eq!(
        done.inserted("api/Dockerfile"),
        "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/healthz', timeout=3)\"]\n"
    );
}

#[test]
fn a_guessed_path_is_unsafe_and_a_stage_with_healthcheck_none_gets_no_second_one() {
    let ws = files(&[(
        "Dockerfile",
        "FROM python:3.12\nEXPOSE 8000\nCMD [\"python\", \"server.py\"]",
    )]);
    let audit = audit_files(&ws);
    let fix = finding(&audit, "HC002", |f| f.fix.is_some()).and_then(|f| f.fix.clone());
    assert_eq!(fix.map(|f| f.applicability), Some(Applicability::Unsafe));

    let ws = files(&[(
        "Dockerfile",
        "FROM python:3.12\nEXPOSE 8000\nHEALTHCHECK NONE\nCMD [\"python\", \"server.py\"]\n",
    )]);
    let audit = audit_files(&ws);
    assert!(finding(&audit, "HC002", |f| f.fix.is_some()).is_none());
}

#[test]
fn images_without_a_known_probe_get_no_fix() {
    let ws = files(&[("Dockerfile", "FROM nginx:1.27\nEXPOSE 80\n")]);
    let audit = audit_files(&ws);
    assert!(finding(&audit, "HC002", |f| f.fix.is_some()).is_none());
    assert!(finding(&audit, "HC002", |_| true).is_some());
}

#[test]
fn job_and_function_images_get_no_healthcheck_finding_or_fix() {
    for dockerfile in [
        "FROM python:3.12\nCMD [\"python\", \"worker.py\"]\n",
        "FROM python:3.12-slim\nENTRYPOINT [\"mytool\"]\n",
        "FROM public.ecr.aws/lambda/python:3.12\nCMD [\"app.handler\"]\n",
    ] {
        let audit = audit_files(&files(&[("Dockerfile", dockerfile)]));
        assert!(
            finding(&audit, "HC002", |_| true).is_none(),
            "{dockerfile}: {:?}",
            audit.findings
        );
    }
}
