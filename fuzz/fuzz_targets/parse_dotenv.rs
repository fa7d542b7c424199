//! Fuzz target: the dotenv (.env files) front never panics, and every syntax error it reports lies inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipready_syntax::{parse_file, FileKind};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = parse_file(FileKind::DotEnv, ".env", &text);
    for error in facts.errors() {
        assert!(error.range.start <= error.range.end && error.range.end <= text.len());
    }
});
