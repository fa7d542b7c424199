//! Import statements as [`Import`] facts, and [`ImportMap`]: which module each local name came from, so that
//! `FastAPI()`, `fastapi.FastAPI()` and `from fastapi import FastAPI as F; F()` all resolve to `fastapi.FastAPI`.

use crate::python::ts::KindName;
use std::collections::HashMap;

use tree_sitter::Node;

use super::ts::Field;

use super::index::{Kind, NodeIndex};
use super::ts::{range, text};
use super::Import;

/// Every import statement in the file (nested ones included: imports inside functions and `try` blocks are
/// common in app factories), one entry per imported name, in source order.
pub(crate) fn extract(index: &NodeIndex, src: &str) -> Vec<Import> {
    let mut out = Vec::new();
    for (_, kind, node) in index.iter() {
        match kind {
            Kind::ImportStatement => plain_import(node, src, &mut out),
            Kind::ImportFromStatement | Kind::FutureImportStatement => {
                from_import(node, src, &mut out)
            }
            _ => {}
        }
    }
    out
}

/// `import a.b` / `import a.b as c`.
fn plain_import(node: Node, src: &str, out: &mut Vec<Import>) {
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (module, alias) = name_and_alias(name, src);
        let Some(module) = module else { continue };
        // `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
        let local = alias.unwrap_or_else(|| module.split('.').next().unwrap_or("").to_owned());
        out.push(Import {
            module,
            level: 0,
            name: None,
            local,
            range: range(node),
        });
    }
}

/// `from m import a, b as c`, `from ..m import *`, `from . import x`, `from __future__ import annotations`.
fn from_import(node: Node, src: &str, out: &mut Vec<Import>) {
    let (module, level) = if node.kind_name() == "future_import_statement" {
        ("__future__".to_owned(), 0)
    } else {
        match node.field("module_name") {
            Some(m) if m.kind_name() == "relative_import" => {
                let mut module = String::new();
                let mut level = 0;
                let mut cursor = m.walk();
                for part in m.children(&mut cursor) {
                    match part.kind_name() {
                        "import_prefix" => level = text(part, src).matches('.').count(),
                        "dotted_name" => module = dotted_name(part, src),
                        _ => {}
                    }
                }
                (module, level)
            }
            Some(m) => (dotted_name(m, src), 0),
            None => return,
        }
    };
    let mut cursor = node.walk();
    let mut any = false;
    for name in node.children_by_field_name("name", &mut cursor) {
        let (imported, alias) = name_and_alias(name, src);
        let Some(imported) = imported else { continue };
        any = true;
        let local = alias.unwrap_or_else(|| imported.clone());
        out.push(Import {
            module: module.clone(),
            level,
            name: Some(imported),
            local,
            range: range(node),
        });
    }
    if !any {
        let mut cursor = node.walk();
        if node
            .children(&mut cursor)
            .any(|c| c.kind_name() == "wildcard_import")
        {
            out.push(Import {
                module,
                level,
                name: Some("*".into()),
                local: "*".into(),
                range: range(node),
            });
        }
    }
}

/// The dotted name and optional `as` alias of a `dotted_name` or `aliased_import` node.
fn name_and_alias(node: Node, src: &str) -> (Option<String>, Option<String>) {
    match node.kind_name() {
        "dotted_name" => (Some(dotted_name(node, src)), None),
        "aliased_import" => {
            let name = node.field("name").map(|n| dotted_name(n, src));
            let alias = node.field("alias").map(|a| text(a, src).to_owned());
            (name, alias)
        }
        _ => (None, None),
    }
}

/// `a.b.c` from a `dotted_name`, joined from its identifiers so `import a . b` reads as `a.b`.
fn dotted_name(node: Node, src: &str) -> String {
    let mut cursor = node.walk();
    let parts: Vec<&str> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind_name() == "identifier")
        .map(|c| text(c, src))
        .collect();
    parts.join(".")
}

/// Local name -> fully qualified origin (`F` -> `fastapi.FastAPI`, `fl` -> `flask`). Later imports win, as at
/// run time. Relative imports qualify to their module path with leading dots (`.db.engine`).
pub(crate) struct ImportMap {
    map: HashMap<String, String>,
}

impl ImportMap {
    pub(crate) fn new(imports: &[Import]) -> Self {
        let mut map = HashMap::new();
        for import in imports {
            if import.local == "*" {
                continue;
            }
            let dots = ".".repeat(import.level);
            let origin = match &import.name {
                Some(name) if import.module.is_empty() => format!("{dots}{name}"),
                Some(name) => format!("{dots}{}.{name}", import.module),
                // `import a.b` binds `a` to the package `a`; `import a.b as c` binds `c` to `a.b`.
                None if import.module.starts_with(&format!("{}.", import.local)) => {
                    import.local.clone()
                }
                None => import.module.clone(),
            };
            map.insert(import.local.clone(), origin);
        }
        Self { map }
    }

    /// The qualified name of a dotted expression, or `None` when its first part was not imported.
    pub(crate) fn qualify(&self, dotted: &str) -> Option<String> {
        let (head, rest) = match dotted.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (dotted, None),
        };
        let origin = self.map.get(head)?;
        Some(match rest {
            Some(rest) => format!("{origin}.{rest}"),
            None => origin.clone(),
        })
    }

    /// Every name bound by an import.
    pub(crate) fn locals(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// Whether `local` is bound by an import.
    pub(crate) fn is_imported(&self, local: &str) -> bool {
        self.map.contains_key(local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ts::parse_tree;

    fn imports(src: &str) -> Vec<Import> {
        let tree = parse_tree(src);
        extract(&NodeIndex::new(tree.root_node(), src), src)
    }

    #[test]
    fn every_shape_of_import() {
        let src = "import os, a.b as c\nimport x . y\nfrom ..pkg.mod import r as router, s\n\
                   from . import views\nfrom fastapi import *\nfrom __future__ import annotations\n\
                   def f():\n    from flask import (Flask,\n        Blueprint as BP)\n";
        let got: Vec<_> = imports(src)
            .into_iter()
            .map(|i| {
                (
                    i.module,
                    i.level,
                    i.name,
                    i.local,
                    i.range.slice(src).lines().next().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let s = |v: &str| v.to_owned();
        assert_eq!(
            got,
            vec![
                (s("os"), 0, None, s("os"), s("import os, a.b as c")),
                (s("a.b"), 0, None, s("c"), s("import os, a.b as c")),
                (s("x.y"), 0, None, s("x"), s("import x . y")),
                (
                    s("pkg.mod"),
                    2,
                    Some(s("r")),
                    s("router"),
                    s("from ..pkg.mod import r as router, s")
                ),
                (
                    s("pkg.mod"),
                    2,
                    Some(s("s")),
                    s("s"),
                    s("from ..pkg.mod import r as router, s")
                ),
                (
                    s(""),
                    1,
                    Some(s("views")),
                    s("views"),
                    s("from . import views")
                ),
                (
                    s("fastapi"),
                    0,
                    Some(s("*")),
                    s("*"),
                    s("from fastapi import *")
                ),
                (
                    s("__future__"),
                    0,
                    Some(s("annotations")),
                    s("annotations"),
                    s("from __future__ import annotations")
                ),
                (
                    s("flask"),
                    0,
                    Some(s("Flask")),
                    s("Flask"),
                    s("from flask import (Flask,")
                ),
                (
                    s("flask"),
                    0,
                    Some(s("Blueprint")),
                    s("BP"),
                    s("from flask import (Flask,")
                ),
            ]
        );
    }

    #[test]
    fn qualified_names() {
        let src = "import fastapi\nimport flask as fl\nimport redis.asyncio\nimport a.b as ab\n\
                   from fastapi import APIRouter as R\nfrom .db import engine\n";
        let map = ImportMap::new(&imports(src));
        assert_eq!(
            map.qualify("fastapi.FastAPI").as_deref(),
            Some("fastapi.FastAPI")
        );
        assert_eq!(
            map.qualify("fl.Blueprint").as_deref(),
            Some("flask.Blueprint")
        );
        assert_eq!(
            map.qualify("redis.asyncio.from_url").as_deref(),
            Some("redis.asyncio.from_url")
        );
        assert_eq!(map.qualify("ab.C").as_deref(), Some("a.b.C"));
        assert_eq!(map.qualify("R").as_deref(), Some("fastapi.APIRouter"));
        assert_eq!(map.qualify("engine").as_deref(), Some(".db.engine"));
        assert_eq!(map.qualify("Flask"), None);
    }

    #[test]
    fn half_typed_imports_do_not_panic() {
        for src in [
            "from ",
            "from . import",
            "import",
            "from x import (a,",
            "import a as",
        ] {
            let _ = imports(src);
        }
    }
}
