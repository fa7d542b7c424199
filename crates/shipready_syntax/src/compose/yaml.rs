//! Builds the spanned YAML value model ([`super::value`]) from a tree-sitter-yaml tree.
//!
//! Anchors, aliases and `<<` merge keys are resolved while the model is built, so compose code reads plain values.
//! A resolved alias is a copy of the anchored value and keeps the ranges of the anchor's text, because that is where
//! the value was written. Expansion is capped so that alias bombs ("billion laughs") stay cheap.

use std::collections::HashMap;

use shipready_text::TextRange;
use tree_sitter::Node as TsNode;

use super::repair::OffsetMap;
use super::scalar;
use super::value::{Entry, Kind, Scalar, Style, Value};
use crate::SyntaxError;

/// The most value nodes that alias expansion may copy in one document.
const EXPANSION_BUDGET: usize = 100_000;
/// Deeper nesting is not read, so that hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 96;

/// The root value of every document in the tree, in order.
pub(crate) fn documents(
    root: TsNode,
    text: &str,
    map: &OffsetMap,
    errors: &mut Vec<SyntaxError>,
) -> Vec<Value> {
    let mut docs = Vec::new();
    let mut cursor = root.walk();
    for doc in root
        .named_children(&mut cursor)
        .filter(|n| n.kind() == "document")
    {
        let mut builder = Builder {
            text,
            map,
            anchors: HashMap::new(),
            budget: EXPANSION_BUDGET,
            errors: &mut *errors,
        };
        let mut c = doc.walk();
        let body = doc
            .named_children(&mut c)
            .find(|n| matches!(n.kind(), "block_node" | "flow_node"));
        docs.push(match body {
            Some(body) => builder.value(body, 0),
            None => Value::missing(map.to_original(doc.start_byte())),
        });
    }
    docs
}

struct Builder<'a> {
    text: &'a str,
    map: &'a OffsetMap,
    anchors: HashMap<String, (Value, usize)>,
    budget: usize,
    errors: &'a mut Vec<SyntaxError>,
}

impl Builder<'_> {
    fn src(&self, n: TsNode) -> &str {
        self.text.get(n.byte_range()).unwrap_or("")
    }

    fn range(&self, start: usize, end: usize) -> TextRange {
        self.map.range(start, end)
    }

    fn error(&mut self, n: TsNode, message: String) {
        let range = self.range(n.start_byte(), n.end_byte());
        self.errors.push(SyntaxError { range, message });
    }

    /// A `block_node`/`flow_node` (anchor and tag, then the content) or a bare content node.
    fn value(&mut self, n: TsNode, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            self.error(
                n,
                "YAML nested too deeply; the rest was not read".to_owned(),
            );
            return Value::missing(self.map.to_original(n.start_byte()));
        }
        if !matches!(n.kind(), "block_node" | "flow_node") {
            return self.content(n, None, depth);
        }
        let mut anchor = None;
        let mut tag = None;
        let mut content = None;
        let mut cursor = n.walk();
        for child in n.named_children(&mut cursor) {
            match child.kind() {
                "anchor" => anchor = Some(self.src(child).trim_start_matches('&').to_owned()),
                "tag" => tag = Some(self.src(child).to_owned()),
                "comment" | "ERROR" => {}
                _ if content.is_none() => content = Some(child),
                _ => {}
            }
        }
        let value = match content {
            Some(c) => self.content(c, tag, depth),
            None => Value {
                tag,
                ..Value::missing(self.map.to_original(end_of_content(n, self.text)))
            },
        };
        if let Some(name) = anchor {
            let size = value.size();
            self.anchors.insert(name, (value.clone(), size));
        }
        value
    }

    fn content(&mut self, n: TsNode, tag: Option<String>, depth: usize) -> Value {
        let (start, end) = (n.start_byte(), end_of_content(n, self.text));
        let range = self.range(start, end);
        let raw = self.text.get(start..end).unwrap_or("");
        let scalar = |text: String, style: Style, content: TextRange| Value {
            range,
            tag: tag.clone(),
            kind: Kind::Scalar(Scalar {
                text,
                style,
                content,
            }),
        };
        match n.kind() {
            "plain_scalar" => scalar(scalar::plain(raw), Style::Plain, range),
            "single_quote_scalar" => scalar(
                scalar::single_quoted(raw),
                Style::SingleQuoted,
                self.inside_quotes(start, end),
            ),
            "double_quote_scalar" => scalar(
                scalar::double_quoted(raw),
                Style::DoubleQuoted,
                self.inside_quotes(start, end),
            ),
            "block_scalar" => scalar(scalar::block(raw), Style::Block, range),
            "alias" => self.alias(n),
            "block_mapping" | "flow_mapping" => Value {
                range,
                tag,
                kind: Kind::Map(self.mapping(n, depth)),
            },
            "block_sequence" | "flow_sequence" => Value {
                range,
                tag,
                kind: Kind::Seq(self.sequence(n, depth)),
            },
            _ => Value {
                tag,
                ..Value::missing(range.start)
            },
        }
    }

    fn inside_quotes(&self, start: usize, end: usize) -> TextRange {
        if end >= start + 2 {
            self.range(start + 1, end - 1)
        } else {
            self.range(start, end)
        }
    }

    fn alias(&mut self, n: TsNode) -> Value {
        let name = self.src(n).trim_start_matches('*').to_owned();
        let at = self.map.to_original(n.start_byte());
        let Some((value, size)) = self.anchors.get(&name) else {
            self.error(n, format!("unknown anchor `{name}`"));
            return Value::missing(at);
        };
        if *size > self.budget {
            self.error(
                n,
                format!("alias `*{name}` expands to too much data; it was not expanded"),
            );
            return Value::missing(at);
        }
        self.budget -= *size;
        value.clone()
    }

    fn sequence(&mut self, n: TsNode, depth: usize) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor = n.walk();
        for child in n.named_children(&mut cursor) {
            match child.kind() {
                "block_sequence_item" => {
                    let mut c = child.walk();
                    let item = child
                        .named_children(&mut c)
                        .find(|x| matches!(x.kind(), "block_node" | "flow_node"));
                    items.push(match item {
                        Some(item) => self.value(item, depth + 1),
                        None => Value::missing(self.map.to_original(child.end_byte())),
                    });
                }
                "flow_node" => items.push(self.value(child, depth + 1)),
                // `[a: b]` is a sequence holding a one-pair mapping.
                "flow_pair" => {
                    let entry = self.pair(child, depth + 1);
                    items.push(Value {
                        range: entry.range,
                        tag: None,
                        kind: Kind::Map(vec![entry]),
                    });
                }
                _ => {}
            }
        }
        items
    }

    /// The entries of a mapping with `<<` merge keys resolved: explicit keys win over merged ones, and among merged
    /// mappings the earlier one wins.
    fn mapping(&mut self, n: TsNode, depth: usize) -> Vec<Entry> {
        let mut explicit: Vec<Entry> = Vec::new();
        let mut merged: Vec<Entry> = Vec::new();
        let mut cursor = n.walk();
        for child in n.named_children(&mut cursor) {
            let entry = match child.kind() {
                "block_mapping_pair" | "flow_pair" => self.pair(child, depth + 1),
                // `{a, b}`: a key with no value.
                "flow_node" => {
                    let key = self.value(child, depth + 1);
                    let end = key.range.end;
                    Entry {
                        range: key.range,
                        key,
                        value: Value::missing(end),
                    }
                }
                _ => continue,
            };
            let is_merge = entry.key.as_str() == Some("<<")
                && matches!(&entry.key.kind, Kind::Scalar(s) if s.style == Style::Plain)
                && entry
                    .key
                    .tag
                    .as_deref()
                    .is_none_or(|t| t.ends_with("merge"));
            if !is_merge {
                explicit.push(entry);
                continue;
            }
            let sources = match &entry.value.kind {
                Kind::Map(_) => vec![entry.value],
                Kind::Seq(items) => items.clone(),
                _ => Vec::new(),
            };
            for source in sources {
                let Kind::Map(entries) = source.kind else {
                    continue;
                };
                for e in entries {
                    if !merged.iter().any(|m| same_key(&m.key, &e.key)) {
                        merged.push(e);
                    }
                }
            }
        }
        merged.retain(|m| !explicit.iter().any(|e| same_key(&e.key, &m.key)));
        explicit.extend(merged);
        explicit
    }

    fn pair(&mut self, n: TsNode, depth: usize) -> Entry {
        let start = n.start_byte();
        let end = end_of_content(n, self.text);
        let key = match n.child_by_field_name("key") {
            Some(k) => self.value(k, depth),
            None => Value::missing(self.map.to_original(start)),
        };
        let value = match n.child_by_field_name("value") {
            Some(v) => self.value(v, depth),
            None => Value::missing(self.map.to_original(end)),
        };
        Entry {
            key,
            value,
            range: self.range(start, end),
        }
    }
}

fn same_key(a: &Value, b: &Value) -> bool {
    matches!((a.as_str(), b.as_str()), (Some(x), Some(y)) if x == y)
}

/// Where a node's written text ends: block nodes in tree-sitter-yaml can swallow trailing line breaks and comments,
/// which do not belong to the value.
fn end_of_content(n: TsNode, text: &str) -> usize {
    let mut node = n;
    while matches!(
        node.kind(),
        "block_node"
            | "block_mapping"
            | "block_mapping_pair"
            | "block_sequence"
            | "block_sequence_item"
            | "document"
    ) {
        let last = (0..node.child_count())
            .rev()
            .filter_map(|i| node.child(i))
            .find(|c| c.kind() != "comment" && c.end_byte() > c.start_byte());
        match last {
            Some(child) => node = child,
            None => break,
        }
    }
    let raw = text.get(node.start_byte()..node.end_byte()).unwrap_or("");
    node.start_byte() + raw.trim_end().len()
}
