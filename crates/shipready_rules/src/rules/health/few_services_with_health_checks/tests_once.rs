//! HC002 counts one service once: across a base compose file and its overrides, and between a compose service
//! and the app its image runs, wherever the compose file puts the build context.

use crate::{audit, Profile, Status, Workspace};

/// HC002's status, details and finding messages.
fn hc002(files: &[(&str, &str)]) -> (Status, String, Vec<String>) {
    let a = audit(&Workspace::from_texts(files.iter().copied()), Profile::Seed);
    let (status, details) = a
        .checks
        .iter()
        .find(|c| c.code == "HC002")
        .map(|c| (c.status, c.details.clone()))
        .unwrap_or((Status::NotApplicable, String::new()));
    let messages = a
        .findings
        .iter()
        .filter(|f| f.code == "HC002")
        .map(|f| f.message.clone())
        .collect();
    (status, details, messages)
}

const HEALTH_APP: &str =
    "from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/health\")\ndef health():\n    return {}\n";

#[test]
fn an_image_only_service_repeated_in_an_override_is_one_service() {
    let base = "services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n  cache:\n    image: redis:7\n    healthcheck:\n      test: redis-cli ping\n";
    let over = "services:\n  db:\n    ports: [\"5432:5432\"]\n    healthcheck:\n      test: pg_isready -U app\n  cache:\n    healthcheck:\n      test: redis-cli ping\n";
    let (status, details, _) = hc002(&[
        ("docker-compose.yml", base),
        ("docker-compose.override.yml", over),
    ]);
    assert_eq!(
        (status, details.as_str()),
        (Status::Fail, "2 services with health checks")
    );
}

#[test]
fn an_override_that_adds_a_health_check_checks_the_base_service() {
    let base = "services:\n  api:\n    build: .\n";
    let over =
        "services:\n  api:\n    healthcheck:\n      test: curl -f http://localhost:8000/health\n";
    let (_, details, messages) = hc002(&[
        ("compose.yaml", base),
        ("compose.override.yaml", over),
        ("Dockerfile", "FROM python:3.12-slim\n"),
    ]);
    assert_eq!(details, "1 service with health checks");
    assert!(
        messages.iter().all(|m| !m.contains("`api`")),
        "api has a health check in its override: {messages:?}"
    );
}

#[test]
fn a_service_built_from_a_parent_context_and_the_app_it_runs_count_once() {
    // deploy/compose.yml builds docker/Dockerfile with the repository root as context; that image runs
    // app/main.py, whose /health is the same service's.
    let compose = "services:\n  api:\n    build:\n      context: ../\n      dockerfile: ./docker/Dockerfile\n    healthcheck:\n      test: curl -f http://localhost:8000/health\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n";
    let docker = "FROM python:3.12-slim\nCOPY app/ app/\nCMD [\"uvicorn\", \"app.main:app\", \"--port\", \"8000\"]\n";
    let (status, details, _) = hc002(&[
        ("deploy/compose.yml", compose),
        ("docker/Dockerfile", docker),
        ("app/main.py", HEALTH_APP),
    ]);
    assert_eq!(
        (status, details.as_str()),
        (Status::Fail, "2 services with health checks")
    );
}

#[test]
fn each_compose_service_is_the_app_its_image_runs() {
    // Two images built from the root context; each runs its own app. The api service is checked and its
    // app's /health is the same service; the web app's /health is the web service's only check.
    let compose = "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api.Dockerfile\n    healthcheck:\n      test: curl -f http://localhost:8000/health\n  web:\n    build:\n      context: .\n      dockerfile: docker/web.Dockerfile\n  db:\n    image: postgres:16\n";
    let api = "FROM python:3.12-slim\nCMD [\"uvicorn\", \"api.main:app\"]\n";
    let web = "FROM python:3.12-slim\nCMD [\"gunicorn\", \"web.app:app\"]\n";
    let (status, details, _) = hc002(&[
        ("compose.yaml", compose),
        ("docker/api.Dockerfile", api),
        ("docker/web.Dockerfile", web),
        ("api/main.py", HEALTH_APP),
        ("web/app.py", HEALTH_APP),
    ]);
    assert_eq!(
        (status, details.as_str()),
        (Status::Fail, "2 services with health checks")
    );
}

#[test]
fn a_final_stage_inherits_the_health_check_of_the_stage_it_is_built_from() {
    let docker = "FROM python:3.12-slim AS runtime\nHEALTHCHECK CMD curl -f http://localhost:8000/health\nCMD [\"uvicorn\", \"api:app\"]\n\nFROM runtime AS release\nUSER nobody\n";
    let compose = "services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n  cache:\n    image: redis:7\n    healthcheck:\n      test: redis-cli ping\n";
    let (status, details, _) = hc002(&[("Dockerfile", docker), ("compose.yaml", compose)]);
    assert_eq!(
        (status, details.as_str()),
        (Status::Pass, "3 services with health checks")
    );
}
