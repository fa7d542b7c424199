//! One walk over every call of the file: `App()` bindings, `.synth()` calls, stack instantiations and constructs
//! of `aws_<x>` modules (including factories such as `ec2.InstanceType.of(...)` and calls nested in arguments).

use crate::python::ts::KindName;
use tree_sitter::Node;

use crate::python::ts::Field;

use super::aliases::{canonical_module, is_core_module, Aliases};
use super::{
    dotted_segments, node_range, node_text, string_literal, CdkFacts, Construct, StackInstance,
};
use crate::python::index::{Kind, NodeIndex};
use crate::Spanned;
use shipready_text::TextRange;

/// What a call's callee resolves to.
#[derive(Debug, PartialEq, Eq)]
enum Callee {
    App,
    /// A stack class (`NetworkStack`, or `Stack`/`NestedStack` for a direct instance).
    Stack(String),
    Construct {
        module: String,
        name: String,
    },
}

/// Fill `apps`, `synth_calls`, `stack_instances` and `constructs`; `stack_names` are the file's stack classes.
pub(super) fn collect(
    index: &NodeIndex,
    text: &str,
    aliases: &Aliases,
    stack_names: &[String],
    facts: &mut CdkFacts,
) {
    let resolver = Resolver {
        aliases,
        stack_names,
    };
    // `.synth()` receivers are checked once every `App()` binding of the file is known.
    let mut synth_candidates: Vec<SynthCandidate> = Vec::new();
    for (_, kind, node) in index.iter() {
        match kind {
            Kind::Call => resolver.call(node, text, facts, &mut synth_candidates),
            Kind::Assignment => resolver.assignment(node, text, facts),
            Kind::Error => resolver.recover_unclosed(node, text, facts),
            _ => {}
        }
    }
    let fallback_app = aliases.imports_cdk && facts.apps.is_empty();
    for candidate in synth_candidates {
        let receiver = candidate.receiver.as_str();
        let is_app = receiver == INLINE_APP
            || facts.apps.iter().any(|a| a.value == receiver)
            || (fallback_app && !candidate.legacy_run && receiver == "app");
        if is_app {
            facts.synth_calls.push(candidate.range);
        }
    }
}

/// A `<receiver>.synth()` call (or CDK 0.x `<receiver>.run()`) whose receiver may turn out to be an App.
struct SynthCandidate {
    receiver: String,
    range: TextRange,
    /// `.run()` is also Flask's and many others' method, so it counts only on a variable bound to `App()`.
    legacy_run: bool,
}

struct Resolver<'a> {
    aliases: &'a Aliases,
    stack_names: &'a [String],
}

impl Resolver<'_> {
    fn call(&self, node: Node, text: &str, facts: &mut CdkFacts, synth: &mut Vec<SynthCandidate>) {
        let Some(function) = node.field("function") else {
            return;
        };
        if let Some((receiver, legacy_run)) = self.synth_receiver(function, text) {
            synth.push(SynthCandidate {
                receiver,
                range: node_range(node),
                legacy_run,
            });
        }
        // Most calls of a file are neither stacks nor constructs; their arguments are never read.
        let callee = self.callee(function, text);
        if callee == Some(Callee::App) {
            return;
        }
        if callee.is_none() && !self.may_be_app_child(function, text) {
            return;
        }
        let mut arguments = Vec::new();
        if let Some(list) = node.field("arguments") {
            let mut cursor = list.walk();
            arguments.extend(list.named_children(&mut cursor));
        }
        let callee = callee.or_else(|| self.app_child(function, &arguments, text, facts));
        record(callee, &arguments, node_range(node), text, facts);
    }

    /// A bare capitalised name that is not a stage: a class that may be instantiated under the app.
    fn may_be_app_child(&self, function: Node, text: &str) -> bool {
        let name = node_text(function, text);
        function.kind_name() == "identifier"
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && !name.ends_with("Stage")
    }

    /// `TestLambdaStackMonitoring(app, "Id", ...)` or `(scope=app, ...)`: a class whose name does not end in
    /// `Stack` (so it is not known as one here: it comes from another file), called with an `App()` binding as its
    /// scope. Only stacks and stages can sit directly under an app, and stages are named as such, so it is a stack.
    /// `CacheNested(self, "Cache")` with `CacheNested` imported from the project (`from .nested import ...`) may be
    /// a nested stack: it is recorded as an instance too, so the stack class it names counts as instantiated.
    fn app_child(
        &self,
        function: Node,
        arguments: &[Node],
        text: &str,
        facts: &CdkFacts,
    ) -> Option<Callee> {
        let scope = positional(arguments).next().or_else(|| {
            keyword_arguments(arguments)
                .find(|kw| {
                    kw.field("name")
                        .is_some_and(|n| node_text(n, text) == "scope")
                })
                .and_then(|kw| kw.field("value"))
        })?;
        let scope_text = node_text(scope, text);
        let name = node_text(function, text);
        let is_app =
            scope.kind_name() == "identifier" && facts.apps.iter().any(|a| a.value == scope_text);
        let nested = scope_text == "self" && self.aliases.project_names.contains(name);
        if !is_app && !nested {
            return None;
        }
        let original = self
            .aliases
            .originals
            .get(name)
            .map(String::as_str)
            .unwrap_or(name);
        Some(Callee::Stack(original.to_owned()))
    }

    /// Calls left unclosed while typing (`ecs.Cluster(self, "C", vpc=vpc,` then more code) parse as an `ERROR`
    /// node whose children are the callee, a `(` token and the arguments, flattened. Each callee directly
    /// followed by `(` starts a call that takes the named siblings up to `)` or the next such callee.
    fn recover_unclosed(&self, error: Node, text: &str, facts: &mut CdkFacts) {
        let mut cursor = error.walk();
        let children: Vec<Node> = error.children(&mut cursor).collect();
        let opens_call = |i: usize| {
            children
                .get(i)
                .is_some_and(|c| matches!(c.kind_name(), "identifier" | "attribute"))
                && children.get(i + 1).is_some_and(|c| c.kind_name() == "(")
        };
        let mut i = 0;
        while i < children.len() {
            let (Some(&function), Some(open), true) =
                (children.get(i), children.get(i + 1), opens_call(i))
            else {
                i += 1;
                continue;
            };
            let mut end = open.end_byte();
            let mut arguments = Vec::new();
            let mut j = i + 2;
            while let Some(&child) = children.get(j) {
                if opens_call(j) || child.kind_name() == ")" {
                    break;
                }
                if child.is_named() && child.kind_name() != "comment" {
                    arguments.push(child);
                    end = child.end_byte();
                }
                j += 1;
            }
            record(
                self.callee(function, text),
                &arguments,
                TextRange::new(function.start_byte(), end),
                text,
                facts,
            );
            i = j;
        }
    }

    /// `app = cdk.App()` (also annotated, or bound to an attribute like `self.app`).
    fn assignment(&self, node: Node, text: &str, facts: &mut CdkFacts) {
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
            return;
        };
        if right.kind_name() != "call" || !matches!(left.kind_name(), "identifier" | "attribute") {
            return;
        }
        let callee = right.field("function").and_then(|f| self.callee(f, text));
        if callee == Some(Callee::App) {
            facts.apps.push(Spanned::new(
                node_text(left, text).to_owned(),
                node_range(left),
            ));
        }
    }

    /// For `<x>.synth()` (or `<x>.run()`), the receiver as written and whether the method is `run`;
    /// `cdk.App().synth()` yields [`INLINE_APP`], always accepted.
    fn synth_receiver(&self, function: Node, text: &str) -> Option<(String, bool)> {
        if function.kind_name() != "attribute" {
            return None;
        }
        let attribute = function.field("attribute")?;
        let legacy_run = match node_text(attribute, text) {
            "synth" => false,
            "run" => true,
            _ => return None,
        };
        let object = function.field("object")?;
        match object.kind_name() {
            "identifier" | "attribute" => Some((node_text(object, text).to_owned(), legacy_run)),
            "call" => {
                let callee = object.field("function").and_then(|f| self.callee(f, text));
                // An inline `App()` is its own binding: record it under a name no variable can have.
                (callee == Some(Callee::App)).then(|| (INLINE_APP.to_owned(), legacy_run))
            }
            _ => None,
        }
    }

    fn callee(&self, function: Node, text: &str) -> Option<Callee> {
        let segments = dotted_segments(function, text)?;
        let aliases = self.aliases;
        match segments.as_slice() {
            [] => None,
            [single] => self.single(single),
            [first, second, rest @ ..] => {
                if let Some(module) = aliases.module(first) {
                    return Some(Callee::Construct {
                        module,
                        name: second.clone(),
                    });
                }
                if aliases.is_root(first) {
                    return root_member(&segments[1..]);
                }
                if let Some((module, class)) = aliases.classes.get(first.as_str()) {
                    return Some(Callee::Construct {
                        module: module.clone(),
                        name: class.clone(),
                    });
                }
                let last = rest.last().unwrap_or(second);
                (first != "self" && is_stack_name(last)).then(|| Callee::Stack(last.clone()))
            }
        }
    }

    /// A bare name call: `App()`, `Stack(...)`, `Cluster(...)` imported from a module, or a stack class.
    fn single(&self, name: &str) -> Option<Callee> {
        let aliases = self.aliases;
        match aliases.core_name(name) {
            Some("App") => return Some(Callee::App),
            Some(core @ ("Stack" | "NestedStack")) => return Some(Callee::Stack(core.to_owned())),
            Some(_) => return None,
            None => {}
        }
        if let Some((module, class)) = aliases.classes.get(name) {
            if matches!(class.as_str(), "Stack" | "NestedStack") {
                return Some(Callee::Stack(class.clone()));
            }
            return Some(Callee::Construct {
                module: module.clone(),
                name: class.clone(),
            });
        }
        if self.stack_names.iter().any(|s| s == name) {
            return Some(Callee::Stack(name.to_owned()));
        }
        let original = aliases
            .originals
            .get(name)
            .map(String::as_str)
            .unwrap_or(name);
        is_stack_name(original).then(|| Callee::Stack(original.to_owned()))
    }
}

/// Record a stack instance or construct for a call of `callee` with `arguments` covering `range`.
fn record(
    callee: Option<Callee>,
    arguments: &[Node],
    range: TextRange,
    text: &str,
    facts: &mut CdkFacts,
) {
    match callee {
        Some(Callee::Stack(class)) => facts.stack_instances.push(StackInstance {
            class,
            id: construct_id(arguments, text),
            range,
        }),
        Some(Callee::Construct { module, name }) => facts.constructs.push(Construct {
            module,
            name,
            range,
            kwargs: kwargs(arguments, text),
        }),
        Some(Callee::App) | None => {}
    }
}

/// The receiver text recorded for `App().synth()`; it contains characters no Python name can.
const INLINE_APP: &str = "<App()>";

/// A member of the `aws_cdk` root: `cdk.aws_ec2.Vpc`, `aws_cdk.core.App`, `cdk.Stack`, `core.App`.
fn root_member(members: &[String]) -> Option<Callee> {
    let members = match members {
        [core, rest @ ..] if is_core_module(core) && !rest.is_empty() => rest,
        _ => members,
    };
    if let [module, class, ..] = members {
        let module = canonical_module(module)?;
        return Some(Callee::Construct {
            module,
            name: class.clone(),
        });
    }
    match members {
        [app] if app == "App" => Some(Callee::App),
        [stack] if stack == "Stack" || stack == "NestedStack" => Some(Callee::Stack(stack.clone())),
        _ => None,
    }
}

/// A class name that reads as a stack: capitalised and ending with `Stack`.
fn is_stack_name(name: &str) -> bool {
    name.ends_with("Stack") && name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// Positional arguments (skipping `*args`, `**kwargs`, keywords and comments).
fn positional<'a, 't>(arguments: &'a [Node<'t>]) -> impl Iterator<Item = Node<'t>> + 'a {
    arguments.iter().copied().filter(|a| {
        !matches!(
            a.kind_name(),
            "keyword_argument" | "list_splat" | "dictionary_splat" | "comment"
        )
    })
}

/// Keyword arguments as `(name, value source text)`.
fn kwargs(arguments: &[Node], text: &str) -> Vec<(String, String)> {
    keyword_arguments(arguments)
        .filter_map(|kw| {
            let name = kw.field("name")?;
            let value = kw.field("value")?;
            Some((
                node_text(name, text).to_owned(),
                node_text(value, text).to_owned(),
            ))
        })
        .collect()
}

fn keyword_arguments<'a, 't>(arguments: &'a [Node<'t>]) -> impl Iterator<Item = Node<'t>> + 'a {
    arguments
        .iter()
        .copied()
        .filter(|a| a.kind_name() == "keyword_argument")
}

/// The construct id of a stack instantiation: the second positional argument, or `construct_id=`/`id=`.
fn construct_id(arguments: &[Node], text: &str) -> Option<String> {
    if let Some(second) = positional(arguments).nth(1) {
        return string_literal(second, text);
    }
    keyword_arguments(arguments)
        .find(|kw| {
            kw.field("name")
                .is_some_and(|n| matches!(node_text(n, text), "construct_id" | "id"))
        })
        .and_then(|kw| kw.field("value"))
        .and_then(|value| string_literal(value, text))
}
