//! Differential test of [`reparse`](super::reparse): edits typed into every Dockerfile of the repository's
//! fixtures, each version parsed from the previous one's tree, must give the facts of a fresh [`parse`].

use std::path::{Path, PathBuf};

use super::*;

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            dockerfiles(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("Dockerfile") || n.ends_with(".Dockerfile"))
        {
            out.push(path);
        }
    }
}

/// Typed pieces: words, a half instruction, line continuations, heredoc markers, a parser directive, quotes.
const TYPED: &[&str] = &[
    "x",
    "\n",
    "RUN ",
    "FROM",
    " \\\n",
    "<<EOF\n",
    "EOF\n",
    "# escape=`\n",
    "\"",
    "[",
    "é",
    "HEALTHCHECK ",
    "",
];

#[test]
fn a_parse_started_from_the_last_tree_equals_a_fresh_parse() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files = Vec::new();
    dockerfiles(&fixtures, &mut files);
    assert!(files.len() > 50, "{} Dockerfiles", files.len());
    let (mut steps, mut reused) = (0, 0);
    for path in &files {
        let Ok(mut text) = std::fs::read_to_string(path) else {
            continue;
        };
        let (_, mut last) = reparse(&text, None);
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64 ^ text.len() as u64;
        for _ in 0..16 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let mut at = (rng as usize >> 3) % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + (rng as usize >> 20) % 6).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let typed = TYPED[(rng >> 40) as usize % TYPED.len()];
            text.replace_range(at..end, typed);
            reused += usize::from(last.is_some());
            let (facts, next) = reparse(&text, last.as_ref());
            assert_eq!(facts, parse(&text), "{}: {text:?}", path.display());
            last = next;
            steps += 1;
        }
    }
    assert!(
        steps > 800 && reused * 10 > steps * 9,
        "{reused} of {steps}"
    );
}
