//! ## What it checks
//! That no secret is written as a literal value where production reads it: a Dockerfile `ENV` or `ARG`
//! default, a compose service's `environment`, a committed `.env` file (`.env`, `.env.prod`; not templates
//! such as `.env.example`, nor `.env.dev`/`.env.test`), or a settings module (`settings.py`, `config.py`,
//! `core/config.py`, a `settings/` package: a module-level `SECRET_KEY = "..."`, an attribute of a pydantic
//! `BaseSettings` or `...Config` class, the literal fallback of `os.environ.get("X", "...")`), whose name says
//! it holds a secret (`PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`...) and whose value
//! is not a reference (`${DB_PASSWORD}`) or empty. Well-known placeholders (`changeme`, `changethis`,
//! `secret`) and fallbacks of environment reads are SC006's. Values are never shown in full: at most their
//! first two characters. A compose file that looks like a development setup (a service bind-mounts its own build context, builds a
//! `dev` target or runs a reloader) is not read when the unit deploys some other way: another compose file, or
//! a production Dockerfile (`Dockerfile.prod`).
//!
//! ## Why it matters
//! A secret in an image layer or a committed compose file is readable by everyone who can pull the image or
//! clone the repository, forever: rotating it is the only fix. A placeholder that reaches production is a
//! password everyone knows.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     environment:
//!       POSTGRES_PASSWORD: hunter2
//! ```
//!
//! ## Fix
//! ```yaml
//!     environment:
//!       POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in the deployment's environment}
//! ```
//! In a Dockerfile, pass secrets at run time (`docker run -e`, an orchestrator's secret store) or at build time
//! with `RUN --mount=type=secret`, never with `ENV` or `ARG`.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "secret-literal",
    category: Category::Security,
    severity: Severity::Critical,
    title: "A secret is written as a literal value",
    impact:
        "Anyone with the image or the repository has the secret; only rotating it undoes the leak.",
    recommendation:
        "Read secrets from the environment or a secret store at run time; rotate any committed one.",
    effort: "30 minutes",
    source: include_str!("secret_literal.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let (seen, sites) = super::secrets::secret_sites(ctx);
    if !seen {
        return super::not_applicable("no Dockerfile, compose file, .env file or settings module");
    }
    let findings: Vec<Finding> = sites
        .iter()
        .filter(|s| !s.fallback && !super::secrets::is_placeholder(&s.value))
        .map(|s| {
            Finding::at(
                &s.file,
                s.range,
                format!(
                    "`{}` is a literal secret in {} (`{}`): anyone with the {} has it. Read it from the environment or a secret store at run time, and rotate it.",
                    s.name,
                    s.place,
                    super::mask(&s.value),
                    if s.in_repository { "repository" } else { "image" },
                ),
            )
        })
        .collect();
    if findings.is_empty() {
        return Outcome::pass("no literal secrets", Vec::new());
    }
    let n = findings.len();
    Outcome::fail(
        format!("{n} literal {}", if n == 1 { "secret" } else { "secrets" }),
        findings,
    )
    .needing(n)
}
