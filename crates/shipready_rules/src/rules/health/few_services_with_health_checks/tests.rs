//! HC002 unit tests: what counts as a service with a health check, and the findings when too few do.

use crate::{audit, Profile, Status, Workspace};

fn status(files: &[(&str, &str)]) -> (Status, String) {
    let a = audit(&Workspace::from_texts(files.iter().copied()), Profile::Seed);
    let c = a
        .checks
        .iter()
        .find(|c| c.code == "HC002")
        .expect("HC002 ran");
    (c.status, c.details.clone())
}

#[test]
fn a_compose_service_and_the_app_it_builds_count_once() {
    let app = "from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/health\")\ndef h():\n    return {}\n";
    let compose = "services:\n  backend:\n    build: ./backend\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost/health\"]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n";
    let (st, details) = status(&[("compose.yaml", compose), ("backend/app/main.py", app)]);
    assert_eq!(st, Status::Fail);
    assert_eq!(details, "2 services with health checks");
}

#[test]
fn compose_services_sharing_a_build_through_an_anchor_count_separately() {
    // The shape of Airflow stacks: webserver and scheduler merge one `x-` block that builds ./docker.
    let compose = "x-airflow-common:\n  &airflow-common\n  build: ./docker\n\nservices:\n  postgres:\n    image: postgres:15\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n  airflow-webserver:\n    <<: *airflow-common\n    command: webserver\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"--fail\", \"http://localhost:8080/health\"]\n  airflow-scheduler:\n    <<: *airflow-common\n    command: scheduler\n    healthcheck:\n      test: [\"CMD\", \"airflow\", \"jobs\", \"check\"]\n";
    let docker = "FROM apache/airflow:2.8.1\n";
    let (st, details) = status(&[
        ("docker-compose.yml", compose),
        ("docker/Dockerfile", docker),
    ]);
    assert_eq!(
        (st, details.as_str()),
        (Status::Pass, "3 services with health checks")
    );
}

#[test]
fn an_unchecked_service_is_told_the_minimum_not_a_total() {
    // Five services, two checked: "2 of 3 services" read as if the stack had three.
    let compose = "services:\n  a:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n  b:\n    image: redis:7\n    healthcheck:\n      test: redis-cli ping\n  c:\n    image: prom/prometheus:v2.51.0\n";
    let a = audit(
        &Workspace::from_texts([("compose.yaml", compose)]),
        Profile::Seed,
    );
    let messages: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.code == "HC002")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        messages,
        ["Compose service `c` has no health check (only 2 services have one; at least 3 should)."]
    );
}

#[test]
fn an_override_file_repeating_a_built_service_is_the_same_service() {
    let base = "services:\n  api:\n    build: .\n    healthcheck:\n      test: curl -f http://localhost/health\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n";
    let over = "services:\n  api:\n    build: .\n    healthcheck:\n      test: curl -f http://localhost/health\n";
    let (_, details) = status(&[
        ("docker-compose.yml", base),
        ("docker-compose.override.yml", over),
        ("Dockerfile", "FROM python:3.12\n"),
    ]);
    assert_eq!(details, "2 services with health checks");
}

#[test]
fn the_main_app_started_by_the_root_image_is_that_service() {
    // VeilArmor's shape: the root image runs `python main.py`, which runs `src.api.server:app`; the compose
    // service built from the root already has a health check, so the app's /health adds no service.
    let main = "import uvicorn\n\ndef main():\n    uvicorn.run(\"src.api.server:app\", host=\"0.0.0.0\")\n";
    let server = "from fastapi import FastAPI\nfrom .routes import router\napp = FastAPI()\napp.include_router(router)\n";
    // The real main.py passes a config dict (`uvicorn.run(**config)`), so only server.py's own runner names it.
    let main_with_dict = "import uvicorn\n\ndef main():\n    config = {\"app\": \"src.api.server:app\"}\n    uvicorn.run(**config)\n";
    let server_with_runner = format!("{server}\nif __name__ == \"__main__\":\n    import uvicorn\n    uvicorn.run(\"src.api.server:app\", workers=1)\n");
    let routes = "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get(\"/health\")\nasync def health():\n    return {}\n";
    let docker = "FROM python:3.11-slim\nCMD [\"python\", \"main.py\"]\n";
    let compose = "services:\n  veilarmor:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/health\"]\n  redis:\n    image: redis:7-alpine\n    healthcheck:\n      test: [\"CMD\", \"redis-cli\", \"ping\"]\n  prometheus:\n    image: prom/prometheus:latest\n";
    let (st, details) = status(&[
        ("Dockerfile", docker),
        ("docker-compose.yml", compose),
        ("main.py", main),
        ("src/__init__.py", ""),
        ("src/api/__init__.py", ""),
        ("src/api/server.py", server),
        ("src/api/routes.py", routes),
    ]);
    assert_eq!(
        (st, details.as_str()),
        (Status::Fail, "2 services with health checks")
    );
    let (_, details) = status(&[
        ("Dockerfile", docker),
        ("docker-compose.yml", compose),
        ("main.py", main_with_dict),
        ("src/__init__.py", ""),
        ("src/api/__init__.py", ""),
        ("src/api/server.py", &server_with_runner),
        ("src/api/routes.py", routes),
    ]);
    assert_eq!(details, "2 services with health checks");
}

#[test]
fn apps_in_their_own_folders_are_separate_services() {
    let app = "from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/health\")\ndef h():\n    return {}\n";
    let docker = "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/health\n";
    let (st, details) = status(&[
        ("Dockerfile", docker),
        ("a/main.py", app),
        ("b/main.py", app),
    ]);
    assert_eq!(st, Status::Pass);
    assert_eq!(details, "3 services with health checks");
}

#[test]
fn a_compose_build_target_is_the_stage_whose_healthcheck_counts() {
    // The image is the `runtime` stage; only the later `debug` stage, never built here, has a HEALTHCHECK.
    let docker = "FROM python:3.12 AS builder\nRUN pip wheel -w /w .\n\nFROM python:3.12-slim AS runtime\nCOPY --from=builder /w /w\nCMD [\"gunicorn\", \"app:app\"]\n\nFROM runtime AS debug\nHEALTHCHECK CMD curl -f http://localhost:8000/health\n";
    let compose = |target: &str| {
        format!("services:\n  api:\n    build:\n      context: .\n      target: {target}\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n")
    };
    let runtime = compose("Runtime");
    let (st, details) = status(&[("Dockerfile", docker), ("compose.yaml", &runtime)]);
    assert_eq!(
        (st, details.as_str()),
        (Status::Fail, "1 service with health checks")
    );
    let debug = compose("debug");
    let (_, details) = status(&[("Dockerfile", docker), ("compose.yaml", &debug)]);
    assert_eq!(details, "2 services with health checks");
    let (_, details) = status(&[
        ("Dockerfile", docker),
        ("compose.yaml", &compose("missing")),
    ]);
    assert_eq!(details, "1 service with health checks");
}

#[test]
fn healthchecks_that_count_are_recorded_for_hovers() {
    let docker = "FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/health\n";
    let files = [
        ("a/Dockerfile", docker),
        ("b/Dockerfile", docker),
        ("c/Dockerfile", docker),
    ];
    let a = audit(&Workspace::from_texts(files), Profile::Seed);
    let on: Vec<String> = a
        .satisfiers
        .iter()
        .filter(|s| s.code == "HC002")
        .map(|s| format!("{}:{}", s.file, &docker[s.range.start..s.range.end]))
        .collect();
    let line = "HEALTHCHECK CMD curl -f http://localhost/health";
    assert_eq!(
        on,
        [
            format!("a/Dockerfile:{line}"),
            format!("b/Dockerfile:{line}"),
            format!("c/Dockerfile:{line}")
        ]
    );
}
