//! `shipready check --fix`, `--diff` and `--unsafe-fixes` on a copy of a fixture workspace: the diff writes
//! nothing, fixing changes only the edits' bytes, the fixed files still parse, the gaps the fixes close are
//! gone, and a second run changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use shipready_e2e::cli::{fixture, shipready, Run};

/// A copy of `tests/fixtures/<name>` in a temporary folder (fixtures are never written).
fn copy_of(name: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&fixture(name), temp.path());
    temp
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Every file under `root` with its bytes and modification time.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{e}"));
                let modified = meta.modified().unwrap_or_else(|e| panic!("{e}"));
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                out.insert(
                    path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
                    (bytes, modified),
                );
            }
        }
    }
    out
}

fn run(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check".to_owned(), root.to_string_lossy().into_owned()];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    shipready(&args)
}

fn codes(root: &Path) -> Vec<String> {
    run(root, &["--format", "json"]).json()["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str().map(str::to_owned))
        .collect()
}

/// `original` survives in `fixed` byte for byte, in order, with only insertions between its pieces: the
/// common prefix and suffix of each inserted stretch are found by walking both texts.
fn only_insertions(original: &str, fixed: &str) -> bool {
    // Greedy line alignment is enough for fixes that insert whole lines (every fix here does).
    let fixed_lines: Vec<&str> = fixed.split_inclusive('\n').collect();
    let mut at = 0;
    for line in original.split_inclusive('\n') {
        match fixed_lines[at..].iter().position(|l| *l == line) {
            Some(i) => at += i + 1,
            None => return false,
        }
    }
    true
}

/// The file parses without errors with the tree-sitter grammar of its kind.
fn parses(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let language: tree_sitter::Language = if name.ends_with(".py") {
        tree_sitter_python::LANGUAGE.into()
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        tree_sitter_yaml::LANGUAGE.into()
    } else if name.starts_with("Dockerfile") {
        tree_sitter_containerfile::LANGUAGE.into()
    } else {
        return true;
    };
    let mut parser = tree_sitter::Parser::new();
    if parser.set_language(&language).is_err() {
        return false;
    }
    parser
        .parse(&text, None)
        .is_some_and(|t| !t.root_node().has_error())
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let temp = copy_of("fix-app");
    let before = snapshot(temp.path());
    let diff = run(temp.path(), &["--diff"]);
    assert_eq!(
        diff.code,
        Some(1),
        "exit 1: there is something to fix\n{diff:#?}"
    );
    assert!(
        diff.stdout
            .contains("--- a/app/main.py\n+++ b/app/main.py\n@@ "),
        "{}",
        diff.stdout
    );
    assert!(diff
        .stdout
        .lines()
        .any(|l| l.starts_with('+') && l.contains("/health")));
    assert!(
        diff.stdout
            .lines()
            .all(|l| !l.starts_with('-') || l.starts_with("---")),
        "safe fixes only add"
    );
    assert_eq!(snapshot(temp.path()), before, "--diff writes nothing");
    // What --diff shows is what --fix does: after fixing, the diff is empty.
    let fix = run(temp.path(), &["--fix"]);
    assert_eq!(fix.code, Some(0), "{fix:#?}");
    let after = run(temp.path(), &["--diff"]);
    assert_eq!(
        (after.code, after.stdout.as_str()),
        (Some(0), ""),
        "{after:#?}"
    );
}

#[test]
fn fix_applies_safe_fixes_only_inserting_and_a_second_run_changes_nothing() {
    let temp = copy_of("fix-app");
    let root = temp.path();
    let before = snapshot(root);
    let gaps_before = codes(root);
    assert!(gaps_before.iter().any(|c| c == "HC001"), "{gaps_before:?}");

    let fix = run(root, &["--fix", "--format", "json"]);
    assert_eq!(fix.code, Some(0), "{fix:#?}");
    assert!(fix.stderr.contains("shipready: applied "), "{}", fix.stderr);
    let report = fix.json();
    let after = snapshot(root);
    let mut changed = 0;
    for (path, (bytes, _)) in &after {
        let original = before.get(path);
        if original.map(|o| &o.0) == Some(bytes) {
            continue;
        }
        changed += 1;
        let text = String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("{e}"));
        if let Some((old, _)) = original {
            let old = String::from_utf8_lossy(old);
            assert!(
                only_insertions(&old, &text),
                "{}: only insertions\n{text}",
                path.display()
            );
        }
        assert!(
            parses(&root.join(path)),
            "{} still parses:\n{text}",
            path.display()
        );
    }
    assert!(changed > 0, "something was fixed");
    // Files the fixes do not touch keep their bytes and their modification time.
    for (path, (bytes, modified)) in &before {
        if after.get(path).map(|a| &a.0) == Some(bytes) {
            assert_eq!(
                after.get(path).map(|a| a.1),
                Some(*modified),
                "{} untouched",
                path.display()
            );
        }
    }
    // The report printed is of the fixed workspace: the health route is there.
    let gaps: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(!gaps.contains(&"HC001"), "{gaps:?}");
    // No temporary files are left behind.
    assert!(
        after
            .keys()
            .all(|p| !p.to_string_lossy().contains(".shipready-")),
        "{:?}",
        after.keys()
    );

    let second = run(root, &["--fix"]);
    assert_eq!(second.code, Some(0), "{second:#?}");
    assert!(
        second.stderr.contains("applied 0 fixes to 0 files"),
        "{}",
        second.stderr
    );
    assert_eq!(snapshot(root), after, "a second run changes nothing");
}

#[test]
fn unsafe_fixes_apply_the_rest_and_converge() {
    let temp = copy_of("fix-app");
    let root = temp.path();
    let safe = copy_of("fix-app");
    run(safe.path(), &["--fix"]);
    let fix = run(root, &["--fix", "--unsafe-fixes"]);
    assert_eq!(fix.code, Some(0), "{fix:#?}");
    let with_unsafe = codes(root);
    let safe_only = codes(safe.path());
    assert!(
        with_unsafe.len() < safe_only.len(),
        "unsafe fixes close more gaps: {with_unsafe:?} vs {safe_only:?}"
    );
    for path in snapshot(root).keys() {
        assert!(parses(&root.join(path)), "{}", path.display());
    }
    let after = snapshot(root);
    let second = run(root, &["--fix", "--unsafe-fixes"]);
    assert_eq!(second.code, Some(0), "{second:#?}");
    assert_eq!(snapshot(root), after, "a second run changes nothing");
    let diff = run(root, &["--diff", "--unsafe-fixes"]);
    assert_eq!((diff.code, diff.stdout.as_str()), (Some(0), ""));
}

#[test]
fn fix_and_diff_do_not_go_together_and_nothing_to_fix_is_quiet() {
    let temp = copy_of("fix-app");
    let both = run(temp.path(), &["--fix", "--diff"]);
    assert_eq!(both.code, Some(2), "{both:#?}");
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let diff = run(empty.path(), &["--diff"]);
    assert_eq!(
        (diff.code, diff.stdout.as_str()),
        (Some(0), ""),
        "{diff:#?}"
    );
}
