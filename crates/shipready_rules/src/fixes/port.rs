//! The port an image's app really binds, for the probes the fixes write: the image's start command
//! (`gunicorn -b 0.0.0.0:5000`, `uvicorn --port 8080`), the `command:` of a compose service that builds the image,
//! the app's runner (`app.run(port=5000)`), an `ENV PORT=`, `EXPOSE`, the container side of the compose service's
//! `ports`, and only then the server's default (8000 for uvicorn, gunicorn and hypercorn, 5000 for Flask).

use shipready_syntax::compose::ComposeService;
use shipready_syntax::dockerfile::{DockerfileFacts, Stage};
use shipready_syntax::python::web::Framework;
use shipready_syntax::FileFacts;

use crate::index::docker::{chain, compose};
use crate::Context;

/// The image a probe is written for.
#[derive(Clone, Copy)]
pub(crate) struct Image<'a> {
    /// The Dockerfile's workspace path.
    pub path: &'a str,
    /// The compose `build.target` the stage was chosen by, if any.
    pub target: Option<&'a str>,
    pub facts: &'a DockerfileFacts,
    pub stage: &'a Stage,
    /// The stage's ENTRYPOINT and CMD arguments, joined.
    pub command: &'a str,
}

/// The port the server listens on, and whether it was read rather than assumed.
pub(crate) fn port(
    ctx: &Context,
    image: Image,
    framework: Option<Framework>,
    app: Option<usize>,
) -> (u16, bool) {
    let services = services_building(ctx, image.path, image.target);
    let read = port_in_command(image.command)
        .or_else(|| {
            services
                .iter()
                .filter_map(|s| s.command.as_ref())
                .find_map(|c| port_in_command(&c.value))
        })
        .or_else(|| runner_port(ctx, app))
        .or_else(|| env_port(image.facts, image.stage))
        .or_else(|| {
            // EXPOSE carries over from the stage this one is built `FROM`.
            chain(image.facts, image.stage)
                .into_iter()
                .flat_map(|s| s.exposes.iter())
                .find_map(|e| leading_number(&e.value))
        })
        .or_else(|| {
            services
                .iter()
                .flat_map(|s| &s.ports)
                .find_map(|p| container_port(&p.value))
        });
    if let Some(p) = read {
        return (p, true);
    }
    let words: Vec<&str> = image.command.split_whitespace().collect();
    let has = |w: &str| words.iter().any(|x| x.ends_with(w));
    if has("uvicorn") || has("gunicorn") || has("hypercorn") {
        (8000, true)
    } else if has("flask") {
        (5000, true)
    } else if framework == Some(Framework::Flask) {
        (5000, false)
    } else {
        (8000, false)
    }
}

/// The compose services that build the Dockerfile at `path` (with the same `target`, when one is given), from
/// the index's list of compose builds.
fn services_building<'c>(
    ctx: &'c Context,
    path: &str,
    target: Option<&str>,
) -> Vec<&'c ComposeService> {
    ctx.index
        .docker()
        .builds
        .iter()
        .filter(|b| {
            b.paths.dockerfile == path && (target.is_none() || b.target.as_deref() == target)
        })
        .filter_map(|b| {
            let c = compose(&ctx.workspace.file(&b.compose)?.facts)?;
            c.services.iter().find(|s| s.name.value == b.service)
        })
        .collect()
}

fn runner_port(ctx: &Context, app: Option<usize>) -> Option<u16> {
    let node = ctx.index.web().apps.get(app?)?;
    let FileFacts::Python(py) = &ctx.workspace.file(&node.file)?.facts else {
        return None;
    };
    py.web.runners.iter().find_map(|r| r.port)
}

/// `ENV PORT=5000` in the stage or a stage it is built from, the nearest first.
fn env_port(facts: &DockerfileFacts, stage: &Stage) -> Option<u16> {
    chain(facts, stage).into_iter().find_map(|s| {
        s.env
            .iter()
            .rev()
            .find(|e| e.key == "PORT")
            .and_then(|e| port_value(&e.value))
    })
}

/// The container side of a compose port mapping: `5000`, `8080:5000`, `127.0.0.1:8080:5000/tcp`.
pub(crate) fn container_port(mapping: &str) -> Option<u16> {
    let mapping = mapping.trim_matches(['"', '\'']);
    let without_protocol = mapping.split('/').next().unwrap_or(mapping);
    let container = without_protocol
        .rsplit(':')
        .next()
        .unwrap_or(without_protocol);
    // A range (`8000-8010`) starts at its first port.
    leading_number(container)
}

/// `--port 80`, `--port=80`, `-p 80`, `-b host:80`, `--bind=host:80`, with `${PORT:-80}` read as 80.
pub(crate) fn port_in_command(command: &str) -> Option<u16> {
    let words: Vec<&str> = command.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v)),
            _ => (*w, None),
        };
        let value = || inline.or_else(|| words.get(i + 1).copied());
        match flag {
            "--port" | "-p" => {
                if let Some(p) = value().and_then(port_value) {
                    return Some(p);
                }
            }
            "--bind" | "-b" => {
                if let Some(p) = value()
                    .and_then(|v| v.rsplit_once(':'))
                    .and_then(|(_, p)| port_value(p))
                {
                    return Some(p);
                }
            }
            _ => {}
        }
    }
    None
}

fn port_value(v: &str) -> Option<u16> {
    let v = v.trim_matches(['"', '\'', ',', '{', '}']);
    let v = v.rsplit_once(":-").map(|(_, d)| d).unwrap_or(v);
    leading_number(v)
}

fn leading_number(v: &str) -> Option<u16> {
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_in_commands() {
        assert_eq!(
            port_in_command("uvicorn app:app --host 0.0.0.0 --port 80"),
            Some(80)
        );
        assert_eq!(port_in_command("uvicorn app:app --port=9000"), Some(9000));
        assert_eq!(
            port_in_command("gunicorn -b 0.0.0.0:8080 app:app"),
            Some(8080)
        );
        assert_eq!(port_in_command("gunicorn --bind=:7000 app:app"), Some(7000));
        assert_eq!(
            port_in_command("sh -c uvicorn a:b --port ${PORT:-8001}"),
            Some(8001)
        );
        assert_eq!(port_in_command("uvicorn app:app"), None);
    }

    #[test]
    fn container_side_of_port_mappings() {
        assert_eq!(container_port("5000"), Some(5000));
        assert_eq!(container_port("\"8080:5000\""), Some(5000));
        assert_eq!(container_port("127.0.0.1:8080:5000/tcp"), Some(5000));
        assert_eq!(container_port("${WEB_PORT}:80"), Some(80));
        assert_eq!(container_port("${WEB_PORT}"), None);
    }
}
