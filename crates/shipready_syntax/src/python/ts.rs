//! Small tree-sitter helpers shared by the Python extractors: node text and ranges, string literal values,
//! dotted names, call arguments and an iterative pre-order walk that cannot overflow the stack.

use shipready_text::TextRange;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::Node;

/// The source text of `node`, or `""` when its range does not fit `src` (never a panic). Noted as read (see
/// [`super::reads`]).
pub(crate) fn text<'a>(node: Node, src: &'a str) -> &'a str {
    super::reads::read(node.start_byte(), node.end_byte());
    src.get(node.byte_range()).unwrap_or("")
}

/// [`text`] for a byte search whose needles are noted with [`super::reads::searched`]: not noted as read, so an
/// edit inside it that makes or breaks no needle leaves the facts as they are.
pub(crate) fn searched_text<'a>(node: Node, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

/// [`Node::kind`] without its check of the name's UTF-8, which tree-sitter's binding makes on every call (8% of
/// extracting a large module's facts): the Python grammar's names are read once. For Python trees only.
pub(crate) trait KindName {
    fn kind_name(&self) -> &'static str;
}

impl KindName for Node<'_> {
    fn kind_name(&self) -> &'static str {
        static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
        let names = NAMES.get_or_init(|| {
            let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
            (0..language.node_kind_count())
                .map(|id| {
                    u16::try_from(id)
                        .ok()
                        .and_then(|id| language.node_kind_for_id(id))
                        .unwrap_or("")
                })
                .collect()
        });
        // `ERROR` has the id `u16::MAX`, past the grammar's kinds.
        match names.get(usize::from(self.kind_id())) {
            Some(name) => name,
            None => self.kind(),
        }
    }
}

pub(crate) fn range(node: Node) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

/// Visit every node under `root` (itself included) in source order. Iterative, because generated or minified
/// Python can nest deeper than the thread's stack would allow a recursive walk to go.
pub(crate) fn walk<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>)) {
    walk_with_ancestors(root, |node, _| visit(node));
}

/// [`walk`], also passing each node's ancestors up to `root`, innermost last (empty for `root`). tree-sitter's
/// `Node::parent` searches down from the tree's root, which costs time proportional to the siblings on the way,
/// so extractors that look up parents keep the ones a walk saw instead.
pub(crate) fn walk_with_ancestors<'t>(root: Node<'t>, visit: impl FnMut(Node<'t>, &[Node<'t>])) {
    walk_pruned(root, |_| true, visit);
}

/// [`walk_with_ancestors`] over the nodes `enter` accepts only: a refused node is neither visited nor entered,
/// so a walk that looks for rare constructs skips whole subtrees.
pub(crate) fn walk_pruned<'t>(
    root: Node<'t>,
    mut enter: impl FnMut(Node<'t>) -> bool,
    mut visit: impl FnMut(Node<'t>, &[Node<'t>]),
) {
    let mut cursor = root.walk();
    let mut ancestors: Vec<Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        if enter(node) {
            visit(node, &ancestors);
            if cursor.goto_first_child() {
                ancestors.push(node);
                continue;
            }
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            ancestors.pop();
        }
    }
}

/// [`Node::child_by_field_name`] with the field's id found once per name: tree-sitter would otherwise compare the
/// name with every field name of the grammar on each call, which is most of what reading a call's parts costs.
pub(crate) trait Field<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
}

impl<'t> Field<'t> for Node<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        match field_id(*self, name) {
            Some(id) => self.child_by_field_id(id),
            None => self.child_by_field_name(name),
        }
    }
}

/// The fields the extractors read, in the order of their ids in [`field_id`]'s table.
const FIELDS: [&str; 15] = [
    "alias",
    "arguments",
    "attribute",
    "body",
    "definition",
    "function",
    "left",
    "module_name",
    "name",
    "object",
    "right",
    "subscript",
    "superclasses",
    "type",
    "value",
];

fn field_id(node: Node, name: &str) -> Option<u16> {
    static IDS: OnceLock<Vec<u16>> = OnceLock::new();
    let ids = IDS.get_or_init(|| {
        let language = node.language();
        FIELDS
            .iter()
            .map(|field| language.field_id_for_name(field).map_or(0, |id| id.get()))
            .collect()
    });
    let index = FIELDS.iter().position(|field| *field == name)?;
    ids.get(index).copied().filter(|&id| id != 0)
}

/// The value of a string literal (`"/x"`, `'/x'`, `f"/{x}"`, `"a" "b"`) as written between the quotes: escapes
/// and interpolations are kept verbatim. `None` for anything that is not a string literal.
pub(crate) fn string_value(node: Node, src: &str) -> Option<String> {
    let mut node = node;
    while node.kind_name() == "parenthesized_expression" {
        node = node.named_child(0)?;
    }
    match node.kind_name() {
        "string" => {
            let mut start = node.start_byte();
            let mut end = node.end_byte();
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                match child.kind_name() {
                    "string_start" => start = child.end_byte(),
                    "string_end" if !child.is_missing() => end = child.start_byte(),
                    _ => {}
                }
            }
            super::reads::read(start, end);
            Some(src.get(start..end.max(start)).unwrap_or("").to_owned())
        }
        "concatenated_string" => {
            let mut cursor = node.walk();
            let parts: Option<Vec<String>> = node
                .named_children(&mut cursor)
                .map(|part| string_value(part, src))
                .collect();
            parts.map(|parts| parts.concat())
        }
        _ => None,
    }
}

/// [`string_value`] of a literal whose value is known as written: `None` for an f-string with interpolations
/// (`f"{settings.API_V1_STR}/users"`), whose value depends on names.
pub(crate) fn plain_string_value(node: Node, src: &str) -> Option<String> {
    if is_interpolated(node, src) {
        return None;
    }
    string_value(node, src)
}

/// Whether a string literal may hold interpolations: an f-string part with a `{` in it. Read from the text,
/// because walking the literal's nodes costs more than the rest of reading a route. (`f"{{x}}"` counts too: as
/// an expression it evaluates to `{x}`, the value Python gives it.)
pub(crate) fn is_interpolated(node: Node, src: &str) -> bool {
    let mut node = node;
    while node.kind_name() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => return false,
        }
    }
    match node.kind_name() {
        "string" => {
            let text = text(node, src);
            let prefix = text
                .get(..text.find(['"', '\'']).unwrap_or(0))
                .unwrap_or("");
            prefix.contains(['f', 'F']) && text.contains('{')
        }
        "concatenated_string" => {
            let mut cursor = node.walk();
            let interpolated = node
                .named_children(&mut cursor)
                .any(|part| is_interpolated(part, src));
            interpolated
        }
        _ => false,
    }
}

thread_local! {
    /// [`dotted`] of the attribute chains seen by the extraction in progress, by node id (see [`memoized`]).
    static DOTTED: RefCell<Option<HashMap<usize, Option<String>>>> = const { RefCell::new(None) };
}

/// Run one extraction of one tree with [`dotted`] remembering its answers: the extractors ask it of every call's
/// callee, seven times each in a route module (a fifth of the extraction before). Node ids are unique within
/// one tree only, so the memo ends with `extract`, also when it panics.
pub(crate) fn memoized<T>(extract: impl FnOnce() -> T) -> T {
    /// Puts back the memo of an enclosing extraction on this thread (or none).
    struct Restore(Option<HashMap<usize, Option<String>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            DOTTED.with_borrow_mut(|memo| *memo = outer);
        }
    }
    let _restore = Restore(DOTTED.with_borrow_mut(|memo| memo.replace(HashMap::new())));
    extract()
}

/// `a.b.c` for an identifier or a chain of attribute accesses on identifiers, without any whitespace or comments
/// the source may have between the parts; `None` for anything else (calls, subscripts, ...).
pub(crate) fn dotted(node: Node, src: &str) -> Option<String> {
    if node.kind_name() != "attribute" {
        return dotted_uncached(node, src);
    }
    let id = node.id();
    if let Some(hit) = DOTTED.with_borrow(|memo| memo.as_ref().and_then(|m| m.get(&id).cloned())) {
        return hit;
    }
    let value = dotted_uncached(node, src);
    DOTTED.with_borrow_mut(|memo| {
        if let Some(memo) = memo {
            memo.insert(id, value.clone());
        }
    });
    value
}

fn dotted_uncached(node: Node, src: &str) -> Option<String> {
    // Iterative: generated code can chain attributes deeper than a recursive walk could go.
    let mut parts = Vec::new();
    let mut current = node;
    loop {
        match current.kind_name() {
            "identifier" => {
                parts.push(text(current, src));
                break;
            }
            "attribute" => {
                parts.push(text(current.field("attribute")?, src));
                current = current.field("object")?;
            }
            _ => return None,
        }
    }
    parts.reverse();
    Some(parts.join("."))
}

/// The last part of a dotted name (`c` for `a.b.c`).
pub(crate) fn last_segment(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// The arguments of a call, split into positional expressions and `name=value` keyword arguments.
pub(crate) struct Args<'t, 's> {
    pub positional: Vec<Node<'t>>,
    pub keywords: Vec<(&'s str, Node<'t>)>,
}

impl<'t, 's> Args<'t, 's> {
    pub(crate) fn of(call: Node<'t>, src: &'s str) -> Args<'t, 's> {
        let mut args = Args {
            positional: Vec::new(),
            keywords: Vec::new(),
        };
        let Some(list) = call.field("arguments") else {
            return args;
        };
        if list.kind_name() != "argument_list" {
            return args;
        }
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match child.kind_name() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (child.field("name"), child.field("value")) {
                        args.keywords.push((text(name, src), value));
                    }
                }
                "comment" | "list_splat" | "dictionary_splat" => {}
                _ => args.positional.push(child),
            }
        }
        args
    }

    pub(crate) fn keyword(&self, name: &str) -> Option<Node<'t>> {
        self.keywords
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }

    /// The argument passed either as the `index`-th positional argument or by keyword `name`.
    pub(crate) fn get(&self, index: usize, name: &str) -> Option<Node<'t>> {
        self.keyword(name)
            .or_else(|| self.positional.get(index).copied())
    }
}

/// The string values of a list/tuple/set literal of string literals (`["GET", "POST"]`), upper-cased.
pub(crate) fn upper_strings(node: Node, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(single) = string_value(node, src) {
        out.push(single.to_uppercase());
        return out;
    }
    if matches!(node.kind_name(), "list" | "tuple" | "set") {
        let mut cursor = node.walk();
        for item in node.named_children(&mut cursor) {
            if let Some(value) = string_value(item, src) {
                out.push(value.to_uppercase());
            }
        }
    }
    out
}

/// The leading spaces and tabs of the line that contains `offset`.
pub(crate) fn line_indent(src: &str, offset: usize) -> String {
    let bytes = src.as_bytes();
    let offset = offset.min(bytes.len());
    let line_start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_start = if line_start == 0 && bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        line_start
    };
    let indent_len = bytes
        .get(line_start..)
        .unwrap_or(&[])
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    super::reads::read(line_start.min(offset), offset.max(line_start + indent_len));
    src.get(line_start..line_start + indent_len)
        .unwrap_or("")
        .to_owned()
}

#[cfg(test)]
pub(crate) fn parse_tree(src: &str) -> tree_sitter::Tree {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the Python grammar loads");
    parser
        .parse(src, None)
        .expect("tree-sitter returns a tree without a timeout")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first<'t>(root: Node<'t>, kind: &str) -> Node<'t> {
        let mut found = None;
        walk(root, |n| {
            if found.is_none() && n.kind() == kind {
                found = Some(n);
            }
        });
        found.expect("the node kind occurs")
    }

    #[test]
    fn string_values_keep_what_is_between_the_quotes() {
        let src = "x('/a', \"b\" 'c', f\"/{v}\", '''t''', \"\")\n";
        let tree = parse_tree(src);
        let call = first(tree.root_node(), "call");
        let args = Args::of(call, src);
        let values: Vec<_> = args
            .positional
            .iter()
            .map(|n| string_value(*n, src))
            .collect();
        assert_eq!(
            values,
            vec![
                Some("/a".into()),
                Some("bc".into()),
                Some("/{v}".into()),
                Some("t".into()),
                Some("".into())
            ]
        );
    }

    #[test]
    fn plain_strings_have_no_interpolations() {
        let src = "x(f\"/{v}\", F'/a{{b}}', (\"/a\" f\"{c}\"), '/{id}', f'/x')\n";
        let tree = parse_tree(src);
        let args = Args::of(first(tree.root_node(), "call"), src);
        let values: Vec<_> = args
            .positional
            .iter()
            .map(|n| plain_string_value(*n, src))
            .collect();
        assert_eq!(
            values,
            vec![None, None, None, Some("/{id}".into()), Some("/x".into())]
        );
    }

    #[test]
    fn dotted_names_ignore_whitespace() {
        let src = "a . b .c\n";
        let tree = parse_tree(src);
        assert_eq!(
            dotted(first(tree.root_node(), "attribute"), src).as_deref(),
            Some("a.b.c")
        );
    }

    #[test]
    fn indentation_of_a_line() {
        assert_eq!(line_indent("x\n\t  y = 1\n", 5), "\t  ");
        assert_eq!(line_indent("\u{feff}  y", 5), "  ");
        assert_eq!(line_indent("", 10), "");
    }
}
