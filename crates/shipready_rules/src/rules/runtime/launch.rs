//! What a service container really runs, word by word with each word's place: the command of the stage a
//! compose service builds (its `command:` replacing the image's `CMD`, the `ENTRYPOINT` kept), else the final
//! stage's `ENTRYPOINT`/`CMD`, then the shell scripts and Python files that command runs. The runtime rules
//! read the server (uvicorn, gunicorn, hypercorn, `flask run`, `fastapi`, `manage.py runserver`) and its
//! arguments from here, so a finding can sit on the exact argument.

use shipready_syntax::compose::ComposeService;
use shipready_syntax::dockerfile::{Command, DockerfileFacts, Stage};
use shipready_syntax::{FileFacts, FileKind};
use shipready_text::TextRange;

use crate::index::docker::{built_stage, chain, command, compose, dockerfile, final_stage};
use crate::index::web::probes;
use crate::index::workload::Workload;
use crate::{Context, SourceFile};

/// One word of a command, quotes and JSON brackets trimmed, with its file and exact range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word<'a> {
    pub text: &'a str,
    pub file: &'a str,
    pub range: TextRange,
}

/// A simple command: the words between shell separators (`&&`, `;`, `|`, a script's line breaks).
pub(crate) type Segment<'a> = Vec<Word<'a>>;

/// A service container: the image's Dockerfile and stage, the compose service that runs it (if one does), and
/// the simple commands it runs at start.
pub(crate) struct Runtime<'a> {
    pub dockerfile: &'a SourceFile,
    pub facts: &'a DockerfileFacts,
    pub stage: &'a Stage,
    /// The build context, where scripts the command names are looked up.
    pub context: String,
    pub service: Option<(&'a SourceFile, &'a ComposeService)>,
    pub segments: Vec<Segment<'a>>,
}

impl Runtime<'_> {
    /// Whether the image's `ENV` (in its stage or the stages it is built from) or the compose service's
    /// `environment` sets one of `names`.
    pub fn sets_env(&self, names: &[&str]) -> bool {
        let image = chain(self.facts, self.stage)
            .iter()
            .any(|s| s.env.iter().any(|e| names.contains(&e.key.as_str())));
        let service = self.service.is_some_and(|(_, s)| {
            s.environment
                .iter()
                .any(|e| names.contains(&e.value.0.as_str()))
        });
        image || service
    }

    /// A gunicorn configuration file in the build context (gunicorn reads `./gunicorn.conf.py` by itself).
    pub fn has_gunicorn_config(&self, ctx: &Context) -> bool {
        let under = if self.context.is_empty() {
            String::new()
        } else {
            format!("{}/", self.context)
        };
        ctx.workspace.files().iter().any(|f| {
            f.path.starts_with(&under)
                && matches!(f.name(), "gunicorn.conf.py" | "gunicorn_conf.py")
        })
    }

    /// How the report names this container: `compose.yaml` service `web`, or the Dockerfile.
    pub fn name(&self) -> String {
        match self.service {
            Some((file, s)) => format!("compose service `{}` ({})", s.name.value, file.path),
            None => format!("the image built from {}", self.dockerfile.path),
        }
    }
}

/// Every service container of the unit: one per compose service that builds an image of the workspace and
/// serves, then one per serving Dockerfile no compose service builds.
pub(crate) fn runtimes<'a>(ctx: &'a Context) -> Vec<Runtime<'a>> {
    let ws = ctx.workspace;
    let mut out = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    for b in &ctx.index.docker.builds {
        if b.target.as_deref().is_some_and(development_target) {
            continue;
        }
        let serves = ctx
            .index
            .workload
            .services
            .iter()
            .any(|(f, s, w)| *f == b.compose && *s == b.service && w.kind == Workload::Service);
        if !serves {
            continue;
        }
        let Some(cfile) = ws.file(&b.compose) else {
            continue;
        };
        let Some(service) = compose(&cfile.facts)
            .and_then(|c| c.services.iter().find(|s| s.name.value == b.service))
        else {
            continue;
        };
        let Some(dfile) = ws.file(&b.paths.dockerfile) else {
            continue;
        };
        let Some(d) = dockerfile(&dfile.facts) else {
            continue;
        };
        let Some(stage) = built_stage(d, b.target.as_deref()) else {
            continue;
        };
        let [entry, cmd] = command(d, stage);
        let mut words = entry
            .map(|c| instruction_words(dfile, c))
            .unwrap_or_default();
        match &service.command {
            Some(c) => words.extend(words_in(cfile, c.range, false).into_iter().flatten()),
            None => words.extend(cmd.map(|c| instruction_words(dfile, c)).unwrap_or_default()),
        }
        let context = b.paths.context.clone();
        let segments = expand(ctx, &context, split(words));
        covered.push(&b.paths.dockerfile);
        out.push(Runtime {
            dockerfile: dfile,
            facts: d,
            stage,
            context,
            service: Some((cfile, service)),
            segments,
        });
    }
    for dfile in ws.of_kind(FileKind::Dockerfile) {
        if covered.contains(&dfile.path.as_str()) {
            continue;
        }
        let Some(d) = dockerfile(&dfile.facts) else {
            continue;
        };
        let Some(stage) = final_stage(d) else {
            continue;
        };
        let words: Vec<Word> = command(d, stage)
            .into_iter()
            .flatten()
            .flat_map(|c| instruction_words(dfile, c))
            .collect();
        let context = ctx.index.docker.context_of(&dfile.path).to_owned();
        let segments = expand(ctx, &context, split(words));
        // An image whose command runs a Python file that starts a web server (`python app.py` with
        // `app.run()`) serves, though nothing else in the Dockerfile says so.
        let runs_server = || {
            segments.iter().any(|s| {
                python_entry(ctx, &context, s).is_some_and(|f| match &f.facts {
                    FileFacts::Python(p) => !p.web.runners.is_empty(),
                    _ => false,
                })
            })
        };
        if !ctx.index.workload.image_serves(&dfile.path) && !runs_server() {
            continue;
        }
        out.push(Runtime {
            dockerfile: dfile,
            facts: d,
            stage,
            context,
            service: None,
            segments,
        });
    }
    out
}

/// A process that serves outside a container image: the `web` process of a `Procfile` (Heroku, Dokku,
/// honcho), as `(who, folder, segments)`.
pub(crate) fn procfile_web<'a>(ctx: &'a Context) -> Vec<(String, String, Vec<Segment<'a>>)> {
    let mut out = Vec::new();
    for file in ctx.workspace.files() {
        if !file.name().eq_ignore_ascii_case("procfile") {
            continue;
        }
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let Some((kind, _)) = line.split_once(':') else {
                continue;
            };
            if kind.trim() != "web" {
                continue;
            }
            let range = TextRange::new(start + kind.len() + 1, start + line.trim_end().len());
            out.push((
                format!("the `web` process of {}", file.path),
                file.dir().to_owned(),
                words_in(file, range, true),
            ));
        }
    }
    out
}

/// Words of a compose `build.target` that name a development or test stage (`dev`, `debug`, `test`).
const DEV_TARGET_WORDS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "local",
    "debug",
    "devcontainer",
    "test",
    "tests",
    "testing",
];

/// Whether a compose build target is a development or test stage: the service is a development setup.
fn development_target(target: &str) -> bool {
    target
        .to_ascii_lowercase()
        .split(['-', '_', '.'])
        .any(|w| DEV_TARGET_WORDS.contains(&w))
}

/// The words of a `CMD`/`ENTRYPOINT` instruction, its keyword left out.
fn instruction_words<'a>(file: &'a SourceFile, c: &Command) -> Vec<Word<'a>> {
    let mut words: Vec<Word> = words_in(file, c.range, false)
        .into_iter()
        .flatten()
        .collect();
    if words.first().is_some_and(|w| {
        w.text.eq_ignore_ascii_case("CMD") || w.text.eq_ignore_ascii_case("ENTRYPOINT")
    }) {
        words.remove(0);
    }
    words
}

/// Separators between simple commands, as words of their own.
const SEPARATORS: &[&str] = &["&&", "||", ";", "|", "&"];

/// Split a flat word list at shell separators.
fn split(words: Vec<Word>) -> Vec<Segment> {
    let mut out = vec![Vec::new()];
    for w in words {
        if SEPARATORS.contains(&w.text) {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            last.push(w);
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The segments, followed by those of the shell scripts they run (two levels deep).
fn expand<'a>(ctx: &'a Context, context: &str, segments: Vec<Segment<'a>>) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut queue = segments;
    for _ in 0..3 {
        let mut next = Vec::new();
        for segment in &queue {
            for w in segment.iter().filter(|w| w.text.ends_with(".sh")) {
                let Some(script) = probes::script(ctx.workspace, context, w.text) else {
                    continue;
                };
                if seen.contains(&script.path.as_str()) {
                    continue;
                }
                seen.push(script.path.as_str());
                next.extend(words_in(script, TextRange::new(0, script.text.len()), true));
            }
        }
        out.append(&mut queue);
        if next.is_empty() {
            break;
        }
        queue = next;
    }
    unconditional(out)
}

/// The segments outside `if`/`case` blocks. A command in a branch runs only when its condition holds
/// (`if [ "$ENV" = dev ]; then uvicorn --reload ...; else gunicorn ...; fi`), which a reading of the text
/// cannot decide, so a branch says nothing about what the container runs.
fn unconditional(segments: Vec<Segment>) -> Vec<Segment> {
    let mut depth: Vec<(&str, usize)> = Vec::new();
    let mut out = Vec::new();
    for segment in segments {
        let Some(first) = segment.first() else {
            continue;
        };
        let file = first.file;
        let at = match depth.iter().position(|(f, _)| *f == file) {
            Some(i) => i,
            None => {
                depth.push((file, 0));
                depth.len() - 1
            }
        };
        let Some(level) = depth.get_mut(at).map(|(_, d)| d) else {
            continue;
        };
        let opens = segment
            .iter()
            .filter(|w| matches!(w.text, "if" | "case"))
            .count();
        let closes = segment
            .iter()
            .filter(|w| matches!(w.text, "fi" | "esac"))
            .count();
        let inside = *level > 0 || opens > 0;
        *level = (*level + opens).saturating_sub(closes);
        if !inside {
            out.push(segment);
        }
    }
    out
}

/// The Python file a segment runs (`python app.py`, `python3 -u ./server.py`, `python -m app.main`).
pub(crate) fn python_entry<'a>(
    ctx: &'a Context,
    context: &str,
    segment: &[Word],
) -> Option<&'a SourceFile> {
    let start = segment
        .iter()
        .position(|w| program(w.text).starts_with("python"))?;
    let rest = segment.get(start + 1..)?;
    for (i, w) in rest.iter().enumerate() {
        if w.text == "-m" {
            let module = rest.get(i + 1)?.text;
            if module.contains(['=', '/']) {
                return None;
            }
            let path = format!("{}.py", module.replace('.', "/"));
            return probes::script(ctx.workspace, context, &path)
                .filter(|f| f.kind == FileKind::Python);
        }
        if w.text.ends_with(".py") {
            return probes::script(ctx.workspace, context, w.text)
                .filter(|f| f.kind == FileKind::Python);
        }
        if !w.text.starts_with('-') {
            return None;
        }
    }
    None
}

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

/// The words of `range` in `file`, split into segments. Quotes, JSON brackets and commas around a word are
/// trimmed; a backslash before a line break continues the line. In a `script`, a line break ends a command and
/// `#` starts a comment; elsewhere (a Dockerfile instruction, a compose value) line breaks are spaces.
pub(crate) fn words_in<'a>(
    file: &'a SourceFile,
    range: TextRange,
    script: bool,
) -> Vec<Segment<'a>> {
    let text = file.text.get(range.start..range.end).unwrap_or("");
    let bytes = text.as_bytes();
    let mut segments: Vec<Segment> = vec![Vec::new()];
    let mut i = 0;
    let mut start: Option<usize> = None;
    let push = |segments: &mut Vec<Segment<'a>>, s: usize, e: usize| {
        let raw = &text[s..e];
        let trimmed_start = raw.trim_start_matches(['"', '\'', '[', ',', '(']);
        let lead = raw.len() - trimmed_start.len();
        let mut word = trimmed_start.trim_end_matches(['"', '\'', ']', ',', ')']);
        let semicolon = word.ends_with(';') && word.len() > 1;
        if semicolon {
            word = word.trim_end_matches(';').trim_end_matches(['"', '\'']);
        }
        let list_marker = raw == "-" && file.kind == FileKind::Compose;
        if !word.is_empty() && !list_marker && word != "\\" {
            let from = range.start + s + lead;
            let w = Word {
                text: file.text.get(from..from + word.len()).unwrap_or(""),
                file: &file.path,
                range: TextRange::new(from, from + word.len()),
            };
            if let Some(last) = segments.last_mut() {
                last.push(w);
            }
        }
        if semicolon {
            segments.push(Vec::new());
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        let continuation = b == b'\\'
            && (bytes.get(i + 1) == Some(&b'\n')
                || (bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n')));
        if b.is_ascii_whitespace() || continuation {
            if let Some(s) = start.take() {
                push(&mut segments, s, i);
            }
            if continuation {
                i += if bytes.get(i + 1) == Some(&b'\r') {
                    3
                } else {
                    2
                };
                continue;
            }
            if b == b'\n' && script {
                segments.push(Vec::new());
            }
            i += 1;
            continue;
        }
        if script && b == b'#' && start.is_none() {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        push(&mut segments, s, bytes.len());
    }
    let mut out = Vec::new();
    for segment in segments {
        out.extend(split(segment));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(file: &SourceFile, script: bool) -> Vec<Vec<String>> {
        words_in(file, TextRange::new(0, file.text.len()), script)
            .into_iter()
            .map(|s| s.iter().map(|w| w.text.to_owned()).collect())
            .collect()
    }

    #[test]
    fn exec_form_and_shell_form_words() {
        let f = SourceFile::new(
            "Dockerfile",
            FileKind::Dockerfile,
            "CMD [\"uvicorn\", \"app:app\", \"--reload\"]",
        );
        assert_eq!(
            texts(&f, false),
            [["CMD", "uvicorn", "app:app", "--reload"]]
        );
        let f = SourceFile::new(
            "Dockerfile",
            FileKind::Dockerfile,
            "CMD flask db upgrade && \\\n    gunicorn -b :5000 app:app",
        );
        assert_eq!(
            texts(&f, false),
            vec![
                vec!["CMD", "flask", "db", "upgrade"],
                vec!["gunicorn", "-b", ":5000", "app:app"]
            ]
        );
    }

    #[test]
    fn scripts_split_on_lines_and_skip_comments() {
        let f = SourceFile::new(
            "boot.sh",
            FileKind::Script,
            "#!/bin/sh\n# uvicorn --reload\nexec gunicorn \\\n  --workers 2 app:app; echo done\n",
        );
        assert_eq!(
            texts(&f, true),
            vec![
                vec!["exec", "gunicorn", "--workers", "2", "app:app"],
                vec!["echo", "done"]
            ]
        );
    }

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
