//! Property test of every fix on generated workspaces: apps in each framework with and without health routes,
//! Dockerfiles, compose files, guides with any subset of sections, in LF or CRLF and with non-ASCII noise. For
//! each finding that carries a fix: every byte outside its insertions is preserved, no edited or created file
//! parses worse than before, and the audit of the result does not offer the same edit again (applying the fix
//! twice changes nothing).

use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use super::tests::{apply, assert_only_inserted, audit_files, Files};
use crate::{Edit, Fix, Workspace};

/// The number of cases, and a fixed seed unless `PROPTEST_RNG_SEED` asks for another, so CI is repeatable.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases);
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_0011);
    }
    config
}

const APPS: &[&str] = &[
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get(\"/items\")\ndef items():\n    return []\n",
    "from fastapi import FastAPI\nfrom sqlalchemy import create_engine\n\nengine = create_engine(\"sqlite://\")\napp = FastAPI()\n\n@app.get(\"/health\")\nasync def health():\n    return {\"ok\": True}\n",
    "import redis\nfrom flask import Flask\n\napp = Flask(__name__)\ncache = redis.Redis()\n\n@app.route(\"/\")\ndef index():\n    return \"hi\"\n",
    "from flask import Flask\napp = Flask(__name__)\n@app.route(\"/healthz\")\ndef h():\n    return \"ok\"\n",
    "from starlette.applications import Starlette\nfrom starlette.routing import Route\n\nasync def home(request):\n    return None\n\napp = Starlette(routes=[Route(\"/\", home)])\n",
    "from fastapi import FastAPI, APIRouter\n\nrouter = APIRouter(prefix=\"/api\")\n\n@router.get(\"/x\")\ndef x():\n    return 1\n\napp = FastAPI()\napp.include_router(router)\nif __name__ == \"__main__\":\n    import uvicorn\n    uvicorn.run(app, port=8080)\n",
];

const DOCKERFILES: &[&str] = &[
    "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n",
    "FROM python:3.12 AS build\nRUN pip wheel -w /w flask\n\nFROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl\nEXPOSE 5001\nENTRYPOINT [\"gunicorn\", \"app:app\"]\n",
    "FROM python\nCOPY . /app\n",
    "FROM python:3.12-slim\nEXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\nCMD python main.py\n",
];

const COMPOSES: &[&str] = &[
    "services:\n  api:\n    build: .\n    ports:\n      - \"8000:8000\"\n",
    "services:\n  api:\n    build: .\n    command: uvicorn main:app --port 9000\n  db:\n    image: postgres:16\n",
    "version: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n",
];

const SECTIONS: &[&str] = &[
    "## Prerequisites\n\n- Docker\n",
    "## Local Setup\n\nRun `docker compose up`.\n",
    "## Production Deployment\n\n```sh\ncdk deploy\n```\n",
    "## AWS Setup\n\nUses ECS and ECR.\n",
    "## Environment Variables\n\n`DATABASE_URL` is required.\n",
    "## Health Checks\n\n`GET /health` answers 200.\n",
    "## Rollback\n\nRedeploy the previous image tag.\n",
    "## Monitoring\n\nCloudWatch alarms.\n",
];

const NOISE: &[&str] = &["# é✓ 日本語\n", "\n", "# TODO: 𝄞\n", "  \n"];

/// One generated workspace, before line endings and noise.
#[derive(Clone, Debug)]
struct Spec {
    app: Option<(&'static str, &'static str)>,
    dockerfile: Option<&'static str>,
    compose: Option<&'static str>,
    guide: Option<(&'static str, Vec<&'static str>)>,
    readme: bool,
    cdk: bool,
    crlf: bool,
    noise: Vec<(prop::sample::Index, &'static str)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::option::of((
            prop::sample::select(&["main.py", "app.py", "app/main.py"][..]),
            prop::sample::select(APPS),
        )),
        prop::option::of(prop::sample::select(DOCKERFILES)),
        prop::option::of(prop::sample::select(COMPOSES)),
        prop::option::of((
            prop::sample::select(&["DEPLOYMENT.md", "docs/deploy.md"][..]),
            prop::sample::subsequence(SECTIONS, 0..SECTIONS.len()),
        )),
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
        prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(NOISE)),
            0..4,
        ),
    )
        .prop_map(
            |(app, dockerfile, compose, guide, readme, cdk, crlf, noise)| Spec {
                app,
                dockerfile,
                compose,
                guide,
                readme,
                cdk,
                crlf,
                noise,
            },
        )
}

/// The files of a spec: noise lines go in at line starts of the first file, then line endings are applied.
fn build(spec: &Spec) -> Files {
    let mut files = Files::new();
    if let Some((path, app)) = spec.app {
        files.insert(path.to_owned(), app.to_owned());
    }
    if let Some(dockerfile) = spec.dockerfile {
        files.insert("Dockerfile".to_owned(), dockerfile.to_owned());
    }
    if let Some(compose) = spec.compose {
        files.insert("compose.yaml".to_owned(), compose.to_owned());
    }
    if let Some((path, sections)) = &spec.guide {
        let body = format!(
            "# Deployment Guide\n\nHow this ships.\n\n{}",
            sections.join("\n")
        );
        files.insert((*path).to_owned(), body);
    }
    if spec.readme {
        files.insert("README.md".to_owned(), "# Service\n\nAn API.\n".to_owned());
    }
    if spec.cdk {
        files.insert(
            "cdk.json".to_owned(),
            "{\"app\": \"python3 infra/app.py\"}\n".to_owned(),
        );
    }
    for (at, noise) in &spec.noise {
        let Some(text) = files.values_mut().find(|t| !t.starts_with('{')) else {
            break;
        };
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < text.len())
            .collect();
        if let Some(&start) = starts.get(at.index(starts.len().max(1))) {
            text.insert_str(start, noise);
        }
    }
    if spec.crlf {
        for text in files.values_mut() {
            *text = text.replace('\n', "\r\n");
        }
    }
    files
}

/// What a fix writes, ignoring where: (file, inserted or created text).
fn writes(fix: &Fix) -> Vec<(String, String)> {
    fix.edits
        .iter()
        .map(|edit| match edit {
            Edit::Replace { file, new_text, .. } => (file.clone(), new_text.clone()),
            Edit::Create { file, contents } => (file.clone(), contents.clone()),
        })
        .collect()
}

fn syntax_errors(files: &Files) -> Vec<(String, usize)> {
    let ws = Workspace::from_texts(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    ws.files()
        .iter()
        .map(|f| (f.path.clone(), f.facts.errors().len()))
        .collect()
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn every_fix_preserves_parses_and_is_idempotent(spec in spec()) {
        let files = build(&spec);
        let before = audit_files(&files);
        let errors_before = syntax_errors(&files);
        for finding in before.findings.iter().filter(|f| f.fix.is_some()) {
            let Some(fix) = &finding.fix else { continue };
            let after = apply(&files, fix);
            assert_only_inserted(&files, &after, fix);
            for (path, errors) in syntax_errors(&after) {
                let old = errors_before.iter().find(|(p, _)| *p == path).map_or(0, |e| e.1);
                prop_assert!(
                    errors <= old,
                    "{} fix `{}` leaves {} unparsable:\n{}", finding.code, fix.title, path, after[&path]
                );
            }
            let again = audit_files(&after);
            let ours = writes(fix);
            for other in again.findings.iter().filter_map(|f| f.fix.as_ref()) {
                prop_assert!(
                    writes(other) != ours,
                    "{} fix `{}` is offered again after it was applied:\n{:#?}", finding.code, fix.title, after
                );
            }
        }
    }
}
