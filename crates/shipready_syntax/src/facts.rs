//! [`FileFacts`]: the facts of one file of any kind, and [`parse_file`], which picks the parser for a path.

use std::sync::Arc;

use serde::Serialize;

use crate::cdk_json::CdkJsonFacts;
use crate::compose::ComposeFacts;
use crate::dockerfile::DockerfileFacts;
use crate::dotenv::DotEnvFacts;
use crate::markdown::MarkdownFacts;
use crate::python::PythonFacts;
use crate::requirements::RequirementsFacts;
use crate::scripts::{ScriptFacts, ScriptFlavor};
use crate::workflow::{CiSystem, WorkflowFacts};
use crate::{FileKind, SyntaxError};

/// The per-file facts of one workspace file.
// Each file's facts live once, behind the `Arc` of its `SourceFile`, and are never moved around in bulk, so
// the size difference between variants costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FileFacts {
    Dockerfile(DockerfileFacts),
    Compose(ComposeFacts),
    Markdown(MarkdownFacts),
    /// Shared with the open buffer's document, which moves them on a comment edit instead of extracting again.
    Python(Arc<PythonFacts>),
    /// A Python file that the cheap byte search showed cannot matter: never parsed.
    PythonSkipped,
    CdkJson(CdkJsonFacts),
    Requirements(RequirementsFacts),
    Script(ScriptFacts),
    DotEnv(DotEnvFacts),
    Workflow(WorkflowFacts),
}

impl FileFacts {
    /// The syntax errors the parser recorded.
    /// The notice of a parse the time budget cut off: the file was not analysed.
    pub fn cut_off(&self) -> Option<&SyntaxError> {
        self.errors().iter().find(|e| crate::budget::is_notice(e))
    }

    pub fn errors(&self) -> &[SyntaxError] {
        match self {
            FileFacts::Dockerfile(f) => &f.errors,
            FileFacts::Compose(f) => &f.errors,
            FileFacts::Python(f) => &f.errors,
            FileFacts::CdkJson(f) => &f.errors,
            FileFacts::Workflow(f) => &f.errors,
            FileFacts::Markdown(_)
            | FileFacts::PythonSkipped
            | FileFacts::Requirements(_)
            | FileFacts::Script(_)
            | FileFacts::DotEnv(_) => &[],
        }
    }
}

/// Parse `text` as the file at `path` of kind `kind`. Never fails.
pub fn parse_file(kind: FileKind, path: &str, text: &str) -> FileFacts {
    match kind {
        FileKind::Dockerfile => FileFacts::Dockerfile(crate::dockerfile::parse(text)),
        FileKind::Compose => FileFacts::Compose(crate::compose::parse(text)),
        FileKind::Markdown => FileFacts::Markdown(crate::markdown::parse(text)),
        FileKind::Python if crate::python::is_relevant(text.as_bytes()) => {
            FileFacts::Python(Arc::new(crate::python::parse(text)))
        }
        FileKind::Python => FileFacts::PythonSkipped,
        FileKind::CdkJson => FileFacts::CdkJson(crate::cdk_json::parse(text)),
        FileKind::Requirements => FileFacts::Requirements(crate::requirements::parse(text)),
        FileKind::DotEnv => FileFacts::DotEnv(crate::dotenv::parse(text)),
        FileKind::Script => {
            let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
            FileFacts::Script(crate::scripts::parse(text, ScriptFlavor::of(name)))
        }
        FileKind::Workflow => {
            let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
            let lower = name.to_ascii_lowercase();
            let system = if lower == ".gitlab-ci.yml" {
                CiSystem::GitLab
            } else if lower.starts_with("dependabot.") {
                CiSystem::Dependabot
            } else if lower.contains("renovate") {
                CiSystem::Renovate
            } else if crate::file_kind::is_other_ci(&lower) || lower.starts_with("config.") {
                CiSystem::Other
            } else {
                CiSystem::GitHub
            };
            FileFacts::Workflow(crate::workflow::parse(text, system))
        }
    }
}
