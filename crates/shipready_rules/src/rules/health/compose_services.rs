//! The compose services of a workspace, each once: a service repeated in another compose file of its folder
//! (`docker-compose.prod.yml` or `compose.override.yaml` next to `docker-compose.yml`) is the same service, with
//! the definitions merged the way `docker compose -f base -f override` merges them. HC002 counts these.

use std::collections::BTreeMap;

use shipready_syntax::compose::ComposeService;
use shipready_text::TextRange;

use crate::index::docker::{compose, resolve, BuildPaths};
use crate::Context;

/// One service of one compose project.
pub(crate) struct Service<'a> {
    /// The compose file of its first definition (the base file), where findings about it go.
    pub file: &'a str,
    /// Its first definition.
    pub first: &'a ComposeService,
    /// Whether any definition builds an image (`build:`), resolvable or not.
    pub builds: bool,
    /// Where the last definition with a `build:` builds from, when that lies in the workspace.
    pub paths: Option<BuildPaths>,
    /// `build.target` of that definition.
    pub target: Option<&'a str>,
    /// The last `command:` any definition sets.
    pub command: Option<&'a str>,
    pub healthcheck: Own,
}

/// The service's own `healthcheck:` across its definitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Own {
    /// No definition has one: the image's `HEALTHCHECK` applies.
    Unset,
    /// Every definition that has one disables it.
    Disabled,
    /// An enabled one, in this file at this range.
    Enabled(String, TextRange),
}

/// The services of every compose file, merged by compose folder and service name, in the order their first
/// definitions appear (base files before the override files of their folder).
pub(crate) fn services<'a>(ctx: &'a Context) -> Vec<Service<'a>> {
    let ws = ctx.workspace;
    let mut files: Vec<&str> = ctx
        .index
        .docker()
        .compose_files
        .iter()
        .map(String::as_str)
        .collect();
    files.sort_by_key(|p| {
        let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
        (dir.to_owned(), !is_base_name(name), name.to_owned())
    });
    let mut out: Vec<Service<'a>> = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for path in files {
        let Some(file) = ws.file(path) else { continue };
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            let key = (file.dir().to_owned(), service.name.value.clone());
            let n = *seen.entry(key).or_insert_with(|| {
                out.push(Service {
                    file: file.path.as_str(),
                    first: service,
                    builds: false,
                    paths: None,
                    target: None,
                    command: None,
                    healthcheck: Own::Unset,
                });
                out.len() - 1
            });
            let Some(merged) = out.get_mut(n) else {
                continue;
            };
            if let Some(build) = &service.build {
                merged.builds = true;
                merged.paths = resolve(file.dir(), build);
                merged.target = build.target.as_deref();
            }
            if let Some(command) = &service.command {
                merged.command = Some(command.value.as_str());
            }
            // An enabled check in any definition counts: a production override adding one to the base
            // service is the common case, and no definition is known to be the one deployed.
            match (&service.healthcheck, &merged.healthcheck) {
                (Some(h), Own::Unset | Own::Disabled) if !h.disabled => {
                    merged.healthcheck = Own::Enabled(file.path.clone(), h.range);
                }
                (Some(h), Own::Unset) if h.disabled => merged.healthcheck = Own::Disabled,
                _ => {}
            }
        }
    }
    out
}

/// `compose.yaml`, `docker-compose.yml` and their spellings: the file overrides are merged into.
fn is_base_name(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "compose.yaml" | "compose.yml" | "docker-compose.yaml" | "docker-compose.yml"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Index;
    use crate::Workspace;

    fn merged(files: &[(&str, &str)]) -> Vec<(String, String, bool, Own)> {
        let ws = Workspace::from_texts(files.iter().copied());
        let index = Index::build(&ws);
        let ctx = Context {
            workspace: &ws,
            index: &index,
            profile: crate::Profile::Seed,
        };
        services(&ctx)
            .into_iter()
            .map(|s| {
                let at = s.paths.map(|p| p.dockerfile).unwrap_or_default();
                (
                    format!("{}#{}", s.file, s.first.name.value),
                    at,
                    s.builds,
                    s.healthcheck,
                )
            })
            .collect()
    }

    #[test]
    fn an_override_repeating_a_service_merges_into_the_base_definition() {
        let base = "services:\n  api:\n    build: ./api\n  db:\n    image: postgres:16\n";
        let over = "services:\n  api:\n    healthcheck:\n      test: curl -f http://localhost/health\n  db:\n    healthcheck:\n      disable: true\n";
        let got = merged(&[("compose.yaml", base), ("compose.override.yaml", over)]);
        let names: Vec<(&str, &str, bool)> = got
            .iter()
            .map(|(n, d, b, _)| (n.as_str(), d.as_str(), *b))
            .collect();
        assert_eq!(
            names,
            [
                ("compose.yaml#api", "api/Dockerfile", true),
                ("compose.yaml#db", "", false)
            ]
        );
        assert!(matches!(&got[0].3, Own::Enabled(f, _) if f == "compose.override.yaml"));
        assert_eq!(got[1].3, Own::Disabled);
    }

    #[test]
    fn projects_in_other_folders_stay_apart() {
        let stack = "services:\n  web:\n    image: nginx:1.25\n";
        let got = merged(&[("a/compose.yaml", stack), ("b/compose.yaml", stack)]);
        assert_eq!(got.len(), 2);
    }
}
