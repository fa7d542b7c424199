//! Tests of CDK fact extraction: realistic app shapes in `apps`, import forms and broken or unusual text in
//! `forms`, sharing the helpers below.

mod apps;
mod calls;
mod forms;

use super::*;

pub(super) fn parse(src: &str) -> CdkFacts {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the Python grammar loads");
    let tree = parser
        .parse(src, None)
        .expect("a tree without timeout or cancellation");
    extract(&NodeIndex::new(tree.root_node(), src), src)
}

/// `(module, name)` of every construct, in source order.
pub(super) fn names(facts: &CdkFacts) -> Vec<(&str, &str)> {
    facts
        .constructs
        .iter()
        .map(|c| (c.module.as_str(), c.name.as_str()))
        .collect()
}

pub(super) fn construct<'a>(facts: &'a CdkFacts, name: &str) -> &'a Construct {
    facts
        .constructs
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no construct {name}"))
}

pub(super) fn kwarg<'a>(c: &'a Construct, key: &str) -> Option<&'a str> {
    c.kwargs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

pub(super) fn instances(facts: &CdkFacts) -> Vec<(&str, Option<&str>)> {
    facts
        .stack_instances
        .iter()
        .map(|s| (s.class.as_str(), s.id.as_deref()))
        .collect()
}
