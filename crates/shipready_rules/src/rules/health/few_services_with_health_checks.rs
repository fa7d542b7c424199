//! ## What it checks
//! That at least 3 services have health checks. A service counts once, with any of: a web application that
//! serves a health route, a compose service with a `healthcheck` (its own, or its image's `HEALTHCHECK` in the
//! stage its `build.target` names, else the final stage), or a Dockerfile not built by any compose service whose
//! final stage has a `HEALTHCHECK`. `HEALTHCHECK NONE` and `disable: true` do not count.
//!
//! ## Why it matters
//! Every process that can hang needs a probe, not only the API: workers, schedulers and sidecars fail
//! silently otherwise.
//!
//! ## Example
//! A compose file with `api`, `worker` and `db` where only `api` has a health check.
//!
//! ## Fix
//! Add a `healthcheck` to each compose service (`pg_isready` for Postgres, `redis-cli ping` for Redis, an HTTP
//! probe for web services) and a `HEALTHCHECK` to each Dockerfile. The quick fix inserts the image's own probe
//! into compose services that run a well-known database, cache, broker or search image, and a `HEALTHCHECK`
//! into the stage a service builds.

use std::collections::{BTreeMap, BTreeSet};

use crate::index::docker::{built_stage, compose, dockerfile, final_stage, join_dir};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

const MIN_SERVICES: usize = 3;

pub(crate) static RULE: Rule = Rule {
    name: "few-services-with-health-checks",
    category: Category::Health,
    severity: Severity::Medium,
    title: "Fewer than 3 services with health checks",
    impact: "Workers, databases and sidecars can hang without anyone noticing.",
    recommendation: "Give every service a health check: compose healthcheck, Dockerfile HEALTHCHECK or a health route.",
    effort: "1-2 hours",
    source: include_str!("few_services_with_health_checks.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if !super::applies(ctx) {
        return super::not_applicable(ctx);
    }
    let ws = ctx.workspace;
    // Services are identified by the folder they are built from, so an app, its Dockerfile and its compose
    // service count once.
    let mut services: BTreeSet<String> = BTreeSet::new();
    let mut evidence = BTreeSet::new();
    let mut built_by_compose = BTreeSet::new();
    let mut build_dirs: Vec<String> = Vec::new();
    let mut unchecked = Vec::new();
    // The compose service (by name, so an override file's copy is the same one) that first builds each folder.
    let mut folder_owner: BTreeMap<String, String> = BTreeMap::new();
    // The health checks that make services count, for hovers on them.
    let mut places = Vec::new();
    for path in &ctx.index.docker.compose_files {
        let Some(file) = ws.file(path) else { continue };
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            let dockerfile_path = service.build.as_ref().map(|b| {
                let dir = join_dir(file.dir(), &b.context);
                let name = b
                    .dockerfile
                    .clone()
                    .unwrap_or_else(|| "Dockerfile".to_owned());
                if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                }
            });
            if let Some(p) = &dockerfile_path {
                built_by_compose.insert(p.clone());
            }
            let own = service.healthcheck.as_ref().map(|h| !h.disabled);
            let target = service.build.as_ref().and_then(|b| b.target.as_deref());
            let image_check = dockerfile_path
                .as_deref()
                .and_then(|p| ws.file(p))
                .is_some_and(|f| healthcheck_range(&f.facts, target).is_some());
            // A service built from a folder is that folder's service; an image-only one is known by name. Other
            // services built from the same folder (a scheduler or worker sharing the web image through an `x-`
            // anchor) are processes of their own that each need a probe, so they are known by folder and name.
            let key = match &service.build {
                Some(b) => {
                    let dir = join_dir(file.dir(), &b.context);
                    let first = folder_owner
                        .entry(dir.clone())
                        .or_insert_with(|| service.name.value.clone());
                    if *first == service.name.value {
                        format!("dir:{dir}")
                    } else {
                        format!("dir:{dir}#{}", service.name.value)
                    }
                }
                None => format!("{path}#{}", service.name.value),
            };
            if let Some(b) = &service.build {
                build_dirs.push(join_dir(file.dir(), &b.context));
            }
            if own.unwrap_or(image_check) {
                services.insert(key);
                evidence.insert(path.clone());
                if let Some(h) = service.healthcheck.as_ref().filter(|h| !h.disabled) {
                    places.push((path.clone(), h.range));
                }
            } else {
                // The image's own HEALTHCHECK closes the gap unless the service disables checks itself.
                let fix = match dockerfile_path.filter(|p| own.is_none() && ws.file(p).is_some()) {
                    Some(p) => crate::fixes::healthcheck::fix_stage(ctx, &p, target),
                    None if service.build.is_none() && own.is_none() => {
                        crate::fixes::compose_healthcheck::fix(ctx, path, service)
                    }
                    None => None,
                };
                unchecked.push((
                    path.clone(),
                    service.name.range,
                    service.name.value.clone(),
                    fix,
                ));
            }
        }
    }
    let mut unchecked_dockerfiles = Vec::new();
    for path in &ctx.index.docker.dockerfiles {
        if built_by_compose.contains(path) {
            continue;
        }
        let Some(file) = ws.file(path) else { continue };
        build_dirs.push(file.dir().to_owned());
        if let Some(range) = healthcheck_range(&file.facts, None) {
            services.insert(format!("dir:{}", file.dir()));
            evidence.insert(path.clone());
            places.push((path.clone(), range));
        } else if let Some(stage) = dockerfile(&file.facts).and_then(final_stage) {
            unchecked_dockerfiles.push((path.clone(), stage.from_range));
        }
    }
    let web = &ctx.index.web;
    let main_dockerfile_dir = ctx
        .index
        .docker
        .main_dockerfile
        .as_deref()
        .map(|p| p.rsplit_once('/').map(|(d, _)| d).unwrap_or("").to_owned());
    let served_count = web.served_apps().count();
    for (i, app) in web.served_apps() {
        if let Some(route) = web
            .health_routes()
            .find(|r| r.served_by(i) || r.file == app.file)
        {
            places.push((route.file.clone(), route.route.range));
            // An app inside a folder a compose service or Dockerfile builds is that service. So is the main app
            // when the command that starts it comes from a build folder, or when a start names it (or it is the
            // only app) and it lies inside the main Dockerfile's folder, the root one too: that image is what
            // runs it (`python main.py` in a root Dockerfile runs `src/api/server.py`). A main app picked only
            // by its file name proves nothing, so the root image does not swallow it.
            let dir = app.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let is_main = web.main_app == Some(i);
            let named = web.main_start_dir.is_some() || served_count == 1;
            let started_in = web
                .main_start_dir
                .as_deref()
                .filter(|d| is_main && build_dirs.iter().any(|b| b == d));
            let main_image_dir = main_dockerfile_dir.as_deref().filter(|d| {
                is_main && named && (d.is_empty() || dir == *d || dir.starts_with(&format!("{d}/")))
            });
            let owner = started_in
                .or(main_image_dir)
                .unwrap_or_else(|| owning_dir(dir, &build_dirs));
            services.insert(format!("dir:{owner}"));
            evidence.insert(app.file.clone());
        }
    }
    let count = services.len();
    let details = format!(
        "{} with health checks",
        super::super::plural(count, "service", "services")
    );
    let evidence: Vec<String> = evidence.into_iter().collect();
    if count >= MIN_SERVICES {
        return Outcome::pass(details, evidence).satisfied_by(places);
    }
    let needed = MIN_SERVICES - count;
    let mut findings: Vec<Finding> = unchecked
        .into_iter()
        .map(|(file, range, name, fix)| {
            Finding::at(&file, range, format!("Compose service `{name}` has no health check (only {count} services have one; at least {MIN_SERVICES} should)."))
                .with_fix(fix)
        })
        .collect();
    if findings.is_empty() {
        // No compose service to blame: each Dockerfile without a HEALTHCHECK is, at its final stage.
        findings.extend(unchecked_dockerfiles.iter().map(|(path, from)| {
            Finding::at(path, *from, format!("{path} has no HEALTHCHECK in its final stage (only {count} services have health checks; at least {MIN_SERVICES} should)."))
                .with_fix(crate::fixes::healthcheck::fix(ctx, path))
        }));
    }
    if findings.is_empty() {
        let message = format!("Only {count} of at least {MIN_SERVICES} services have health checks: give every service a probe.");
        let anchor = super::super::main_dockerfile_anchor(ctx)
            .or_else(|| super::super::main_app_anchor(ctx));
        findings.push(Finding::anchored(anchor, message));
    }
    let needed = needed.min(findings.len());
    Outcome::fail(details, findings)
        .needing(needed)
        .with_evidence(evidence)
}

/// The enabled `HEALTHCHECK` instruction of the stage built for `target` (the final stage without one).
fn healthcheck_range(
    facts: &shipready_syntax::FileFacts,
    target: Option<&str>,
) -> Option<shipready_text::TextRange> {
    dockerfile(facts)
        .and_then(|d| built_stage(d, target))
        .and_then(|s| s.healthcheck.as_ref())
        .filter(|h| !h.disabled)
        .map(|h| h.range)
}

/// The deepest build folder that contains `dir` (the root folder only contains itself: a root Dockerfile does
/// not make every app in the repository one service), else `dir` itself.
fn owning_dir<'a>(dir: &'a str, build_dirs: &'a [String]) -> &'a str {
    build_dirs
        .iter()
        .filter(|b| !b.is_empty() && (dir == b.as_str() || dir.starts_with(&format!("{b}/"))))
        .max_by_key(|b| b.len())
        .map(String::as_str)
        .unwrap_or(dir)
}

#[cfg(test)]
mod tests {
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
}
