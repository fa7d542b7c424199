//! ## What it checks
//! That a Python web service leaves a trace of its requests and messages: either its code configures logging
//! (`logging.basicConfig`, `logging.config.dictConfig`/`fileConfig`, a handler added with `addHandler`,
//! structlog, loguru, python-json-logger, AWS Lambda Powertools' `Logger`; not Alembic's `env.py`, which only
//! runs for migrations), or the server that starts it logs
//! by itself. uvicorn, hypercorn, `fastapi run`, uWSGI and the Flask/Django development servers print every
//! request by default and pass. gunicorn does not: without `--access-logfile`, `--log-config`, a config file
//! (`-c`, `gunicorn.conf.py`) or logging set up in the code, it writes no access log at all. Not judged: a
//! service behind an nginx container of the same compose project (nginx logs every request by default), and
//! one started by a Procfile or bound to the platform's `$PORT` (Heroku, Render and Cloud Run routers log
//! every request they route).
//!
//! ## Why it matters
//! Without request logs an incident has no timeline: which requests failed, how slow they were, from whom.
//! Python's root logger prints only warnings and errors, so the app's own `logger.info(...)` lines are lost
//! too.
//!
//! ## Example
//! ```dockerfile
//! CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
//! ```
//!
//! ## Fix
//! ```dockerfile
//! CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--error-logfile", "-", "app:app"]
//! ```
//! The quick fix inserts `--access-logfile -` after `gunicorn` in the command that starts it. Or configure
//! logging once at start-up (`logging.config.dictConfig(...)`, structlog, loguru) with a JSON
//! formatter the log platform can index.

use shipready_syntax::{FileFacts, FileKind};
use shipready_text::TextRange;

use crate::index::docker::{command, compose, dockerfile, final_stage};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-configured-logging",
    category: Category::Observability,
    severity: Severity::Low,
    title: "A service configures no logging and its server logs no requests",
    impact: "Incidents have no request trail, and the app's info-level messages are dropped.",
    recommendation: "Pass --access-logfile - to gunicorn, or configure logging (dictConfig, structlog, loguru) at start-up.",
    effort: "15 minutes",
    source: include_str!("no_configured_logging.rs"),
    check,
};

/// Modules whose import means logging is set up (they install handlers or formatters of their own).
const LOGGING_MODULES: &[&str] = &[
    "structlog",
    "loguru",
    "pythonjsonlogger",
    "json_log_formatter",
];

/// gunicorn options that give it an access log or a logging configuration.
const GUNICORN_LOGGING: &[&str] = &[
    "--access-logfile",
    "--log-config",
    "--log-config-dict",
    "--log-config-json",
    "-c",
    "--config",
];

/// A command that starts the service, where it is written.
struct Start {
    file: String,
    range: TextRange,
    text: String,
}

/// How the unit's code sets logging up, if it does.
fn code_setup(ctx: &Context) -> Option<String> {
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        // Alembic's `env.py` configures logging for the migration command, not for the service.
        if file
            .path
            .split('/')
            .any(|part| part == "alembic" || part == "migrations")
        {
            continue;
        }
        if let Some(call) = py.observe.logging_setup.first() {
            return Some(format!("{} calls {}", file.path, call.value));
        }
        let import = py.imports.iter().find(|i| {
            i.level == 0 && LOGGING_MODULES.contains(&i.module.split('.').next().unwrap_or(""))
        });
        if let Some(i) = import {
            return Some(format!("{} uses {}", file.path, i.module));
        }
    }
    None
}

/// The commands that may start the service: service images' ENTRYPOINT/CMD (and the shell scripts they run),
/// compose `command:` values. A Procfile's processes run on a platform whose router logs requests, so they are
/// not read.
fn starts(ctx: &Context) -> Vec<Start> {
    let mut out = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        if !ctx.index.workload().image_serves(&file.path) {
            continue;
        }
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        let Some(stage) = final_stage(d) else {
            continue;
        };
        for c in command(d, stage).into_iter().flatten() {
            let text = c.args.join(" ");
            for word in c.args.iter().flat_map(|a| a.split_whitespace()) {
                if let Some(name) = word.strip_suffix(".sh").and_then(|w| w.rsplit('/').next()) {
                    out.extend(script_lines(ctx, &format!("{name}.sh")));
                }
            }
            out.push(Start {
                file: file.path.clone(),
                range: c.range,
                text,
            });
        }
    }
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            if let Some(cmd) = &service.command {
                out.push(Start {
                    file: file.path.clone(),
                    range: cmd.range,
                    text: cmd.value.clone(),
                });
            }
        }
    }
    out
}

/// A command bound to the port a platform injects (`$PORT`, `${PORT}`): Heroku, Render or Cloud Run, whose
/// routers log every request.
fn on_platform_port(text: &str) -> bool {
    text.contains("$PORT") || text.contains("${PORT")
}

/// The lines of the workspace's shell scripts named `name`, continuation lines joined.
fn script_lines(ctx: &Context, name: &str) -> Vec<Start> {
    ctx.workspace
        .of_kind(FileKind::Script)
        .filter(|f| f.name() == name)
        .flat_map(|f| lines(&f.path, &f.text))
        .collect()
}

/// Each logical line of a shell script (`\` continuations joined), comments left out.
fn lines(path: &str, text: &str) -> Vec<Start> {
    let mut out: Vec<Start> = Vec::new();
    let mut offset = 0;
    let mut open: Option<Start> = None;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end();
        let content = line.trim_start();
        let lead = line.len() - content.len();
        let continues = content.ends_with('\\');
        let piece = content.trim_end_matches('\\');
        match open.as_mut() {
            Some(current) => {
                current.text.push(' ');
                current.text.push_str(piece);
            }
            None if content.is_empty() || content.starts_with('#') => continue,
            None => {
                open = Some(Start {
                    file: path.to_owned(),
                    range: TextRange::new(start + lead, start + line.len()),
                    text: piece.to_owned(),
                })
            }
        }
        if !continues {
            out.extend(open.take());
        }
    }
    out.extend(open);
    out
}

/// Whether a command runs gunicorn, and if so whether it logs.
fn gunicorn_logs(text: &str) -> Option<bool> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', ',', '[', ']']))
        .collect();
    let at = words
        .iter()
        .position(|w| w.rsplit('/').next() == Some("gunicorn"))?;
    let logs = words[at..].iter().any(|w| {
        let option = w.split('=').next().unwrap_or(w);
        GUNICORN_LOGGING.contains(&option)
    });
    Some(logs)
}

/// gunicorn reads `gunicorn.conf.py` from its working directory by default.
fn has_gunicorn_config(ctx: &Context) -> bool {
    // Only `.py` files are in the workspace: a `.conf` one is not classified.
    ctx.workspace.of_kind(FileKind::Python).any(|f| {
        let name = f.name().to_ascii_lowercase();
        name.starts_with("gunicorn") && (name.ends_with(".py") || name.ends_with(".conf"))
    })
}

/// A compose service of the unit runs nginx (which logs every request it proxies).
fn nginx_in_front(ctx: &Context) -> bool {
    ctx.workspace.of_kind(FileKind::Compose).any(|file| {
        compose(&file.facts).is_some_and(|c| {
            c.services.iter().any(|s| {
                s.name.value.contains("nginx")
                    || s.image.as_ref().is_some_and(|i| i.value.contains("nginx"))
            })
        })
    })
}

fn check(ctx: &Context) -> Outcome {
    let index = ctx.index;
    if !index.workload().serves
        || index.workload().lambda_wrapped
        || index.web().served_apps().next().is_none()
    {
        return super::not_applicable("no Python web service");
    }
    if let Some(setup) = code_setup(ctx) {
        return Outcome::pass(setup, Vec::new());
    }
    let starts = starts(ctx);
    let silent: Vec<&Start> = starts
        .iter()
        .filter(|s| gunicorn_logs(&s.text) == Some(false) && !on_platform_port(&s.text))
        .collect();
    if silent.is_empty() || has_gunicorn_config(ctx) {
        return Outcome::pass("the server logs requests", Vec::new());
    }
    if nginx_in_front(ctx) {
        return super::not_applicable("nginx in front logs every request");
    }
    let findings: Vec<Finding> = silent
        .iter()
        .map(|s| {
            let fix = ctx
                .workspace
                .file(&s.file)
                .and_then(|f| crate::fixes::gunicorn_access_log::fix(&s.file, &f.text, s.range));
            Finding::at(
                &s.file,
                s.range,
                "gunicorn starts the service without an access log (--access-logfile -) and the code configures no logging: requests leave no trace. Add --access-logfile - or configure logging at start-up.",
            )
            .with_fix(fix)
        })
        .collect();
    Outcome::fail(
        "gunicorn logs no requests and the code configures no logging",
        findings,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gunicorn_commands() {
        assert_eq!(
            gunicorn_logs("gunicorn --bind 0.0.0.0:5000 manage:app"),
            Some(false)
        );
        assert_eq!(
            gunicorn_logs(
                "exec gunicorn -b :5000 --access-logfile - --error-logfile - microblog:app"
            ),
            Some(true)
        );
        assert_eq!(
            gunicorn_logs("gunicorn -c gunicorn_conf.py app:app"),
            Some(true)
        );
        assert_eq!(
            gunicorn_logs("gunicorn --log-config=logging.ini app:app"),
            Some(true)
        );
        assert_eq!(gunicorn_logs("uvicorn app:app"), None);
    }

    #[test]
    fn continuation_lines_join() {
        let got = lines(
            "run.sh",
            "#!/bin/sh\n\ngunicorn \\\n  --access-logfile - \\\n  app:app\necho done\n",
        );
        let texts: Vec<&str> = got.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            ["gunicorn  --access-logfile -  app:app", "echo done"]
        );
        assert_eq!(got[0].range, TextRange::new(11, 21));
    }
}
