//! Deployment guide rules (5 checks of 20 points, plus GD001 for the guide itself).

pub mod guide_health_path_not_served;
pub mod guide_setting_not_read;
pub mod missing_environment_docs;
pub mod missing_guide_health_docs;
pub mod missing_sections;
pub mod no_code_examples;
pub mod no_deployment_guide;
pub mod undocumented_required_setting;
pub mod unmentioned_aws_services;

use shipready_syntax::markdown::MarkdownFacts;

use crate::index::guide::markdown;
use crate::{Context, Finding, Outcome, SourceFile};

/// Names the platforms set: AWS Lambda and ECS, the CDK CLI, Cloud Run and Heroku, the shell.
pub(crate) const PLATFORM_NAMES: &[&str] = &[
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "_HANDLER",
    "ECS_CONTAINER_METADATA_URI",
    "ECS_CONTAINER_METADATA_URI_V4",
    "CDK_DEFAULT_ACCOUNT",
    "CDK_DEFAULT_REGION",
    "PORT",
    "K_SERVICE",
    "K_REVISION",
    "HOME",
    "PATH",
    "HOSTNAME",
    "USER",
    "PWD",
];

/// The guide's file and Markdown facts, or the failing outcome every guide check gives without a guide.
pub(crate) fn guide<'a>(ctx: &'a Context) -> Result<(&'a SourceFile, &'a MarkdownFacts), Outcome> {
    let found = ctx
        .index
        .guide()
        .as_ref()
        .and_then(|g| ctx.workspace.file(&g.path))
        .and_then(|f| Some((f, markdown(f)?)));
    found.ok_or_else(|| {
        let finding = Finding::anchored(super::readme_anchor(ctx), "No deployment guide, so this check cannot pass: add DEPLOYMENT.md (the GD001 quick fix creates one from the workspace).");
        Outcome::fail("no deployment guide", vec![finding])
    })
}

/// Whether `text` names `name` as a whole word (an environment variable in Markdown prose and code, a script's
/// `export NAME=`, a compose file's `${NAME}`).
pub(crate) fn names_word(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(at + name.len()..).and_then(|t| t.chars().next());
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}
