//! The environment variables a CDK file sets on what it deploys: the keys of `environment={...}` dictionaries
//! (Lambda functions, containers, ECS task image options, CodeBuild projects) and `add_environment("NAME", ...)`
//! calls. An `environment=` that is not a dictionary literal (a variable, a comprehension) sets names shipready
//! cannot list, which `opaque` records.

use crate::python::ts::KindName;
use serde::Serialize;
use tree_sitter::Node;

use super::{node_text, string_literal};
use crate::python::index::{Kind, NodeIndex};
use crate::python::ts::{Args, Field};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CdkEnvironment {
    /// Names set by `environment={...}` keys and `add_environment(...)` calls, in source order.
    pub names: Vec<String>,
    /// Some `environment=` is not a dictionary literal with string keys: it may set any name.
    pub opaque: bool,
}

pub(super) fn extract(index: &NodeIndex, text: &str) -> CdkEnvironment {
    let mut out = CdkEnvironment::default();
    for (_, kind, node) in index.iter() {
        if kind != Kind::Call {
            continue;
        }
        let args = Args::of(node, text);
        let method = node
            .field("function")
            .filter(|f| f.kind_name() == "attribute")
            .and_then(|f| f.field("attribute"))
            .map(|a| node_text(a, text));
        if method == Some("add_environment") {
            match args.get(0, "key").and_then(|k| string_literal(k, text)) {
                Some(name) => out.names.push(name),
                None => out.opaque = true,
            }
        }
        if let Some(env) = args.keyword("environment") {
            dictionary_keys(env, text, &mut out);
        }
    }
    out
}

/// The string keys of `{"A": x, "B": y}` or `dict(A=x, B=y)`; anything else is opaque.
fn dictionary_keys(node: Node, text: &str, out: &mut CdkEnvironment) {
    match node.kind_name() {
        "dictionary" => {
            let mut cursor = node.walk();
            for pair in node.named_children(&mut cursor) {
                match pair.kind_name() {
                    "pair" => match pair.field("key").and_then(|k| string_literal(k, text)) {
                        Some(name) => out.names.push(name),
                        None => out.opaque = true,
                    },
                    "comment" => {}
                    _ => out.opaque = true,
                }
            }
        }
        "call" if node.field("function").map(|f| node_text(f, text)) == Some("dict") => {
            let args = Args::of(node, text);
            if !args.positional.is_empty() {
                out.opaque = true;
            }
            out.names
                .extend(args.keywords.iter().map(|(k, _)| (*k).to_owned()));
        }
        _ => out.opaque = true,
    }
}

#[cfg(test)]
mod tests {
    use crate::python::parse;

    #[test]
    fn keys_of_literal_environments_and_add_environment_calls() {
        let src = "import aws_cdk as cdk\nfrom aws_cdk import aws_lambda as _lambda\n\
fn = _lambda.Function(self, 'F', environment={'TABLE': t.table_name, \"BUCKET\": b.bucket_name})\n\
fn.add_environment('QUEUE_URL', q.queue_url)\nc = task.add_container('c', environment=dict(MODE='prod'))\n";
        let env = parse(src).cdk.environment;
        assert_eq!(env.names, vec!["TABLE", "BUCKET", "QUEUE_URL", "MODE"]);
        assert!(!env.opaque);
        let opaque = "import aws_cdk as cdk\nfn = Function(self, 'F', environment=settings)\n";
        assert!(parse(opaque).cdk.environment.opaque);
    }
}
