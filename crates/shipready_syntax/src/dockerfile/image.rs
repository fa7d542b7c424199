//! Image references of `FROM`: splitting `name[:tag][@digest]` (registry ports included) and substituting global
//! `ARG` defaults into templated references.

use std::collections::HashMap;

/// What a global `ARG` gives a plain `docker build` without `--build-arg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ArgValue {
    /// A default value, already expanded.
    Value(String),
    /// Declared without a default: unset unless passed at build time.
    Unset,
    /// The default refers to something unknown, so the value cannot be predicted.
    Unknown,
}

pub(super) type Args = HashMap<String, ArgValue>;

/// The parts of an image reference.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Parts {
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// Splits a reference. The tag is the `:` after the last `/`, so `localhost:5000/app` has no tag; separators inside
/// `${...}` are ignored so `app:${TAG:-latest}` keeps its whole tag.
pub(super) fn split(reference: &str) -> Parts {
    let seps = top_level_separators(reference);
    let (rest, digest) = match seps.iter().rev().find(|(_, c)| *c == '@') {
        Some(&(at, _)) => (&reference[..at], Some(reference[at + 1..].to_string())),
        None => (reference, None),
    };
    let last_slash = seps
        .iter()
        .rev()
        .find(|(i, c)| *c == '/' && *i < rest.len())
        .map(|&(i, _)| i);
    let colon = seps
        .iter()
        .rev()
        .find(|(i, c)| *c == ':' && *i < rest.len() && Some(*i) > last_slash);
    let (name, tag) = match colon {
        Some(&(colon, _)) => (&rest[..colon], Some(rest[colon + 1..].to_string())),
        None => (rest, None),
    };
    Parts {
        name: name.to_string(),
        tag,
        digest,
    }
}

/// Byte offsets of `@`, `/` and `:` outside `${...}`.
fn top_level_separators(reference: &str) -> Vec<(usize, char)> {
    let mut seps = Vec::new();
    let mut depth = 0usize;
    let mut prev = '\0';
    for (i, c) in reference.char_indices() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            '@' | '/' | ':' if depth == 0 => seps.push((i, c)),
            _ => {}
        }
        prev = c;
    }
    seps
}

/// Substitutes `$VAR`, `${VAR}` and `${VAR:-word}`-style expansions with `args`; `None` when a value is unknown.
pub(super) fn substitute(text: &str, args: &Args) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(body) = after.strip_prefix('{') {
            let end = matching_brace(body)?;
            out.push_str(&expand_braced(&body[..end], args)?);
            rest = &body[end + 1..];
        } else {
            let len = identifier_len(after);
            if len == 0 {
                // A `$` that starts no expansion is literal text, as Docker treats it.
                out.push('$');
            } else {
                out.push_str(lookup(&after[..len], args)?);
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Some(out)
}

fn identifier_len(s: &str) -> usize {
    let first_ok = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok {
        return 0;
    }
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// The offset of the `}` closing a `${`, whose `{` has already been consumed.
fn matching_brace(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn lookup<'a>(name: &str, args: &'a Args) -> Option<&'a str> {
    match args.get(name) {
        Some(ArgValue::Value(v)) => Some(v),
        _ => None,
    }
}

/// Expands the inside of `${...}`: a name and an optional `:-`, `-`, `:+`, `+`, `:?` or `?` modifier.
fn expand_braced(body: &str, args: &Args) -> Option<String> {
    let len = identifier_len(body);
    let (name, modifier) = body.split_at(len);
    if name.is_empty() {
        return None;
    }
    if modifier.is_empty() {
        return lookup(name, args).map(str::to_string);
    }
    let colon = modifier.starts_with(':');
    let op_and_word = modifier.strip_prefix(':').unwrap_or(modifier);
    let mut chars = op_and_word.chars();
    let op = chars.next()?;
    let word = chars.as_str();
    let value = args.get(name).unwrap_or(&ArgValue::Unset);
    let value = match value {
        ArgValue::Unknown => return None,
        ArgValue::Unset => None,
        ArgValue::Value(v) => Some(v.as_str()),
    };
    // With a colon, an empty value counts as unset.
    let set = value.filter(|v| !colon || !v.is_empty());
    match (op, set) {
        ('-', Some(v)) => Some(v.to_string()),
        ('-', None) => substitute(word, args),
        ('+', Some(_)) => substitute(word, args),
        ('+', None) => value.map(|_| String::new()),
        ('?', Some(v)) => Some(v.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(r: &str) -> (String, Option<String>, Option<String>) {
        let p = split(r);
        (p.name, p.tag, p.digest)
    }

    #[test]
    fn splits_registry_port_tag_and_digest() {
        assert_eq!(parts("python"), ("python".into(), None, None));
        assert_eq!(
            parts("localhost:5000/app:1.2"),
            ("localhost:5000/app".into(), Some("1.2".into()), None)
        );
        assert_eq!(
            parts("localhost:5000/app"),
            ("localhost:5000/app".into(), None, None)
        );
        assert_eq!(
            parts("ghcr.io/o/a:3.12-slim@sha256:abc"),
            (
                "ghcr.io/o/a".into(),
                Some("3.12-slim".into()),
                Some("sha256:abc".into())
            )
        );
        assert_eq!(
            parts("alpine@sha256:ff"),
            ("alpine".into(), None, Some("sha256:ff".into()))
        );
        assert_eq!(
            parts("app:${TAG:-latest}"),
            ("app".into(), Some("${TAG:-latest}".into()), None)
        );
        assert_eq!(
            parts("${REG:-r:5000}/app"),
            ("${REG:-r:5000}/app".into(), None, None)
        );
    }

    fn args(pairs: &[(&str, ArgValue)]) -> Args {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn substitutes_known_values_and_modifiers() {
        let a = args(&[
            ("PY", ArgValue::Value("3.12".into())),
            ("EMPTY", ArgValue::Value(String::new())),
            ("NODEF", ArgValue::Unset),
            ("BAD", ArgValue::Unknown),
        ]);
        assert_eq!(
            substitute("python:${PY}-slim", &a).as_deref(),
            Some("python:3.12-slim")
        );
        assert_eq!(substitute("python:$PY", &a).as_deref(), Some("python:3.12"));
        assert_eq!(substitute("x:${NODEF:-1.0}", &a).as_deref(), Some("x:1.0"));
        assert_eq!(
            substitute("x:${MISSING:-${PY}}", &a).as_deref(),
            Some("x:3.12")
        );
        assert_eq!(substitute("x:${EMPTY:-d}", &a).as_deref(), Some("x:d"));
        assert_eq!(substitute("x:${EMPTY-d}", &a).as_deref(), Some("x:"));
        assert_eq!(substitute("x${PY:+-y}", &a).as_deref(), Some("x-y"));
        assert_eq!(substitute("a$", &a).as_deref(), Some("a$"));
        assert_eq!(substitute("x:$NODEF", &a), None);
        assert_eq!(substitute("x:${BAD:-d}", &a), None);
        assert_eq!(substitute("x:${PY", &a), None);
        assert_eq!(substitute("x:${}", &a), None);
    }
}
