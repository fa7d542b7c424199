//! Which edits change no fact, only where the bytes after them are: an edit inside one token (a comment, a name,
//! the text of a plain string) that leaves the token of the same kind, so the tree keeps its shape, and whose
//! bytes no extractor read ([`Reads`]), so no fact depends on them.
//!
//! The token rules are what tree-sitter-python's lexer does with the result:
//! - a **comment** stays one while no line break enters it (`#` is its first byte, which an edit after it keeps);
//! - a **name** stays one while it holds only letters, digits and `_` after its unchanged first byte, is not a
//!   keyword of the grammar before or after (`if`, `print`, `match`, `__future__`...), and is not followed by a
//!   quote (a name before a string would be lexed as the string's prefix);
//! - the **text of a string** stays one while no quote, backslash, brace or line break enters or leaves it, in a
//!   string that is not an f-string and holds no escape.
//!
//! The edit must start after the token's first byte, so that no offset equal to its start is ambiguous: offsets
//! at or after the edit's end move, the token's own start does not.

use crate::python::ts::KindName;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::reads::Reads;

/// Whether replacing the bytes `start..old_end` of `text` (parsed into `tree`) with `inserted` only moves the
/// facts. In a tree with errors it moves them as a reparse from the old tree would leave them, which a fresh
/// parse may not (the document is then unsettled: see `PythonDocument::settle`).
pub(super) fn moves_only(
    tree: &Tree,
    text: &str,
    start: usize,
    old_end: usize,
    inserted: &str,
    reads: &Reads,
) -> bool {
    let root = tree.root_node();
    if start == 0 || old_end < start {
        return false;
    }
    let Some(token) = root.descendant_for_byte_range(start - 1, old_end) else {
        return false;
    };
    if token.child_count() != 0 || token.start_byte() >= start || token.end_byte() < old_end {
        return false;
    }
    let (Some(removed), Some(whole)) = (text.get(start..old_end), text.get(token.byte_range()))
    else {
        return false;
    };
    let lexed_alike = match token.kind_name() {
        "comment" => plain(removed) && plain(inserted),
        "identifier" => name_stays_a_name(text, token, start, old_end, inserted),
        "string_content" => {
            string_stays_plain(token, text)
                && string_safe(removed)
                && string_safe(inserted)
                && !whole.contains('\\')
        }
        _ => false,
    };
    lexed_alike
        && !reads.any_in(token.start_byte(), token.end_byte())
        && !reads.needles_change(text, start, old_end, inserted)
}

/// No line break or other control character (tabs are fine).
fn plain(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\t')
}

fn string_safe(s: &str) -> bool {
    plain(s) && !s.contains(['"', '\'', '\\', '{', '}'])
}

/// The token is the text of a string without an `f`/`t` prefix (whose braces are interpolations).
fn string_stays_plain(token: Node, text: &str) -> bool {
    let Some(string) = token.parent().filter(|p| p.kind_name() == "string") else {
        return false;
    };
    let Some(opening) = string.child(0).filter(|c| c.kind_name() == "string_start") else {
        return false;
    };
    let prefix = text.get(opening.byte_range()).unwrap_or("f");
    !prefix.contains(['f', 'F', 't', 'T'])
}

fn name_stays_a_name(
    text: &str,
    token: Node,
    start: usize,
    old_end: usize,
    inserted: &str,
) -> bool {
    let name_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let (Some(head), Some(tail)) = (
        text.get(token.start_byte()..start),
        text.get(old_end..token.end_byte()),
    ) else {
        return false;
    };
    let old = text.get(token.byte_range()).unwrap_or("");
    let new = format!("{head}{inserted}{tail}");
    let followed_by_quote = matches!(text.as_bytes().get(token.end_byte()), Some(b'"' | b'\''));
    inserted.bytes().all(name_byte)
        && !followed_by_quote
        && !keywords(token).contains(&old)
        && !keywords(token).contains(&new.as_str())
}

/// The grammar's keywords: its anonymous node kinds spelled like names (`def`, `print`, `match`, `_`), and the
/// constants whose keyword the grammar names after the node (`None` is a `none`).
fn keywords(node: Node) -> &'static [&'static str] {
    static KEYWORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYWORDS.get_or_init(|| {
        let language = node.language();
        let mut words: Vec<&'static str> = (0..language.node_kind_count())
            .filter_map(|id| {
                let id = u16::try_from(id).ok()?;
                let kind = language.node_kind_for_id(id)?;
                let name_like = kind.bytes().next().is_some_and(|b| !b.is_ascii_digit())
                    && kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                (!language.node_kind_is_named(id) && name_like).then_some(kind)
            })
            .collect();
        words.extend(["None", "True", "False"]);
        words
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_s_keywords_include_soft_and_python_2_ones() {
        let tree = crate::python::ts::parse_tree("x = 1\n");
        let words = keywords(tree.root_node());
        for word in [
            "def",
            "if",
            "print",
            "exec",
            "match",
            "case",
            "type",
            "await",
            "__future__",
            "None",
        ] {
            assert!(words.contains(&word), "{word} in {words:?}");
        }
        assert!(!words.contains(&"identifier") && !words.contains(&"x"));
    }
}
