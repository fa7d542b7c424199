//! The health checks a CDK file configures and the images it deploys: load balancer health check paths
//! (`elbv2.HealthCheck(path=...)`, `<target group>.configure_health_check(path=...)`), container health check
//! commands (`ecs.HealthCheck(command=[...])`), load-balanced services and target groups with or without a
//! `health_check=`, and the images the file builds or pulls (`DockerImageAsset(directory=...)`,
//! `ContainerImage.from_asset(...)`, `from_registry(...)`), so a rule can tell which app a probe reaches.

use crate::python::ts::KindName;
use serde::Serialize;
use shipready_text::TextRange;
use tree_sitter::Node;

use super::aliases::{canonical_module, Aliases};
use super::{dotted_segments, node_range, node_text, string_literal};
use crate::python::index::{Kind, NodeIndex};
use crate::python::ts::{Args, Field};
use crate::Spanned;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CdkProbes {
    /// Load balancer health check paths as string literals, each range inside the quotes.
    pub paths: Vec<Spanned<String>>,
    /// `ecs.HealthCheck(command=...)`: the range of the command's value.
    pub container_commands: Vec<TextRange>,
    /// `.configure_health_check(...)` calls, whatever they set.
    pub configure_calls: Vec<TextRange>,
    /// Load-balanced ECS services and application target groups.
    pub balancers: Vec<Balancer>,
    /// The container images the file builds or pulls.
    pub images: Vec<CdkImage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Balancer {
    /// `ApplicationLoadBalancedFargateService`, `ApplicationLoadBalancedEc2Service`, `ApplicationTargetGroup`, or
    /// `add_targets` for a listener's `add_targets(...)` call, which creates a target group.
    pub class: String,
    /// The call.
    pub range: TextRange,
    /// A `health_check=` argument is given.
    pub health_check: bool,
    /// The variable the call is assigned to (`service`, `self.service`), also through parentheses.
    pub bound: Option<String>,
    /// The assignment statement, when the call is assigned: a call configuring it can follow it.
    pub statement: Option<TextRange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CdkImage {
    pub source: ImageSource,
    /// The call.
    pub range: TextRange,
    /// The variable the call is assigned to (`image = DockerImageAsset(...)`).
    pub bound: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum ImageSource {
    /// A folder as a string literal, relative to where `cdk` runs (the CDK app's folder).
    Dir(String),
    /// `os.path.join(os.path.dirname(__file__), "x")`, `os.path.dirname(__file__)`: relative to this file's folder.
    FileDir(String),
    /// `from_docker_image_asset(x)`: the asset bound to `x`.
    Asset(String),
    /// A registry image, or a folder written as an expression shipready cannot evaluate.
    Other,
}

const BALANCERS: &[&str] = &[
    "ApplicationLoadBalancedFargateService",
    "ApplicationLoadBalancedEc2Service",
    "ApplicationTargetGroup",
];

pub(super) fn extract(index: &NodeIndex, text: &str, aliases: &Aliases) -> CdkProbes {
    let mut out = CdkProbes::default();
    for (_, kind, node) in index.iter() {
        if kind == Kind::Call {
            call(node, text, aliases, &mut out);
        }
    }
    out
}

fn call(node: Node, text: &str, aliases: &Aliases, out: &mut CdkProbes) {
    let Some(segments) = node
        .field("function")
        .and_then(|f| dotted_segments(f, text))
    else {
        return;
    };
    let args = Args::of(node, text);
    if segments.last().map(String::as_str) == Some("configure_health_check") {
        out.configure_calls.push(node_range(node));
        if let Some(path) = args.keyword("path").and_then(|p| literal(p, text)) {
            out.paths.push(path);
        }
        return;
    }
    if segments.len() > 1 && segments.last().map(String::as_str) == Some("add_targets") {
        // `listener.add_targets("Id", port=80, targets=[service])` creates a target group of its own.
        out.balancers
            .push(balancer(node, text, "add_targets", &args));
        return;
    }
    let Some((module, class, rest)) = resolve(&segments, aliases) else {
        return;
    };
    match (module.as_str(), class.as_str(), rest.as_slice()) {
        (m, "HealthCheck", []) if m.starts_with("elbv2") => {
            if let Some(path) = args.keyword("path").and_then(|p| literal(p, text)) {
                out.paths.push(path);
            }
        }
        ("ecs", "HealthCheck", []) => {
            if let Some(command) = args.keyword("command") {
                out.container_commands.push(node_range(command));
            }
        }
        (_, c, []) if BALANCERS.contains(&c) => out.balancers.push(balancer(node, text, c, &args)),
        ("ecr_assets", "DockerImageAsset", []) => {
            let source = args
                .get(2, "directory")
                .map(|d| folder(d, text))
                .unwrap_or(ImageSource::Other);
            out.images.push(image(node, text, source));
        }
        ("ecs" | "lambda", "ContainerImage" | "DockerImageCode", [method]) => {
            let source = match method.as_str() {
                "from_asset" | "from_image_asset" => args
                    .get(0, "directory")
                    .map(|d| folder(d, text))
                    .unwrap_or(ImageSource::Other),
                "from_docker_image_asset" => match args.get(0, "asset") {
                    Some(a) if matches!(a.kind_name(), "identifier" | "attribute") => {
                        ImageSource::Asset(node_text(a, text).to_owned())
                    }
                    _ => ImageSource::Other,
                },
                _ => ImageSource::Other,
            };
            out.images.push(image(node, text, source));
        }
        _ => {}
    }
}

fn balancer(node: Node, text: &str, class: &str, args: &Args) -> Balancer {
    let assignment = assignment_of(node);
    Balancer {
        class: class.to_owned(),
        range: node_range(node),
        health_check: args.keyword("health_check").is_some(),
        bound: assignment
            .and_then(|a| a.field("left"))
            .filter(|l| matches!(l.kind_name(), "identifier" | "attribute"))
            .map(|l| node_text(l, text).to_owned()),
        statement: assignment.map(node_range),
    }
}

/// The assignment whose value is `node`, through parentheses (`x = (\n  Call(...)\n)`).
fn assignment_of(node: Node) -> Option<Node> {
    let mut current = node.parent()?;
    while current.kind_name() == "parenthesized_expression" {
        current = current.parent()?;
    }
    (current.kind_name() == "assignment").then_some(current)
}

fn image(node: Node, text: &str, source: ImageSource) -> CdkImage {
    let bound = node
        .parent()
        .filter(|p| p.kind_name() == "assignment")
        .and_then(|p| p.field("left"))
        .map(|l| node_text(l, text).to_owned());
    CdkImage {
        source,
        range: node_range(node),
        bound,
    }
}

/// `(canonical module, class, members after the class)` of a callee: `elbv2.HealthCheck`,
/// `ecs.ContainerImage.from_asset`, `cdk.aws_ecs.HealthCheck`, `HealthCheck` imported from its module.
fn resolve(segments: &[String], aliases: &Aliases) -> Option<(String, String, Vec<String>)> {
    let (first, rest) = segments.split_first()?;
    if let Some((module, class)) = aliases.classes.get(first.as_str()) {
        return Some((module.clone(), class.clone(), rest.to_vec()));
    }
    if let Some(module) = aliases.module(first) {
        let (class, rest) = rest.split_first()?;
        return Some((module, class.clone(), rest.to_vec()));
    }
    if aliases.is_root(first) {
        let (module, rest) = rest.split_first()?;
        let (class, rest) = rest.split_first()?;
        return Some((canonical_module(module)?, class.clone(), rest.to_vec()));
    }
    None
}

/// A string literal's value with the range inside its quotes.
fn literal(node: Node, text: &str) -> Option<Spanned<String>> {
    let value = string_literal(node, text)?;
    if node.kind_name() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let content = node
        .named_children(&mut cursor)
        .find(|c| c.kind_name() == "string_content")?;
    Some(Spanned::new(value, node_range(content)))
}

/// Where an image's folder is: a literal, or a path built from this file's folder.
fn folder(node: Node, text: &str) -> ImageSource {
    if let Some(dir) = string_literal(node, text) {
        return ImageSource::Dir(dir);
    }
    if is_file_dir(node, text) {
        return ImageSource::FileDir(".".to_owned());
    }
    // `os.path.join(os.path.dirname(__file__), "a", "b")`.
    let callee = node
        .field("function")
        .map(|f| node_text(f, text))
        .unwrap_or("");
    if node.kind_name() == "call" && callee == "os.path.join" {
        let args = Args::of(node, text);
        let Some((first, parts)) = args.positional.split_first() else {
            return ImageSource::Other;
        };
        if !args.keywords.is_empty() || !is_file_dir(*first, text) {
            return ImageSource::Other;
        }
        let mut joined = Vec::new();
        for part in parts {
            match string_literal(*part, text) {
                Some(p) => joined.push(p),
                None => return ImageSource::Other,
            }
        }
        return ImageSource::FileDir(joined.join("/"));
    }
    ImageSource::Other
}

/// `os.path.dirname(__file__)` (also of `os.path.abspath(__file__)`/`realpath`).
fn is_file_dir(node: Node, text: &str) -> bool {
    if node.kind_name() != "call" {
        return false;
    }
    let callee = node
        .field("function")
        .map(|f| node_text(f, text))
        .unwrap_or("");
    if callee != "os.path.dirname" {
        return false;
    }
    let args = Args::of(node, text);
    match args.positional.as_slice() {
        [arg] if node_text(*arg, text) == "__file__" => true,
        [arg] if arg.kind_name() == "call" => {
            let inner = arg
                .field("function")
                .map(|f| node_text(f, text))
                .unwrap_or("");
            matches!(inner, "os.path.abspath" | "os.path.realpath")
                && Args::of(*arg, text)
                    .positional
                    .first()
                    .is_some_and(|a| node_text(*a, text) == "__file__")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::python::parse;

    use super::*;

    #[test]
    fn health_checks_balancers_and_images() {
        let src = "import os\nfrom aws_cdk import aws_ecs as ecs, aws_ecs_patterns as patterns\n\
from aws_cdk import aws_elasticloadbalancingv2 as elbv2\nfrom aws_cdk.aws_ecr_assets import DockerImageAsset\n\
image = DockerImageAsset(self, \"I\", directory=os.path.join(os.path.dirname(__file__), \"app\"))\n\
svc = patterns.ApplicationLoadBalancedFargateService(self, \"S\", task_image_options=patterns.ApplicationLoadBalancedTaskImageOptions(image=ecs.ContainerImage.from_docker_image_asset(image)))\n\
svc.target_group.configure_health_check(path=\"/healthz\")\n\
tg = elbv2.ApplicationTargetGroup(self, \"T\", health_check=elbv2.HealthCheck(path='/api/health'))\n\
c = ecs.HealthCheck(command=[\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"])\n\
other = ecs.ContainerImage.from_registry(\"nginx\")\nlocal = ecs.ContainerImage.from_asset(\"web\")\n";
        let facts = parse(src).cdk.probes;
        let shown = |r: TextRange| &src[r.start..r.end];
        let paths: Vec<(&str, &str)> = facts
            .paths
            .iter()
            .map(|p| (p.value.as_str(), shown(p.range)))
            .collect();
        assert_eq!(
            paths,
            vec![("/healthz", "/healthz"), ("/api/health", "/api/health")]
        );
        assert_eq!(facts.configure_calls.len(), 1);
        assert_eq!(facts.container_commands.len(), 1);
        let balancers: Vec<(&str, bool)> = facts
            .balancers
            .iter()
            .map(|b| (b.class.as_str(), b.health_check))
            .collect();
        assert_eq!(
            balancers,
            vec![
                ("ApplicationLoadBalancedFargateService", false),
                ("ApplicationTargetGroup", true)
            ]
        );
        let images: Vec<&ImageSource> = facts.images.iter().map(|i| &i.source).collect();
        assert_eq!(
            images,
            vec![
                &ImageSource::FileDir("app".to_owned()),
                &ImageSource::Asset("image".to_owned()),
                &ImageSource::Other,
                &ImageSource::Dir("web".to_owned()),
            ]
        );
        assert_eq!(facts.images[0].bound.as_deref(), Some("image"));
        assert_eq!(facts.balancers[0].bound.as_deref(), Some("svc"));
        let statement = facts.balancers[1].statement.map(shown).unwrap_or("");
        assert!(
            statement.starts_with("tg = elbv2.ApplicationTargetGroup("),
            "{statement}"
        );
    }
}
