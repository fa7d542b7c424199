//! The servers a simple command starts (uvicorn, gunicorn, hypercorn, `flask run`, `fastapi run|dev`,
//! `manage.py runserver`) and the options they are given.

use shipready_text::TextRange;

use super::words::Word;

/// A program's name without its folder (`/usr/local/bin/gunicorn` -> `gunicorn`).
pub(crate) fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The servers a start command can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Server {
    Uvicorn,
    Gunicorn,
    Hypercorn,
    /// `flask run`: Werkzeug's development server.
    FlaskRun,
    /// `fastapi dev`: uvicorn with auto-reload, for development.
    FastapiDev,
    /// `fastapi run`: uvicorn for production.
    FastapiRun,
    /// Django's `manage.py runserver`: the development server.
    Runserver,
}

impl Server {
    pub fn name(self) -> &'static str {
        match self {
            Server::Uvicorn => "uvicorn",
            Server::Gunicorn => "gunicorn",
            Server::Hypercorn => "hypercorn",
            Server::FlaskRun => "flask run",
            Server::FastapiDev => "fastapi dev",
            Server::FastapiRun => "fastapi run",
            Server::Runserver => "manage.py runserver",
        }
    }
}

/// A server started by a segment: which, the words that name it (`gunicorn`, `flask ... run`), and the
/// arguments after them.
pub(crate) struct ServerCall<'s, 'a> {
    pub server: Server,
    pub file: &'a str,
    pub head: TextRange,
    pub args: &'s [Word<'a>],
}

/// Words after which a server's name is an argument, not the program (`pip install gunicorn`).
const NOT_A_START: &[&str] = &[
    "install",
    "add",
    "echo",
    "printf",
    "which",
    "command",
    "type",
    "grep",
    "test",
    "[",
    "kill",
    "pkill",
    "pgrep",
    "ps",
    "cat",
    "rm",
    "chmod",
    "cp",
    "mv",
    "ln",
    "hash",
    "--version",
    "log",
    "info",
];

/// The server a segment starts, if it starts one.
pub(crate) fn server_in<'s, 'a>(segment: &'s [Word<'a>]) -> Option<ServerCall<'s, 'a>> {
    for (i, w) in segment.iter().enumerate() {
        if NOT_A_START.contains(&w.text) {
            return None;
        }
        let rest = segment.get(i + 1..).unwrap_or_default();
        let call = |server, end: TextRange, args| ServerCall {
            server,
            file: w.file,
            head: w.range.cover(end),
            args,
        };
        match program(w.text) {
            "uvicorn" => return Some(call(Server::Uvicorn, w.range, rest)),
            "gunicorn" => return Some(call(Server::Gunicorn, w.range, rest)),
            "hypercorn" => return Some(call(Server::Hypercorn, w.range, rest)),
            "flask" | "fastapi" => {
                let (j, sub) = subcommand(rest)?;
                let server = match (program(w.text), sub.text) {
                    ("flask", "run") => Server::FlaskRun,
                    ("fastapi", "dev") => Server::FastapiDev,
                    ("fastapi", "run") => Server::FastapiRun,
                    _ => return None,
                };
                return Some(call(
                    server,
                    sub.range,
                    rest.get(j + 1..).unwrap_or_default(),
                ));
            }
            p if p == "manage.py" || p == "django-admin" => {
                let (j, sub) = subcommand(rest)?;
                if sub.text != "runserver" {
                    return None;
                }
                return Some(call(
                    Server::Runserver,
                    sub.range,
                    rest.get(j + 1..).unwrap_or_default(),
                ));
            }
            _ => {}
        }
    }
    None
}

/// The first word that is not an option (nor the value of `--app`, `-A`, `--env-file`, `-e`, `--settings`).
fn subcommand<'s, 'a>(words: &'s [Word<'a>]) -> Option<(usize, &'s Word<'a>)> {
    let mut skip_next = false;
    for (i, w) in words.iter().enumerate() {
        if skip_next {
            skip_next = false;
            continue;
        }
        if matches!(
            w.text,
            "--app" | "-A" | "--env-file" | "-e" | "--settings" | "--pythonpath"
        ) {
            skip_next = true;
            continue;
        }
        if w.text.starts_with('-') {
            continue;
        }
        return Some((i, w));
    }
    None
}

/// Whether `args` hold an option (`-w`, `--workers`), written alone, as `--workers=4` or glued (`-w4`).
pub(crate) fn has_option(args: &[Word], short: &[&str], long: &[&str]) -> bool {
    args.iter().any(|w| {
        let t = w.text;
        long.iter()
            .any(|l| t == *l || t.strip_prefix(l).is_some_and(|r| r.starts_with('=')))
            || short
                .iter()
                .any(|s| t.starts_with(s) && !t.starts_with("--"))
    })
}

/// The value of an option (`-k gevent`, `--worker-class=gevent`, `-kgevent`).
pub(crate) fn option_value<'a>(
    args: &[Word<'a>],
    short: &[&str],
    long: &[&str],
) -> Option<&'a str> {
    for (i, w) in args.iter().enumerate() {
        let t = w.text;
        for l in long {
            if t == *l {
                return args.get(i + 1).map(|n| n.text);
            }
            if let Some(v) = t.strip_prefix(l).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
        }
        for s in short {
            if t == *s {
                return args.get(i + 1).map(|n| n.text);
            }
            if let Some(v) = t
                .strip_prefix(s)
                .filter(|v| !v.is_empty() && !t.starts_with("--"))
            {
                return Some(v.trim_start_matches('='));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::words::words_in;
    use super::*;
    use crate::SourceFile;
    use shipready_syntax::FileKind;
    use shipready_text::TextRange;

    #[test]
    fn servers_and_their_arguments() {
        let f = SourceFile::new(
            "x",
            FileKind::Script,
            "python -m flask --app api run --port 80\n",
        );
        let segments = words_in(&f, TextRange::new(0, f.text.len()), true);
        let call = segments.first().and_then(|s| server_in(s));
        assert_eq!(call.as_ref().map(|c| c.server), Some(Server::FlaskRun));
        assert_eq!(
            call.as_ref().map(|c| c.head.slice(&f.text)),
            Some("flask --app api run")
        );
        let f = SourceFile::new(
            "x",
            FileKind::Script,
            "pip install gunicorn\nflask db upgrade\n",
        );
        let segments = words_in(&f, TextRange::new(0, f.text.len()), true);
        assert!(segments.iter().all(|s| server_in(s).is_none()));
    }

    #[test]
    fn options_alone_assigned_or_glued() {
        let f = SourceFile::new(
            "x",
            FileKind::Script,
            "gunicorn -w4 --worker-class=gevent app:app",
        );
        let segments = words_in(&f, TextRange::new(0, f.text.len()), true);
        let args = segments.first().map(Vec::as_slice).unwrap_or_default();
        assert!(has_option(args, &["-w"], &["--workers"]));
        assert_eq!(
            option_value(args, &["-k"], &["--worker-class"]),
            Some("gevent")
        );
        assert!(!has_option(args, &["-t"], &["--threads"]));
    }
}
