//! ## What it checks
//! That every setting the production code cannot start without is documented or set somewhere the deployment
//! reads. A required setting is an `os.environ["NAME"]` read (no default) or a field of a pydantic
//! `BaseSettings` class with no default value. It counts as documented when a Markdown file of the unit names
//! it, and as set when a compose `environment:`, a Dockerfile `ENV`, a CDK `environment={...}` or
//! `add_environment(...)`, a script of the unit or the code itself (`os.environ["NAME"] = ...`) sets it, or when
//! the platform provides it (`AWS_REGION`, `CDK_DEFAULT_ACCOUNT`, `PORT`, ...). A unit is not judged when its
//! deployment may set names shipready cannot list (a compose `env_file:`, an `environment=` built as a
//! variable, settings loaded from an env file by `load_dotenv()` or `env_file=`) or when nothing shipready reads
//! deploys its code.
//!
//! ## Why it matters
//! The first deployment of code that reads `os.environ["STRIPE_KEY"]` fails with a `KeyError` (a pydantic
//! settings class with a `ValidationError`) when whoever deploys it could not know the name.
//!
//! ## Example
//! ```python
//! TABLE_NAME = os.environ["TABLE_NAME"]
//! ```
//! with no README line, compose `environment:` or CDK `environment=` naming `TABLE_NAME`.
//!
//! ## Fix
//! Set it where the service is deployed (`environment={"TABLE_NAME": table.table_name}`), or document it in the
//! guide's environment section with what it is and an example value.

use shipready_syntax::{FileFacts, FileKind};
use shipready_text::TextRange;

use crate::index::docker::{compose, dockerfile};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "undocumented-required-setting",
    category: Category::Guide,
    severity: Severity::Medium,
    title: "A required setting is neither documented nor set",
    impact: "The first deployment fails on a missing setting that nothing told the deployer about.",
    recommendation:
        "Set each required environment variable in the deployment, or document it in the guide.",
    effort: "15 minutes",
    source: include_str!("undocumented_required_setting.rs"),
    check,
};

/// A setting the code cannot start without.
struct Required<'a> {
    file: &'a str,
    name: String,
    range: TextRange,
}

fn check(ctx: &Context) -> Outcome {
    let (required, written) = reads(ctx);
    if required.is_empty() {
        return super::super::security::not_applicable("no required setting");
    }
    let python_stacks =
        !ctx.index.cdk().stack_classes.is_empty() || !ctx.index.cdk().instances.is_empty();
    let deploys = ctx.workspace.of_kind(FileKind::Dockerfile).next().is_some()
        || ctx.workspace.of_kind(FileKind::Compose).next().is_some()
        || python_stacks;
    if !deploys {
        return super::super::security::not_applicable(
            "nothing shipready reads deploys the code that reads the settings",
        );
    }
    let Some(set) = set_names(ctx) else {
        return super::super::security::not_applicable(
            "the deployment sets environment variables shipready cannot list (an env file, a computed environment)",
        );
    };
    let docs: Vec<&str> = ctx
        .workspace
        .of_kind(FileKind::Markdown)
        .chain(ctx.workspace.of_kind(FileKind::Script))
        .map(|f| &*f.text)
        .collect();
    let mut judged = Vec::new();
    let mut findings = Vec::new();
    for r in &required {
        judged.push(r.file.to_owned());
        let known = set.iter().any(|s| s == &r.name)
            || written.iter().any(|s| s == &r.name)
            || docs.iter().any(|text| super::names_word(text, &r.name));
        if known {
            continue;
        }
        let message = format!(
            "`{}` is required here (no default) but no guide or README mentions it and no compose `environment:`, Dockerfile `ENV` or CDK `environment=` sets it: the first deployment fails on it.",
            r.name
        );
        findings.push(Finding::at(r.file, r.range, message));
    }
    judged.sort();
    judged.dedup();
    if findings.is_empty() {
        let details = format!(
            "{} documented or set",
            super::super::plural(required.len(), "required setting", "required settings")
        );
        return Outcome::pass(details, judged);
    }
    let details = format!(
        "{} of {} neither documented nor set",
        findings.len(),
        super::super::plural(required.len(), "required setting", "required settings")
    );
    let needed = findings.len();
    Outcome::fail(details, findings).needing(needed)
}

/// The required reads of the unit's Python files, and the names the code itself writes.
fn reads<'a>(ctx: &Context<'a>) -> (Vec<Required<'a>>, Vec<String>) {
    let mut required = Vec::new();
    let mut written = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        for var in &py.web.env_vars {
            let Some(source) = file.text.get(var.range.start..var.range.end) else {
                continue;
            };
            match kind(source, file.text.get(var.range.end..).unwrap_or("")) {
                // What the platform provides is never missing: not a setting the deployer chooses.
                Read::Required if super::PLATFORM_NAMES.contains(&var.value.as_str()) => {}
                Read::Required => required.push(Required {
                    file: &file.path,
                    name: var.value.clone(),
                    range: var.range,
                }),
                Read::Write => written.push(var.value.clone()),
                Read::Optional => {}
            }
        }
    }
    (required, written)
}

#[derive(Debug, PartialEq)]
enum Read {
    Required,
    Optional,
    Write,
}

/// What an environment read's source says: `os.environ["X"]` is required unless it is assigned to; a settings
/// field is required when it has no default (`NAME: str`) and is not optional; `getenv`/`.get` have a default.
fn kind(source: &str, after: &str) -> Read {
    let subscript = source.starts_with("os.environ[") || source.starts_with("environ[");
    if subscript {
        let next = after.trim_start_matches([' ', '\t']);
        return if next.starts_with('=') && !next.starts_with("==") {
            Read::Write
        } else {
            Read::Required
        };
    }
    let call = source.contains("getenv") || source.contains(".get(");
    if call {
        return Read::Optional;
    }
    // A settings field: `NAME: str` (required) or `NAME: str = "x"` (default).
    let annotation_only = !source.contains('=');
    let optional = source.contains("Optional") || source.contains("None");
    if annotation_only && !optional {
        Read::Required
    } else {
        Read::Optional
    }
}

/// Names set by compose `environment:`, Dockerfile `ENV` and CDK `environment=`/`add_environment`; `None` when
/// the deployment may set names that cannot be listed.
fn set_names(ctx: &Context) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            if service.env_file {
                return None;
            }
            out.extend(service.environment.iter().map(|e| e.value.0.clone()));
        }
    }
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        out.extend(
            d.stages
                .iter()
                .flat_map(|s| s.env.iter().map(|e| e.key.clone())),
        );
    }
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        if py.cdk.environment.opaque || py.loads_env_file {
            return None;
        }
        out.extend(py.cdk.environment.names.iter().cloned());
    }
    Some(out)
}

#[cfg(test)]
mod tests;
