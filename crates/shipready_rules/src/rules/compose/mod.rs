//! Compose rules (containerization category, `standard` profile only; the seed auditor only asks whether a
//! compose file exists): how the services of a production compose project restart, wait for and persist their
//! backing services.
//!
//! All of them read the same view: the unit's production compose files minus the ones that are development
//! setups in disguise (a plain `docker-compose.yml` that builds a `dev` stage, mounts the source over the image
//! or runs an auto-reloading server), grouped into projects by folder, so a `compose.deploy.yml` that adds
//! `restart: always` to the services of `compose.yml` beside it closes their gap.

mod backing;
pub mod database_port_exposed;
pub mod database_without_volume;
pub mod missing_restart;
pub mod no_production_compose;
pub mod service_without_healthcheck;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
pub mod unhealthy_dependency;

use shipready_syntax::compose::{ComposeFacts, ComposeService};
use shipready_syntax::FileKind;
use shipready_text::TextRange;

use crate::index::docker::{built_stage, compose, dockerfile, resolve, resolve_dir};
use crate::{Context, Outcome, SourceFile};

/// One service of a compose project: every definition of its name in the project's files, base file first.
pub(crate) struct ProjectService<'a> {
    pub name: &'a str,
    /// `(compose file, definition)`, in the order the files merge.
    pub defs: Vec<(&'a SourceFile, &'a ComposeService)>,
}

impl<'a> ProjectService<'a> {
    /// The first definition, where findings about the service go.
    pub fn first(&self) -> (&'a SourceFile, &'a ComposeService) {
        self.defs[0]
    }
}

/// The compose projects of the unit: production compose files that are not development setups, grouped by
/// folder, and the files set aside as development setups with the reason.
pub(crate) struct Projects<'a> {
    /// One list of services per folder, in path order.
    pub projects: Vec<Vec<ProjectService<'a>>>,
    /// `(file, why, the construct that shows it)`.
    pub dev_setups: Vec<(&'a str, String, TextRange)>,
}

impl<'a> Projects<'a> {
    pub fn services(&self) -> impl Iterator<Item = (&[ProjectService<'a>], &ProjectService<'a>)> {
        self.projects
            .iter()
            .flat_map(|p| p.iter().map(move |s| (p.as_slice(), s)))
    }
}

/// The services of `projects` that run a database, cache, broker or search engine (by their image, or the
/// base image of the Dockerfile they build), with that image and what kind of backing service it is.
pub(crate) fn backing_services<'p, 'a>(
    ctx: &'p Context,
    projects: &'p Projects<'a>,
) -> impl Iterator<Item = (&'p ProjectService<'a>, String, backing::Backing)> + 'p {
    projects.services().filter_map(move |(_, service)| {
        let image = image_of(ctx, service)?;
        let kind = backing::of_image(&image)?;
        Some((service, image, kind))
    })
}

pub(crate) fn projects<'a>(ctx: &'a Context) -> Projects<'a> {
    let mut files: Vec<(&SourceFile, &ComposeFacts)> = ctx
        .workspace
        .of_kind(FileKind::Compose)
        .filter_map(|f| Some((f, compose(&f.facts)?)))
        .collect();
    files.sort_by_key(|(f, _)| {
        (
            f.dir().to_owned(),
            !is_base_name(f.name()),
            f.name().to_owned(),
        )
    });
    let mut out = Projects {
        projects: Vec::new(),
        dev_setups: Vec::new(),
    };
    let mut current: Option<&str> = None;
    for (file, facts) in files {
        if let Some((reason, range)) = dev_setup(file, facts) {
            out.dev_setups.push((file.path.as_str(), reason, range));
            continue;
        }
        if current != Some(file.dir()) || out.projects.is_empty() {
            out.projects.push(Vec::new());
            current = Some(file.dir());
        }
        let Some(project) = out.projects.last_mut() else {
            continue;
        };
        for service in &facts.services {
            match project.iter_mut().find(|s| s.name == service.name.value) {
                Some(s) => s.defs.push((file, service)),
                None => project.push(ProjectService {
                    name: &service.name.value,
                    defs: vec![(file, service)],
                }),
            }
        }
    }
    out.projects.retain(|p| !p.is_empty());
    out
}

/// `compose.yaml`, `docker-compose.yml` and their spellings: the file the others are merged into.
fn is_base_name(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "compose.yaml" | "compose.yml" | "docker-compose.yaml" | "docker-compose.yml"
    )
}

/// Container folders that hold configuration, not code.
const CONFIG_DIRS: &[&str] = &["/etc/", "/usr/local/etc/", "/usr/share/nginx/", "/config"];

/// Build targets that name a development stage.
const DEV_TARGETS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "dev-envs",
    "debug",
    "local",
];

/// Why a production-named compose file is a development setup, and the construct that shows it: one of its
/// services builds a development stage (its `build:` entry), bind-mounts its whole build context over the image
/// (the volume item: live source), or runs an auto-reloading server (its `command:`).
pub(crate) fn dev_setup(file: &SourceFile, facts: &ComposeFacts) -> Option<(String, TextRange)> {
    for s in &facts.services {
        let name = &s.name.value;
        let Some(build) = &s.build else { continue };
        if let Some(t) = build
            .target
            .as_deref()
            .filter(|t| DEV_TARGETS.iter().any(|d| d.eq_ignore_ascii_case(t)))
        {
            return Some((
                format!("service `{name}` builds the `{t}` stage"),
                build.range,
            ));
        }
        let context = resolve(file.dir(), build).map(|p| p.context);
        let mount = s.volumes.iter().find(|v| {
            let mut parts = v.value.trim_matches(['"', '\'']).split(':');
            let (Some(source), Some(target)) = (parts.next(), parts.next()) else {
                return false;
            };
            // A read-only mount, or one into a configuration folder (an nginx image built from `./nginx`
            // that mounts `./nginx` on /etc/nginx/conf.d), configures the image rather than replacing its code.
            let read_only = parts.any(|m| m.split(',').any(|o| o == "ro"));
            let config = CONFIG_DIRS.iter().any(|d| target.starts_with(d));
            source.starts_with('.')
                && !read_only
                && !config
                && context.is_some()
                && resolve_dir(file.dir(), source) == context
        });
        if let Some(v) = mount {
            return Some((
                format!("service `{name}` mounts its build context over the image (live source)"),
                v.range,
            ));
        }
        let reloads = s.command.as_ref().filter(|c| {
            let words: Vec<&str> = c.value.split_whitespace().collect();
            words.contains(&"--reload")
                || words.iter().any(|w| w.ends_with("runserver"))
                || words.windows(2).any(|p| p == ["fastapi", "dev"])
        });
        if let Some(c) = reloads {
            return Some((
                format!("service `{name}` runs an auto-reloading development server"),
                c.range,
            ));
        }
    }
    None
}

/// The image a service runs: the base image of the stage it builds when it builds one in the workspace, else
/// its `image:` (the last definition's).
pub(crate) fn image_of(ctx: &Context, service: &ProjectService) -> Option<String> {
    for (file, def) in service.defs.iter().rev() {
        let Some(build) = &def.build else { continue };
        let Some(paths) = resolve(file.dir(), build) else {
            continue;
        };
        let Some(d) = ctx
            .workspace
            .file(&paths.dockerfile)
            .and_then(|f| dockerfile(&f.facts))
        else {
            continue;
        };
        if let Some(stage) = built_stage(d, build.target.as_deref()) {
            return Some(crate::index::workload::base_image(d, stage).to_owned());
        }
    }
    service
        .defs
        .iter()
        .rev()
        .find_map(|(_, d)| d.image.as_ref().map(|i| i.value.clone()))
}

/// Not applicable, with the reason.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome::not_applicable_because(why)
}

/// Why nothing was judged: no compose file, or only development setups.
pub(crate) fn nothing_judged(projects: &Projects) -> Outcome {
    match projects.dev_setups.first() {
        Some((path, why, _)) => not_applicable(&format!(
            "no production compose file ({path} is a development setup: {why})"
        )),
        None => not_applicable("no production compose service"),
    }
}

#[cfg(test)]
mod dev_setup_tests {
    use crate::index::docker::compose;
    use crate::Workspace;

    fn dev(text: &str) -> Option<String> {
        let ws = Workspace::from_texts([("compose.yaml", text)]);
        let file = ws.file("compose.yaml")?;
        super::dev_setup(file, compose(&file.facts)?).map(|(why, _)| why)
    }

    #[test]
    fn source_mounts_and_configuration_mounts() {
        let live = "services:\n  web:\n    build: ./web\n    volumes:\n      - ./web:/srv/app\n";
        assert!(dev(live).is_some_and(|w| w.contains("mounts its build context")));
        let config = "services:\n  proxy:\n    build: ./nginx\n    volumes:\n      - ./nginx:/etc/nginx/conf.d\n";
        assert_eq!(dev(config), None);
        let read_only = "services:\n  web:\n    build: .\n    volumes:\n      - .:/srv/app:ro\n";
        assert_eq!(dev(read_only), None);
        let part = "services:\n  web:\n    build: .\n    volumes:\n      - ./static:/srv/static\n";
        assert_eq!(dev(part), None);
    }
}
