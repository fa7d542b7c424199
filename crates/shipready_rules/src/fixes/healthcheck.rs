//! The fix for HC002 on a Dockerfile: a `HEALTHCHECK` in the stage that becomes the image (the final stage, or the
//! one a compose `build.target` names) that probes the app the image runs.
//!
//! The path is the app's real health route (the app the `CMD`/`ENTRYPOINT` names, else the main app), the
//! port is the one the app binds ([`port`](super::port): the start command, a compose service's command,
//! the app's runner, `ENV PORT`, `EXPOSE`, the compose `ports`, else the server's default). The probe is one the
//! image has: `curl` or `wget` when a `RUN` step installs it, Python's `urllib` (exec form) on a Python image,
//! BusyBox `wget` on Alpine; other images get no fix. The instruction goes before the stage's `CMD`/`ENTRYPOINT`
//! (above the comment lines that introduce it), else after the stage's last instruction. A stage that already
//! has a `HEALTHCHECK`, even `HEALTHCHECK NONE`, gets no second one. The fix is Unsafe when the path or port
//! is guessed (no health route yet, no port anywhere).

use shipready_syntax::dockerfile::{BaseKind, DockerfileFacts, Stage};

use super::{port, text};
use crate::index::docker::{built_stage, command_line, dockerfile, healthcheck, targets_in};
use crate::index::modules;
use crate::index::web::WebIndex;
use crate::{Applicability, Context, Fix};

const OPTIONS: &str = "--interval=30s --timeout=5s --start-period=10s --retries=3";

/// A `HEALTHCHECK` in the final stage of the Dockerfile at `path`.
pub(crate) fn fix(ctx: &Context, path: &str) -> Option<Fix> {
    fix_stage(ctx, path, None)
}

/// A `HEALTHCHECK` in the stage named `target` (case-insensitively) of the Dockerfile at `path`, or in its final
/// stage without a target.
pub(crate) fn fix_stage(ctx: &Context, path: &str, target: Option<&str>) -> Option<Fix> {
    let file = ctx.workspace.file(path)?;
    let facts = dockerfile(&file.facts)?;
    let stage = built_stage(facts, target)?;
    // A check the stage inherits through `FROM` is already in the image.
    if healthcheck(facts, stage).is_some() {
        return None;
    }
    // The command the image runs, which a stage inherits from the one it is built `FROM`.
    let command = command_line(facts, stage);
    // Module paths in the command are relative to the build context, which compose may put above the
    // Dockerfile's folder.
    let app = served_app(ctx, ctx.index.docker().context_of(path), &command, path);
    let health = app.and_then(|n| {
        let web = &ctx.index.web();
        let route = web.health_routes().find(|r| r.served_by(n))?;
        let full = route
            .mounts
            .iter()
            .find(|(_, a)| *a == Some(n))
            .map(|(p, _)| p.clone())
            .unwrap_or_else(|| WebIndex::display_path(route).to_owned());
        Some(full)
    });
    let framework = app
        .and_then(|n| ctx.index.web().apps.get(n))
        .map(|a| a.app.framework);
    let (port, port_known) = port::port(
        ctx,
        port::Image {
            path,
            target,
            facts,
            stage,
            command: &command,
        },
        framework,
        app,
    );
    let path_known = health.is_some();
    let path_text = health.unwrap_or_else(|| "/health".to_owned());
    let url = format!("http://127.0.0.1:{port}{path_text}");
    let probe = probe(facts, stage, &url)?;
    let eol = text::eol(&file.text);
    let line = format!("HEALTHCHECK {OPTIONS} CMD {probe}{eol}");
    let edit = match [&stage.entrypoint, &stage.cmd]
        .into_iter()
        .flatten()
        .map(|c| c.range.start)
        .min()
    {
        Some(start) => text::insert(path, above_comments(&file.text, start), line),
        None => text::insert_lines_after(path, &file.text, stage.last_instruction.end, &line),
    };
    let place = match &stage.alias {
        Some(alias) if target.is_some() => format!("the `{}` stage of {path}", alias.value),
        _ => path.to_owned(),
    };
    Some(Fix {
        title: format!("Add a HEALTHCHECK probing {path_text} on port {port} to {place}"),
        applicability: if path_known && port_known {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
        edits: vec![edit],
    })
}

/// The web app the image starts: the one its command names, else (for the main Dockerfile) the main app.
fn served_app(ctx: &Context, dir: &str, command: &str, path: &str) -> Option<usize> {
    let web = &ctx.index.web();
    let near = if dir.is_empty() {
        "x.py".to_owned()
    } else {
        format!("{dir}/x.py")
    };
    for target in targets_in(command) {
        let (module, var) = target.split_once(':').unwrap_or((target.as_str(), "app"));
        let Some(file) = modules::resolve(ctx.workspace, &near, module, 0) else {
            continue;
        };
        let var = var.trim_end_matches("()");
        let named = web
            .apps
            .iter()
            .position(|a| a.file == file && a.app.var == var);
        if let Some(n) = named.or_else(|| {
            web.served_apps()
                .find(|(_, a)| a.file == file)
                .map(|(n, _)| n)
        }) {
            return Some(n);
        }
    }
    let is_main = ctx.index.docker().main_dockerfile.as_deref() == Some(path);
    is_main.then_some(web.main_app).flatten()
}

/// The probe command for `url` using a tool the final image has, or `None` when it has none we know of.
fn probe(facts: &DockerfileFacts, stage: &Stage, url: &str) -> Option<String> {
    let chain = stage_chain(facts, stage);
    let installs = |tool: &str| {
        chain.iter().any(|s| {
            s.runs
                .iter()
                .any(|r| r.system_packages.iter().any(|p| p == tool))
        })
    };
    let image = chain.last().map(|s| {
        s.image
            .resolved
            .clone()
            .unwrap_or_else(|| s.image.name.clone())
    })?;
    let image = image.to_ascii_lowercase();
    if installs("curl") {
        Some(format!("curl -fsS {url} || exit 1"))
    } else if installs("wget") || image.contains("alpine") && !image.contains("python") {
        Some(format!("wget -qO- {url} || exit 1"))
    } else if image
        .rsplit('/')
        .next()
        .is_some_and(|n| n.contains("python"))
    {
        Some(format!(
            "[\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('{url}', timeout=3)\"]"
        ))
    } else {
        None
    }
}

/// The final stage and the stages it is built `FROM`, final first, registry image last.
fn stage_chain<'a>(facts: &'a DockerfileFacts, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let BaseKind::Stage(i) = current.image.base {
        match facts.stages.get(i) {
            Some(s) if chain.len() <= facts.stages.len() && i < current.index => {
                chain.push(s);
                current = s;
            }
            _ => break,
        }
    }
    chain
}

/// The start of the line at `offset`, moved up over the comment lines directly above it.
fn above_comments(src: &str, offset: usize) -> usize {
    let mut start = text::line_start(src, offset);
    while start > 0 {
        let prev = text::line_start(src, start - 1);
        if !text::line_at(src, prev).trim_start().starts_with('#') {
            break;
        }
        start = prev;
    }
    start
}
