//! Facts of a committed `.env` file: its `KEY=VALUE` assignments, each with the range of the whole assignment,
//! so a rule can point at the line that sets a secret. The format has no specification; this reads what
//! docker compose, python-dotenv and the shells agree on: `#` comments, an optional `export `, values bare or
//! in single or double quotes, and a ` #` comment after a bare value. Lines that are not assignments are
//! skipped. Never fails.

use serde::Serialize;
use shipready_text::TextRange;

/// The assignments of one `.env` file, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DotEnvFacts {
    pub entries: Vec<DotEnvEntry>,
}

/// One `KEY=VALUE` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DotEnvEntry {
    pub key: String,
    /// The value without its quotes. Never serialized: it may be a secret, and no output may show it.
    #[serde(skip_serializing)]
    pub value: String,
    /// Whether the value was quoted (a quoted value is taken literally, `$` and all, by single quotes).
    pub quoted: bool,
    /// From the key to the end of the value (closing quote included), without a trailing comment.
    pub range: TextRange,
}

/// Parse the text of a `.env` file.
pub fn parse(text: &str) -> DotEnvFacts {
    let mut entries = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some(entry) = parse_line(line, start) {
            entries.push(entry);
        }
    }
    DotEnvFacts { entries }
}

fn parse_line(line: &str, start: usize) -> Option<DotEnvEntry> {
    let body = line.trim_start_matches('\u{feff}').trim_start();
    let mut at = start + (line.len() - body.len());
    if body.starts_with('#') {
        return None;
    }
    let body = match body.strip_prefix("export ") {
        Some(rest) => {
            let rest_trimmed = rest.trim_start();
            at += body.len() - rest_trimmed.len();
            rest_trimmed
        }
        None => body,
    };
    let eq = body.find('=')?;
    let key = body[..eq].trim_end();
    let valid_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    if !valid_key {
        return None;
    }
    let after = &body[eq + 1..];
    let lead = after.len() - after.trim_start_matches([' ', '\t']).len();
    let value_text = &after[lead..];
    let value_start = eq + 1 + lead;
    let (value, quoted, value_len) = match value_text.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner = &value_text[1..];
            match closing_quote(inner, q) {
                Some(close) => (inner[..close].to_owned(), true, close + 2),
                // An unclosed quote: the rest of the line is the value.
                None => (inner.to_owned(), true, value_text.len()),
            }
        }
        _ => {
            // A bare value ends at a ` #` comment; trailing blanks are not part of it.
            let end = value_text
                .find(" #")
                .or_else(|| value_text.find("\t#"))
                .unwrap_or(value_text.len());
            let v = value_text[..end].trim_end();
            (v.to_owned(), false, v.len())
        }
    };
    let end = if value_len == 0 {
        eq + 1
    } else {
        value_start + value_len
    };
    Some(DotEnvEntry {
        key: key.to_owned(),
        value,
        quoted,
        range: TextRange::new(at, at + end),
    })
}

/// The byte offset of the quote that closes a value opened by `quote`, skipping `\"` in double quotes.
fn closing_quote(inner: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' && quote == '"' {
            escaped = true;
            continue;
        }
        if c == quote {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<(String, String, &str)> {
        parse(text)
            .entries
            .into_iter()
            .map(|e| {
                let span = &text[e.range.start..e.range.end];
                (e.key, e.value, span)
            })
            .collect()
    }

    #[test]
    fn assignments_comments_and_quotes() {
        let text = "# comment\n\nSECRET_KEY=abc123\nexport  TOKEN = 'x y' # note\nURL=\"a\\\"b\"\nBARE=v # trailing\nEMPTY=\nnot a line\n";
        assert_eq!(
            entries(text),
            vec![
                ("SECRET_KEY".into(), "abc123".into(), "SECRET_KEY=abc123"),
                ("TOKEN".into(), "x y".into(), "TOKEN = 'x y'"),
                ("URL".into(), "a\\\"b".into(), "URL=\"a\\\"b\""),
                ("BARE".into(), "v".into(), "BARE=v"),
                ("EMPTY".into(), "".into(), "EMPTY="),
            ]
        );
    }

    #[test]
    fn crlf_bom_and_unclosed_quotes_never_panic() {
        let text = "\u{feff}A=1\r\nB=\"open\r\nC=é\r\n=x\n";
        assert_eq!(
            entries(text),
            vec![
                ("A".into(), "1".into(), "A=1"),
                ("B".into(), "open".into(), "B=\"open"),
                ("C".into(), "é".into(), "C=é"),
            ]
        );
    }

    #[test]
    fn values_are_never_serialized() {
        let facts = parse("PASSWORD=hunter22\n");
        let json = serde_json::to_string(&facts).unwrap_or_default();
        assert!(
            json.contains("PASSWORD") && !json.contains("hunter22"),
            "{json}"
        );
    }
}
