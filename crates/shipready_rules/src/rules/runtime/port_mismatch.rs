//! ## What it checks
//! That the ports a service container's pieces name agree: the port the server binds (`--port`, `--bind`,
//! `-b`, `manage.py runserver 0.0.0.0:80`, `app.run(port=...)`, else the server's default: 8000 for uvicorn,
//! gunicorn, `fastapi run` and `runserver`, 5000 for `flask run`), the image's `EXPOSE`, the container side
//! of the compose `ports` of the service that builds the image, and the port of the local URL its health
//! check requests (compose `healthcheck`, else the image's `HEALTHCHECK`; `http://localhost/` is port 80).
//!
//! A port filled in at run time (`$PORT` with no default) is unknown, and so is a default that an
//! environment variable the server reads (`PORT` for gunicorn, `UVICORN_PORT`, `FLASK_RUN_PORT`,
//! `GUNICORN_CMD_ARGS`) or a gunicorn config file can move. The rule compares only when the server's port is
//! known and at least one other place names a port: without the server's own port, a probe of a management
//! port beside the traffic port is not a mistake anyone can tell from the files. The finding sits on the odd
//! one out: the place whose port none of the others has, the others named in the message. When two places
//! disagree with nothing to break the tie, the server's bind is taken as the truth.
//!
//! ## Why it matters
//! Each piece only works on the port the server really listens on. Compose forwarding to another port gives
//! connection refused; a health check on the wrong port marks a healthy container unhealthy and gets it
//! restarted in a loop; a wrong `EXPOSE` misleads whoever wires the image into a platform.
//!
//! ## Example
//! ```dockerfile
//! EXPOSE 8080
//! HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
//! CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
//! ```
//!
//! ## Fix
//! ```dockerfile
//! EXPOSE 8000
//! ```

use shipready_syntax::FileFacts;
use shipready_text::TextRange;

use super::launch::{python_entry, runtimes, server_in, Runtime, Server};
use super::ports::{default_port, flag_port, leading_port, local_url_port, runserver_port};
use crate::fixes::port::container_port;
use crate::index::docker::{chain, healthcheck};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "port-mismatch",
    category: Category::Runtime,
    severity: Severity::High,
    title: "The server's port, EXPOSE, compose ports and the probe disagree",
    impact: "Traffic or health checks go to a port nothing listens on: connection refused or a restart loop.",
    recommendation: "Use the port the server binds everywhere: EXPOSE, the compose ports target and the probe URL.",
    effort: "15 minutes",
    source: include_str!("port_mismatch.rs"),
    check,
};

/// Where a port is named, in the order that breaks a tie (the server's bind is what really listens).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Bind,
    Compose,
    Probe,
    Expose,
}

/// One place and the ports it names, each with its file and range.
struct Source<'a> {
    place: Place,
    label: String,
    ports: Vec<(u16, &'a str, TextRange)>,
}

fn check(ctx: &Context) -> Outcome {
    let runtimes = runtimes(ctx);
    if runtimes.is_empty() {
        return super::not_applicable("no service container");
    }
    let mut compared = 0;
    let mut findings: Vec<Finding> = Vec::new();
    for rt in &runtimes {
        let sources = sources(ctx, rt);
        // Without the server's own port, EXPOSE, compose and the probe may name different ports on purpose (a
        // management or metrics port probed beside the traffic port): nothing says which one is wrong.
        if sources.len() < 2 || !sources.iter().any(|s| s.place == Place::Bind) {
            continue;
        }
        compared += 1;
        let Some(reference) = reference(&sources) else {
            continue;
        };
        for odd in sources
            .iter()
            .filter(|s| !s.ports.iter().any(|p| p.0 == reference))
        {
            let Some(&(port, file, range)) = odd.ports.first() else {
                continue;
            };
            if findings
                .iter()
                .any(|f| f.file.as_deref() == Some(file) && f.range == Some(range))
            {
                continue;
            }
            let others: Vec<String> = sources
                .iter()
                .filter(|s| s.place != odd.place)
                .map(|s| format!("{} is {}", s.label, ports_text(s)))
                .collect();
            let within = match rt.service {
                Some((_, service)) => format!(" for compose service `{}`", service.name.value),
                None => String::new(),
            };
            let mut finding = Finding::at(
                file,
                range,
                super::capitalized(&format!(
                    "{} is {port}{within}, but {}: use {reference} everywhere.",
                    odd.label,
                    super::and_list(&others),
                )),
            );
            for s in sources.iter().filter(|s| s.place != odd.place) {
                if let Some(&(p, f, r)) = s.ports.first() {
                    finding = finding.with_related(f, r, format!("{} is {p}", s.label));
                }
            }
            findings.push(finding);
        }
    }
    if compared == 0 {
        return super::not_applicable("no service container names its port in two places");
    }
    if findings.is_empty() {
        return Outcome::pass(
            format!(
                "ports agree in {}",
                super::super::plural(compared, "service container", "service containers")
            ),
            Vec::new(),
        );
    }
    let needed = findings.len();
    Outcome::fail(
        format!(
            "{} {} with the others",
            super::super::plural(needed, "port", "ports"),
            if needed == 1 { "disagrees" } else { "disagree" }
        ),
        findings,
    )
    .needing(needed)
}

fn ports_text(s: &Source) -> String {
    let ports: Vec<String> = s.ports.iter().map(|p| p.0.to_string()).collect();
    ports.join(", ")
}

/// The port most places name; a tie goes to the value of the highest-ranked place.
fn reference(sources: &[Source]) -> Option<u16> {
    let mut values: Vec<u16> = sources
        .iter()
        .flat_map(|s| s.ports.iter().map(|p| p.0))
        .collect();
    values.sort_unstable();
    values.dedup();
    let votes = |v: u16| {
        sources
            .iter()
            .filter(|s| s.ports.iter().any(|p| p.0 == v))
            .count()
    };
    let best = values.iter().map(|v| votes(*v)).max()?;
    let mut ranked: Vec<&Source> = sources.iter().collect();
    ranked.sort_by_key(|s| s.place);
    ranked
        .iter()
        .flat_map(|s| s.ports.iter().map(|p| p.0))
        .find(|v| votes(*v) == best)
}

/// The places of `rt` that name a port.
fn sources<'a>(ctx: &'a Context, rt: &Runtime<'a>) -> Vec<Source<'a>> {
    let mut out = Vec::new();
    if let Some(bind) = bind(ctx, rt) {
        out.push(bind);
    }
    if let Some((cfile, service)) = rt.service {
        let ports: Vec<(u16, &str, TextRange)> = service
            .ports
            .iter()
            .filter(|p| !p.value.contains('-'))
            .filter_map(|p| Some((container_port(&p.value)?, cfile.path.as_str(), p.range)))
            .collect();
        if !ports.is_empty() {
            out.push(Source {
                place: Place::Compose,
                label: format!(
                    "the container port compose `{}` publishes",
                    service.name.value
                ),
                ports,
            });
        }
    }
    if let Some(probe) = probe(rt) {
        out.push(probe);
    }
    // EXPOSE accumulates through the stages an image is built `FROM`.
    let mut exposed = Vec::new();
    for stage in chain(rt.facts, rt.stage) {
        for e in &stage.exposes {
            let source = e.range.slice(&rt.dockerfile.text);
            for word in e.value.split_whitespace() {
                let Some(port) = leading_port(word) else {
                    continue;
                };
                let range = match source.find(word) {
                    Some(at) if source == e.value => {
                        TextRange::new(e.range.start + at, e.range.start + at + word.len())
                    }
                    _ => e.range,
                };
                exposed.push((port, rt.dockerfile.path.as_str(), range));
            }
        }
    }
    if !exposed.is_empty() {
        out.push(Source {
            place: Place::Expose,
            label: format!("EXPOSE in {}", rt.dockerfile.path),
            ports: exposed,
        });
    }
    out
}

/// The port the server binds, read from its arguments or from the `app.run(port=...)` of the file it runs.
fn bind<'a>(ctx: &'a Context, rt: &Runtime<'a>) -> Option<Source<'a>> {
    for segment in &rt.segments {
        if let Some(call) = server_in(segment) {
            let found = match call.server {
                Server::Runserver => runserver_port(call.args),
                _ => flag_port(call.args),
            };
            if let Some((port, word)) = found {
                return Some(Source {
                    place: Place::Bind,
                    label: format!("the port {} binds", call.server.name()),
                    ports: vec![(port, word.file, word.range)],
                });
            }
            let port = default_port(ctx, rt, call.server, call.args)?;
            return Some(Source {
                place: Place::Bind,
                label: format!("the default port of {}", call.server.name()),
                ports: vec![(port, call.file, call.head)],
            });
        }
        if let Some(py) = python_entry(ctx, &rt.context, segment) {
            let FileFacts::Python(facts) = &py.facts else {
                return None;
            };
            let runner = facts.web.runners.first()?;
            return Some(Source {
                place: Place::Bind,
                label: format!("the port app.run() in {} uses", py.path),
                ports: vec![(runner.port?, py.path.as_str(), runner.range)],
            });
        }
    }
    None
}

/// The port of the local URL the container's health check requests: the compose service's `healthcheck`,
/// else the image's `HEALTHCHECK`.
fn probe<'a>(rt: &Runtime<'a>) -> Option<Source<'a>> {
    let (file, range, command, label) = match rt
        .service
        .and_then(|(f, s)| Some((f, s.healthcheck.as_ref()?)))
    {
        Some((f, h)) => {
            if h.disabled {
                return None;
            }
            (
                f,
                h.range,
                h.test.as_str(),
                "the port the compose healthcheck requests",
            )
        }
        None => {
            let h = healthcheck(rt.facts, rt.stage).filter(|h| !h.disabled)?;
            (
                rt.dockerfile,
                h.range,
                h.command.as_str(),
                "the port the HEALTHCHECK requests",
            )
        }
    };
    let (port, url) = local_url_port(command)?;
    let source = range.slice(&file.text);
    let range = source
        .find(url)
        .map(|at| TextRange::new(range.start + at, range.start + at + url.len()))
        .unwrap_or(range);
    Some(Source {
        place: Place::Probe,
        label: label.to_owned(),
        ports: vec![(port, file.path.as_str(), range)],
    })
}
