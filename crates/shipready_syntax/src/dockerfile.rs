//! Dockerfile facts from the `tree-sitter-containerfile` grammar: stages, base images, USER, HEALTHCHECK,
//! EXPOSE, CMD/ENTRYPOINT and the RUN steps that install or compile dependencies.
//!
//! Why this grammar: measured on 86 Dockerfiles from public repositories, `dockerfile-parser` 0.9 rejects 30
//! (heredocs, `RUN --mount`, `ARG X=`), while `tree-sitter-containerfile` 0.9 parses all 86 without an error node.

use serde::Serialize;
use shipready_text::TextRange;

use crate::{Spanned, SyntaxError};

mod build;
mod image;
mod moved;
mod run;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_recovery;
#[cfg(test)]
mod tests_reparse;
mod text;
mod walk;

pub use moved::comment_edit;
pub use walk::LastParse;

/// Everything shipready knows about one Dockerfile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DockerfileFacts {
    /// Build stages in file order; one per `FROM`.
    pub stages: Vec<Stage>,
    /// `ARG` instructions before the first `FROM` (names and default values), used to resolve templated images.
    pub global_args: Vec<ArgDecl>,
    /// The range of the first instruction (or parser directive-free comment-free line), for file-level anchors.
    pub first_instruction: Option<TextRange>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArgDecl {
    pub name: String,
    pub default: Option<String>,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stage {
    /// Zero-based position among the file's stages.
    pub index: usize,
    /// The whole stage: from its `FROM` to the end of its last instruction.
    pub range: TextRange,
    /// The whole `FROM` instruction.
    pub from_range: TextRange,
    pub image: ImageRef,
    /// `AS name`, lower-cased as Docker treats it.
    pub alias: Option<Spanned<String>>,
    /// `--platform=...` flag value, if any.
    pub platform: Option<String>,
    /// The last `USER` of the stage (the one in effect at runtime for the final stage).
    pub user: Option<Spanned<String>>,
    pub healthcheck: Option<Healthcheck>,
    /// Each port of each `EXPOSE` (e.g. `8000`, `8000/tcp`, `${PORT}`).
    pub exposes: Vec<Spanned<String>>,
    pub cmd: Option<Command>,
    pub entrypoint: Option<Command>,
    pub runs: Vec<RunStep>,
    /// `ENV` keys set in this stage, with their values.
    pub env: Vec<EnvVar>,
    /// Stage names or indexes referenced by `COPY --from=...`.
    pub copies_from: Vec<String>,
    /// The range of the stage's last instruction, where an appended instruction would follow.
    pub last_instruction: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub key: String,
    pub value: String,
    pub range: TextRange,
}

/// The image reference of a `FROM`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// Exactly the image text (`python:3.12-slim@sha256:...`), not the whole instruction.
    pub range: TextRange,
    /// The reference as written.
    pub text: String,
    /// Repository part (`python`, `ghcr.io/org/app`), with registry if present.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The reference contains `$VAR`/`${VAR}`; `resolved` holds it with global ARG defaults substituted when all
    /// were known.
    pub templated: bool,
    pub resolved: Option<String>,
    pub base: BaseKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "stage", rename_all = "kebab-case")]
pub enum BaseKind {
    /// An image pulled from a registry.
    Registry,
    /// `FROM scratch`.
    Scratch,
    /// `FROM <earlier stage name>`: the index of that stage.
    Stage(usize),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Healthcheck {
    /// The whole `HEALTHCHECK` instruction.
    pub range: TextRange,
    /// `HEALTHCHECK NONE` disables an inherited check.
    pub disabled: bool,
    /// The probe command text after `CMD`.
    pub command: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Command {
    pub range: TextRange,
    /// Exec form (`["a", "b"]`) arguments, or the shell form split on whitespace.
    pub args: Vec<String>,
    pub exec_form: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunStep {
    pub range: TextRange,
    /// The command text (heredoc bodies included).
    pub text: String,
    /// Installs packages or dependencies (pip, poetry, uv, npm/yarn/pnpm, apt-get/apk/yum/dnf, go mod, cargo fetch, bundle, composer...).
    pub installs: bool,
    /// Compiles or builds (gcc/make, cargo build, go build, npm run build, mvn/gradle, pip wheel, ...).
    pub compiles: bool,
    /// Package names the step installs with a system package manager (e.g. `curl`, `wget`).
    pub system_packages: Vec<String>,
}

/// Parse a Dockerfile. Never fails; unparseable parts are reported in `errors`.
///
/// A half-typed `FROM` (no image yet) still opens a stage whose image text is empty, next to its error, so the
/// instructions after it belong to the stage being typed.
pub fn parse(text: &str) -> DockerfileFacts {
    walk::parse(text, None).0
}

/// [`parse`] of an edited version of the text `last` was parsed from, starting from its tree (an editor
/// buffer keeps it between changes). The facts equal [`parse`]'s; the returned parse is the next `last`.
pub fn reparse(text: &str, last: Option<&LastParse>) -> (DockerfileFacts, Option<LastParse>) {
    walk::parse(text, last)
}
