//! Differential test of [`reparse`](super::reparse): edits typed into every Dockerfile of the repository's
//! fixtures, each version parsed from the previous one's tree, must give the facts of a fresh [`parse`].

use super::*;

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
    let files =
        crate::test_fixtures::files(|n| n.starts_with("Dockerfile") || n.ends_with(".Dockerfile"));
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

/// The parse of an edited text reuses what the edit did not touch: with this grammar the tokens (its
/// instruction nodes are rebuilt around them), which keep their node ids; a fresh parse never does.
#[test]
fn an_edit_at_the_end_keeps_the_earlier_tokens() {
    let text =
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n";
    // The id of the image name's node (`python`, bytes 5..11).
    let image_id = |last: &Option<LastParse>| {
        last.as_ref()
            .and_then(|l| l.tree().root_node().descendant_for_byte_range(5, 6))
            .map(|n| (n.kind(), n.id()))
    };
    let (_, last) = reparse(text, None);
    let edited = format!("{text}CMD [\"python\", \"app.py\"]\n");
    let (facts, next) = reparse(&edited, last.as_ref());
    assert_eq!(facts, parse(&edited));
    assert!(image_id(&last).is_some_and(|(kind, _)| kind == "image_name"));
    assert_eq!(image_id(&next), image_id(&last));
    let (_, fresh) = reparse(&edited, None);
    assert_ne!(image_id(&fresh), image_id(&last));
}

/// Typing inside the comment lines of every fixture Dockerfile (with a comment put between each pair of lines,
/// so that comments sit at the top, between instructions, inside heredocs and between continued lines): the
/// facts equal a fresh parse's, and the comments between instructions are not parsed again.
#[test]
fn typing_in_comments_moves_the_facts_a_fresh_parse_gives() {
    let files =
        crate::test_fixtures::files(|n| n.starts_with("Dockerfile") || n.ends_with(".Dockerfile"));
    let (mut steps, mut kept) = (0, 0);
    for path in &files {
        let Ok(original) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut text = String::new();
        for line in original.split_inclusive('\n') {
            text.push_str(line);
            if !line.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("# note\n");
        }
        let (_, mut last) = reparse(&text, None);
        let comments: Vec<usize> = text.match_indices("# note\n").map(|(i, _)| i + 6).collect();
        // Typed at the end of each comment, from the last one up so that earlier offsets stay put, then
        // deleted again; a suppression and a directive's `=` are typed too (parsed: the rules read them).
        for &at in comments.iter().rev().take(40) {
            for typed in ["x", "é", "=", ""] {
                let mut edited = text.clone();
                edited.insert_str(at, typed);
                let (facts, next) = reparse(&edited, last.as_ref());
                assert_eq!(facts, parse(&edited), "{}: {edited:?}", path.display());
                if let (Some(a), Some(b)) = (&last, &next) {
                    kept += usize::from(a.same(b));
                }
                last = next;
                steps += 1;
            }
        }
    }
    assert!(steps > 2_000 && kept * 5 > steps * 2, "{kept} of {steps}");
}
