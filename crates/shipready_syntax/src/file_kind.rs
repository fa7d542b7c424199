//! Classifies a workspace path into the kind of file shipready understands, by its name alone.

use serde::Serialize;

/// What a file is to shipready, decided from its path (never its content).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Dockerfile,
    Compose,
    Markdown,
    Python,
    CdkJson,
    /// `requirements*.txt`, `pyproject.toml`, `setup.py`/`setup.cfg`, `Pipfile`: dependency declarations.
    Requirements,
    /// A shell script, Makefile, justfile or `package.json`: places that hold operational commands.
    Script,
    /// A committed `.env` file (`.env`, `.env.prod`): `KEY=VALUE` settings a deployment loads. Templates
    /// (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) are not: they hold no real values.
    DotEnv,
    /// A CI workflow: `.github/workflows/*.yml|yaml` or `.gitlab-ci.yml`.
    Workflow,
}

impl FileKind {
    /// The kind of the file at `path` (forward or back slashes), or `None` when shipready has no use for it.
    pub fn classify(path: &str) -> Option<FileKind> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if lower == "dockerfile"
            || lower == "containerfile"
            || lower.ends_with(".dockerfile")
            || lower.ends_with(".containerfile")
            || lower.starts_with("dockerfile.")
            || lower.starts_with("containerfile.")
        {
            // `Dockerfile.prod` is a Dockerfile; `dockerfile.rs`, `Dockerfile.j2` or `Dockerfile.dockerignore`
            // are source files, templates or ignore files about Dockerfiles.
            let suffix = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
            const NOT_DOCKERFILE: &[&str] = &[
                "dockerignore",
                "rs",
                "py",
                "js",
                "ts",
                "go",
                "java",
                "rb",
                "md",
                "txt",
                "json",
                "yml",
                "yaml",
                "toml",
                "sh",
                "j2",
                "jinja",
                "tmpl",
                "tpl",
                "template",
                "erb",
                "orig",
                "bak",
                "swp",
                "lock",
            ];
            let is_prefix_form =
                lower.starts_with("dockerfile.") || lower.starts_with("containerfile.");
            if is_prefix_form && NOT_DOCKERFILE.contains(&suffix) {
                return (suffix == "py").then_some(FileKind::Python);
            }
            return Some(FileKind::Dockerfile);
        }
        if is_dotenv_name(&lower) {
            return Some(FileKind::DotEnv);
        }
        if is_compose_name(&lower) {
            return Some(FileKind::Compose);
        }
        if is_github_workflow(path, &lower) || is_ci_config(path, &lower) {
            return Some(FileKind::Workflow);
        }
        if lower == "cdk.json" {
            return Some(FileKind::CdkJson);
        }
        if lower == "package.json"
            || lower == "procfile"
            || lower == "makefile"
            || lower == "gnumakefile"
            || lower == "justfile"
        {
            return Some(FileKind::Script);
        }
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let in_requirements_dir =
            format!("/{}", path.replace('\\', "/")).contains("/requirements/");
        if (ext == "txt" && (lower.starts_with("requirements") || in_requirements_dir))
            || lower == "pyproject.toml"
            || lower == "setup.cfg"
            || lower == "pipfile"
        {
            return Some(FileKind::Requirements);
        }
        match ext {
            "md" | "markdown" | "mdx" => Some(FileKind::Markdown),
            "py" => Some(FileKind::Python),
            "sh" | "bash" | "zsh" | "ps1" => Some(FileKind::Script),
            _ => None,
        }
    }
}

fn is_github_workflow(path: &str, lower_name: &str) -> bool {
    let path = format!("/{}", path.replace('\\', "/"));
    path.contains("/.github/workflows/")
        && (lower_name.ends_with(".yml") || lower_name.ends_with(".yaml"))
}

/// `.env` or `.env.<variant>`, unless a word of the variant says it is a template to copy.
fn is_dotenv_name(lower: &str) -> bool {
    let Some(variant) = lower.strip_prefix(".env") else {
        return false;
    };
    if variant.is_empty() {
        return true;
    }
    const TEMPLATE_WORDS: &[&str] = &[
        "example", "examples", "sample", "samples", "template", "tmpl", "tpl", "dist", "default",
        "defaults", "skel", "orig", "bak", "j2", "jinja",
    ];
    variant.starts_with('.')
        && !variant
            .split(['.', '-', '_'])
            .any(|w| TEMPLATE_WORDS.contains(&w))
}

/// `.gitlab-ci.yml`, `.github/dependabot.yml` and Renovate's configuration: CI files outside
/// `.github/workflows/`.
fn is_ci_config(path: &str, lower_name: &str) -> bool {
    let in_github = format!("/{}", path.replace('\\', "/")).contains("/.github/");
    let in_circleci = format!("/{}", path.replace('\\', "/")).contains("/.circleci/");
    lower_name == ".gitlab-ci.yml"
        || is_other_ci(lower_name)
        || (in_circleci && matches!(lower_name, "config.yml" | "config.yaml"))
        || (in_github && matches!(lower_name, "dependabot.yml" | "dependabot.yaml"))
        || matches!(
            lower_name,
            "renovate.json" | ".renovaterc" | ".renovaterc.json"
        )
}

/// The pipeline files of CI systems other than GitHub Actions and GitLab CI, by name.
pub fn is_other_ci(lower_name: &str) -> bool {
    matches!(
        lower_name,
        ".travis.yml"
            | "bitbucket-pipelines.yml"
            | "azure-pipelines.yml"
            | "azure-pipelines.yaml"
            | "cloudbuild.yaml"
            | "cloudbuild.yml"
            | "buildspec.yml"
            | "buildspec.yaml"
            | ".drone.yml"
            | ".woodpecker.yml"
            | "appveyor.yml"
    )
}

fn is_compose_name(lower: &str) -> bool {
    let Some(stem) = lower
        .strip_suffix(".yml")
        .or_else(|| lower.strip_suffix(".yaml"))
    else {
        return false;
    };
    stem == "compose"
        || stem.starts_with("compose.")
        || stem == "docker-compose"
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
        || stem.starts_with("docker-compose_")
        // Swarm stack files (`docker stack deploy -c docker-stack.yml`) are compose files.
        || stem == "docker-stack"
        || stem.starts_with("docker-stack.")
        || stem.starts_with("docker-stack-")
}

#[cfg(test)]
mod tests {
    use super::FileKind::{self, *};

    #[test]
    fn dockerfile_names() {
        for p in [
            "Dockerfile",
            "a/b/Dockerfile",
            "api.Dockerfile",
            "Dockerfile.prod",
            "Containerfile",
            "x\\Dockerfile",
        ] {
            assert_eq!(FileKind::classify(p), Some(Dockerfile), "{p}");
        }
        assert_eq!(FileKind::classify("Dockerfile.dockerignore"), None);
        assert_eq!(FileKind::classify("src/dockerfile.rs"), None);
        assert_eq!(FileKind::classify("Dockerfile.j2"), None);
        assert_eq!(FileKind::classify("dockerfile_helpers.py"), Some(Python));
    }

    #[test]
    fn compose_names() {
        for p in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.override.yml",
            "compose.prod.yaml",
            "docker-compose-dev.yaml",
            "docker-stack.yml",
            "deploy/docker-stack.prod.yaml",
        ] {
            assert_eq!(FileKind::classify(p), Some(Compose), "{p}");
        }
        assert_eq!(FileKind::classify("config.yaml"), None);
        assert_eq!(FileKind::classify("docker-stacks.md"), Some(Markdown));
    }

    #[test]
    fn other_names() {
        assert_eq!(FileKind::classify("docs/DEPLOYMENT.md"), Some(Markdown));
        assert_eq!(FileKind::classify("infra/cdk.json"), Some(CdkJson));
        assert_eq!(
            FileKind::classify("requirements-dev.txt"),
            Some(Requirements)
        );
        assert_eq!(
            FileKind::classify("requirements/base.txt"),
            Some(Requirements)
        );
        assert_eq!(FileKind::classify("pyproject.toml"), Some(Requirements));
        assert_eq!(FileKind::classify("scripts/rollback.sh"), Some(Script));
        assert_eq!(FileKind::classify("Makefile"), Some(Script));
        assert_eq!(FileKind::classify("package.json"), Some(Script));
        assert_eq!(
            FileKind::classify(".github/workflows/deploy.yml"),
            Some(Workflow)
        );
        assert_eq!(
            FileKind::classify("svc/.github/workflows/ci.yaml"),
            Some(Workflow)
        );
        assert_eq!(FileKind::classify(".gitlab-ci.yml"), Some(Workflow));
        assert_eq!(
            FileKind::classify(".github/workflows/notes.md"),
            Some(Markdown)
        );
        assert_eq!(FileKind::classify(".github/dependabot.yml"), Some(Workflow));
        assert_eq!(FileKind::classify("renovate.json"), Some(Workflow));
        assert_eq!(FileKind::classify(".travis.yml"), Some(Workflow));
        assert_eq!(FileKind::classify(".circleci/config.yml"), Some(Workflow));
        assert_eq!(FileKind::classify("config.yml"), None);
        assert_eq!(FileKind::classify("dependabot.yml"), None);
        assert_eq!(FileKind::classify("notes.txt"), None);
    }

    #[test]
    fn dotenv_names() {
        for p in [
            ".env",
            "app/.env",
            ".env.prod",
            ".env.production",
            ".env.dev",
        ] {
            assert_eq!(FileKind::classify(p), Some(DotEnv), "{p}");
        }
        for p in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            ".env.prod-sample",
            ".envrc",
            ".env-defaults",
            "x.env",
        ] {
            assert_eq!(FileKind::classify(p), None, "{p}");
        }
    }
}
