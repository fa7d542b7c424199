//! Ports read from a server's words and from a probe's URL, for RT003: `--port`/`--bind` (through the fixes'
//! reading of a start command), `runserver`'s address, a server's default port when nothing can move it, and
//! the port of a local URL.

use super::launch::{Runtime, Server, Word};
use crate::fixes::port::port_in_command;
use crate::Context;

/// The port a server listens on when its command names none: 8000 for uvicorn, gunicorn, hypercorn, the
/// FastAPI CLI and `runserver`, 5000 for `flask run`. Unknown when anything else can choose it: an option
/// that binds elsewhere (a socket, a file descriptor, a config file), an environment variable the server reads
/// (`PORT` for gunicorn, `UVICORN_PORT`, `FLASK_RUN_PORT`, `GUNICORN_CMD_ARGS`), or a gunicorn config file.
pub(super) fn default_port(
    ctx: &Context,
    rt: &Runtime,
    server: Server,
    args: &[Word],
) -> Option<u16> {
    let other_binding = [
        "--uds", "--fd", "-c", "--config", "--bind", "-b", "--port", "-p",
    ]
    .iter()
    .any(|o| {
        args.iter()
            .any(|w| w.text == *o || w.text.starts_with(&format!("{o}=")))
    });
    let env = [
        "PORT",
        "UVICORN_PORT",
        "FLASK_RUN_PORT",
        "GUNICORN_CMD_ARGS",
        "HYPERCORN_BIND",
    ];
    if other_binding || rt.sets_env(&env) {
        return None;
    }
    match server {
        Server::Gunicorn if rt.has_gunicorn_config(ctx) => None,
        Server::Hypercorn => None,
        Server::FlaskRun => Some(5000),
        Server::Runserver => args.iter().all(|w| w.text.starts_with('-')).then_some(8000),
        _ => Some(8000),
    }
}

/// `--port 80`, `-b 0.0.0.0:80`, `--bind=:80`: the port and the word that holds it.
pub(super) fn flag_port<'s, 'a>(args: &'s [Word<'a>]) -> Option<(u16, &'s Word<'a>)> {
    for (i, w) in args.iter().enumerate() {
        if !w.text.starts_with('-') {
            continue;
        }
        if w.text.contains('=') {
            if let Some(p) = port_in_command(w.text) {
                return Some((p, w));
            }
            continue;
        }
        let next = args.get(i + 1)?;
        if let Some(p) = port_in_command(&format!("{} {}", w.text, next.text)) {
            return Some((p, next));
        }
    }
    None
}

/// `runserver 0.0.0.0:80` or `runserver 8000`: its first argument that is not an option.
pub(super) fn runserver_port<'s, 'a>(args: &'s [Word<'a>]) -> Option<(u16, &'s Word<'a>)> {
    let w = args.iter().find(|w| !w.text.starts_with('-'))?;
    let port = w.text.rsplit(':').next().and_then(leading_port)?;
    (port.to_string() == w.text.rsplit(':').next().unwrap_or("")).then_some((port, w))
}

/// The port of the first URL on this machine in a probe command (`http://localhost:8000/health`,
/// `127.0.0.1:5000`, `http://localhost/` on 80), with the URL as written. A port filled in at run time is
/// unknown.
pub(crate) fn local_url_port(command: &str) -> Option<(u16, &str)> {
    let separators = |c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '(' | ')' | ',' | '\\' | '=' | ';')
    };
    for token in command.split(separators) {
        let (rest, default) = if let Some(r) = token.strip_prefix("http://") {
            (r, Some(80))
        } else if let Some(r) = token.strip_prefix("https://") {
            (r, Some(443))
        } else {
            (token, None)
        };
        let authority = rest.split(['/', '?']).next().unwrap_or(rest);
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.is_empty() && !h.ends_with(':') => (h, Some(p)),
            _ => (authority, None),
        };
        if !matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]") {
            continue;
        }
        let url = token.trim_end_matches(['|', '&']);
        return match port {
            Some(p) => {
                let n = leading_port(p)?;
                (n.to_string() == p).then_some((n, url))
            }
            None => default.map(|d| (d, url)),
        };
    }
    None
}

pub(super) fn leading_port(v: &str) -> Option<u16> {
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_urls_on_this_machine() {
        assert_eq!(
            local_url_port("curl -f http://localhost:8000/health || exit 1"),
            Some((8000, "http://localhost:8000/health"))
        );
        assert_eq!(
            local_url_port("wget -qO- http://127.0.0.1/ping"),
            Some((80, "http://127.0.0.1/ping"))
        );
        assert_eq!(local_url_port("curl -f http://localhost:${PORT}/"), None);
        assert_eq!(local_url_port("curl -f http://db:5432/"), None);
        assert_eq!(
            local_url_port("python -c \"urllib.request.urlopen('http://localhost:5000/')\""),
            Some((5000, "http://localhost:5000/"))
        );
    }
}
