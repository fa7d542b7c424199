//! Resolves Python module paths (`app.routers.users`, `.users`) to workspace files, the way an import would
//! find them from a source root anywhere in the workspace (`src/`, `backend/`, the repository root).

use crate::Workspace;
use shipready_syntax::FileKind;

/// The workspace file a module path names, seen from the file `from` (for relative imports).
pub fn resolve<'w>(ws: &'w Workspace, from: &str, module: &str, level: usize) -> Option<&'w str> {
    let rel = module.replace('.', "/");
    if level > 0 {
        // `from .x import y` is relative to the importing file's package; each extra dot goes one folder up.
        let mut dir: Vec<&str> = from.split('/').collect();
        dir.pop();
        for _ in 1..level {
            dir.pop()?;
        }
        let base = dir.join("/");
        let join = |tail: &str| {
            if base.is_empty() {
                tail.to_owned()
            } else {
                format!("{base}/{tail}")
            }
        };
        return candidates(&rel).find_map(|c| exact(ws, &join(&c)));
    }
    // Absolute imports resolve against a source root. Prefer a root that holds the importer (Python puts
    // the script's folder and its package roots on the path), then the match closest to the importer; a
    // module and a package of the same name in unrelated folders (`admin/app.py` against `app/__init__.py`
    // for `from app import x` in `microblog.py`) are told apart by that, not by which form is tried first.
    let importer_dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let mut best: Option<(bool, usize, &str)> = None;
    for cand in candidates(&rel) {
        // Built once per candidate, not once per Python file: rules resolve modules on every audit.
        let suffix = format!("/{cand}");
        for file in ws.of_kind(FileKind::Python) {
            let root = if file.path == cand {
                Some("")
            } else {
                file.path.strip_suffix(suffix.as_str())
            };
            let Some(root) = root else { continue };
            let holds_importer = root.is_empty()
                || importer_dir
                    .strip_prefix(root)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
            let key = (holds_importer, shared_prefix(&file.path, from));
            if best.is_none_or(|(h, p, _)| key > (h, p)) {
                best = Some((key.0, key.1, file.path.as_str()));
            }
        }
    }
    best.map(|(_, _, path)| path)
}

/// `pkg/mod.py` then `pkg/mod/__init__.py`; an empty module (`from . import x`) is the package's `__init__.py`.
fn candidates(rel: &str) -> impl Iterator<Item = String> + '_ {
    let list = if rel.is_empty() {
        vec!["__init__.py".to_owned()]
    } else {
        vec![format!("{rel}.py"), format!("{rel}/__init__.py")]
    };
    list.into_iter()
}

fn exact<'w>(ws: &'w Workspace, path: &str) -> Option<&'w str> {
    ws.file(path).map(|f| f.path.as_str())
}

fn shared_prefix(a: &str, b: &str) -> usize {
    a.split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y)
        .count()
}

/// Whether a module path names a folder or file that exists in the workspace (any file kind, or a folder
/// that holds files), used to tell a local import from a third-party one.
pub fn exists_locally(ws: &Workspace, from: &str, module: &str, level: usize) -> bool {
    if resolve(ws, from, module, level).is_some() {
        return true;
    }
    let rel = module.replace('.', "/");
    let dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let prefix = if dir.is_empty() {
        format!("{rel}/")
    } else {
        format!("{dir}/{rel}/")
    };
    ws.files().iter().any(|f| f.path.starts_with(&prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(paths: &[&str]) -> Workspace {
        Workspace::from_texts(paths.iter().map(|p| (*p, "")))
    }

    #[test]
    fn absolute_from_any_source_root() {
        let w = ws(&[
            "backend/app/main.py",
            "backend/app/routers/users.py",
            "backend/app/routers/__init__.py",
        ]);
        assert_eq!(
            resolve(&w, "backend/app/main.py", "app.routers.users", 0),
            Some("backend/app/routers/users.py")
        );
        assert_eq!(
            resolve(&w, "backend/app/main.py", "app.routers", 0),
            Some("backend/app/routers/__init__.py")
        );
        assert_eq!(resolve(&w, "backend/app/main.py", "fastapi", 0), None);
    }

    #[test]
    fn relative_imports() {
        let w = ws(&["app/main.py", "app/api/users.py", "app/db.py"]);
        assert_eq!(resolve(&w, "app/api/users.py", "db", 2), Some("app/db.py"));
        assert_eq!(
            resolve(&w, "app/main.py", "api.users", 1),
            Some("app/api/users.py")
        );
        assert_eq!(resolve(&w, "main.py", "x", 3), None);
    }

    #[test]
    fn prefers_a_root_that_holds_the_importer() {
        let w = ws(&["microblog.py", "app/__init__.py", "admin/app.py"]);
        assert_eq!(
            resolve(&w, "microblog.py", "app", 0),
            Some("app/__init__.py")
        );
        let w = ws(&["tools/run.py", "tools/app.py", "src/app/__init__.py"]);
        assert_eq!(resolve(&w, "tools/run.py", "app", 0), Some("tools/app.py"));
    }

    #[test]
    fn prefers_the_nearest_match() {
        let w = ws(&[
            "svc_a/app/main.py",
            "svc_a/app/users.py",
            "svc_b/app/users.py",
        ]);
        assert_eq!(
            resolve(&w, "svc_a/app/main.py", "app.users", 0),
            Some("svc_a/app/users.py")
        );
    }
}
