//! The value of a prefix or path written as an expression: `API_PREFIX`, `settings.API_V1_STR`,
//! `f"{settings.API_V1_STR}/users"`, `BASE + "/v1"`. Names are looked up in the per-file constants: in the same
//! file, through an instance (`settings = Settings()` then `Settings.API_V1_STR`), and through imports into other
//! files. Anything else (a call, a number, a name bound at run time) leaves the value unknown: a guessed prefix
//! would put a wrong path in front of the user.

use shipready_syntax::python::web::ConstantValue;

use super::{modules, python};
use crate::Workspace;

/// How many names may be followed in a chain, so import cycles and self-references end.
const MAX_DEPTH: usize = 12;
/// How many names one expression may look up in all, so constants built from many others
/// (`A = B + B + B`, `B = C + C + C`, ...) cannot make the work grow exponentially.
const MAX_LOOKUPS: usize = 256;

/// The string `expr` evaluates to in `file`, when every name in it resolves to a string constant.
pub(crate) fn resolve(ws: &Workspace, file: &str, expr: &str) -> Option<String> {
    Evaluator { ws, lookups: 0 }.eval(file, expr, 0)
}

struct Evaluator<'w> {
    ws: &'w Workspace,
    lookups: usize,
}

impl<'w> Evaluator<'w> {
    fn eval(&mut self, file: &str, expr: &str, depth: usize) -> Option<String> {
        let mut out = String::new();
        for part in parts(expr)? {
            match part {
                Part::Text(text) => out.push_str(&text),
                Part::Name(name) => out.push_str(&self.lookup(file, &name, depth + 1)?),
            }
        }
        Some(out)
    }

    /// The string value of the dotted `name` as seen from `file`.
    fn lookup(&mut self, file: &str, name: &str, depth: usize) -> Option<String> {
        self.lookups += 1;
        if depth > MAX_DEPTH || self.lookups > MAX_LOOKUPS {
            return None;
        }
        let ws = self.ws;
        let py = ws.file(file).and_then(|f| python(&f.facts))?;
        let constant = |wanted: &str| py.web.constants.iter().rev().find(|c| c.name == wanted);
        if let Some(ConstantValue::Expr(expr)) = constant(name).map(|c| &c.value) {
            return self.eval(file, expr, depth);
        }
        let (head, rest) = match name.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (name, None),
        };
        if let (Some(rest), Some(ConstantValue::InstanceOf(class))) =
            (rest, constant(head).map(|c| &c.value))
        {
            return self.lookup(file, &format!("{class}.{rest}"), depth + 1);
        }
        let import = py.imports.iter().rev().find(|i| i.local == head)?;
        match &import.name {
            // `from m import head`: a name defined in module `m`, or the submodule `m.head`.
            Some(imported) => {
                let inner = match rest {
                    Some(rest) => format!("{imported}.{rest}"),
                    None => imported.clone(),
                };
                let target = modules::resolve(ws, file, &import.module, import.level)
                    .filter(|target| *target != file);
                if let Some(value) = target.and_then(|t| self.lookup(t, &inner, depth + 1)) {
                    return Some(value);
                }
                let submodule = if import.module.is_empty() {
                    imported.clone()
                } else {
                    format!("{}.{imported}", import.module)
                };
                self.in_module_path(file, &submodule, import.level, rest?, depth)
            }
            // `import a.b` binds `a` (the name goes on with `b...`); `import a.b as head` binds `head` to `a.b`.
            None => {
                let base =
                    if import.module == head || import.module.starts_with(&format!("{head}.")) {
                        head
                    } else {
                        import.module.as_str()
                    };
                self.in_module_path(file, base, 0, rest?, depth)
            }
        }
    }

    /// `rest` (`config.settings.API_V1_STR`) below the module `base`: the longest module path that is a
    /// workspace file, then the remaining name inside it.
    fn in_module_path(
        &mut self,
        file: &str,
        base: &str,
        level: usize,
        rest: &str,
        depth: usize,
    ) -> Option<String> {
        let segments: Vec<&str> = rest.split('.').collect();
        (0..segments.len()).rev().find_map(|split| {
            let (modules_part, name) = segments.split_at(split);
            let module = std::iter::once(base)
                .chain(modules_part.iter().copied())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(".");
            let target = modules::resolve(self.ws, file, &module, level)?;
            self.lookup(target, &name.join("."), depth + 1)
        })
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Name(String),
}

/// The pieces of a string expression: string literals (f-strings split at their `{name}` fields) and dotted
/// names, joined by `+`, implicit concatenation of literals and parentheses. `None` for anything else.
fn parts(expr: &str) -> Option<Vec<Part>> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Whether the next token must start a term: at the start, after `+` and after `(`.
    let mut expect_term = true;
    // Whether the last term was a string literal, which another literal may follow directly.
    let mut after_string = false;
    let mut open = 0usize;
    while let Some(&b) = bytes.get(i) {
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\\') {
            i += 1;
            continue;
        }
        let word_end = i + bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'.')
            .count();
        let word = expr.get(i..word_end)?;
        let quote_at = matches!(bytes.get(word_end), Some(b'"' | b'\''));
        let prefix = word.to_ascii_lowercase();
        let string_prefix =
            prefix.len() <= 2 && prefix.chars().all(|c| matches!(c, 'r' | 'f' | 'b' | 'u'));
        if quote_at && string_prefix && (expect_term || after_string) {
            i = string(
                expr,
                word_end,
                prefix.contains('f'),
                prefix.contains('r'),
                &mut out,
            )?;
            (expect_term, after_string) = (false, true);
            continue;
        }
        match b {
            b'+' if !expect_term => expect_term = true,
            b'(' if expect_term => open += 1,
            b')' if !expect_term && open > 0 => open -= 1,
            b if expect_term && (b.is_ascii_alphabetic() || b == b'_') => {
                if word.ends_with('.') || word.contains("..") {
                    return None;
                }
                out.push(Part::Name(word.to_owned()));
                expect_term = false;
                i = word_end;
                after_string = false;
                continue;
            }
            _ => return None,
        }
        i += 1;
        after_string = false;
    }
    (!expect_term && open == 0).then_some(out)
}

/// Reads the string literal whose opening quote is at `start`, pushing its parts; returns the offset after it.
fn string(expr: &str, start: usize, f: bool, raw: bool, out: &mut Vec<Part>) -> Option<usize> {
    let quote = expr.get(start..)?.chars().next()?;
    let triple = quote.to_string().repeat(3);
    let delimiter = if expr.get(start..)?.starts_with(&triple) {
        triple.as_str()
    } else {
        expr.get(start..start + 1)?
    };
    let mut at = start + delimiter.len();
    let mut text = String::new();
    loop {
        let here = expr.get(at..)?;
        if here.starts_with(delimiter) {
            out.push(Part::Text(text));
            return Some(at + delimiter.len());
        }
        let c = here.chars().next()?;
        let next = here.get(c.len_utf8()..).and_then(|r| r.chars().next());
        match c {
            // Escapes are kept as written, the way the syntax layer keeps literal prefixes.
            '\\' if !raw => {
                let escaped = next?;
                text.push(c);
                text.push(escaped);
                at += c.len_utf8() + escaped.len_utf8();
                continue;
            }
            '{' | '}' if f && next == Some(c) => {
                text.push(c);
                at += 2;
                continue;
            }
            '{' if f => {
                let close = here.find('}')?;
                let field = here.get(1..close)?.trim();
                let dotted = field.split('.').all(|s| {
                    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                if !dotted {
                    return None;
                }
                out.push(Part::Text(std::mem::take(&mut text)));
                out.push(Part::Name(field.to_owned()));
                at += close + 1;
                continue;
            }
            '}' if f => return None,
            _ => text.push(c),
        }
        at += c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Part {
        Part::Text(s.to_owned())
    }

    fn name(s: &str) -> Part {
        Part::Name(s.to_owned())
    }

    #[test]
    fn expressions_split_into_literals_and_names() {
        assert_eq!(parts("API_PREFIX"), Some(vec![name("API_PREFIX")]));
        assert_eq!(
            parts("f\"{settings.API_V1_STR}/users\""),
            Some(vec![text(""), name("settings.API_V1_STR"), text("/users")])
        );
        assert_eq!(
            parts("(BASE + '/v1'\n  \"/x\")"),
            Some(vec![name("BASE"), text("/v1"), text("/x")])
        );
        assert_eq!(
            parts("F'{{a}}/{ B }/é'"),
            Some(vec![text("{a}/"), name("B"), text("/é")])
        );
        assert_eq!(parts("'''/a'b'''"), Some(vec![text("/a'b")]));
        assert_eq!(parts("r'/a\\'"), Some(vec![text("/a\\")]));
    }

    #[test]
    fn anything_else_is_unknown() {
        for expr in [
            "",
            "get_prefix()",
            "f\"{v!r}\"",
            "f\"{a + b}\"",
            "PREFIX +",
            "a b",
            "x[0]",
            "'unterminated",
            "1",
            "(a",
            "a.",
            "'%s' % x",
        ] {
            assert_eq!(parts(expr), None, "{expr}");
        }
    }
}
