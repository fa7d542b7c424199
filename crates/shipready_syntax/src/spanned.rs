//! Small shared fact types: a value with its byte range, and a recorded syntax error.

use serde::Serialize;
use shipready_text::TextRange;

/// A value together with the exact byte range of the source text it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Self { value, range }
    }
}

/// A syntax error found while parsing; parsing goes on after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}
