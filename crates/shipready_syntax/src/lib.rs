//! Parsers that turn the files a deployment depends on into typed, per-file facts with exact byte ranges.
//!
//! Every parser here is total: it never fails and never panics on any input. Syntax errors are recorded in the
//! facts (`errors`) and whatever could be understood is still returned, because a half-typed file in an editor
//! is the normal case, not the exception. No module does IO.

pub mod budget;
pub mod cdk_json;
pub mod compose;
pub mod dockerfile;
pub mod dotenv;
mod facts;
pub mod file_kind;
pub mod markdown;
mod point;
pub mod python;
pub mod requirements;
pub mod scripts;
mod spanned;
#[cfg(test)]
mod test_fixtures;
pub mod workflow;

pub use facts::{parse_file, FileFacts};
pub use file_kind::FileKind;
pub use spanned::{Spanned, SyntaxError};
