//! The spanned YAML value model: mappings with ordered keys, sequences and scalars, each with its source range,
//! quoting style and tag. Built by [`super::yaml`]; read by [`super::service`].

use shipready_text::TextRange;

#[derive(Clone, Debug)]
pub(crate) struct Value {
    /// The written value, without its anchor and tag; empty for a missing value.
    pub range: TextRange,
    pub tag: Option<String>,
    pub kind: Kind,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// No value at all (`key:` with nothing after it).
    Missing,
    Scalar(Scalar),
    Map(Vec<Entry>),
    Seq(Vec<Value>),
}

#[derive(Clone, Debug)]
pub(crate) struct Scalar {
    /// The decoded value.
    pub text: String,
    pub style: Style,
    /// The value's text: inside the quotes for quoted scalars, the whole node otherwise.
    pub content: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Block,
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub key: Value,
    pub value: Value,
    /// The whole pair, key through value.
    pub range: TextRange,
}

impl Value {
    pub fn missing(at: usize) -> Value {
        Value {
            range: TextRange::empty(at),
            tag: None,
            kind: Kind::Missing,
        }
    }

    /// The decoded text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The decoded text of a scalar together with the range of its text.
    pub fn scalar(&self) -> Option<(&str, TextRange)> {
        match &self.kind {
            Kind::Scalar(s) => Some((&s.text, s.content)),
            _ => None,
        }
    }

    /// An unquoted, untagged scalar, whose meaning depends on its text (`no`, `null`, `8080`).
    pub fn plain(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) if s.style == Style::Plain && self.tag.is_none() => Some(&s.text),
            _ => None,
        }
    }

    /// A missing value or a plain `null`/`~`.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Missing)
            || matches!(self.plain(), Some("" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Value] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entry for `key`; with duplicate keys the last one wins, as most YAML loaders do.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()
            .iter()
            .rev()
            .find(|e| e.key.as_str() == Some(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|e| &e.value)
    }

    /// How many value nodes a copy of this value holds, for the expansion budget.
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            Kind::Map(entries) => entries.iter().map(|e| e.key.size() + e.value.size()).sum(),
            Kind::Seq(items) => items.iter().map(Value::size).sum(),
            _ => 0,
        }
    }
}
