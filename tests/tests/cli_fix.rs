//! `shipready check --fix`, `--diff` and `--unsafe-fixes` on a copy of a fixture workspace: the diff writes
//! nothing, fixing changes exactly the bytes of the fixes' edits, the fixed files still parse, the gaps the fixes close are
//! gone, and a second run changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
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

/// Fix `root` through the JSON report alone: apply the safe replacements it carries, audit again, until no
/// safe fix is left. Returns the number of rounds.
fn fix_by_hand(root: &Path) -> usize {
    for round in 0..8 {
        let report = run(root, &["--format", "json"]).json();
        let mut files: Vec<String> = Vec::new();
        for f in report["findings"].as_array().into_iter().flatten() {
            if f["fix"]["applicability"] != "safe" || f["suppressed"].is_string() {
                continue;
            }
            for e in f["fix"]["edits"].as_array().into_iter().flatten() {
                let file = e["file"].as_str().unwrap_or("").to_owned();
                assert_eq!(e["op"], "replace", "safe fixes here only edit");
                if !files.contains(&file) {
                    files.push(file);
                }
            }
        }
        if files.is_empty() {
            return round;
        }
        for file in files {
            let path = root.join(&file);
            let old = std::fs::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
            let new = expected_bytes(&report, &file, &old).unwrap_or(old);
            std::fs::write(&path, new).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    }
    panic!("safe fixes do not converge");
}

/// What the safe fixes of a JSON report's unsuppressed findings do to `file`: its bytes with every distinct replacement applied (from
/// the end backwards, so earlier offsets stay valid), or `None` when no safe fix touches it.
fn expected_bytes(report: &Value, file: &str, original: &[u8]) -> Option<Vec<u8>> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for f in report["findings"].as_array().into_iter().flatten() {
        // A suppressed finding's fix is not applied, even when another fix edits the same file.
        if f["fix"]["applicability"] != "safe" || f["suppressed"].is_string() {
            continue;
        }
        for e in f["fix"]["edits"].as_array().into_iter().flatten() {
            if e["op"] == "replace" && e["file"] == file {
                let n = |v: &Value| v.as_u64().unwrap_or(0) as usize;
                let text = e["new_text"].as_str().unwrap_or("").to_owned();
                let edit = (n(&e["range"]["start"]), n(&e["range"]["end"]), text);
                if !edits.contains(&edit) {
                    edits.push(edit);
                }
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = original.to_vec();
    for (start, end, text) in edits.into_iter().rev() {
        out.splice(start..end, text.into_bytes());
    }
    Some(out)
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

    let by_hand = copy_of("fix-app");
    let rounds = fix_by_hand(by_hand.path());
    assert!(rounds >= 1, "fix-app has safe fixes");
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
        assert!(
            parses(&root.join(path)),
            "{} still parses:\n{text}",
            path.display()
        );
    }
    assert!(changed > 0, "something was fixed");
    // Byte for byte: every file is its old bytes with exactly the edits the JSON reports carry, nothing else.
    let bytes =
        |m: &BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)>| -> Vec<(PathBuf, Vec<u8>)> {
            m.iter().map(|(p, (b, _))| (p.clone(), b.clone())).collect()
        };
    assert_eq!(bytes(&after), bytes(&snapshot(by_hand.path())));
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
    // The suppressed gap is accepted, not fixed: the database gets no health check.
    let compose = std::fs::read_to_string(root.join("compose.yaml")).unwrap_or_default();
    // (the api service's health check is the image's HEALTHCHECK, which the Dockerfile fix adds).
    assert!(!compose.contains("healthcheck:"), "{compose}");
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

#[test]
fn a_byte_order_mark_and_the_file_mode_are_kept() {
    let plain = copy_of("fix-app");
    run(plain.path(), &["--fix"]);
    let with_bom = copy_of("fix-app");
    let main = with_bom.path().join("app/main.py");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(&main).unwrap_or_default());
    std::fs::write(&main, bytes).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o640);
        std::fs::set_permissions(&main, mode).unwrap_or_else(|e| panic!("{e}"));
    }
    let fix = run(with_bom.path(), &["--fix"]);
    assert_eq!(fix.code, Some(0), "{fix:#?}");
    let fixed = std::fs::read(&main).unwrap_or_default();
    let expected = std::fs::read(plain.path().join("app/main.py")).unwrap_or_default();
    assert_eq!(
        fixed.strip_prefix(b"\xEF\xBB\xBF"),
        Some(expected.as_slice())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&main).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o640));
    }
}

/// Every rule's failing fixture and every pattern workspace: all fixes (unsafe too) converge in one `--fix`
/// (the diff after it is empty) and every file that parsed before still parses.
#[test]
fn every_fixture_converges_under_fix_and_still_parses() {
    let mut workspaces: Vec<PathBuf> = Vec::new();
    for (folder, inner) in [("rules", Some("fail")), ("patterns", None)] {
        let entries = std::fs::read_dir(fixture(folder)).unwrap_or_else(|e| panic!("{e}"));
        for entry in entries.flatten() {
            let path = match inner {
                Some(inner) => entry.path().join(inner),
                None => entry.path(),
            };
            if path.is_dir() {
                workspaces.push(path);
            }
        }
    }
    workspaces.sort();
    assert!(workspaces.len() > 40, "{workspaces:?}");
    for dir in workspaces {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        copy_dir(&dir, temp.path());
        let parsed_before: Vec<PathBuf> = snapshot(temp.path())
            .into_keys()
            .filter(|p| parses(&temp.path().join(p)))
            .collect();
        let fix = run(temp.path(), &["--fix", "--unsafe-fixes"]);
        assert_eq!(fix.code, Some(0), "{}: {fix:#?}", dir.display());
        let diff = run(temp.path(), &["--diff", "--unsafe-fixes"]);
        assert_eq!(
            (diff.code, diff.stdout.as_str()),
            (Some(0), ""),
            "{}: converged",
            dir.display()
        );
        for p in parsed_before {
            assert!(
                parses(&temp.path().join(&p)),
                "{}: {}",
                dir.display(),
                p.display()
            );
        }
    }
}
