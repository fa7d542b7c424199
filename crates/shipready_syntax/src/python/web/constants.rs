//! The names a non-literal prefix or path can be resolved through: module-level string constants
//! (`API_PREFIX = "/api"`), string attributes of classes (`class Settings: API_V1_STR: str = "/api/v1"`) and
//! module-level instances (`settings = Settings()`), plus [`literal_or_source`] for the places that read a prefix.
//!
//! Only top-level statements and the bodies of top-level classes are read, straight from the tree: assignments of
//! plain strings hold no call, so the shared node index skips them, and a constant defined inside a function is
//! not reachable from another module anyway.

use crate::python::ts::KindName;
use std::collections::HashMap;

use tree_sitter::Node;

use crate::python::ts::{self, Field};

use super::{Constant, ConstantValue, Cx};

/// A prefix or path argument: its value when a plain string literal, else its source for the workspace to resolve.
pub(super) fn literal_or_source(cx: &Cx, node: Node) -> (Option<String>, Option<String>) {
    match ts::plain_string_value(node, cx.src) {
        Some(value) => (Some(value), None),
        None => (None, Some(cx.text(node).trim().to_owned())),
    }
}

pub(super) fn extract(cx: &Cx) -> Vec<Constant> {
    let mut constants = Vec::new();
    let statements = top_level_statements(cx);
    // Module-level functions by name, for `settings = get_settings()`: gathered at the first call that is not
    // a class's, which most files never make.
    let mut functions: Option<HashMap<&str, Node>> = None;
    for &statement in &statements {
        match statement.kind_name() {
            "expression_statement" => {
                let Some((name, value)) = assignment(cx, statement) else {
                    continue;
                };
                let value = if is_string_expr(value) {
                    ConstantValue::Expr(cx.text(value).trim().to_owned())
                } else if let Some(class) = instance_class(cx, value, || {
                    functions.get_or_insert_with(|| module_functions(cx, &statements))
                }) {
                    ConstantValue::InstanceOf(class)
                } else {
                    continue;
                };
                constants.push(Constant {
                    name: name.to_owned(),
                    value,
                });
            }
            "class_definition" => class_constants(cx, statement, &mut constants),
            "decorated_definition" => {
                if let Some(class) = statement
                    .field("definition")
                    .filter(|d| d.kind_name() == "class_definition")
                {
                    class_constants(cx, class, &mut constants);
                }
            }
            _ => {}
        }
    }
    constants
}

/// The module's statements. The node index holds them in order when it entered the module, and jumping from
/// one to the next over their subtrees costs less than a tree-sitter cursor stepping through the siblings.
fn top_level_statements<'t>(cx: &Cx<'t, '_>) -> Vec<Node<'t>> {
    let Some(root) = cx.index.node(0).filter(|n| n.kind_name() == "module") else {
        return Vec::new();
    };
    let entered = cx.index.subtree(0).len() > 1;
    if !entered {
        // A module without a call, subscript or import, such as a file of constants.
        let mut cursor = root.walk();
        return root.named_children(&mut cursor).collect();
    }
    let mut statements = Vec::new();
    let mut id = 1;
    while let Some(node) = cx.index.node(id) {
        if node.is_named() {
            statements.push(node);
        }
        id = cx.index.subtree(id).end.max(id + 1);
    }
    statements
}

/// `Class.attr` for each `attr = <string>` / `attr: str = <string>` statement of the class body.
fn class_constants(cx: &Cx, class: Node, out: &mut Vec<Constant>) {
    let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else {
        return;
    };
    let class_name = cx.text(name);
    let mut cursor = body.walk();
    for statement in body.named_children(&mut cursor) {
        if statement.kind_name() != "expression_statement" {
            continue;
        }
        let Some((attr, value)) = assignment(cx, statement) else {
            continue;
        };
        if let Some(value) = Some(value)
            .filter(|v| is_string_expr(*v))
            .or_else(|| field_default(cx, value))
        {
            out.push(Constant {
                name: format!("{class_name}.{attr}"),
                value: ConstantValue::Expr(cx.text(value).trim().to_owned()),
            });
        }
    }
}

/// The string default of a pydantic settings field: `Field(default="/api/v1", validation_alias=...)` or
/// `Field("/api/v1")`.
fn field_default<'t>(cx: &Cx, value: Node<'t>) -> Option<Node<'t>> {
    let callee = constructor(cx, value)?;
    if ts::last_segment(&callee) != "Field" {
        return None;
    }
    let arguments = value.field("arguments")?;
    let mut cursor = arguments.walk();
    let arguments: Vec<Node<'t>> = arguments.named_children(&mut cursor).collect();
    let keyword = arguments.iter().find_map(|a| {
        let name = a
            .field("name")
            .filter(|_| a.kind_name() == "keyword_argument")?;
        (cx.text(name) == "default")
            .then(|| a.field("value"))
            .flatten()
    });
    let first = arguments
        .first()
        .copied()
        .filter(|a| a.kind_name() != "keyword_argument");
    keyword.or(first).filter(|v| is_string_expr(*v))
}

/// `name = value` / `name: T = value` as an expression statement of its own, with a single identifier target.
fn assignment<'t, 's>(cx: &Cx<'t, 's>, statement: Node<'t>) -> Option<(&'s str, Node<'t>)> {
    let assignment = statement
        .named_child(0)
        .filter(|a| a.kind_name() == "assignment")?;
    let left = assignment
        .field("left")
        .filter(|l| l.kind_name() == "identifier")?;
    Some((cx.text(left), assignment.field("right")?))
}

/// A string literal (f-strings included), or a `+` of strings and names with a string in it.
fn is_string_expr(node: Node) -> bool {
    fn walk(node: Node, depth: usize) -> Option<bool> {
        if depth > 32 {
            return None;
        }
        match node.kind_name() {
            "string" | "concatenated_string" => Some(true),
            "identifier" | "attribute" => Some(false),
            "parenthesized_expression" => walk(node.named_child(0)?, depth + 1),
            "binary_operator" => {
                let operator = node.child_by_field_name("operator")?;
                if operator.kind_name() != "+" {
                    return None;
                }
                let left = walk(node.field("left")?, depth + 1)?;
                let right = walk(node.field("right")?, depth + 1)?;
                Some(left || right)
            }
            _ => None,
        }
    }
    walk(node, 0) == Some(true)
}

/// The class of `var = Class(...)` (a capitalized callee), or of `var = factory()` where `factory` is a function
/// of this module that returns `Class(...)` (the `@lru_cache def get_settings(): return Settings()` idiom).
fn instance_class<'t, 'm, 's: 'm>(
    cx: &Cx<'t, 's>,
    value: Node<'t>,
    functions: impl FnOnce() -> &'m HashMap<&'s str, Node<'t>>,
) -> Option<String>
where
    't: 'm,
{
    let callee = constructor(cx, value)?;
    if ts::last_segment(&callee).starts_with(|c: char| c.is_ascii_uppercase()) {
        return Some(callee);
    }
    let function = functions().get(callee.as_str())?;
    let body = function.field("body")?;
    let mut cursor = body.walk();
    let returned = body
        .named_children(&mut cursor)
        .filter(|s| s.kind_name() == "return_statement")
        .find_map(|r| r.named_child(0))?;
    constructor(cx, returned)
        .filter(|class| ts::last_segment(class).starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The module's functions by name; the last definition wins, as in Python.
fn module_functions<'t, 's>(
    cx: &Cx<'t, 's>,
    statements: &[Node<'t>],
) -> HashMap<&'s str, Node<'t>> {
    statements
        .iter()
        .filter_map(|&s| match s.kind_name() {
            "function_definition" => Some(s),
            "decorated_definition" => s.field("definition"),
            _ => None,
        })
        .filter_map(|def| Some((cx.text(def.field("name")?), def)))
        .collect()
}

/// The dotted callee of a call expression.
fn constructor(cx: &Cx, value: Node) -> Option<String> {
    let call = Some(value).filter(|v| v.kind_name() == "call")?;
    ts::dotted(call.field("function")?, cx.src)
}

#[cfg(test)]
mod tests {
    use crate::python::parse;
    use crate::python::web::ConstantValue;

    /// `(name, value)`, the value prefixed with `=` for an expression and `:` for an instance's class.
    fn constants(src: &str) -> Vec<(String, String)> {
        parse(src)
            .web
            .constants
            .into_iter()
            .map(|c| match c.value {
                ConstantValue::Expr(expr) => (c.name, format!("={expr}")),
                ConstantValue::InstanceOf(class) => (c.name, format!(":{class}")),
            })
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn module_constants_settings_attributes_and_instances() {
        let src = "from pydantic_settings import BaseSettings\n\nAPI_PREFIX = \"/api\"\nV1: str = f\"{API_PREFIX}/v1\"\n\
                   USERS = API_PREFIX + '/users'\nPORT = 8000\nNAME = other_name\n\n\
                   class Settings(BaseSettings):\n    API_V1_STR: str = \"/api/v1\"\n    DEBUG: bool = False\n\
                   \x20   def f(self):\n        X = \"/not-a-constant\"\n\n\
                   @dataclass\nclass Paths:\n    health = '/health'\n\nsettings = Settings()\n\n\
                   def helper():\n    INNER = \"/inner\"\n";
        assert_eq!(
            constants(src),
            pairs(&[
                ("API_PREFIX", "=\"/api\""),
                ("V1", "=f\"{API_PREFIX}/v1\""),
                ("USERS", "=API_PREFIX + '/users'"),
                ("Settings.API_V1_STR", "=\"/api/v1\""),
                ("Paths.health", "='/health'"),
                ("settings", ":Settings"),
            ])
        );
    }

    #[test]
    fn a_file_of_constants_alone() {
        // No call, subscript or import: the node index does not enter the module, its statements are read anyway.
        let src = "# Paths.\nAPI = '/api'\nV1 = API + \"/v1\"\n";
        assert_eq!(
            constants(src),
            pairs(&[("API", "='/api'"), ("V1", "=API + \"/v1\"")])
        );
    }

    #[test]
    fn pydantic_field_defaults_are_class_constants() {
        // Aditya-190304/Build-a-Production-Ready-FastAPI-Template mounts its API at `settings.api_v1_prefix`.
        let src = "class Settings(BaseSettings):\n    api_v1_prefix: str = Field(default=\"/api/v1\", validation_alias=\"APP_API_V1_PREFIX\")\n\
                   \x20   docs: str = Field(\"/docs\")\n    debug: bool = Field(default=False)\n    name: str = Field(alias=\"N\")\n\
                   \x20   port: int = Other(default=\"x\")\n";
        assert_eq!(
            constants(src),
            pairs(&[
                ("Settings.api_v1_prefix", "=\"/api/v1\""),
                ("Settings.docs", "=\"/docs\"")
            ])
        );
    }

    #[test]
    fn instances_through_a_local_factory() {
        let src = "from functools import lru_cache\nfrom .config import Settings\n\n@lru_cache\n\
                   def get_settings():\n    return Settings(_env_file=\".env\")\n\nsettings = get_settings()\n\
                   conf = config.Config()\nengine = create_engine(URL)\n";
        assert_eq!(
            constants(src),
            pairs(&[("settings", ":Settings"), ("conf", ":config.Config")])
        );
    }
}
