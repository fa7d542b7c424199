//! The Dockerfile and compose probes of a unit's service images, with the probe scripts they run: each with the
//! text to look for URLs in and the folder the probed image is built from. An image whose routes move under a
//! run-time prefix (`SCRIPT_NAME`, `--root-path`) is left out.

use shipready_syntax::FileKind;
use shipready_text::TextRange;

use crate::index::docker::{
    chain, command_line, compose, dockerfile, final_stage, healthcheck, resolve,
};
use crate::index::workload::Workload;
use crate::Context;

/// One probe of the unit: the file and range of its text, and the folder of the image it probes.
pub(crate) struct Probe<'a> {
    pub file: &'a str,
    pub text_range: TextRange,
    pub text: &'a str,
    /// The folder the probed image is built from.
    pub context: String,
    /// How the message names the probe.
    pub what: String,
}

/// The Dockerfile and compose probes of the unit's service images, with the folder each image is built from.
pub(crate) fn probes<'a>(ctx: &'a Context) -> Vec<Probe<'a>> {
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
        let Some(check) = healthcheck(d, stage) else {
            continue;
        };
        let prefixed = chain(d, stage)
            .iter()
            .any(|s| s.env.iter().any(|e| e.key == "SCRIPT_NAME"))
            || command_line(d, stage).contains("--root-path");
        if prefixed {
            continue;
        }
        let Some(text) = file.text.get(check.range.start..check.range.end) else {
            continue;
        };
        if check.disabled {
            continue;
        }
        let context = ctx.index.docker().context_of(&file.path).to_owned();
        scripts(ctx, &context, &check.command, &mut out);
        out.push(Probe {
            file: &file.path,
            text_range: check.range,
            text,
            context,
            what: "The HEALTHCHECK".to_owned(),
        });
    }
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            let Some(check) = service.healthcheck.as_ref().filter(|c| !c.disabled) else {
                continue;
            };
            // A worker or one-off job with a probe is not a web service whose routes the probe should reach.
            let serves = ctx
                .index
                .workload()
                .services
                .iter()
                .find(|(f, name, _)| *f == file.path && *name == service.name.value)
                .is_none_or(|(_, _, w)| w.kind == Workload::Service);
            if !serves {
                continue;
            }
            // The app serves its routes under a prefix set at run time: the paths are not the index's.
            let prefixed = service
                .environment
                .iter()
                .any(|e| e.value.0 == "SCRIPT_NAME")
                || service
                    .command
                    .as_ref()
                    .is_some_and(|c| c.value.contains("--root-path"));
            if prefixed {
                continue;
            }
            let Some(paths) = service.build.as_ref().and_then(|b| resolve(file.dir(), b)) else {
                continue;
            };
            let Some(text) = file.text.get(check.range.start..check.range.end) else {
                continue;
            };
            scripts(ctx, &paths.context, &check.test, &mut out);
            out.push(Probe {
                file: &file.path,
                text_range: check.range,
                text,
                context: paths.context,
                what: format!("The healthcheck of service `{}`", service.name.value),
            });
        }
    }
    out
}

/// The scripts a probe command runs (`/bin/healthcheck.sh`, `python probe.py`, `python -m app.probe`), found
/// from the build context as the image has them, each as a probe of its own.
fn scripts<'a>(ctx: &'a Context, context: &str, command: &str, out: &mut Vec<Probe<'a>>) {
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', ',', '[', ']']))
        .collect();
    for (i, word) in words.iter().enumerate() {
        let module = (i > 0 && words.get(i - 1) == Some(&"-m"))
            .then(|| format!("{}.py", word.replace('.', "/")));
        let word = module.as_deref().unwrap_or(word);
        let Some(script) = crate::index::web::probes::script(ctx.workspace, context, word) else {
            continue;
        };
        if out.iter().any(|p| p.file == script.path) {
            continue;
        }
        out.push(Probe {
            file: &script.path,
            text_range: TextRange::new(0, script.text.len()),
            text: &script.text,
            context: context.to_owned(),
            what: format!("The probe script {}", script.path),
        });
    }
}
