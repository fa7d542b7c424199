//! ## What it checks
//! That gunicorn, when a service container starts it with its default synchronous workers, runs more than one
//! of them: `-w`/`--workers`, `--threads`, a `WEB_CONCURRENCY` or `GUNICORN_CMD_ARGS` in the image's `ENV` or
//! the compose service's `environment`, or a configuration file (`-c`, a `gunicorn.conf.py` in the build
//! context) that can set them. The command read is the one the container runs (see RT001).
//!
//! A `Procfile` is not judged: Heroku and its kin set `WEB_CONCURRENCY` for the dyno, which gunicorn reads.
//!
//! Not judged, by design: uvicorn, hypercorn, `fastapi run` and gunicorn with an asynchronous or threaded
//! worker class (`-k uvicorn.workers.UvicornWorker`, `gevent`, `eventlet`, `gthread`). One event-loop process
//! per container, with the orchestrator (Kubernetes, ECS, Cloud Run, compose `replicas`) scaling containers,
//! is a legitimate design: on the corpus of real repositories such single-process containers are the rule
//! and reviewers do not object. A synchronous gunicorn worker is different: it serves exactly one request at a
//! time, so a single slow request stalls the whole container whatever the orchestrator does.
//!
//! ## Why it matters
//! gunicorn starts one synchronous worker unless told otherwise. That process handles one request at a time:
//! every other request waits in the socket backlog, health probes time out behind a slow request, and the
//! container's other cores sit idle.
//!
//! ## Example
//! ```sh
//! exec gunicorn -b :5000 app:app
//! ```
//!
//! ## Fix
//! ```sh
//! exec gunicorn -b :5000 --workers 4 app:app
//! ```
//! or set `WEB_CONCURRENCY` in the image or the service's environment.

use super::launch::{has_option, option_value, runtimes, server_in, Server};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "single-sync-worker",
    category: Category::Runtime,
    severity: Severity::Medium,
    title: "gunicorn serves with one synchronous worker",
    impact: "One request at a time per container: a slow request stalls every other one, probes included.",
    recommendation: "Set --workers (or WEB_CONCURRENCY), or use threads or an asynchronous worker class.",
    effort: "15 minutes",
    source: include_str!("single_worker.rs"),
    check,
};

/// Environment variables gunicorn reads its worker count or extra arguments from.
const ENV: &[&str] = &["WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"];

fn check(ctx: &Context) -> Outcome {
    let runtimes = runtimes(ctx);
    let mut judged = 0;
    let mut findings: Vec<Finding> = Vec::new();
    for rt in &runtimes {
        for segment in &rt.segments {
            let Some(call) = server_in(segment) else {
                continue;
            };
            if call.server != Server::Gunicorn {
                continue;
            }
            judged += 1;
            let args = call.args;
            let class = option_value(args, &["-k"], &["--worker-class"]);
            let configured = has_option(args, &["-w"], &["--workers"])
                || has_option(args, &["-c"], &["--config"])
                || has_option(args, &[], &["--threads"])
                || class.is_some_and(|k| k != "sync")
                || rt.sets_env(ENV)
                || rt.has_gunicorn_config(ctx);
            if configured {
                continue;
            }
            let head = call.head;
            if findings
                .iter()
                .any(|f| f.file.as_deref() == Some(call.file) && f.range == Some(head))
            {
                continue;
            }
            findings.push(Finding::at(
                call.file,
                head,
                super::capitalized(&format!(
                    "{} starts gunicorn with its default single synchronous worker: one request at a time. Add `--workers N` (2-4 per core) or set WEB_CONCURRENCY.",
                    rt.name()
                )),
            ));
        }
    }
    if judged == 0 {
        return super::not_applicable("no service container starts gunicorn");
    }
    if findings.is_empty() {
        return Outcome::pass("gunicorn runs more than one worker", Vec::new());
    }
    let needed = findings.len();
    Outcome::fail(
        format!(
            "{} with one synchronous worker",
            super::super::plural(needed, "gunicorn start", "gunicorn starts")
        ),
        findings,
    )
    .needing(needed)
}
