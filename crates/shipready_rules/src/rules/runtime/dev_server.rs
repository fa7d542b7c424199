//! ## What it checks
//! That a service container does not start a development server or auto-reload: `--reload` on uvicorn,
//! gunicorn or hypercorn, `flask run`, `fastapi dev`, Django's `manage.py runserver`, or a Python file run
//! with `python app.py` whose Flask `app.run(...)` starts Werkzeug's server. The command read is the one the
//! container runs: the compose `command:` of the service that builds the image, else the final stage's (or
//! the compose build target's) `ENTRYPOINT`/`CMD`, and the shell scripts and Python files that command runs.
//! A `Procfile`'s `web` process is read too. Development compose files and Dockerfiles, and compose services
//! that build a development stage (`target: dev`, `debug`, `test`), are not production and are not judged;
//! nor are CLI, job or Lambda images, nor commands inside an `if`/`case` branch of a start script (which one
//! runs depends on the environment at start).
//!
//! ## Why it matters
//! Development servers are built for one developer: Werkzeug and `runserver` say so on start, serve requests
//! one by one or in unbounded threads, and have no worker management, timeouts or graceful restarts.
//! Auto-reload watches the filesystem, restarts the app on any change and uses a single process. With debug
//! on, Werkzeug's debugger runs arbitrary code for whoever reaches an error page.
//!
//! ## Example
//! ```dockerfile
//! CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--reload"]
//! ```
//!
//! ## Fix
//! ```dockerfile
//! CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--workers", "4"]
//! ```
//! For Flask, run `gunicorn -w 4 -b 0.0.0.0:8000 app:app` instead of `flask run` or `python app.py`; for
//! Django, `gunicorn project.wsgi`; for the FastAPI CLI, `fastapi run`.

use shipready_syntax::FileFacts;
use shipready_text::TextRange;

use super::launch::{procfile_web, python_entry, runtimes, server_in, Segment, Server, Word};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "development-server",
    category: Category::Runtime,
    severity: Severity::High,
    title: "A service runs a development server or auto-reload",
    impact: "A server built for one developer: no worker management, reloads on file changes, and a debugger that runs code when debug is on.",
    recommendation: "Start a production server (gunicorn, uvicorn without --reload, fastapi run) in the image's command.",
    effort: "30 minutes",
    source: include_str!("dev_server.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let mut launches: Vec<(String, String, Vec<Segment>)> = runtimes(ctx)
        .into_iter()
        .map(|rt| (rt.name(), rt.context.clone(), rt.segments))
        .collect();
    launches.extend(procfile_web(ctx));
    if launches.is_empty() {
        return super::not_applicable("no service container or web process");
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut push = |f: Finding| {
        if !findings
            .iter()
            .any(|g| g.file == f.file && g.range == f.range)
        {
            findings.push(f);
        }
    };
    for (who, context, segments) in &launches {
        for segment in segments {
            if let Some(call) = server_in(segment) {
                if let Some((file, range, message)) =
                    development(&call.server, call.file, call.head, call.args, who)
                {
                    let fix = ctx
                        .workspace
                        .file(file)
                        .and_then(|f| super::reload_fix::remove_reload(f, range));
                    push(Finding::at(file, range, super::capitalized(&message)).with_fix(fix));
                }
                continue;
            }
            if let Some(py) = python_entry(ctx, context, segment) {
                if let Some((range, debug)) = flask_run(py) {
                    let debug = if debug {
                        " with debug on (Werkzeug's debugger runs code for anyone who reaches an error page)"
                    } else {
                        ""
                    };
                    push(Finding::at(
                        &py.path,
                        range,
                        super::capitalized(&format!(
                            "{who} runs `python {}`, whose `app.run()` starts Flask's development server{debug}. Serve the app with gunicorn instead.",
                            py.name()
                        )),
                    ));
                }
            }
        }
    }
    let n = launches.len();
    let judged = super::super::plural(n, "server start", "server starts");
    if findings.is_empty() {
        return Outcome::pass(format!("{judged}, no development server"), Vec::new());
    }
    let needed = findings.len();
    Outcome::fail(
        format!(
            "{} in {judged}",
            super::super::plural(
                needed,
                "development server or reload flag",
                "development servers or reload flags"
            )
        ),
        findings,
    )
    .needing(needed)
}

/// The development flag or server of a server call, as `(file, range, message)`.
fn development<'a>(
    server: &Server,
    file: &'a str,
    head: TextRange,
    args: &[Word<'a>],
    who: &str,
) -> Option<(&'a str, TextRange, String)> {
    match server {
        Server::Uvicorn | Server::Gunicorn | Server::Hypercorn | Server::FastapiRun => {
            let reload = args.iter().find(|w| {
                w.text == "--reload"
                    || w.text.starts_with("--reload=") && !w.text.ends_with("=false")
            })?;
            Some((
                reload.file,
                reload.range,
                format!(
                    "{who} starts {} with `--reload`: one process that watches files and restarts on changes. Remove it in production.",
                    server.name()
                ),
            ))
        }
        Server::FlaskRun | Server::FastapiDev | Server::Runserver => {
            let what = match server {
                Server::FlaskRun => {
                    "Flask's development server (Werkzeug); serve the app with gunicorn"
                }
                Server::FastapiDev => "uvicorn with auto-reload for development; use `fastapi run`",
                _ => "Django's development server; serve the project with gunicorn or uvicorn",
            };
            Some((
                file,
                head,
                format!("{who} starts `{}`: {what}.", server.name()),
            ))
        }
    }
}

/// A Flask `app.run(...)` in `py`: the range of `app.run`, and whether it passes `debug=True`.
fn flask_run(py: &crate::SourceFile) -> Option<(TextRange, bool)> {
    let FileFacts::Python(facts) = &py.facts else {
        return None;
    };
    let flask = facts
        .imports
        .iter()
        .any(|i| i.module == "flask" || i.module.starts_with("flask."))
        || facts
            .web
            .apps
            .iter()
            .any(|a| a.framework == shipready_syntax::python::web::Framework::Flask);
    if !flask {
        return None;
    }
    facts.web.runners.iter().find_map(|r| {
        let call = r.range.slice(&py.text);
        let callee = call.split('(').next().unwrap_or("").trim_end();
        let root = callee.split('.').next().unwrap_or("");
        if !callee.ends_with(".run") || matches!(root, "uvicorn" | "hypercorn") {
            return None;
        }
        let args: String = call.chars().filter(|c| !c.is_whitespace()).collect();
        let range = TextRange::new(r.range.start, r.range.start + callee.len());
        Some((range, args.contains("debug=True")))
    })
}
