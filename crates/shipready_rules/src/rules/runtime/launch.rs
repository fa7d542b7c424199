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

pub(crate) use super::servers::{has_option, option_value, program, server_in, Server};
use super::words::words_in;
pub(crate) use super::words::{Segment, Word};

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
        ctx.workspace.of_kind(FileKind::Python).any(|f| {
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
    for b in &ctx.index.docker().builds {
        if b.target.as_deref().is_some_and(development_target) {
            continue;
        }
        let serves = ctx
            .index
            .workload()
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
        let entry = entry
            .map(|c| instruction_segments(dfile, c))
            .unwrap_or_default();
        let cmd = match &service.command {
            Some(c) => words_in(cfile, c.range, false),
            None => cmd
                .map(|c| instruction_segments(dfile, c))
                .unwrap_or_default(),
        };
        let context = b.paths.context.clone();
        let segments = expand(ctx, &context, argv(entry, cmd));
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
        let [entry, cmd] = command(d, stage).map(|c| {
            c.map(|c| instruction_segments(dfile, c))
                .unwrap_or_default()
        });
        let context = ctx.index.docker().context_of(&dfile.path).to_owned();
        let segments = expand(ctx, &context, argv(entry, cmd));
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
        if !ctx.index.workload().image_serves(&dfile.path) && !runs_server() {
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
    for file in ctx.workspace.of_kind(FileKind::Script) {
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

/// The simple commands of a `CMD`/`ENTRYPOINT` instruction, its keyword left out.
fn instruction_segments<'a>(file: &'a SourceFile, c: &Command) -> Vec<Segment<'a>> {
    let mut segments = words_in(file, c.range, false);
    if let Some(first) = segments.first_mut() {
        let keyword = first.first().is_some_and(|w| {
            w.text.eq_ignore_ascii_case("CMD") || w.text.eq_ignore_ascii_case("ENTRYPOINT")
        });
        if keyword {
            first.remove(0);
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}

/// The simple commands of an `ENTRYPOINT` followed by a `CMD` (or compose `command:`): the command's first
/// simple command is arguments of the entrypoint's last one (`ENTRYPOINT ["python3"]` + `CMD ["app.py"]`).
fn argv<'a>(entry: Vec<Segment<'a>>, cmd: Vec<Segment<'a>>) -> Vec<Segment<'a>> {
    let mut out = entry;
    let mut cmd = cmd.into_iter();
    match (out.last_mut(), cmd.next()) {
        (Some(last), Some(first)) => last.extend(first),
        (None, Some(first)) => out.push(first),
        _ => {}
    }
    out.extend(cmd);
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
