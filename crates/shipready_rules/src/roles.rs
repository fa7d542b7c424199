//! File roles: whether a file is part of what a repository deploys (production) or sits beside it (a dev
//! container, a test-runner image, a CI job, an example, an archived copy). Only production files make or
//! satisfy readiness gaps; the others are set aside with the reason they were.

use serde::Serialize;
use shipready_syntax::FileKind;

use crate::SourceFile;

/// What a file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Production,
    Development,
    Test,
    Ci,
    Example,
    Archived,
}

impl Role {
    pub fn id(self) -> &'static str {
        match self {
            Role::Production => "production",
            Role::Development => "development",
            Role::Test => "test",
            Role::Ci => "ci",
            Role::Example => "example",
            Role::Archived => "archived",
        }
    }
}

/// A file's role and, for anything but production, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleOf {
    pub role: Role,
    pub reason: String,
}

impl RoleOf {
    fn production() -> Self {
        RoleOf {
            role: Role::Production,
            reason: String::new(),
        }
    }

    fn new(role: Role, reason: impl Into<String>) -> Self {
        RoleOf {
            role,
            reason: reason.into(),
        }
    }
}

/// Folder names that hold files beside the deployment, by role. Matched on whole path segments,
/// case-insensitively.
const FOLDERS: &[(&str, Role)] = &[
    (".devcontainer", Role::Development),
    ("devcontainer", Role::Development),
    (".github", Role::Ci),
    (".gitlab", Role::Ci),
    (".circleci", Role::Ci),
    (".buildkite", Role::Ci),
    (".ci", Role::Ci),
    ("test", Role::Test),
    ("tests", Role::Test),
    ("__tests__", Role::Test),
    ("testing", Role::Test),
    ("e2e", Role::Test),
    ("integration-tests", Role::Test),
    ("integration_tests", Role::Test),
    ("test-fixtures", Role::Test),
    ("fixtures", Role::Test),
    ("examples", Role::Example),
    ("example", Role::Example),
    ("archived", Role::Archived),
    ("archive", Role::Archived),
    ("deprecated", Role::Archived),
    ("attic", Role::Archived),
];

/// The role a folder named `segment` gives the files in it, if any.
pub(crate) fn folder_role(segment: &str) -> Option<Role> {
    let lower = segment.to_ascii_lowercase();
    FOLDERS.iter().find(|(n, _)| *n == lower).map(|(_, r)| *r)
}

/// Words in a Dockerfile's or compose file's name that mark it as a test runner or a development setup.
const TEST_NAME_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "e2e",
    "playwright",
    "cypress",
    "selenium",
    "puppeteer",
];
const DEV_NAME_WORDS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "local",
    "debug",
    "devcontainer",
    "override",
    "sandbox",
];

/// The role of `file`, from its path, its name, and (for Dockerfiles and compose files) a header comment that
/// says what it is for.
pub fn role_of(file: &SourceFile) -> RoleOf {
    let path = file.path.as_str();
    let dirs: Vec<&str> = path.split('/').collect();
    let folders = &dirs[..dirs.len().saturating_sub(1)];
    for segment in folders {
        let lower = segment.to_ascii_lowercase();
        if let Some((_, role)) = FOLDERS.iter().find(|(name, _)| *name == lower) {
            let what = match role {
                Role::Development => "development files",
                Role::Test => "tests",
                Role::Ci => "CI configuration",
                Role::Example => "examples",
                Role::Archived => "archived files",
                Role::Production => "production files",
            };
            return RoleOf::new(*role, format!("{what} ({segment}/ folder)"));
        }
    }
    let name = file.name().to_ascii_lowercase();
    match file.kind {
        FileKind::Dockerfile | FileKind::Compose => {
            if let Some(role) = role_from_name(&name, file.kind) {
                return role;
            }
            if let Some(role) = role_from_header(&file.text) {
                return role;
            }
            if let Some(role) = test_runner(file) {
                return role;
            }
        }
        FileKind::DotEnv => {
            if let Some(role) = dotenv_role(&name) {
                return role;
            }
        }
        FileKind::Python
            if name.starts_with("test_") || name.ends_with("_test.py") || name == "conftest.py" =>
        {
            return RoleOf::new(Role::Test, "a test module");
        }
        _ => {}
    }
    RoleOf::production()
}

/// A Dockerfile whose image runs the test suite (`ENTRYPOINT ["./run_tests.sh"]`, `CMD pytest`).
fn test_runner(file: &SourceFile) -> Option<RoleOf> {
    let shipready_syntax::FileFacts::Dockerfile(d) = &file.facts else {
        return None;
    };
    let stage = d.stages.last()?;
    let words: Vec<&str> = [&stage.entrypoint, &stage.cmd]
        .into_iter()
        .flatten()
        .flat_map(|c| c.args.iter().flat_map(|a| a.split_whitespace()))
        .collect();
    let runs_tests = words.iter().enumerate().any(|(i, w)| {
        let program = w.rsplit('/').next().unwrap_or(w);
        let next = words.get(i + 1).copied().unwrap_or("");
        matches!(program, "pytest" | "tox" | "nox" | "py.test")
            || (program.contains("test") && program.ends_with(".sh"))
            || (matches!(program, "npm" | "yarn" | "pnpm" | "make" | "go" | "cargo")
                && next == "test")
            || (program == "-m" && next == "pytest")
    });
    runs_tests.then(|| {
        RoleOf::new(
            Role::Test,
            "a test-runner image (its command runs the tests)",
        )
    })
}

/// Plain `Dockerfile`s set aside because a production variant sits beside them (`Dockerfile.prod`): the plain
/// one is the development image. Applied to the roles of a whole workspace.
pub fn refine_with_siblings(files: &mut [(std::sync::Arc<SourceFile>, RoleOf)]) {
    let prod_variants: Vec<String> = files
        .iter()
        .filter(|(f, r)| r.role == Role::Production && f.kind == FileKind::Dockerfile)
        .filter(|(f, _)| {
            let name = f.name().to_ascii_lowercase();
            let prod = name_words(&name).any(|w| matches!(w, "prod" | "production"));
            prod
        })
        .map(|(f, _)| f.dir().to_owned())
        .collect();
    for (f, r) in files.iter_mut() {
        let plain = matches!(f.name(), "Dockerfile" | "Containerfile");
        if plain && r.role == Role::Production && prod_variants.iter().any(|d| d == f.dir()) {
            *r = RoleOf::new(
                Role::Development,
                "a development image (a production Dockerfile sits beside it)",
            );
        }
    }
}

/// The words of a file name, split at `.`, `-` and `_`, without the kind's own words.
fn name_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(['.', '-', '_']).filter(|w| {
        !matches!(
            *w,
            "dockerfile" | "containerfile" | "docker" | "compose" | "yml" | "yaml" | ""
        )
    })
}

/// A `.env` variant for development or tests (`.env.dev`, `.env.local`, `.env.test`): docker compose and
/// python-dotenv load it on a developer's machine or in CI, never in production.
fn dotenv_role(name: &str) -> Option<RoleOf> {
    let variant = name.strip_prefix(".env")?;
    for word in variant.split(['.', '-', '_']) {
        if TEST_NAME_WORDS.contains(&word) || word == "ci" {
            return Some(RoleOf::new(
                Role::Test,
                format!("environment for tests (`{word}` in its name)"),
            ));
        }
        if DEV_NAME_WORDS.contains(&word) {
            return Some(RoleOf::new(
                Role::Development,
                format!("a development environment (`{word}` in its name)"),
            ));
        }
    }
    None
}

fn role_from_name(name: &str, kind: FileKind) -> Option<RoleOf> {
    let what = if kind == FileKind::Compose {
        "compose file"
    } else {
        "image"
    };
    for word in name_words(name) {
        if word == "ci" {
            return Some(RoleOf::new(
                Role::Ci,
                format!("a CI {what} (`ci` in its name)"),
            ));
        }
        if TEST_NAME_WORDS.contains(&word) {
            return Some(RoleOf::new(
                Role::Test,
                format!("a test-runner {what} (`{word}` in its name)"),
            ));
        }
        if DEV_NAME_WORDS.contains(&word) {
            return Some(RoleOf::new(
                Role::Development,
                format!("a development {what} (`{word}` in its name)"),
            ));
        }
    }
    None
}

/// The leading comment block of a Dockerfile or YAML file, when it says the file is for development or
/// tests (and does not also say production).
fn role_from_header(text: &str) -> Option<RoleOf> {
    let mut header = String::new();
    for line in text.lines().take(12) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let Some(comment) = t.strip_prefix('#') else {
            break;
        };
        header.push_str(&comment.to_lowercase());
        header.push(' ');
    }
    if header.is_empty() {
        return None;
    }
    // Checked before the production guard below, which the phrase itself would trip.
    if header.contains("not for production") || header.contains("do not use in production") {
        return Some(RoleOf::new(
            Role::Development,
            "its header says it is not for production",
        ));
    }
    if header.contains("production") || header.contains("prod ") {
        return None;
    }
    const DEV: &[&str] = &[
        "for development",
        "for local development",
        "local development",
        "development only",
        "development environment",
        "dev environment",
        "for dev ",
        "dev only",
    ];
    const TEST: &[&str] = &["for testing", "for tests", "test environment", "ci only"];
    if DEV.iter().any(|w| header.contains(w)) {
        return Some(RoleOf::new(
            Role::Development,
            "its header says it is for development",
        ));
    }
    if TEST.iter().any(|w| header.contains(w)) {
        return Some(RoleOf::new(Role::Test, "its header says it is for tests"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(path: &str, text: &str) -> Role {
        let kind = FileKind::classify(path).unwrap_or(FileKind::Markdown);
        role_of(&SourceFile::new(path, kind, text)).role
    }

    #[test]
    fn folders_set_files_aside() {
        assert_eq!(
            role(".devcontainer/Dockerfile", "FROM x\n"),
            Role::Development
        );
        assert_eq!(role("archived/v1/Dockerfile", "FROM x\n"), Role::Archived);
        assert_eq!(role("tests/app/main.py", ""), Role::Test);
        assert_eq!(role(".github/workflows/Dockerfile", "FROM x"), Role::Ci);
        assert_eq!(role("examples/demo/compose.yaml", ""), Role::Example);
        assert_eq!(
            role("services/api/Dockerfile", "FROM x\n"),
            Role::Production
        );
        // A folder whose name merely contains a role word is not that role.
        assert_eq!(role("contest/Dockerfile", "FROM x\n"), Role::Production);
        assert_eq!(role("latest/Dockerfile", "FROM x\n"), Role::Production);
    }

    #[test]
    fn names_mark_test_runners_and_dev_setups() {
        assert_eq!(role("Dockerfile.playwright", "FROM x\n"), Role::Test);
        assert_eq!(role("Dockerfile.cypress", "FROM x\n"), Role::Test);
        assert_eq!(role("docker-compose.dev.yml", ""), Role::Development);
        assert_eq!(role("docker-compose.override.yml", ""), Role::Development);
        assert_eq!(role("docker-compose.test.yml", ""), Role::Test);
        assert_eq!(role("dev.Dockerfile", "FROM x\n"), Role::Development);
        assert_eq!(role("docker-compose.prod.yml", ""), Role::Production);
        assert_eq!(role("Dockerfile", "FROM x\n"), Role::Production);
        assert_eq!(role("app/test_main.py", ""), Role::Test);
        assert_eq!(role("app/latest.py", ""), Role::Production);
        assert_eq!(role(".env.local", ""), Role::Development);
        assert_eq!(role(".env.development", ""), Role::Development);
        assert_eq!(role(".env.test", ""), Role::Test);
        assert_eq!(role(".env.prod", ""), Role::Production);
        assert_eq!(role(".env", ""), Role::Production);
    }

    #[test]
    fn an_image_that_runs_the_tests_is_a_test_runner() {
        assert_eq!(
            role(
                "Dockerfile",
                "FROM python:3.12\nENTRYPOINT [\"./run_tests.sh\"]\n"
            ),
            Role::Test
        );
        assert_eq!(
            role(
                "Dockerfile",
                "FROM python:3.12\nCMD python -m pytest tests\n"
            ),
            Role::Test
        );
        assert_eq!(
            role("Dockerfile", "FROM node:20\nCMD [\"npm\", \"test\"]\n"),
            Role::Test
        );
        assert_eq!(
            role("Dockerfile", "FROM node:20\nCMD [\"npm\", \"start\"]\n"),
            Role::Production
        );
    }

    #[test]
    fn a_plain_dockerfile_beside_a_production_one_is_for_development() {
        let ws = crate::Workspace::from_texts([
            ("web/Dockerfile", "FROM python:3.12\n"),
            ("web/Dockerfile.prod", "FROM python:3.12\n"),
            ("api/Dockerfile", "FROM python:3.12\n"),
        ]);
        let mut roles: Vec<_> = ws.files().iter().map(|f| (f.clone(), role_of(f))).collect();
        refine_with_siblings(&mut roles);
        let of = |p: &str| roles.iter().find(|(f, _)| f.path == p).map(|(_, r)| r.role);
        assert_eq!(of("web/Dockerfile"), Some(Role::Development));
        assert_eq!(of("web/Dockerfile.prod"), Some(Role::Production));
        assert_eq!(of("api/Dockerfile"), Some(Role::Production));
    }

    #[test]
    fn a_header_comment_says_what_a_file_is_for() {
        let dev = "# Compose file for local development.\n# Run: docker compose up\nservices:\n  web:\n    build: .\n";
        assert_eq!(role("compose.yaml", dev), Role::Development);
        let prod = "# Production stack; use compose.dev.yaml for development.\nservices: {}\n";
        assert_eq!(role("compose.yaml", prod), Role::Production);
        let not_prod = "# Sample stack, not for production.\nservices: {}\n";
        assert_eq!(role("compose.yaml", not_prod), Role::Development);
        assert_eq!(role("docker-compose.ci.yml", ""), Role::Ci);
        let later = "services:\n  web:\n    build: .\n# for development\n";
        assert_eq!(role("compose.yaml", later), Role::Production);
    }
}
