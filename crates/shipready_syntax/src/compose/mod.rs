//! Compose file facts from `tree-sitter-yaml`, with compose semantics: anchors, aliases and `<<` merge keys are
//! resolved, and YAML 1.1 scalars are read the way Docker Compose reads them (`restart: no` is the policy "no").
//!
//! The work is split in three steps: [`repair`] parses the text and repairs lines that tree-sitter-yaml cannot
//! recover from, [`yaml`] turns the tree into spanned values, and [`service`] reads compose fields from them.

use serde::Serialize;
use shipready_text::TextRange;

use crate::{Spanned, SyntaxError};

mod candidates;
mod deploy;
mod repair;
mod scalar;
mod service;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_yaml;
pub(crate) mod value;
mod yaml;

/// Everything shipready knows about one compose file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ComposeFacts {
    /// The `services:` key, where a new service would be added.
    pub services_key: Option<TextRange>,
    pub services: Vec<ComposeService>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComposeService {
    /// The service's key.
    pub name: Spanned<String>,
    /// The service's whole mapping (key included).
    pub range: TextRange,
    pub build: Option<ComposeBuild>,
    pub image: Option<Spanned<String>>,
    /// Ports as written (`8000:8000`, `80`); the long form becomes `[host_ip:]published:target[/protocol]`.
    pub ports: Vec<Spanned<String>>,
    pub healthcheck: Option<ComposeHealthcheck>,
    /// The restart policy as a string (`no`, `always`, `on-failure`, `unless-stopped`).
    pub restart: Option<Spanned<String>>,
    pub depends_on: Vec<DependsOn>,
    /// Volumes as written; the long form becomes `source:target`.
    pub volumes: Vec<Spanned<String>>,
    /// `command:` joined with spaces when given as a list.
    pub command: Option<Spanned<String>>,
    /// `environment:` entries (mapping or `KEY=VALUE` list form).
    pub environment: Vec<Spanned<(String, Option<String>)>>,
    /// `deploy.restart_policy` (Swarm stack files) as its condition: `none`, `on-failure` or `any` (the
    /// default when the policy names none), with the range of the policy's mapping.
    pub restart_policy: Option<Spanned<String>>,
    /// The service reads an `env_file:`: it sets names from a file shipready does not read.
    pub env_file: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComposeBuild {
    /// The `build:` entry, key through value.
    pub range: TextRange,
    /// `build: ./dir` or `build: { context: ./dir }`; defaults to `.`.
    pub context: String,
    pub dockerfile: Option<String>,
    /// `build: { target: runtime }`: the stage to build instead of the last one.
    pub target: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComposeHealthcheck {
    /// The `healthcheck:` entry, key through value.
    pub range: TextRange,
    /// `disable: true` or `test: ["NONE"]`.
    pub disabled: bool,
    /// The `test` command joined with spaces, without the `CMD`/`CMD-SHELL` marker; empty when not given.
    pub test: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DependsOn {
    pub service: Spanned<String>,
    /// `service_started`, `service_healthy`, `service_completed_successfully` (long form only).
    pub condition: Option<String>,
}

/// Parse a compose file. Never fails; unparseable parts are reported in `errors`.
///
/// Scalar ranges cover the value's text (inside the quotes for quoted values); values that came through an alias
/// or a `<<` merge point at the anchored text they were copied from. In a multi-document file the first document
/// with a `services` key is read.
pub fn parse(text: &str) -> ComposeFacts {
    let parsed = repair::parse(text);
    let mut facts = ComposeFacts {
        errors: parsed.errors,
        ..ComposeFacts::default()
    };
    let Some(tree) = &parsed.tree else {
        return facts;
    };
    let docs = yaml::documents(
        tree.root_node(),
        &parsed.text,
        &parsed.map,
        &mut facts.errors,
    );
    if let Some(services) = docs.iter().find_map(|doc| doc.entry("services")) {
        facts.services_key = Some(service::key_range(services));
        facts.services = service::services(&services.value);
    }
    facts.errors.sort_by_key(|e| (e.range.start, e.range.end));
    facts
}

/// Every document of a YAML file as spanned values, read by the same tolerant parser as compose files (repairs,
/// anchors, merge keys): other YAML file kinds (CI workflows) reuse it rather than read YAML a second way.
pub(crate) fn yaml_documents(text: &str) -> (Vec<value::Value>, Vec<SyntaxError>) {
    let parsed = repair::parse(text);
    let mut errors = parsed.errors;
    let Some(tree) = &parsed.tree else {
        return (Vec::new(), errors);
    };
    let docs = yaml::documents(tree.root_node(), &parsed.text, &parsed.map, &mut errors);
    (docs, errors)
}
