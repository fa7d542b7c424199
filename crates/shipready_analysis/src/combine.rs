//! Combining fixes into one edit, for the editor's `source.fixAll.shipready` and `shipready check --fix`: each
//! distinct edit once, and no two edits that would fight over the same text.

use shipready_rules::{Applicability, Edit, Fix};
use shipready_text::TextRange;

/// The fixes that can be applied together, as one fix. Fixes are taken in order; a fix is left out when one of
/// its edits overlaps an edit already taken, unless the two are identical: findings that share a fix (HC001 and
/// HC003 both add the health route), or fixes that share an edit, apply it once. Replacements overlap when
/// they share a byte or when one inserts strictly inside the other's range; insertions at the same point do
/// not overlap (LSP applies them in order). Two different creations of one file overlap, as does a creation
/// with any edit of the same file.
pub fn combine(title: &str, fixes: &[&Fix]) -> Fix {
    let mut edits: Vec<Edit> = Vec::new();
    for fix in fixes {
        let fresh: Vec<&Edit> = fix.edits.iter().filter(|e| !edits.contains(e)).collect();
        let clashes = fresh
            .iter()
            .any(|e| edits.iter().any(|taken| overlap(e, taken)));
        if !clashes {
            edits.extend(fresh.into_iter().cloned());
        }
    }
    Fix {
        title: title.to_owned(),
        applicability: Applicability::Safe,
        edits,
    }
}

fn overlap(a: &Edit, b: &Edit) -> bool {
    match (a, b) {
        (
            Edit::Replace {
                file: f, range: r, ..
            },
            Edit::Replace {
                file: g, range: s, ..
            },
        ) => f == g && ranges_overlap(*r, *s),
        (Edit::Create { file: f, .. }, other) | (other, Edit::Create { file: f, .. }) => {
            f == file(other)
        }
    }
}

fn file(edit: &Edit) -> &str {
    match edit {
        Edit::Replace { file, .. } | Edit::Create { file, .. } => file,
    }
}

fn ranges_overlap(r: TextRange, s: TextRange) -> bool {
    let shared = r.start < s.end && s.start < r.end;
    let inside = |point: usize, range: TextRange| range.start < point && point < range.end;
    shared || (r.start == r.end && inside(r.start, s)) || (s.start == s.end && inside(s.start, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(start: usize, end: usize, text: &str) -> Edit {
        Edit::Replace {
            file: "app/main.py".to_owned(),
            range: TextRange::new(start, end),
            new_text: text.to_owned(),
        }
    }

    fn fix(title: &str, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.to_owned(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    #[test]
    fn identical_fixes_and_shared_edits_apply_once() {
        let health = fix("health", vec![replace(76, 76, "@app.get")]);
        let again = health.clone();
        let sharing = fix(
            "ready",
            vec![replace(0, 0, "import x\n"), replace(76, 76, "@app.get")],
        );
        let also = fix(
            "other",
            vec![replace(0, 0, "import x\n"), replace(90, 90, "y")],
        );
        let all = combine("all", &[&health, &again, &sharing, &also]);
        assert_eq!(
            all.edits,
            vec![
                replace(76, 76, "@app.get"),
                replace(0, 0, "import x\n"),
                replace(90, 90, "y")
            ]
        );
    }

    #[test]
    fn a_fix_overlapping_a_taken_one_is_left_out_whole() {
        let first = fix("first", vec![replace(10, 20, "a")]);
        let overlapping = fix("second", vec![replace(40, 40, "b"), replace(15, 25, "c")]);
        let inserting_inside = fix("third", vec![replace(12, 12, "d")]);
        let at_the_edges = fix("fourth", vec![replace(10, 10, "e"), replace(20, 20, "f")]);
        let all = combine(
            "all",
            &[&first, &overlapping, &inserting_inside, &at_the_edges],
        );
        assert_eq!(
            all.edits,
            vec![
                replace(10, 20, "a"),
                replace(10, 10, "e"),
                replace(20, 20, "f")
            ]
        );
    }

    #[test]
    fn a_file_is_created_by_one_fix_only() {
        let create = |contents: &str| Edit::Create {
            file: "scripts/rollback.sh".to_owned(),
            contents: contents.to_owned(),
        };
        let a = fix("a", vec![create("one")]);
        let b = fix("b", vec![create("two")]);
        let same = fix("c", vec![create("one")]);
        assert_eq!(combine("all", &[&a, &b, &same]).edits, vec![create("one")]);
    }
}
