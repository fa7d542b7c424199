//! Fuzz target: the Dockerfile front never panics, every syntax error it reports lies inside the text, and a
//! parse started from an earlier version's tree (as an editor buffer parses) gives the facts of a fresh parse.
//! The input's last byte, when it is past the text, chooses where the earlier version ends: the input's prefix
//! up to there is parsed first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipready_syntax::dockerfile::{parse, reparse};
use shipready_syntax::{parse_file, FileKind};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = parse_file(FileKind::Dockerfile, "Dockerfile", &text);
    for error in facts.errors() {
        assert!(error.range.start <= error.range.end && error.range.end <= text.len());
    }
    // An earlier version: the text with a stretch from its middle left out (a deletion undone is the edit).
    let Some(&last) = data.last() else {
        return;
    };
    let cut = usize::from(last) * text.len() / 256;
    let mut earlier = text.to_string();
    let mut start = cut.min(earlier.len());
    while !earlier.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + 1 + usize::from(last % 7)).min(earlier.len());
    while !earlier.is_char_boundary(end) {
        end += 1;
    }
    earlier.replace_range(start..end, "");
    let (_, tree) = reparse(&earlier, None);
    let (again, _) = reparse(&text, tree.as_ref());
    assert_eq!(again, parse(&text));
});
