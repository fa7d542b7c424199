//! `cdk.json` facts: the `app` command, which names the CDK entry file (never assume `app.py`).

use serde::Serialize;
use shipready_text::TextRange;

use crate::{Spanned, SyntaxError};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CdkJsonFacts {
    /// The `app` command as written (`python3 app.py`, `.venv/bin/python infra/main.py`, `npx ts-node bin/app.ts`).
    pub app: Option<Spanned<String>>,
    /// The Python file the command runs, relative to the `cdk.json` folder (`app.py`, `infra/main.py`), or the
    /// module for `python -m pkg.mod` turned into a path (`pkg/mod.py`).
    pub entry: Option<String>,
    /// The app command runs a language other than Python (TypeScript, Java, Go, .NET).
    pub non_python: bool,
    pub errors: Vec<SyntaxError>,
}

/// Parse `cdk.json`. Never fails; invalid JSON is reported in `errors`.
pub fn parse(text: &str) -> CdkJsonFacts {
    let mut facts = CdkJsonFacts::default();
    let value: serde_json::Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(v) => v,
        Err(err) => {
            let line_start = text
                .split_inclusive('\n')
                .take(err.line().saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            let at = (line_start + err.column().saturating_sub(1)).min(text.len());
            facts.errors.push(SyntaxError {
                range: TextRange::empty(at),
                message: format!("invalid JSON: {err}"),
            });
            return facts;
        }
    };
    let Some(app) = value.get("app").and_then(|v| v.as_str()) else {
        return facts;
    };
    let range = find_string_value(text, "app").unwrap_or_default();
    facts.entry = entry_of(app);
    facts.non_python = facts.entry.is_none() && !app.contains("python");
    facts.app = Some(Spanned::new(app.to_owned(), range));
    facts
}

/// The Python entry file named by an app command.
fn entry_of(command: &str) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if let Some(py) = words.iter().find(|w| w.ends_with(".py")) {
        return Some(py.trim_start_matches("./").to_owned());
    }
    let m = words.iter().position(|w| *w == "-m")?;
    let module = words.get(m + 1)?;
    Some(format!("{}.py", module.replace('.', "/")))
}

/// The byte range of the string value of `"key": "value"` in the raw text (inside the quotes).
fn find_string_value(text: &str, key: &str) -> Option<TextRange> {
    let key_at = text.find(&format!("\"{key}\""))?;
    let after_key = key_at + key.len() + 2;
    let open = after_key + text.get(after_key..)?.find('"')? + 1;
    // Escapes make the raw text longer than the value; find the closing quote that is not escaped.
    let bytes = text.as_bytes();
    let mut end = open;
    while end < bytes.len() {
        match bytes[end] {
            b'\\' => end += 2,
            b'"' => break,
            _ => end += 1,
        }
    }
    Some(TextRange::new(open, end.min(text.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_from_app_command() {
        let text = "{\n  \"app\": \"python3 infra/main.py\",\n  \"context\": {}\n}";
        let f = parse(text);
        assert_eq!(f.entry.as_deref(), Some("infra/main.py"));
        let app = f.app.unwrap();
        assert_eq!(app.range.slice(text), "python3 infra/main.py");
        assert!(!f.non_python);
    }

    #[test]
    fn module_form_and_venv_python() {
        assert_eq!(
            parse(r#"{"app": ".venv/bin/python -m infra.app"}"#)
                .entry
                .as_deref(),
            Some("infra/app.py")
        );
        assert_eq!(
            parse(r#"{"app": "python ./app.py"}"#).entry.as_deref(),
            Some("app.py")
        );
    }

    #[test]
    fn typescript_app_is_not_python() {
        let f = parse(r#"{"app": "npx ts-node --prefer-ts-exts bin/app.ts"}"#);
        assert!(f.non_python);
        assert_eq!(f.entry, None);
    }

    #[test]
    fn invalid_json_is_an_error_not_a_panic() {
        let f = parse("{\"app\": ");
        assert_eq!(f.errors.len(), 1);
        assert!(f.app.is_none());
        assert!(parse("\u{feff}{\"app\": \"python3 app.py\"}")
            .errors
            .is_empty());
    }
}
