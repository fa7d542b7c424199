//! Turns instruction nodes into facts: opens a stage per `FROM`, attaches the later instructions to it and keeps
//! the global `ARG` values that templated images are resolved with.

use shipready_text::TextRange;
use tree_sitter::Node;

use super::image::{self, ArgValue, Args};
use super::run;
use super::text::{json_string, logical_text, node_range, node_text, trim_range, unquote};
use super::{
    ArgDecl, BaseKind, Command, DockerfileFacts, EnvVar, Healthcheck, ImageRef, RunStep, Stage,
};
use crate::{Spanned, SyntaxError};

pub(super) struct Builder<'a> {
    text: &'a str,
    facts: DockerfileFacts,
    args: Args,
}

impl<'a> Builder<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            facts: DockerfileFacts::default(),
            args: Args::new(),
        }
    }

    pub fn finish(self) -> DockerfileFacts {
        let mut facts = self.facts;
        facts.errors.sort_by_key(|e| (e.range.start, e.range.end));
        facts
    }

    pub fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.facts.errors.push(SyntaxError {
            range,
            message: message.into(),
        });
    }

    /// Records one parsed instruction (a `*_instruction` node).
    pub fn instruction(&mut self, node: Node) {
        let range = trim_range(self.text, node_range(node));
        self.facts.first_instruction.get_or_insert(range);
        match node.kind() {
            "from_instruction" => return self.from(node, range),
            "arg_instruction" if self.facts.stages.is_empty() => return self.global_args(node),
            _ => {}
        }
        let text = self.text;
        let Some(stage) = self.facts.stages.last_mut() else {
            let keyword = node_text(text, node)
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            self.error(
                range,
                format!("`{keyword}` before the first `FROM`: only `ARG` may come before it"),
            );
            return;
        };
        stage.last_instruction = range;
        stage.range = TextRange::new(stage.range.start, range.end);
        match node.kind() {
            "run_instruction" => stage.runs.push(run_step(text, node, range)),
            "cmd_instruction" => stage.cmd = Some(command(text, node, range)),
            "entrypoint_instruction" => stage.entrypoint = Some(command(text, node, range)),
            "user_instruction" => stage.user = user(text, node),
            "expose_instruction" => stage.exposes.extend(
                children(node)
                    .filter(|c| c.kind() == "expose_port")
                    .map(|c| Spanned::new(node_text(text, c).to_string(), node_range(c))),
            ),
            "env_instruction" => stage.env.extend(
                children(node)
                    .filter(|c| c.kind() == "env_pair")
                    .map(|p| env_var(text, p)),
            ),
            "copy_instruction" => stage.copies_from.extend(
                params(text, node)
                    .filter(|(n, _)| n == "from")
                    .map(|(_, v)| v),
            ),
            "healthcheck_instruction" => {
                let (check, problem) = healthcheck(text, node, range);
                stage.healthcheck = Some(check);
                if let Some(message) = problem {
                    self.error(range, message);
                }
            }
            _ => {}
        }
    }

    fn global_args(&mut self, node: Node) {
        for pair in children(node).filter(|c| c.kind() == "arg_pair") {
            let name = pair
                .child_by_field_name("name")
                .map(|n| node_text(self.text, n).to_string())
                .unwrap_or_default();
            let has_equals = children(pair).any(|c| c.kind() == "=");
            // The default is every node after `=`: adjacent quoted and unquoted segments concatenate.
            let default = has_equals.then(|| {
                let start = children(pair)
                    .find(|c| c.kind() == "=")
                    .map_or(pair.end_byte(), |c| c.end_byte());
                unquote(
                    TextRange::new(start, pair.end_byte())
                        .slice(self.text)
                        .trim(),
                )
            });
            let value = match &default {
                None => ArgValue::Unset,
                Some(d) => {
                    image::substitute(d, &self.args).map_or(ArgValue::Unknown, ArgValue::Value)
                }
            };
            self.args.insert(name.clone(), value);
            self.facts.global_args.push(ArgDecl {
                name,
                default,
                range: node_range(pair),
            });
        }
    }

    fn from(&mut self, node: Node, range: TextRange) {
        let text = self.text;
        let platform = params(text, node)
            .find(|(n, _)| n == "platform")
            .map(|(_, v)| v);
        let spec = children(node)
            .find(|c| c.kind() == "image_spec")
            .filter(|s| !node_text(text, *s).is_empty());
        let image = match spec {
            Some(spec) => self.image_ref(node_range(spec)),
            None => {
                let at = children(node).last().map_or(range.end, |c| c.end_byte());
                self.error(range, "`FROM` needs an image, e.g. `FROM python:3.12-slim`");
                self.image_ref(TextRange::empty(at))
            }
        };
        let alias = node
            .child_by_field_name("as")
            .map(|a| Spanned::new(node_text(text, a).to_ascii_lowercase(), node_range(a)));
        self.push_stage(range, image, alias, platform);
    }

    /// A half-typed `FROM` the grammar could not parse still opens a stage, so the instructions typed after it are
    /// not attributed to the previous stage; its image is empty.
    pub fn incomplete_from(&mut self, range: TextRange, platform: Option<String>) {
        self.facts.first_instruction.get_or_insert(range);
        let image = self.image_ref(TextRange::empty(range.end));
        self.push_stage(range, image, None, platform);
    }

    fn push_stage(
        &mut self,
        range: TextRange,
        image: ImageRef,
        alias: Option<Spanned<String>>,
        platform: Option<String>,
    ) {
        let index = self.facts.stages.len();
        self.facts.stages.push(Stage {
            index,
            range,
            from_range: range,
            image,
            alias,
            platform,
            user: None,
            healthcheck: None,
            exposes: Vec::new(),
            cmd: None,
            entrypoint: None,
            runs: Vec::new(),
            env: Vec::new(),
            copies_from: Vec::new(),
            last_instruction: range,
        });
    }

    fn image_ref(&self, range: TextRange) -> ImageRef {
        let text = range.slice(self.text).to_string();
        let templated = text.contains('$');
        let resolved = if templated {
            image::substitute(&text, &self.args)
        } else {
            None
        };
        let effective = resolved.as_deref().unwrap_or(&text);
        let parts = image::split(effective);
        let base = if effective.eq_ignore_ascii_case("scratch") {
            BaseKind::Scratch
        } else {
            let lower = effective.to_ascii_lowercase();
            let earlier = self
                .facts
                .stages
                .iter()
                .rev()
                .find(|s| s.alias.as_ref().is_some_and(|a| a.value == lower));
            earlier.map_or(BaseKind::Registry, |s| BaseKind::Stage(s.index))
        };
        ImageRef {
            range,
            text,
            name: parts.name,
            tag: parts.tag,
            digest: parts.digest,
            templated,
            resolved,
            base,
        }
    }
}

pub(super) fn children(node: Node) -> impl Iterator<Item = Node> {
    (0..node.child_count()).filter_map(move |i| node.child(i))
}

/// `--name=value` options of an instruction, as (name, value) pairs.
fn params<'t>(text: &'t str, node: Node<'t>) -> impl Iterator<Item = (String, String)> + 't {
    children(node)
        .filter(|c| c.kind() == "param")
        .map(move |p| {
            let raw = node_text(text, p).trim_start_matches('-');
            let (name, value) = raw.split_once('=').unwrap_or((raw, ""));
            (name.to_string(), value.to_string())
        })
}

fn run_step(text: &str, node: Node, range: TextRange) -> RunStep {
    let mut script = String::new();
    for child in children(node) {
        match child.kind() {
            "shell_command" => script.push_str(&logical_text(text, child)),
            "json_string_array" => script.push_str(&exec_args(text, child).join(" ")),
            "heredoc_block" => {
                if let Some(content) = children(child).find(|c| c.kind() == "heredoc_content") {
                    script.push('\n');
                    script.push_str(
                        node_range(content)
                            .slice(text)
                            .trim_end_matches(['\n', '\r']),
                    );
                }
            }
            _ => {}
        }
    }
    script.retain(|c| c != '\r');
    let analysis = run::analyze(&script);
    RunStep {
        range,
        text: script,
        installs: analysis.installs,
        compiles: analysis.compiles,
        system_packages: analysis.system_packages,
    }
}

fn exec_args(text: &str, array: Node) -> Vec<String> {
    children(array)
        .filter(|c| c.kind() == "json_string")
        .map(|s| json_string(node_range(s).slice(text)))
        .collect()
}

fn command(text: &str, node: Node, range: TextRange) -> Command {
    let body = children(node).find(|c| matches!(c.kind(), "json_string_array" | "shell_command"));
    match body {
        Some(array) if array.kind() == "json_string_array" => Command {
            range,
            args: exec_args(text, array),
            exec_form: true,
        },
        Some(shell) => Command {
            range,
            args: logical_text(text, shell)
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            exec_form: false,
        },
        None => Command {
            range,
            args: Vec::new(),
            exec_form: false,
        },
    }
}

fn user(text: &str, node: Node) -> Option<Spanned<String>> {
    let parts: Vec<Node> = children(node).skip(1).collect();
    let (first, last) = (parts.first()?, parts.last()?);
    let range = TextRange::new(first.start_byte(), last.end_byte());
    Some(Spanned::new(range.slice(text).to_string(), range))
}

fn env_var(text: &str, pair: Node) -> EnvVar {
    let key = pair
        .child_by_field_name("name")
        .map(|n| node_text(text, n).to_string())
        .unwrap_or_default();
    let value_start = pair
        .child_by_field_name("value")
        .map_or(pair.end_byte(), |v| v.start_byte());
    let mut raw = String::new();
    for child in children(pair).filter(|c| c.start_byte() >= value_start) {
        raw.push_str(&logical_text(text, child));
    }
    EnvVar {
        key,
        value: unquote(&raw),
        range: trim_range(text, node_range(pair)),
    }
}

/// The healthcheck and, when it is malformed, the problem to report.
fn healthcheck(text: &str, node: Node, range: TextRange) -> (Healthcheck, Option<&'static str>) {
    let mut check = Healthcheck {
        range,
        disabled: false,
        command: String::new(),
    };
    if children(node).any(|c| c.kind() == "NONE") {
        check.disabled = true;
        return (check, None);
    }
    if let Some(cmd) = children(node).find(|c| c.kind() == "cmd_instruction") {
        match children(cmd).find(|c| matches!(c.kind(), "json_string_array" | "shell_command")) {
            Some(body) => check.command = logical_text(text, body),
            None => return (check, Some("`HEALTHCHECK CMD` needs a command to run")),
        }
        return (check, None);
    }
    match children(node).find(|c| c.kind() == "shell_command") {
        // Docker reads the type case-insensitively, so `HEALTHCHECK none` disables the check too.
        Some(raw) if node_text(text, raw).eq_ignore_ascii_case("none") => {
            check.disabled = true;
            (check, None)
        }
        Some(raw) => {
            check.command = logical_text(text, raw);
            (
                check,
                Some("`HEALTHCHECK` needs `CMD` before its command, or `NONE`"),
            )
        }
        None => (check, Some("`HEALTHCHECK` needs `CMD <command>` or `NONE`")),
    }
}
