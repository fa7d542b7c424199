//! Every fix the audit offers on the repository's fixture workspaces (`tests/fixtures`), applied one at a
//! time through the fix harness: each closes its gap, only inserts or deletes, and leaves the files parsing.

use std::path::Path;

use super::tests::{apply, audit_files, check_fix, Files};

/// Every file under `dir` that shipready classifies, keyed by its `/`-separated relative path.
fn load(dir: &Path, root: &Path, out: &mut Files) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            load(&path, root, out);
        } else if let (Ok(rel), Ok(text)) =
            (path.strip_prefix(root), std::fs::read_to_string(&path))
        {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if crate::Workspace::from_texts([(rel.as_str(), "")])
                .files()
                .len()
                == 1
            {
                out.insert(rel, text);
            }
        }
    }
}

/// Every fixture workspace of the repository (`tests/fixtures`): its name and classified files.
pub(crate) fn workspaces() -> Vec<(String, Files)> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut roots = vec![fixtures.join("seed-example"), fixtures.join("lsp-basic")];
    if let Ok(rules) = std::fs::read_dir(fixtures.join("rules")) {
        for rule in rules.flatten() {
            roots.push(rule.path().join("fail"));
            roots.push(rule.path().join("pass"));
        }
    }
    roots.sort();
    roots
        .into_iter()
        .map(|root| {
            let mut files = Files::new();
            load(&root, &root, &mut files);
            (root.display().to_string(), files)
        })
        .filter(|(_, files)| !files.is_empty())
        .collect()
}

#[test]
fn every_fix_on_the_fixture_workspaces_closes_its_gap() {
    let mut applied = 0;
    for (name, files) in workspaces() {
        let audit = audit_files(&files);
        for finding in audit.findings.iter().filter(|f| f.fix.is_some()) {
            let title = finding
                .fix
                .as_ref()
                .map(|f| f.title.clone())
                .unwrap_or_default();
            if title.contains("no dependencies found") {
                // The plain readiness route checks nothing, so it cannot close HC004; it is offered once.
                let fixed = apply(&files, finding.fix.as_ref().expect("filtered"));
                let again = audit_files(&fixed);
                assert!(
                    !again
                        .findings
                        .iter()
                        .any(|f| f.code == "HC004" && f.fix.is_some()),
                    "{name}: plain readiness offered twice"
                );
                continue;
            }
            let message = finding.message.clone();
            let result = std::panic::catch_unwind(|| {
                check_fix(&files, finding.code, |f| {
                    f.message == message && f.fix.is_some()
                });
            });
            assert!(
                result.is_ok(),
                "{name}: {} fix `{title}` failed",
                finding.code
            );
            applied += 1;
        }
    }
    assert!(applied >= 20, "only {applied} fixes exercised");
}
