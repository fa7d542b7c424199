//! The layout of Python source that inserted code follows: the file's indentation unit, and where the block
//! holding a statement stops being a place for more statements (a dedent, or a `return` that would leave code
//! after it dead).

use super::text;

/// Where the block holding a statement that ends at `after` stops being a place for more statements at
/// `indent`: the first later code line that is indented less (the block is over) or that leaves the block at
/// the same indentation (`return`, `raise`), else the end of the file. Code after it would never run, or run
/// outside the function.
pub(crate) fn block_end(src: &str, after: usize, indent: &str) -> usize {
    let mut at = text::next_line_start(src, after);
    while let Some(start) = at {
        let line = text::line_at(src, start);
        let code = line.trim_start_matches([' ', '\t']);
        let blank = code.trim().is_empty() || code.starts_with('#');
        if !blank {
            let own = line.len() - code.len();
            let leaves = ["return", "raise"].iter().any(|k| {
                code.strip_prefix(k).is_some_and(|rest| {
                    !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            });
            if own < indent.len() || (own == indent.len() && leaves) {
                return start;
            }
        }
        at = text::next_line_start(src, start);
    }
    src.len()
}

/// The file's indentation unit: what the first indented block adds to its header's indentation; a tab when
/// the app's own indentation uses tabs; four spaces by default.
pub(crate) fn indent_unit(src: &str, app_indent: &str) -> String {
    if app_indent.contains('\t') {
        return "\t".to_owned();
    }
    let mut header: Option<&str> = None;
    for line in src.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let body = line.trim_start_matches([' ', '\t']);
        let indent = line.get(..line.len() - body.len()).unwrap_or("");
        if let Some(h) = header {
            if indent.len() > h.len() && indent.starts_with(h) {
                return indent.get(h.len()..).unwrap_or("    ").to_owned();
            }
        }
        header = line.trim_end().ends_with(':').then_some(indent);
    }
    "    ".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_units() {
        assert_eq!(indent_unit("def f():\n\treturn 1\n", ""), "\t");
        assert_eq!(indent_unit("def f():\n  return 1\n", ""), "  ");
        assert_eq!(indent_unit("x = 1\n", ""), "    ");
        assert_eq!(indent_unit("class A:\r\n   x = 1\r\n", ""), "   ");
    }

    #[test]
    fn blocks_end_at_a_dedent_or_a_return() {
        let src =
            "def f():\n    bp = B()\n\n    # comment\n    x = 1\n    return bp\n\nrouter = R()\n";
        let after = src.find("B()").map_or(0, |i| i + 3);
        assert_eq!(
            block_end(src, after, "    "),
            src.find("    return").unwrap_or(0)
        );
        assert_eq!(block_end(src, src.len() - 1, ""), src.len());
        let src = "def f():\n    bp = B()\n    returned = 1\n\ny = 2\n";
        assert_eq!(block_end(src, 20, "    "), src.find("y = 2").unwrap_or(0));
    }
}
