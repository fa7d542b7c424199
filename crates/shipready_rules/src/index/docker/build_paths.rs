//! Where a compose service's image is built: its build context and Dockerfile as workspace paths, resolved the
//! way Compose resolves them. The one place that joins a compose file's folder with `build.context` and
//! `build.dockerfile`; every index and rule that follows a `build:` goes through it.

use shipready_syntax::compose::ComposeBuild;

/// A compose build, resolved to workspace paths (`/` separators, no `.` or `..`, `""` for the root folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildPaths {
    /// The build context folder.
    pub context: String,
    /// The Dockerfile the build reads.
    pub dockerfile: String,
}

/// The context and Dockerfile of `build` in a compose file in folder `compose_dir`. The context is relative to
/// the compose file's folder; the Dockerfile is relative to the context (`dockerfile: ./docker/Dockerfile`
/// with `context: ../` in `deploy/compose.yml` is `docker/Dockerfile`). `None` when either leaves the
/// workspace, is absolute, is a remote (git or URL) context, or is templated with a variable: nothing in the
/// workspace is known to be built then.
pub fn resolve(compose_dir: &str, build: &ComposeBuild) -> Option<BuildPaths> {
    let context = resolve_dir(compose_dir, &build.context)?;
    let name = build
        .dockerfile
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or("Dockerfile");
    let dockerfile = resolve_dir(&context, name)?;
    if dockerfile.is_empty() || dockerfile == context {
        return None;
    }
    Some(BuildPaths {
        context,
        dockerfile,
    })
}

/// The workspace path of `rel` written in a file in workspace folder `base`: `./` and empty segments are
/// dropped, `..` goes up, trailing slashes and Windows separators are normalised. `None` when the path is
/// absolute, remote, templated, or climbs above the workspace root.
pub fn resolve_dir(base: &str, rel: &str) -> Option<String> {
    let rel = rel.trim().replace('\\', "/");
    let remote = rel.contains("://") || rel.starts_with("git@") || rel.starts_with("github.com/");
    if rel.starts_with('/') || remote || rel.contains('$') || rel.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipready_text::TextRange;

    fn build(context: &str, dockerfile: Option<&str>) -> ComposeBuild {
        ComposeBuild {
            range: TextRange::empty(0),
            context: context.to_owned(),
            dockerfile: dockerfile.map(str::to_owned),
            target: None,
        }
    }

    fn paths(dir: &str, context: &str, dockerfile: Option<&str>) -> Option<(String, String)> {
        resolve(dir, &build(context, dockerfile)).map(|p| (p.context, p.dockerfile))
    }

    fn owned(context: &str, dockerfile: &str) -> Option<(String, String)> {
        Some((context.to_owned(), dockerfile.to_owned()))
    }

    #[test]
    fn the_context_is_relative_to_the_compose_folder_and_the_dockerfile_to_the_context() {
        assert_eq!(
            paths("deploy", "../", Some("./docker/Dockerfile")),
            owned("", "docker/Dockerfile")
        );
        assert_eq!(
            paths("deploy", "..", Some("docker/Dockerfile")),
            owned("", "docker/Dockerfile")
        );
        assert_eq!(paths("", ".", None), owned("", "Dockerfile"));
        assert_eq!(paths("", "./api/", None), owned("api", "api/Dockerfile"));
        assert_eq!(
            paths("deploy", "../backend", Some("Dockerfile.prod")),
            owned("backend", "backend/Dockerfile.prod")
        );
        assert_eq!(
            paths(
                "ops/compose",
                "../../services/api",
                Some("../../docker/api.Dockerfile")
            ),
            owned("services/api", "docker/api.Dockerfile")
        );
        assert_eq!(paths("", ".\\web", None), owned("web", "web/Dockerfile"));
    }

    #[test]
    fn a_build_outside_the_workspace_resolves_to_nothing() {
        assert_eq!(paths("", "..", None), None);
        assert_eq!(paths("deploy", "../../shared", None), None);
        assert_eq!(paths("", ".", Some("../Dockerfile")), None);
        assert_eq!(paths("", "/srv/app", None), None);
        assert_eq!(paths("", "https://github.com/o/r.git#main", None), None);
        assert_eq!(paths("", "git@github.com:o/r.git", None), None);
        assert_eq!(paths("", "${CONTEXT:-.}", None), None);
        assert_eq!(paths("", ".", Some("/abs/Dockerfile")), None);
        assert_eq!(paths("", ".", Some("./")), None);
    }

    #[test]
    fn folders_are_normalised() {
        assert_eq!(
            resolve_dir("deploy", "../backend").as_deref(),
            Some("backend")
        );
        assert_eq!(resolve_dir("", "./api").as_deref(), Some("api"));
        assert_eq!(resolve_dir("", ".").as_deref(), Some(""));
        assert_eq!(resolve_dir("a/b", "./c//d/../").as_deref(), Some("a/b/c"));
        assert_eq!(resolve_dir("a", "../..").as_deref(), None);
    }
}
