//! ## What it checks
//! That no secret is written as a literal value where production reads it: a Dockerfile `ENV` or `ARG`
//! default, or a compose service's `environment`, whose name says it holds a secret (`PASSWORD`, `SECRET`,
//! `TOKEN`, `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`...) and whose value is not a reference (`${DB_PASSWORD}`) or
//! empty. Placeholders (`changeme`, `changethis`, `secret`) are reported as such. Values are never shown in
//! full: at most their first two characters.
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

use shipready_syntax::FileKind;
use shipready_text::TextRange;

use crate::index::docker::{compose, dockerfile};
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

/// Words in a variable name that say it holds a secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CLIENT_SECRET",
    "CREDENTIAL",
];

/// Values everyone knows.
const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "changethis",
    "change_me",
    "change-me",
    "secret",
    "password",
    "example",
    "xxx",
    "todo",
];

/// Whether `name` says it holds a secret (not a path or a file holding one: `*_FILE`, `*_PATH`).
pub(crate) fn names_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
        && ![
            "_FILE", "_PATH", "_DIR", "_URL", "_NAME", "_LENGTH", "_EXPIRE", "_EXPIRES", "_TTL",
        ]
        .iter()
        .any(|s| upper.ends_with(s))
}

/// What is wrong with `value` as the value of a secret: `None` when it is a reference or empty.
pub(crate) fn literal_problem(value: &str) -> Option<&'static str> {
    let v = value.trim().trim_matches(['"', '\'']);
    if v.is_empty() || v.starts_with('$') || v.contains("${") {
        return None;
    }
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDERS
        .iter()
        .any(|p| lower == *p || lower.starts_with(&format!("{p}_")))
    {
        Some("a placeholder")
    } else {
        Some("a literal")
    }
}

fn check(ctx: &Context) -> Outcome {
    let mut seen = false;
    let mut findings = Vec::new();
    let mut report = |file: &str, range: TextRange, name: &str, value: &str, place: &str| {
        if let Some(problem) = literal_problem(value).filter(|_| names_secret(name)) {
            findings.push(Finding::at(
                file,
                range,
                format!(
                    "`{name}` is {problem} secret in {place} (`{}`): anyone with the {} has it. Read it from the environment or a secret store at run time{}.",
                    super::mask(value.trim().trim_matches(['"', '\''])),
                    if place.starts_with("compose") { "repository" } else { "image" },
                    if problem == "a literal" { ", and rotate it" } else { "" },
                ),
            ));
        }
    };
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        seen = true;
        for a in &d.global_args {
            if let Some(default) = &a.default {
                report(&file.path, a.range, &a.name, default, "an ARG default");
            }
        }
        for stage in &d.stages {
            for e in &stage.env {
                report(&file.path, e.range, &e.key, &e.value, "an ENV");
            }
        }
    }
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        seen = true;
        for service in &c.services {
            for entry in &service.environment {
                let (name, value) = &entry.value;
                if let Some(value) = value {
                    report(
                        &file.path,
                        entry.range,
                        name,
                        value,
                        "compose `environment`",
                    );
                }
            }
        }
    }
    if !seen {
        return super::not_applicable("no Dockerfile or compose file");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_and_literal_values() {
        assert!(names_secret("POSTGRES_PASSWORD"));
        assert!(names_secret("stripe_api_key"));
        assert!(!names_secret("POSTGRES_PASSWORD_FILE"));
        assert!(!names_secret("POSTGRES_USER"));
        assert_eq!(literal_problem("hunter2"), Some("a literal"));
        assert_eq!(literal_problem("changethis"), Some("a placeholder"));
        assert_eq!(literal_problem("${DB_PASSWORD}"), None);
        assert_eq!(literal_problem("$DB_PASSWORD"), None);
        assert_eq!(literal_problem(""), None);
    }
}
