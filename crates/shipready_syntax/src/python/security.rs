//! Security facts of a Python file: the settings it assigns at module or class level (`SECRET_KEY = "..."`,
//! `debug: bool = True` in a settings class, a fallback after an environment read), CORS middleware that
//! allows any origin, debug switches turned on in code (`FastAPI(debug=True)`, `app.debug = True`), and the
//! string literals the code compares values with (a check that refuses a placeholder such as `"changethis"`).
//!
//! Secret values are kept for the rules (which mask them) but never serialized.

use crate::python::ts::KindName;
use serde::Serialize;
use shipready_text::TextRange;
use tree_sitter::Node;

use super::ts::{self, Args, Field};

/// What a file sets and switches on that a security reviewer reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SecurityFacts {
    /// Assignments at module level and in the body of a top-level class, in file order.
    pub settings: Vec<SettingAssign>,
    /// CORS middleware configured to accept requests from any origin.
    pub cors_any_origin: Vec<CorsAnyOrigin>,
    /// CORS middleware whose origins are a settings attribute (`allow_origins=settings.allowed_hosts`): any
    /// origin when that setting's default holds `"*"`, which only the settings module can tell.
    pub cors_from_setting: Vec<CorsFromSetting>,
    /// Debug modes switched on in code, outside an `if __name__ == "__main__":` block.
    pub debug_on: Vec<DebugOn>,
    /// String literals compared with something (`value == "changethis"`, `x in ("a", "b")`): values the code
    /// checks for, such as a placeholder it refuses.
    pub compared_strings: Vec<String>,
}

/// `NAME = value` or `name: T = value`, at module level or in a class body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SettingAssign {
    pub name: String,
    /// What is assigned. Never serialized: it may be a secret.
    #[serde(skip_serializing)]
    pub value: SettingValue,
    /// The class whose body holds the assignment, `None` at module level.
    pub class: Option<ClassInfo>,
    /// The whole assignment statement.
    pub range: TextRange,
}

/// The value of a setting, as far as it is known from the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingValue {
    /// A plain string literal.
    Str(String),
    /// `True` or `False`.
    Bool(bool),
    /// An environment read with a literal fallback: `os.environ.get("X", "dev")`, `os.getenv("X") or "dev"`.
    EnvFallback(String),
    /// A list, tuple or set literal of plain strings (`["*"]`, `["https://a.example"]`).
    StrList(Vec<String>),
    /// Anything else (an environment read without fallback, a call, a name...).
    Other,
}

/// The class a setting is declared in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassInfo {
    pub name: String,
    /// The base classes as written (`BaseSettings`, `pydantic_settings.BaseSettings`, `Config`).
    pub bases: Vec<String>,
}

/// A CORS configuration that lets any origin call the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CorsAnyOrigin {
    /// `starlette` (Starlette's and FastAPI's `CORSMiddleware`) or `flask-cors`.
    pub library: &'static str,
    /// Whether credentials (cookies, authorization headers) are allowed too.
    pub credentials: bool,
    /// How the origins are given, for the message (`allow_origins=["*"]`, `CORS(app)`).
    pub how: String,
    /// The origins argument, or the call when the origins are the library's default.
    pub range: TextRange,
}

/// CORS origins read from an attribute of a settings object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CorsFromSetting {
    /// The attribute's name (`allowed_hosts` for `settings.allowed_hosts`).
    pub attribute: String,
    pub credentials: bool,
    /// The origins argument as written (`allow_origins=settings.allowed_hosts`).
    pub how: String,
    pub range: TextRange,
}

/// A debug mode switched on in code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DebugOn {
    /// The construct as a reviewer would name it (`FastAPI(debug=True)`, `app.debug = True`).
    pub what: String,
    pub range: TextRange,
}

/// Read the security facts of the tree `root` of `src`, from the top-level statements `view` when given (a
/// spliced statement's facts: see `python::splice`), else from all.
pub(crate) fn extract(root: Node, src: &str, view: Option<&[Node]>) -> SecurityFacts {
    let mut facts = SecurityFacts::default();
    let statements = match view {
        Some(view) => view.to_vec(),
        None => statements(root).collect(),
    };
    let module_lists = module_values(&statements, src);
    read_settings(&statements, src, &mut facts);
    let marks = match view {
        // Only the marks the view's statements hold: a large module's other functions are not searched.
        Some(view) => marks(
            src.as_bytes(),
            view.iter().map(|s| (s.start_byte(), s.end_byte())),
        ),
        None => marks(src.as_bytes(), [(0, src.len())]),
    };
    if marks.is_empty() {
        return facts;
    }
    let visit = |node: Node, ancestors: &[Node]| match node.kind_name() {
        "call" => read_call(node, ancestors, src, &module_lists, &mut facts),
        "assignment" => read_debug_assignment(node, ancestors, src, &mut facts),
        "comparison_operator" => {
            let mut cursor = node.walk();
            for operand in node.named_children(&mut cursor) {
                collect_strings(operand, src, &mut facts.compared_strings);
            }
        }
        _ => {}
    };
    match view {
        Some(view) => walk_marked_in(root, view, &marks, visit),
        None => walk_marked(root, &marks, visit),
    }
    facts
}

/// Words every construct the walk reads holds: `CORS` in a CORS set-up, `debug` in a debug switch, a
/// comparison operator in a comparison. Only the subtrees around them are walked, so a file without any costs
/// one byte search, and a file with a few costs a few paths from the root.
const MARKS: &[&str] = &["CORS", "debug", "DEBUG", "==", "!=", " in "];

/// The sorted start offsets of the marks that start inside the byte ranges `spans` (sorted, disjoint) of
/// `src`: the whole text, or the statements of a spliced view.
fn marks(src: &[u8], spans: impl IntoIterator<Item = (usize, usize)>) -> Vec<usize> {
    for mark in MARKS {
        super::reads::searched(mark.as_bytes(), false);
    }
    let longest = MARKS.iter().map(|m| m.len()).max().unwrap_or(0);
    let mut at = Vec::new();
    for (start, end) in spans {
        let Some(window) = src.get(start..(end + longest).min(src.len())) else {
            continue;
        };
        for mark in MARKS {
            at.extend(
                memchr::memmem::find_iter(window, mark.as_bytes())
                    .map(|i| start + i)
                    .filter(|&m| m < end),
            );
        }
    }
    at.sort_unstable();
    at
}

/// Visit, in source order with their ancestors, the nodes under `root` whose range holds a mark; subtrees
/// without one are not entered.
fn walk_marked<'t>(root: Node<'t>, marks: &[usize], visit: impl FnMut(Node<'t>, &[Node<'t>])) {
    super::ts::walk_pruned(root, |node| holds_mark(marks, node), visit);
}

/// [`walk_marked`] of the module `root` through the top-level `statements` only.
fn walk_marked_in<'t>(
    root: Node<'t>,
    statements: &[Node<'t>],
    marks: &[usize],
    mut visit: impl FnMut(Node<'t>, &[Node<'t>]),
) {
    if !holds_mark(marks, root) {
        return;
    }
    visit(root, &[]);
    let mut ancestors = Vec::new();
    for &statement in statements {
        super::ts::walk_pruned(
            statement,
            |node| holds_mark(marks, node),
            |node, inner| {
                ancestors.clear();
                ancestors.push(root);
                ancestors.extend_from_slice(inner);
                visit(node, &ancestors);
            },
        );
    }
}

fn holds_mark(marks: &[usize], node: Node) -> bool {
    let first = marks.partition_point(|&m| m < node.start_byte());
    marks.get(first).is_some_and(|&m| m < node.end_byte())
}

/// Module-level `name = <expr>` statements, for resolving `allow_origins=origins`.
fn module_values<'t>(statements: &[Node<'t>], src: &str) -> Vec<(String, Node<'t>)> {
    let mut out = Vec::new();
    for assignment in statements.iter().copied().filter_map(assignment_of) {
        if let (Some(left), Some(right)) = (assignment.field("left"), assignment.field("right")) {
            if left.kind_name() == "identifier" {
                out.push((ts::text(left, src).to_owned(), right));
            }
        }
    }
    out
}

/// The statements directly in a module or block.
fn statements<'t>(block: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    let mut cursor = block.walk();
    let children: Vec<Node<'t>> = block.named_children(&mut cursor).collect();
    children.into_iter()
}

/// The assignment an expression statement consists of.
fn assignment_of(statement: Node) -> Option<Node> {
    if statement.kind_name() != "expression_statement" {
        return None;
    }
    let inner = statement.named_child(0)?;
    (inner.kind_name() == "assignment").then_some(inner)
}

fn read_settings(module: &[Node], src: &str, facts: &mut SecurityFacts) {
    for &statement in module {
        if let Some(assignment) = assignment_of(statement) {
            push_setting(assignment, None, src, facts);
            continue;
        }
        let class = match statement.kind_name() {
            "class_definition" => statement,
            "decorated_definition" => match statement.field("definition") {
                Some(d) if d.kind_name() == "class_definition" => d,
                _ => continue,
            },
            _ => continue,
        };
        let Some(name) = class.field("name") else {
            continue;
        };
        let mut bases = Vec::new();
        if let Some(list) = class.field("superclasses") {
            let mut cursor = list.walk();
            for base in list.named_children(&mut cursor) {
                if let Some(d) = ts::dotted(base, src) {
                    bases.push(d);
                }
            }
        }
        let info = ClassInfo {
            name: ts::text(name, src).to_owned(),
            bases,
        };
        let Some(body) = class.field("body") else {
            continue;
        };
        for assignment in statements(body).filter_map(assignment_of) {
            push_setting(assignment, Some(info.clone()), src, facts);
        }
    }
}

fn push_setting(assignment: Node, class: Option<ClassInfo>, src: &str, facts: &mut SecurityFacts) {
    let Some(left) = assignment.field("left") else {
        return;
    };
    if left.kind_name() != "identifier" {
        return;
    }
    let value = assignment
        .field("right")
        .map_or(SettingValue::Other, |right| setting_value(right, src));
    facts.settings.push(SettingAssign {
        name: ts::text(left, src).to_owned(),
        value,
        class,
        range: ts::range(assignment),
    });
}

fn setting_value(node: Node, src: &str) -> SettingValue {
    if let Some(s) = ts::plain_string_value(node, src) {
        return SettingValue::Str(s);
    }
    match node.kind_name() {
        "list" | "tuple" | "set" => {
            let mut cursor = node.walk();
            let items: Option<Vec<String>> = node
                .named_children(&mut cursor)
                .map(|item| ts::plain_string_value(item, src))
                .collect();
            items.map_or(SettingValue::Other, SettingValue::StrList)
        }
        "true" => SettingValue::Bool(true),
        "false" => SettingValue::Bool(false),
        "call" => {
            if let Some(v) = env_fallback(node, src) {
                return SettingValue::EnvFallback(v);
            }
            // `SecretStr("...")`, and pydantic's `Field("...")`/`Field(default="...")`: a literal all the same.
            let function = node.field("function").and_then(|f| ts::dotted(f, src));
            match function.as_deref().map(ts::last_segment) {
                Some("SecretStr" | "Field") => Args::of(node, src)
                    .get(0, "default")
                    .and_then(|d| ts::plain_string_value(d, src))
                    .map_or(SettingValue::Other, SettingValue::Str),
                _ => SettingValue::Other,
            }
        }
        "boolean_operator" => {
            let op = node
                .child_by_field_name("operator")
                .map(|o| ts::text(o, src));
            let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return SettingValue::Other;
            };
            match (
                op,
                is_env_read(left, src),
                ts::plain_string_value(right, src),
            ) {
                (Some("or"), true, Some(s)) => SettingValue::EnvFallback(s),
                _ => SettingValue::Other,
            }
        }
        _ => SettingValue::Other,
    }
}

/// Functions that read one environment variable and take a default second.
const ENV_READS: &[&str] = &["os.environ.get", "environ.get", "os.getenv", "getenv"];

fn is_env_read(node: Node, src: &str) -> bool {
    if node.kind_name() != "call" {
        return false;
    }
    node.field("function")
        .and_then(|f| ts::dotted(f, src))
        .is_some_and(|f| ENV_READS.contains(&f.as_str()))
}

/// The literal default of an environment read (`os.environ.get("X", "dev")`).
fn env_fallback(call: Node, src: &str) -> Option<String> {
    if !is_env_read(call, src) {
        return None;
    }
    let args = Args::of(call, src);
    args.get(1, "default")
        .and_then(|d| ts::plain_string_value(d, src))
}

/// Whether code runs only as a development entry point or in a development environment: under
/// `if __name__ == "__main__":`, or an `if` whose condition names development, local runs, tests or debugging
/// (`if settings.ENVIRONMENT == "local":`, `if app.config["ENV"] == "development":`).
fn under_main_guard(ancestors: &[Node], src: &str) -> bool {
    ancestors.iter().any(|a| {
        a.kind_name() == "if_statement"
            && a.field("condition").is_some_and(|c| {
                let t = ts::text(c, src);
                let lower = t.to_ascii_lowercase();
                (t.contains("__name__") && t.contains("__main__"))
                    || ["dev", "local", "test", "debug"]
                        .iter()
                        .any(|w| lower.contains(w))
            })
    })
}

fn read_call(
    call: Node,
    ancestors: &[Node],
    src: &str,
    module_values: &[(String, Node)],
    facts: &mut SecurityFacts,
) {
    let Some(function) = call.field("function").and_then(|f| ts::dotted(f, src)) else {
        return;
    };
    let last = ts::last_segment(&function);
    let args = Args::of(call, src);
    match last {
        "FastAPI" | "Starlette" => {
            if let Some((k, v)) = args.keywords.iter().find(|(k, _)| *k == "debug") {
                if v.kind_name() == "true" && !under_main_guard(ancestors, src) {
                    let range = v.parent().map_or_else(|| ts::range(*v), ts::range);
                    facts.debug_on.push(DebugOn {
                        what: format!("{last}({k}=True)"),
                        range,
                    });
                }
            }
        }
        "add_middleware" | "Middleware" | "CORSMiddleware" => {
            let wraps_cors = last == "CORSMiddleware"
                || args.positional.first().is_some_and(|p| {
                    ts::dotted(*p, src).is_some_and(|d| ts::last_segment(&d) == "CORSMiddleware")
                });
            if !wraps_cors {
                return;
            }
            let credentials = args
                .keyword("allow_credentials")
                .is_some_and(|v| v.kind_name() == "true");
            for key in ["allow_origins", "allow_origin_regex"] {
                let Some(value) = args.keyword(key) else {
                    continue;
                };
                let any = if key == "allow_origins" {
                    allows_any(value, src, module_values)
                } else {
                    ts::plain_string_value(value, src)
                        .is_some_and(|r| matches!(r.as_str(), ".*" | "^.*$" | ".+" | "^.*"))
                };
                let range = value.parent().map_or_else(|| ts::range(value), ts::range);
                let how = ts::text(value.parent().unwrap_or(value), src).to_owned();
                if any {
                    facts.cors_any_origin.push(CorsAnyOrigin {
                        library: "starlette",
                        credentials,
                        how,
                        range,
                    });
                } else if key == "allow_origins" && value.kind_name() == "attribute" {
                    if let Some(attribute) = value.field("attribute") {
                        facts.cors_from_setting.push(CorsFromSetting {
                            attribute: ts::text(attribute, src).to_owned(),
                            credentials,
                            how,
                            range,
                        });
                    }
                }
            }
        }
        "CORS" if !args.positional.is_empty() => {
            let credentials = args
                .keyword("supports_credentials")
                .is_some_and(|v| v.kind_name() == "true");
            match (args.keyword("origins"), args.keyword("resources")) {
                (Some(origins), _) => {
                    if allows_any(origins, src, module_values) {
                        let range = origins
                            .parent()
                            .map_or_else(|| ts::range(origins), ts::range);
                        facts.cors_any_origin.push(CorsAnyOrigin {
                            library: "flask-cors",
                            credentials,
                            how: ts::text(origins.parent().unwrap_or(origins), src).to_owned(),
                            range,
                        });
                    }
                }
                // Per-resource origins are judged resource by resource; not read here.
                (None, Some(_)) => {}
                (None, None) => facts.cors_any_origin.push(CorsAnyOrigin {
                    library: "flask-cors",
                    credentials,
                    how: format!("{function}(...) with its default origins (`*`)"),
                    range: ts::range(call),
                }),
            }
        }
        _ => {}
    }
}

/// Whether an origins value is `"*"`, `["*"]` (any list holding `"*"`), or a module-level name bound to one.
fn allows_any(value: Node, src: &str, module_values: &[(String, Node)]) -> bool {
    let value = if value.kind_name() == "identifier" {
        let name = ts::text(value, src);
        match module_values.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => *v,
            None => return false,
        }
    } else {
        value
    };
    if let Some(s) = ts::plain_string_value(value, src) {
        return s == "*";
    }
    if matches!(value.kind_name(), "list" | "tuple" | "set") {
        let mut cursor = value.walk();
        let any = value
            .named_children(&mut cursor)
            .any(|item| ts::plain_string_value(item, src).as_deref() == Some("*"));
        return any;
    }
    false
}

/// `app.debug = True` and `app.config["DEBUG"] = True`, outside a `__main__` block.
fn read_debug_assignment(
    assignment: Node,
    ancestors: &[Node],
    src: &str,
    facts: &mut SecurityFacts,
) {
    let (Some(left), Some(right)) = (assignment.field("left"), assignment.field("right")) else {
        return;
    };
    if right.kind_name() != "true" {
        return;
    }
    let on = match left.kind_name() {
        "attribute" => {
            left.field("attribute")
                .is_some_and(|a| ts::text(a, src) == "debug")
                && left
                    .field("object")
                    .is_some_and(|o| o.kind_name() == "identifier")
        }
        "subscript" => {
            let config = left
                .field("value")
                .and_then(|v| ts::dotted(v, src))
                .is_some_and(|d| d.ends_with(".config"));
            let key = left
                .field("subscript")
                .and_then(|s| ts::plain_string_value(s, src));
            config && key.as_deref() == Some("DEBUG")
        }
        _ => false,
    };
    if on && !under_main_guard(ancestors, src) {
        facts.debug_on.push(DebugOn {
            what: ts::text(assignment, src).to_owned(),
            range: ts::range(assignment),
        });
    }
}

/// The plain string literals of an operand: itself, or the items of a tuple, list or set literal.
fn collect_strings(node: Node, src: &str, out: &mut Vec<String>) {
    if let Some(s) = ts::plain_string_value(node, src) {
        out.push(s);
        return;
    }
    if matches!(node.kind_name(), "list" | "tuple" | "set") {
        let mut cursor = node.walk();
        for item in node.named_children(&mut cursor) {
            if let Some(s) = ts::plain_string_value(item, src) {
                out.push(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> SecurityFacts {
        let tree = ts::parse_tree(src);
        extract(tree.root_node(), src, None)
    }

    #[test]
    fn module_and_class_settings_with_their_values() {
        let src = "import os\nSECRET_KEY = 'abc'\nDEBUG = True\nTOKEN = os.environ.get('T', 'dev')\nKEY = os.getenv('K') or 'x'\nREAD = os.environ['R']\n\nclass Settings(BaseSettings):\n    password: str = \"pw\"\n    api_key: SecretStr = SecretStr('k1')\n    token: str = Field(..., alias='T')\n    def f(self):\n        inner = 'no'\n";
        let f = facts(src);
        let got: Vec<(&str, &SettingValue, Option<&str>)> = f
            .settings
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    &s.value,
                    s.class.as_ref().map(|c| c.name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("SECRET_KEY", &SettingValue::Str("abc".into()), None),
                ("DEBUG", &SettingValue::Bool(true), None),
                ("TOKEN", &SettingValue::EnvFallback("dev".into()), None),
                ("KEY", &SettingValue::EnvFallback("x".into()), None),
                ("READ", &SettingValue::Other, None),
                (
                    "password",
                    &SettingValue::Str("pw".into()),
                    Some("Settings")
                ),
                ("api_key", &SettingValue::Str("k1".into()), Some("Settings")),
                ("token", &SettingValue::Other, Some("Settings")),
            ]
        );
        let settings = &f.settings[5];
        assert_eq!(
            settings.class.as_ref().map(|c| c.bases.clone()),
            Some(vec!["BaseSettings".to_owned()])
        );
        assert_eq!(
            &src[settings.range.start..settings.range.end],
            "password: str = \"pw\""
        );
    }

    #[test]
    fn cors_with_any_origin() {
        let src = "origins = ['*']\napp.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True)\nx = Middleware(CORSMiddleware, allow_origins=[\"https://a.example\"])\nCORS(app)\nCORS(app, origins='*')\nCORS(app, resources={r'/api/*': {'origins': '*'}})\ncors = CORS()\n";
        let f = facts(src);
        let got: Vec<(&str, bool, &str)> = f
            .cors_any_origin
            .iter()
            .map(|c| (c.library, c.credentials, &src[c.range.start..c.range.end]))
            .collect();
        assert!(f.cors_from_setting.is_empty());
        assert_eq!(
            got,
            vec![
                ("starlette", true, "allow_origins=origins"),
                ("flask-cors", false, "CORS(app)"),
                ("flask-cors", false, "origins='*'"),
            ]
        );
    }

    #[test]
    fn cors_origins_from_a_settings_attribute_and_list_settings() {
        let src = "class AppSettings(BaseSettings):\n    allowed_hosts: List[str] = ['*']\n\napp.add_middleware(CORSMiddleware, allow_origins=settings.allowed_hosts, allow_credentials=True)\n";
        let f = facts(src);
        assert_eq!(
            f.settings[0].value,
            SettingValue::StrList(vec!["*".to_owned()])
        );
        let c = &f.cors_from_setting[0];
        assert_eq!(
            (c.attribute.as_str(), c.credentials),
            ("allowed_hosts", true)
        );
        assert_eq!(
            &src[c.range.start..c.range.end],
            "allow_origins=settings.allowed_hosts"
        );
    }

    #[test]
    fn debug_switched_on_outside_main() {
        let src = "app = FastAPI(debug=True)\napp.debug = True\napp.config['DEBUG'] = True\nok = Starlette(debug=settings.debug)\nif __name__ == '__main__':\n    app.debug = True\n    api = FastAPI(debug=True)\nif settings.ENVIRONMENT == 'local':\n    app.debug = True\n";
        let f = facts(src);
        let got: Vec<&str> = f
            .debug_on
            .iter()
            .map(|d| &src[d.range.start..d.range.end])
            .collect();
        assert_eq!(
            got,
            vec![
                "debug=True",
                "app.debug = True",
                "app.config['DEBUG'] = True"
            ]
        );
    }

    #[test]
    fn the_marked_walk_finds_what_a_full_walk_finds() {
        let src = "import os\n\ndef f(v):\n    if v == 'changethis':\n        raise ValueError(v)\n    return [x for x in (1, 2)]\n\nclass A:\n    def g(self):\n        app = FastAPI(title='x', debug=True)\n        app.add_middleware(CORSMiddleware, allow_origins='*')\n";
        let tree = ts::parse_tree(src);
        let mut full = 0;
        ts::walk(tree.root_node(), |n| {
            if matches!(n.kind(), "call" | "comparison_operator") {
                let t = ts::text(n, src);
                if MARKS.iter().any(|m| t.contains(m)) {
                    full += 1;
                }
            }
        });
        let mut marked = 0;
        walk_marked(
            tree.root_node(),
            &marks(src.as_bytes(), [(0, src.len())]),
            |n, _| {
                if matches!(n.kind(), "call" | "comparison_operator") {
                    marked += 1;
                }
            },
        );
        assert_eq!(marked, full);
        let f = facts(src);
        assert_eq!(f.compared_strings, vec!["changethis"]);
        assert_eq!(f.debug_on.len(), 1);
        assert_eq!(f.cors_any_origin.len(), 1);
    }

    #[test]
    fn compared_strings_and_no_serialized_values() {
        let src =
            "if value == \"changethis\" or x in ('a', 'b'):\n    pass\nSECRET_KEY = 'hunter22'\n";
        let f = facts(src);
        assert_eq!(f.compared_strings, vec!["changethis", "a", "b"]);
        let json = serde_json::to_string(&f).unwrap_or_default();
        assert!(!json.contains("hunter22"), "{json}");
    }
}
