//! AWS CDK facts: `App()` instances and `.synth()` calls, `Stack` subclasses, stack instantiations, and the
//! constructs each file uses by module (ec2, ecs, lambda, ...) with their keyword arguments.

mod aliases;
mod calls;
mod classes;
mod environment;
mod probes;
#[cfg(test)]
mod tests;

use crate::python::ts::KindName;
use serde::Serialize;
use shipready_text::TextRange;
use tree_sitter::Node;

use super::ts::Field;

pub use environment::CdkEnvironment;
pub use probes::{Balancer, CdkImage, CdkProbes, ImageSource};

use super::index::NodeIndex;
use crate::Spanned;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CdkFacts {
    /// The file imports `aws_cdk` (v2) or `aws_cdk.*`/`constructs`.
    pub imports_cdk: bool,
    /// Variables bound to `App()` / `cdk.App()` / `core.App()`.
    pub apps: Vec<Spanned<String>>,
    /// `<app>.synth()` calls.
    pub synth_calls: Vec<TextRange>,
    /// `class X(Stack)` / `class X(cdk.Stack)` / subclasses of other local stacks (`base` names the parent).
    pub stack_classes: Vec<StackClass>,
    /// Instantiations of stack classes: `XStack(app, "X")` and direct `Stack(app, "X")`.
    pub stack_instances: Vec<StackInstance>,
    pub constructs: Vec<Construct>,
    /// Load balancer and container health checks, load-balanced services and target groups, and the images the
    /// file deploys ([`probes`]).
    pub probes: CdkProbes,
    /// The environment variables the file sets on what it deploys ([`environment`]).
    pub environment: CdkEnvironment,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StackClass {
    /// The class name and its range (the identifier only).
    pub name: Spanned<String>,
    /// The base class as written (`Stack`, `cdk.Stack`, `BaseStack`).
    pub base: String,
    /// The whole class definition.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StackInstance {
    /// The class called (`NetworkStack`, or `Stack` for a direct instance).
    pub class: String,
    /// The construct id (second positional argument) when a string literal.
    pub id: Option<String>,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Construct {
    /// The CDK module in canonical form: `ec2`, `ecs`, `ecs_patterns`, `lambda`, `apigateway`, `apigatewayv2`,
    /// `elbv2`, `rds`, `dynamodb`, `s3`, `cloudwatch`, `secretsmanager`, `cloudfront`, `route53`, `codedeploy`,
    /// `sqs`, `sns`, `iam`, `kms`, `logs`, `elasticache`, `ecr`, `wafv2`, `certificatemanager`, ...: the
    /// `aws_cdk.aws_<module>` suffix whatever alias the file imported it under.
    pub module: String,
    /// The construct class or factory (`Vpc`, `FargateService`, `DeploymentCircuitBreaker`, `LambdaDeploymentGroup`).
    pub name: String,
    /// The call expression.
    pub range: TextRange,
    /// Keyword arguments as `(name, source text of the value)`.
    pub kwargs: Vec<(String, String)>,
}

/// Extract the CDK facts of one parsed Python file. Never panics: `ERROR` nodes are walked like any other node so
/// whatever parsed around them is still found.
pub(crate) fn extract(index: &NodeIndex, text: &str) -> CdkFacts {
    let aliases = aliases::Aliases::collect(index, text);
    let stack_classes = classes::stack_classes(index, text, &aliases);
    let stack_names: Vec<String> = stack_classes.iter().map(|s| s.name.value.clone()).collect();
    let mut facts = CdkFacts {
        imports_cdk: aliases.imports_cdk,
        stack_classes,
        ..CdkFacts::default()
    };
    calls::collect(index, text, &aliases, &stack_names, &mut facts);
    if facts.imports_cdk {
        facts.probes = probes::extract(index, text, &aliases);
        facts.environment = environment::extract(index, text);
    }
    facts
}

/// The source text of a node, or `""` if its range does not fit the text (a tree from another text).
fn node_text<'a>(node: Node, text: &'a str) -> &'a str {
    super::reads::read(node.start_byte(), node.end_byte());
    text.get(node.byte_range()).unwrap_or("")
}

fn node_range(node: Node) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

/// `a.b.c` as `["a", "b", "c"]` when the expression is only names and attribute accesses; `None` otherwise
/// (`f().x`, `a[0].b`). Iterative, so a pathologically long chain cannot exhaust the stack.
fn dotted_segments(node: Node, text: &str) -> Option<Vec<String>> {
    let mut segments = Vec::new();
    let mut current = node;
    loop {
        match current.kind_name() {
            "identifier" => {
                segments.push(node_text(current, text).to_owned());
                break;
            }
            "attribute" => {
                let attribute = current.field("attribute")?;
                segments.push(node_text(attribute, text).to_owned());
                current = current.field("object")?;
            }
            _ => return None,
        }
    }
    segments.reverse();
    Some(segments)
}

/// The value of a string literal without interpolation: `"x"`, `'x'`, `r"x"`, `"a" "b"`, `("x")`. Common escapes
/// are decoded; f-strings with `{...}` and anything else are `None`.
fn string_literal(node: Node, text: &str) -> Option<String> {
    let mut node = node;
    while node.kind_name() == "parenthesized_expression" {
        node = node.named_child(0)?;
    }
    match node.kind_name() {
        "concatenated_string" => {
            let mut value = String::new();
            let mut cursor = node.walk();
            for part in node.named_children(&mut cursor) {
                value.push_str(&string_literal(part, text)?);
            }
            Some(value)
        }
        "string" => {
            let mut value = String::new();
            let mut raw = false;
            let mut cursor = node.walk();
            for part in node.named_children(&mut cursor) {
                match part.kind_name() {
                    "string_start" => raw = node_text(part, text).contains(['r', 'R']),
                    "string_content" if raw => value.push_str(node_text(part, text)),
                    "string_content" | "escape_sequence" => {
                        decode_escapes(node_text(part, text), &mut value)
                    }
                    "interpolation" => return None,
                    _ => {}
                }
            }
            Some(value)
        }
        _ => None,
    }
}

/// Append `content` to `out` with the usual one-character escapes decoded; others are kept as written.
fn decode_escapes(content: &str, out: &mut String) {
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(q @ ('\\' | '\'' | '"')) => out.push(q),
            // A backslash before a newline continues the line.
            Some('\n') => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
}
