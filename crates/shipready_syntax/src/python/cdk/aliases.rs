//! The names a Python file binds to CDK things: the `aws_cdk` root (`cdk`, v1 `core`), service modules under any
//! alias (`ec2`, `_lambda`, `aws_ecs_patterns`), classes imported directly (`Cluster`), core names (`App`,
//! `Stack`), and the original names of other imported classes so `XStack` keeps its name through `as`.

use crate::python::ts::KindName;
use std::collections::HashMap;

use tree_sitter::Node;

use crate::python::ts::Field;

use super::node_text;
use crate::python::index::{Kind, NodeId, NodeIndex};

/// What a local name refers to after the file's imports.
#[derive(Clone, Debug, Default)]
pub(super) struct Aliases {
    pub imports_cdk: bool,
    /// Local names bound to the `aws_cdk` package itself or to the v1 `aws_cdk.core` (0.x `aws_cdk.cdk`) module.
    pub roots: Vec<String>,
    /// Local name -> canonical service module (`_lambda` -> `lambda`).
    pub modules: HashMap<String, String>,
    /// Local name -> (canonical module, class name) for `from aws_cdk.aws_ecs import Cluster as C`.
    pub classes: HashMap<String, (String, String)>,
    /// Local name -> core name for `from aws_cdk import App, Stack as S` (and `from aws_cdk.core import ...`).
    pub core: HashMap<String, String>,
    /// Local name -> original name for every other `from m import X as Y`, so stack classes keep their name.
    pub originals: HashMap<String, String>,
    /// `from aws_cdk import *`: every `aws_<x>` identifier is a module and `App`/`Stack` are core names.
    pub star_root: bool,
    /// Local names imported from a module outside the CDK (`from .nested import CacheNested`): the project's own
    /// classes, among them stacks whose names do not say so.
    pub project_names: std::collections::HashSet<String>,
}

impl Aliases {
    /// Collect the bindings of every import statement in the tree, wherever it is (functions, `try` blocks).
    ///
    /// Later statements are read first, so for a name bound twice the first binding in the file is kept.
    pub fn collect(index: &NodeIndex, text: &str) -> Self {
        let mut aliases = Self::default();
        let imports: Vec<(NodeId, Kind, Node)> = index
            .iter()
            .filter(|(_, kind, _)| {
                matches!(kind, Kind::ImportStatement | Kind::ImportFromStatement)
            })
            .collect();
        // Import statements never nest, so reverse source order is the order of a right-to-left walk.
        for (id, kind, node) in imports.into_iter().rev() {
            if in_expression(index, id) {
                continue;
            }
            match kind {
                Kind::ImportStatement => aliases.import(node, text),
                _ => aliases.import_from(node, text),
            }
        }
        aliases
    }

    /// The canonical module `name` refers to, when it is a module alias (or an `aws_<x>` name under a star import).
    pub fn module(&self, name: &str) -> Option<String> {
        if let Some(module) = self.modules.get(name) {
            return Some(module.clone());
        }
        if self.star_root {
            return canonical_module(name);
        }
        None
    }

    /// The core name (`App`, `Stack`, ...) a bare identifier refers to.
    pub fn core_name<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        if let Some(core) = self.core.get(name) {
            return Some(core.as_str());
        }
        (self.star_root && is_core_class(name)).then_some(name)
    }

    pub fn is_root(&self, name: &str) -> bool {
        self.roots.iter().any(|r| r == name)
    }

    /// `import aws_cdk as cdk`, `import aws_cdk.aws_ec2 as ec2`, `import aws_cdk.aws_ec2`, `import constructs`.
    fn import(&mut self, node: Node, text: &str) {
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            let (dotted, alias) = split_alias(name, text);
            let mut parts = dotted.split('.').map(str::trim);
            let first = parts.next().unwrap_or("");
            if first == "constructs" {
                self.imports_cdk = true;
                continue;
            }
            if first != "aws_cdk" {
                continue;
            }
            self.imports_cdk = true;
            let second = parts.next();
            match alias {
                // Without `as`, `import aws_cdk.aws_ec2` binds `aws_cdk`; uses go through the attribute chain.
                None => self.add_root("aws_cdk"),
                Some(alias) => match second {
                    None => self.add_root(alias),
                    Some(module) if is_core_module(module) => self.add_root(alias),
                    Some(module) => {
                        if let Some(canonical) = canonical_module(module) {
                            self.modules.insert(alias.to_owned(), canonical);
                        }
                    }
                },
            }
        }
    }

    /// `from aws_cdk import (Stack, core, aws_ec2 as ec2)`, `from aws_cdk.aws_ecs import Cluster`,
    /// `from aws_cdk.core import App`, `from constructs import Construct`, `from stacks import NetworkStack`.
    fn import_from(&mut self, node: Node, text: &str) {
        let module = node
            .field("module_name")
            .map(|m| node_text(m, text))
            .unwrap_or("");
        let mut parts = module.split('.').map(str::trim);
        let first = parts.next().unwrap_or("");
        let second = parts.next();
        let cdk = first == "aws_cdk";
        if cdk || first == "constructs" {
            self.imports_cdk = true;
        }
        let mut cursor = node.walk();
        let has_star = node
            .named_children(&mut cursor)
            .any(|c| c.kind_name() == "wildcard_import");
        if cdk && second.is_none() && has_star {
            self.star_root = true;
        }
        let mut cursor = node.walk();
        for name in node.children_by_field_name("name", &mut cursor) {
            let (original, alias) = split_alias(name, text);
            let local = alias.unwrap_or(original).to_owned();
            match (cdk, second) {
                (true, None) if is_core_module(original) => self.add_root(&local),
                (true, None) => {
                    if let Some(canonical) = canonical_module(original) {
                        self.modules.insert(local, canonical);
                    } else {
                        self.core.insert(local, original.to_owned());
                    }
                }
                (true, Some(core)) if is_core_module(core) => {
                    self.core.insert(local, original.to_owned());
                }
                (true, Some(submodule)) => {
                    if let Some(canonical) = canonical_module(submodule) {
                        self.classes.insert(local, (canonical, original.to_owned()));
                    }
                }
                (false, _) => {
                    if first != "constructs" {
                        self.project_names.insert(local.clone());
                    }
                    if alias.is_some() {
                        self.originals.insert(local, original.to_owned());
                    }
                }
            }
        }
    }

    fn add_root(&mut self, name: &str) {
        if !self.is_root(name) {
            self.roots.push(name.to_owned());
        }
    }
}

/// Imports only occur at statement level; one inside an expression (error recovery can produce that) is not
/// a binding.
fn in_expression(index: &NodeIndex, id: NodeId) -> bool {
    let mut current = id;
    while let Some(parent) = index.parent(current) {
        let expression = index.node(parent).is_some_and(|p| {
            matches!(
                p.kind_name(),
                "call" | "string" | "expression_statement" | "assignment"
            )
        });
        if expression {
            return true;
        }
        current = parent;
    }
    false
}

/// The canonical module of an `aws_cdk` submodule name: `aws_ecs_patterns` -> `ecs_patterns`,
/// `aws_elasticloadbalancingv2` -> `elbv2`, `aws_apigatewayv2_alpha` -> `apigatewayv2`. `None` for anything that
/// is not a service module (core names, `assertions`). `pipelines` is kept as is: CDK Pipelines is how an app
/// deploys itself, which matters as much as any service.
pub(super) fn canonical_module(name: &str) -> Option<String> {
    if name == "pipelines" {
        return Some(name.to_owned());
    }
    let service = name.strip_prefix("aws_")?;
    // Experimental modules ship as `<module>_alpha` with the same service and class names.
    let service = service.strip_suffix("_alpha").unwrap_or(service);
    if service.is_empty()
        || !service
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    // The load balancer modules are known everywhere by their short alias.
    if let Some(rest) = service.strip_prefix("elasticloadbalancingv2") {
        return Some(format!("elbv2{rest}"));
    }
    Some(service.to_owned())
}

/// The modules that held `App` and `Stack` before CDK v2: `aws_cdk.core` (v1) and `aws_cdk.cdk` (0.x).
pub(super) fn is_core_module(name: &str) -> bool {
    matches!(name, "core" | "cdk")
}

/// Core classes that a star import of `aws_cdk` brings into scope and that matter here.
fn is_core_class(name: &str) -> bool {
    matches!(name, "App" | "Stack" | "NestedStack" | "Stage")
}

/// The dotted name of an import item and its `as` alias.
fn split_alias<'a>(node: Node, text: &'a str) -> (&'a str, Option<&'a str>) {
    if node.kind_name() == "aliased_import" {
        let name = node.field("name").map(|n| node_text(n, text)).unwrap_or("");
        let alias = node.field("alias").map(|n| node_text(n, text));
        (name, alias)
    } else {
        (node_text(node, text), None)
    }
}
