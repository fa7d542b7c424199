//! The runtime rules on small workspaces: which commands count as what the container runs, and where each
//! finding lands.

use crate::{audit, Profile, Workspace};

/// `(file, text at the finding's range)` of every finding of `code`.
fn found(code: &str, files: &[(&str, &str)]) -> Vec<(String, String)> {
    let ws = Workspace::from_texts(files.iter().copied());
    audit(&ws, Profile::Standard)
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .filter_map(|f| {
            let file = f.file?;
            let text = ws.file(&file)?.text.clone();
            let range = f.range?;
            Some((file, range.slice(&text).to_owned()))
        })
        .collect()
}

fn pair(file: &str, text: &str) -> (String, String) {
    (file.to_owned(), text.to_owned())
}

const FLASK_APP: &str = "from flask import Flask\napp = Flask(__name__)\n\n@app.route(\"/\")\ndef index():\n    return \"hi\"\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=80, debug=True)\n";

#[test]
fn a_flask_file_run_with_python_is_a_development_server() {
    let files = [
        (
            "Dockerfile",
            "FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nCMD [\"python3\", \"app.py\"]\n",
        ),
        ("app.py", FLASK_APP),
    ];
    assert_eq!(found("RT001", &files), [pair("app.py", "app.run")]);
}

#[test]
fn uvicorn_run_in_a_fastapi_file_is_a_production_server() {
    let files = [
        ("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD [\"python\", \"main.py\"]\n"),
        (
            "main.py",
            "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n\nif __name__ == \"__main__\":\n    uvicorn.run(app, host=\"0.0.0.0\", port=8000)\n",
        ),
    ];
    assert!(found("RT001", &files).is_empty());
}

#[test]
fn a_development_build_target_is_not_a_production_command() {
    // The voting app's shape: compose builds the `dev` stage; the final stage runs gunicorn.
    let files = [
        (
            "vote/Dockerfile",
            "FROM python:3.11-slim AS base\nCOPY . /app\nFROM base AS dev\nCMD [\"python\", \"app.py\"]\nFROM base AS final\nEXPOSE 80\nCMD [\"gunicorn\", \"app:app\", \"-b\", \"0.0.0.0:80\", \"--workers\", \"4\"]\n",
        ),
        ("vote/app.py", FLASK_APP),
        (
            "compose.yaml",
            "services:\n  vote:\n    build:\n      context: ./vote\n      target: dev\n    ports:\n      - \"8080:80\"\n",
        ),
    ];
    assert!(found("RT001", &files).is_empty());
    assert!(found("RT003", &files).is_empty());
}

#[test]
fn development_subcommands_land_on_their_words() {
    let files = [
        ("web/Dockerfile", "FROM python:3.12-slim\nCOPY . .\nCMD python manage.py runserver 0.0.0.0:8000\n"),
        ("api/Dockerfile", "FROM python:3.12-slim\nCOPY . .\nCMD [\"fastapi\", \"dev\", \"main.py\"]\n"),
        ("prod/Dockerfile", "FROM python:3.12-slim\nCOPY . .\nCMD [\"fastapi\", \"run\", \"--workers\", \"4\", \"main.py\"]\n"),
    ];
    let mut got = found("RT001", &files);
    got.sort();
    assert_eq!(
        got,
        [
            pair("api/Dockerfile", "fastapi\", \"dev"),
            pair("web/Dockerfile", "manage.py runserver"),
        ]
    );
}

#[test]
fn reload_in_an_entrypoint_script() {
    let files = [
        ("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nENTRYPOINT [\"/srv/scripts/start.sh\"]\n"),
        ("scripts/start.sh", "#!/bin/sh\n# never: uvicorn --reload\nalembic upgrade head\nexec uvicorn app.main:app --host 0.0.0.0 --reload\n"),
    ];
    assert_eq!(
        found("RT001", &files),
        [pair("scripts/start.sh", "--reload")]
    );
}

#[test]
fn jobs_and_lambdas_are_not_judged() {
    let files = [
        (
            "Dockerfile",
            "FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py .\nCMD [\"app.handler\"]\n",
        ),
        (
            "tool/Dockerfile",
            "FROM python:3.12-slim\nENTRYPOINT [\"mytool\", \"--reload\"]\n",
        ),
    ];
    assert!(found("RT001", &files).is_empty());
    assert!(found("RT002", &files).is_empty());
}

#[test]
fn gunicorn_with_async_workers_threads_env_or_config_is_not_single() {
    let base = "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\n";
    for (cmd, extra) in [
        (
            "CMD gunicorn -k uvicorn.workers.UvicornWorker app.main:app",
            "",
        ),
        ("CMD gunicorn --threads 8 app:app", ""),
        ("ENV WEB_CONCURRENCY=4\nCMD gunicorn app:app", ""),
        ("CMD gunicorn app:app", "gunicorn.conf.py"),
    ] {
        let dockerfile = format!("{base}{cmd}\n");
        let mut files = vec![("Dockerfile", dockerfile.as_str())];
        if !extra.is_empty() {
            files.push((extra, "workers = 4\n"));
        }
        assert!(found("RT002", &files).is_empty(), "{cmd}");
    }
    let files = [(
        "Dockerfile",
        "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD gunicorn -b :8000 app:app\n",
    )];
    assert_eq!(found("RT002", &files), [pair("Dockerfile", "gunicorn")]);
}

#[test]
fn uvicorn_without_workers_is_accepted() {
    let files = [("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]\n")];
    assert!(found("RT002", &files).is_empty());
}

#[test]
fn a_default_port_disagreeing_with_expose() {
    let files = [("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 80\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\"]\n")];
    assert_eq!(found("RT003", &files), [pair("Dockerfile", "80")]);
    // An environment variable the server reads can move the port: nothing is known then.
    let files = [("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nENV UVICORN_PORT=80\nEXPOSE 80\nCMD [\"uvicorn\", \"app:app\"]\n")];
    assert!(found("RT003", &files).is_empty());
}

#[test]
fn the_odd_compose_port_is_the_one_flagged() {
    let files = [
        ("api/Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD [\"uvicorn\", \"app:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    build: ./api\n    ports:\n      - \"8080:80\"\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/health\"]\n",
        ),
    ];
    assert_eq!(found("RT003", &files), [pair("compose.yaml", "8080:80")]);
}

#[test]
fn one_known_port_is_nothing_to_compare() {
    let files = [("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:$PORT\", \"-w\", \"2\", \"app:app\"]\n")];
    assert!(found("RT003", &files).is_empty());
}

#[test]
fn lists_and_capitals() {
    let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
    assert_eq!(super::and_list(&items), "a, b and c");
    assert_eq!(super::capitalized("the port"), "The port");
}

#[test]
fn a_procfile_web_process_is_read_for_development_servers_only() {
    let files = [(
        "Procfile",
        "release: python manage.py migrate\nweb: flask --app shop run --host 0.0.0.0 --port $PORT\n",
    )];
    assert_eq!(
        found("RT001", &files),
        [pair("Procfile", "flask --app shop run")]
    );
    // Heroku sets WEB_CONCURRENCY, which gunicorn reads: a Procfile's gunicorn is not single.
    let files = [("Procfile", "web: gunicorn shop:app\n")];
    assert!(found("RT001", &files).is_empty());
    assert!(found("RT002", &files).is_empty());
}

#[test]
fn commands_in_a_branch_say_nothing() {
    let files = [
        ("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD [\"/srv/run.sh\"]\n"),
        (
            "run.sh",
            "#!/bin/sh\nif [ \"$APP_ENV\" = \"development\" ]; then\n  exec uvicorn app:app --reload\nfi\nexec gunicorn -w 4 -k uvicorn.workers.UvicornWorker app:app\n",
        ),
    ];
    assert!(found("RT001", &files).is_empty());
    assert!(found("RT002", &files).is_empty());
}

#[test]
fn a_stack_of_several_services_gets_each_finding_at_its_own_place() {
    let files = [
        (
            "web/Dockerfile",
            "FROM python:3.12-slim AS base\nCOPY . /srv\nEXPOSE 5000\n\nFROM base\nHEALTHCHECK CMD curl -f http://localhost:5000/ping || exit 1\nENTRYPOINT [\"/srv/boot.sh\"]\n",
        ),
        ("web/boot.sh", "#!/bin/sh\nflask db upgrade\nexec gunicorn -b :5000 shop:app\n"),
        (
            "api/Dockerfile",
            "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\"]\n",
        ),
        ("proxy/Dockerfile", "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n"),
        (
            "compose.prod.yaml",
            "services:\n  web:\n    build: ./web\n    environment:\n      SHOP_ENV: production\n  api:\n    build: ./api\n    command: uvicorn main:app --host 0.0.0.0 --port 8001 --reload\n  worker:\n    build: ./api\n    command: python -m jobs.run\n  proxy:\n    build: ./proxy\n    ports:\n      - \"80:80\"\n",
        ),
    ];
    assert_eq!(
        found("RT001", &files),
        [pair("compose.prod.yaml", "--reload")]
    );
    assert_eq!(found("RT002", &files), [pair("web/boot.sh", "gunicorn")]);
    // api: compose's command binds 8001 while the image says EXPOSE 8000; a tie, so the bind is the truth.
    assert_eq!(found("RT003", &files), [pair("api/Dockerfile", "8000")]);
}

#[test]
fn without_the_servers_port_a_management_probe_is_no_mismatch() {
    let files = [(
        "Dockerfile",
        "FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nEXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8081/actuator/health || exit 1\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
    )];
    assert!(found("RT003", &files).is_empty());
}

#[test]
fn each_simple_command_of_a_compose_command_is_read_on_its_own() {
    let files = [
        ("Dockerfile", "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\n"),
        (
            "compose.yaml",
            "services:\n  web:\n    build: .\n    command: sh -c \"flask db upgrade && gunicorn -b :8000 shop:app\"\n    ports:\n      - \"8000:8000\"\n",
        ),
    ];
    assert_eq!(found("RT002", &files), [pair("compose.yaml", "gunicorn")]);
}

#[test]
fn removing_reload_closes_the_gap_and_changes_nothing_else() {
    let compose = "services:\n  api:\n    build: .\n    restart: unless-stopped\n    command: [\"uvicorn\", \"main:app\", \"--reload\", \"--port\", \"8000\"]\n    ports:\n      - \"8000:8000\"\n";
    let dockerfile = "FROM python:3.12-slim\nCOPY . /srv\nEXPOSE 8000\nCMD [\"uvicorn\", \"main:app\", \"--port\", \"8000\"]\n";
    let before = Workspace::from_texts([("compose.yaml", compose), ("Dockerfile", dockerfile)]);
    let audit_before = audit(&before, Profile::Standard);
    let Some(fix) = audit_before
        .findings
        .iter()
        .find(|f| f.code == "RT001")
        .and_then(|f| f.fix.clone())
    else {
        panic!("no RT001 fix: {:#?}", audit_before.findings);
    };
    assert_eq!(fix.applicability, crate::Applicability::Safe);
    let mut fixed = compose.to_owned();
    for edit in &fix.edits {
        let crate::Edit::Replace {
            file,
            range,
            new_text,
        } = edit
        else {
            panic!("the fix creates a file");
        };
        assert_eq!(file, "compose.yaml");
        fixed.replace_range(range.start..range.end, new_text);
    }
    assert_eq!(
        fixed,
        "services:\n  api:\n    build: .\n    restart: unless-stopped\n    command: [\"uvicorn\", \"main:app\", \"--port\", \"8000\"]\n    ports:\n      - \"8000:8000\"\n"
    );
    let after =
        Workspace::from_texts([("compose.yaml", fixed.as_str()), ("Dockerfile", dockerfile)]);
    let errors = |ws: &Workspace| {
        ws.files()
            .iter()
            .map(|f| f.facts.errors().len())
            .sum::<usize>()
    };
    assert!(errors(&after) <= errors(&before));
    let audit_after = audit(&after, Profile::Standard);
    assert!(audit_after.findings.iter().all(|f| f.code != "RT001"));
    let others = |a: &crate::Audit| {
        let mut v: Vec<(String, String)> = a
            .findings
            .iter()
            // DK010 (only a development compose file) was the same `--reload`, seen from the compose side.
            .filter(|f| f.code != "RT001" && f.code != "DK010")
            .map(|f| (f.code.to_owned(), f.message.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(others(&audit_before), others(&audit_after));
}
