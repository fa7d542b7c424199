//! Stack classes: `class X(Stack)`, `class X(cdk.Stack)`, `class X(core.Stack)`, `class X(NestedStack)`, and
//! classes deriving from another stack class of the same file or from any base whose name ends with `Stack`.

use std::collections::HashSet;

use tree_sitter::Node;

use crate::python::ts::Field;

use super::aliases::Aliases;
use super::{dotted_segments, node_range, node_text, StackClass};
use crate::python::index::{Kind, NodeId, NodeIndex};
use crate::Spanned;

/// One class definition of the file with its candidate bases, before deciding which are stacks.
struct ClassDef {
    name: Spanned<String>,
    /// Each base as written, with its dotted segments when it is a plain name or attribute chain.
    bases: Vec<(String, Vec<String>)>,
    range: shipready_text::TextRange,
}

/// Every stack class of the file, in source order.
pub(super) fn stack_classes(index: &NodeIndex, text: &str, aliases: &Aliases) -> Vec<StackClass> {
    let defs = class_definitions(index, text);
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

/// The class definitions in the order of a right-to-left walk (an outer class before its nested ones, later
/// classes first), which decides the base recorded for a class with several stack bases.
fn class_definitions(index: &NodeIndex, text: &str) -> Vec<ClassDef> {
    let mut classes: Vec<NodeId> = index.of_kind(Kind::ClassDefinition).collect();
    // A right-to-left pre-order is a left-to-right post-order reversed: by subtree end, latest first, and an
    // ancestor (same end, earlier start) before its descendants.
    classes.sort_by_key(|&id| (std::cmp::Reverse(index.subtree(id).end), id));
    classes
        .into_iter()
        .filter_map(|id| class_definition(index.node(id)?, text))
        .collect()
}

fn class_definition(node: Node, text: &str) -> Option<ClassDef> {
    let name = node.field("name")?;
    let mut bases = Vec::new();
    if let Some(superclasses) = node.field("superclasses") {
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
