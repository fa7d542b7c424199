//! Stack classes: `class X(Stack)`, `class X(cdk.Stack)`, `class X(core.Stack)`, `class X(NestedStack)`, and
//! classes deriving from another stack class of the same file or from any base whose name ends with `Stack`.

use std::collections::HashSet;

use tree_sitter::Node;

use super::aliases::Aliases;
use super::{dotted_segments, node_range, node_text, StackClass};
use crate::Spanned;

/// One class definition of the file with its candidate bases, before deciding which are stacks.
struct ClassDef {
    name: Spanned<String>,
    /// Each base as written, with its dotted segments when it is a plain name or attribute chain.
    bases: Vec<(String, Vec<String>)>,
    range: shipready_text::TextRange,
}

/// Every stack class of the file, in source order.
pub(super) fn stack_classes(root: Node, text: &str, aliases: &Aliases) -> Vec<StackClass> {
    let defs = class_definitions(root, text);
    let mut found: Vec<Option<StackClass>> = vec![None; defs.len()];
    let mut names: HashSet<String> = HashSet::new();
    // A class may derive from a local stack class defined further down, so repeat until nothing new is found;
    // each round adds at least one class, which bounds the loop by the number of classes.
    loop {
        let mut added = false;
        for (def, slot) in defs.iter().zip(found.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let local = |name: &str| names.contains(name);
            let base = def
                .bases
                .iter()
                .find(|(_, segments)| is_stack_base(segments, aliases, &local));
            if let Some((written, _)) = base {
                *slot = Some(StackClass {
                    name: def.name.clone(),
                    base: written.clone(),
                    range: def.range,
                });
                names.insert(def.name.value.clone());
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    let mut stacks: Vec<StackClass> = found.into_iter().flatten().collect();
    stacks.sort_by_key(|s| s.range.start);
    stacks
}

/// Whether a base class (as dotted segments) makes the class a stack.
fn is_stack_base(segments: &[String], aliases: &Aliases, local: &dyn Fn(&str) -> bool) -> bool {
    let Some(last) = segments.last() else {
        return false;
    };
    if last.ends_with("Stack") {
        return true;
    }
    if let [single] = segments {
        if local(single) {
            return true;
        }
        if matches!(aliases.core_name(single), Some("Stack" | "NestedStack")) {
            return true;
        }
        if let Some((_, class)) = aliases.classes.get(single.as_str()) {
            return class.ends_with("Stack");
        }
        if let Some(original) = aliases.originals.get(single.as_str()) {
            return original.ends_with("Stack");
        }
    }
    false
}

fn class_definitions(root: Node, text: &str) -> Vec<ClassDef> {
    let mut defs = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "class_definition" {
            if let Some(def) = class_definition(node, text) {
                defs.push(def);
            }
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    defs
}

fn class_definition(node: Node, text: &str) -> Option<ClassDef> {
    let name = node.child_by_field_name("name")?;
    let mut bases = Vec::new();
    if let Some(superclasses) = node.child_by_field_name("superclasses") {
        let mut cursor = superclasses.walk();
        for base in superclasses.named_children(&mut cursor) {
            if let Some(segments) = dotted_segments(base, text) {
                bases.push((node_text(base, text).to_owned(), segments));
            }
        }
    }
    Some(ClassDef {
        name: Spanned::new(node_text(name, text).to_owned(), node_range(name)),
        bases,
        range: node_range(node),
    })
}
