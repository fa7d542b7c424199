//! The CDK side of the probes: for each CDK file of the unit, the one image it deploys when it deploys exactly
//! one that the unit builds (a folder with a Dockerfile whose start command names an app), the load balancer
//! and container health check paths it configures, and the load-balanced services and target groups it leaves
//! on the default health check. A file that deploys several images, or one from a registry, is not judged:
//! which of them a load balancer probes would be a guess.

use shipready_syntax::python::cdk::{Balancer, CdkProbes, ImageSource};
use shipready_syntax::FileFacts;
use shipready_syntax::FileKind;
use shipready_text::TextRange;

use super::probe_routes::app_for_context;
use super::probe_urls::local_urls;
use crate::index::docker::resolve_dir;
use crate::Context;

/// A health check path configured in CDK code, with the app it probes when known.
pub(crate) struct CdkPath {
    pub file: String,
    pub range: TextRange,
    pub path: String,
    pub bare: bool,
    pub app: Option<usize>,
}

/// A load-balanced service or target group in front of a known app.
pub(crate) struct BalancedApp<'a> {
    pub file: &'a str,
    pub balancer: &'a Balancer,
    pub app: usize,
    /// Its health check is configured: it does not probe the default `/`.
    pub configured: bool,
}

/// Every health check path of the unit's CDK files.
pub(crate) fn paths(ctx: &Context) -> Vec<CdkPath> {
    let mut out = Vec::new();
    for (file, probes) in files(ctx) {
        let app = file_app(ctx, file, probes);
        for p in &probes.paths {
            out.push(CdkPath {
                file: file.to_owned(),
                range: p.range,
                path: p.value.clone(),
                bare: false,
                app,
            });
        }
        let Some(text) = ctx.workspace.file(file).map(|f| &*f.text) else {
            continue;
        };
        for command in &probes.container_commands {
            let Some(part) = text.get(command.start..command.end) else {
                continue;
            };
            for url in local_urls(part) {
                out.push(CdkPath {
                    file: file.to_owned(),
                    range: TextRange::new(
                        command.start + url.range.start,
                        command.start + url.range.end,
                    ),
                    path: url.path,
                    bare: url.bare,
                    app,
                });
            }
        }
    }
    out
}

/// The load-balanced services and target groups of the unit's CDK files in front of a known app, each with
/// whether its health check is configured (`health_check=`, or any `configure_health_check` call or health
/// check path in its file).
pub(crate) fn balancers<'a>(ctx: &'a Context) -> Vec<BalancedApp<'a>> {
    let mut out = Vec::new();
    for (file, probes) in files(ctx) {
        let Some(app) = file_app(ctx, file, probes) else {
            continue;
        };
        let file_configures = !probes.configure_calls.is_empty() || !probes.paths.is_empty();
        for balancer in &probes.balancers {
            out.push(BalancedApp {
                file,
                balancer,
                app,
                configured: balancer.health_check || file_configures,
            });
        }
    }
    out
}

fn files<'a>(ctx: &'a Context) -> impl Iterator<Item = (&'a str, &'a CdkProbes)> {
    ctx.workspace
        .of_kind(FileKind::Python)
        .filter_map(|f| match &f.facts {
            FileFacts::Python(py) if py.cdk.imports_cdk => Some((f.path.as_str(), &py.cdk.probes)),
            _ => None,
        })
}

/// The app of the one image `file` deploys, when it deploys exactly one and that image is built by the unit.
fn file_app(ctx: &Context, file: &str, probes: &CdkProbes) -> Option<usize> {
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut folders: Vec<Option<String>> = Vec::new();
    for image in &probes.images {
        let folder = match &image.source {
            ImageSource::Dir(d) => ctx.index.cdk().root().and_then(|root| resolve_dir(root, d)),
            ImageSource::FileDir(d) => resolve_dir(dir, d),
            // A reference to an asset built in this file is that image again.
            ImageSource::Asset(var)
                if probes.images.iter().any(|i| i.bound.as_ref() == Some(var)) =>
            {
                continue
            }
            ImageSource::Asset(_) | ImageSource::Other => None,
        };
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    let [Some(folder)] = folders.as_slice() else {
        return None;
    };
    app_for_context(ctx, folder)
}
