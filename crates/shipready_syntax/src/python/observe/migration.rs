//! The module-level `upgrade()` and `downgrade()` of an Alembic migration, and whether each does anything.

use crate::python::ts::KindName;
use tree_sitter::Node;

use super::Migration;
use crate::python::ts::{range, text, Field};

/// The migration pair, when the module defines `downgrade` at its top level.
pub(super) fn extract(root: Node, src: &str) -> Option<Migration> {
    // A migration has a `downgrade()`: a module that never spells the name is not walked.
    if !crate::python::reads::holds(src, "downgrade") {
        return None;
    }
    let mut downgrade = None;
    let mut upgrade_changes = false;
    let mut cursor = root.walk();
    for child in root.named_children(&mut cursor) {
        let def = match child.kind_name() {
            "function_definition" => child,
            "decorated_definition" => match child.field("definition") {
                Some(d) if d.kind_name() == "function_definition" => d,
                _ => continue,
            },
            _ => continue,
        };
        let (Some(name), Some(body)) = (def.field("name"), def.field("body")) else {
            continue;
        };
        match text(name, src) {
            "downgrade" => downgrade = Some((range(name), is_empty(body, src))),
            "upgrade" => upgrade_changes = !is_empty(body, src),
            _ => {}
        }
    }
    let (name, empty) = downgrade?;
    Some(Migration {
        downgrade: name,
        downgrade_empty: empty,
        upgrade_changes,
    })
}

/// Whether a function body only holds `pass`, `...`, string literals (a docstring) and comments.
fn is_empty(body: Node, src: &str) -> bool {
    let mut cursor = body.walk();
    let empty = body
        .named_children(&mut cursor)
        .all(|stmt| match stmt.kind_name() {
            "pass_statement" | "comment" => true,
            "expression_statement" => {
                let mut inner = stmt.walk();
                let all_inert = stmt.named_children(&mut inner).all(|e| {
                    matches!(e.kind_name(), "string" | "concatenated_string" | "ellipsis")
                        || text(e, src) == "..."
                });
                all_inert
            }
            _ => false,
        });
    empty
}
