//! ## What it checks
//! That no secret production loads is left at a well-known placeholder (`changethis`, `changeme`, `changeit`,
//! `secret`, `password`, `admin`, `example`, `your-...`) in a Dockerfile `ENV` or `ARG` default, a compose
//! service's `environment`, a committed `.env` file or a settings module, and that no settings module falls
//! back to a value written in the repository when the environment does not set the secret
//! (`os.environ.get("SECRET_KEY", "secret-key")`, `os.getenv("SECRET_KEY") or "dev"`). A placeholder the
//! application itself refuses (its code compares the value with that very string and stops, as
//! full-stack-fastapi-template does with `changethis`) is not reported. Values are never shown in full.
//! A compose file that looks like a development setup (a service bind-mounts its own build context, builds a
//! `dev` target or runs a reloader) is not read when the unit deploys some other way: another compose file, or
//! a production Dockerfile (`Dockerfile.prod`).
//!
//! ## Why it matters
//! A placeholder is a password everyone knows. It reaches production whenever someone forgets to set the
//! real value, and nothing fails loudly: the service starts, signed with a key anyone can guess.
//!
//! ## Example
//! ```python
//! class Config:
//!     SECRET_KEY = os.environ.get("APP_SECRET", "secret-key")
//! ```
//!
//! ## Fix
//! ```python
//! class Config:
//!     SECRET_KEY = os.environ["APP_SECRET"]  # fails at start when it is not set
//! ```
//! Or keep the placeholder for local use and refuse it at start-up outside development.

use shipready_syntax::FileFacts;
use shipready_syntax::FileKind;

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "placeholder-secret",
    category: Category::Security,
    severity: Severity::High,
    title: "A secret is left at a well-known placeholder",
    impact: "Whenever the real value is not set, production runs with a password everyone knows.",
    recommendation:
        "Require the secret from the environment (fail at start without it), or refuse the placeholder outside development.",
    effort: "15 minutes",
    source: include_str!("placeholder_secret.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let (seen, sites) = super::secrets::secret_sites(ctx);
    if !seen {
        return super::not_applicable("no Dockerfile, compose file, .env file or settings module");
    }
    // Strings the unit's code compares values with: a placeholder among them is one the app checks for.
    let refused: Vec<&str> = ctx
        .workspace
        .of_kind(FileKind::Python)
        .filter_map(|f| match &f.facts {
            FileFacts::Python(py) => Some(py),
            _ => None,
        })
        .flat_map(|py| py.security.compared_strings.iter().map(String::as_str))
        .collect();
    let findings: Vec<Finding> = sites
        .iter()
        .filter(|s| s.fallback || super::secrets::is_placeholder(&s.value))
        .filter(|s| !refused.contains(&s.value.as_str()))
        .map(|s| {
            let what = if s.fallback {
                "falls back to a value written in the repository when the environment does not set it"
                    .to_owned()
            } else {
                format!("is left at a placeholder in {}", s.place)
            };
            Finding::at(
                &s.file,
                s.range,
                format!(
                    "`{}` {what} (`{}`): production runs with a value everyone knows whenever the real one is not set. Require it from the environment, or refuse the placeholder at start.",
                    s.name,
                    super::mask(&s.value),
                ),
            )
        })
        .collect();
    if findings.is_empty() {
        return Outcome::pass("no placeholder secrets", Vec::new());
    }
    let n = findings.len();
    Outcome::fail(
        format!(
            "{n} placeholder {}",
            if n == 1 { "secret" } else { "secrets" }
        ),
        findings,
    )
    .needing(n)
}

#[cfg(test)]
mod tests {
    use crate::{audit_workspace, Profile, Workspace};

    /// SC006 findings of the whole workspace, with file roles applied (`.env.local` set aside).
    fn count(files: &[(&str, &str)]) -> usize {
        let a = audit_workspace(
            &Workspace::from_texts(files.iter().copied()),
            Profile::Standard,
        );
        a.findings().iter().filter(|f| f.code == "SC006").count()
    }

    const COMPOSE: &str = "services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n";

    #[test]
    fn placeholders_fallbacks_and_refused_placeholders() {
        let env = "POSTGRES_PASSWORD=changethis\n";
        assert_eq!(count(&[("compose.yaml", COMPOSE), (".env", env)]), 1);
        // Template and development variants are not loaded in production.
        assert_eq!(
            count(&[("compose.yaml", COMPOSE), (".env.example", env)]),
            0
        );
        assert_eq!(count(&[("compose.yaml", COMPOSE), (".env.local", env)]), 0);
        // The application refuses the placeholder.
        let guard = "def check(v):\n    if v == \"changethis\":\n        raise ValueError(\"set POSTGRES_PASSWORD\")\n";
        assert_eq!(
            count(&[
                ("compose.yaml", COMPOSE),
                (".env", env),
                ("app/core/config.py", guard)
            ]),
            0
        );
        // A settings module's fallback of an environment read, whatever the value.
        let config = "import os\n\nclass Config:\n    SECRET_KEY = os.environ.get(\"SECRET_KEY\") or \"you-will-never-guess\"\n";
        assert_eq!(
            count(&[("compose.yaml", COMPOSE), ("config.py", config)]),
            1
        );
        // A real literal is SC002's, not a placeholder.
        let literal = "POSTGRES_PASSWORD=Zq8-vT2w\n";
        assert_eq!(count(&[("compose.yaml", COMPOSE), (".env", literal)]), 0);
    }
}
