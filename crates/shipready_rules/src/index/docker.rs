//! The containers of the workspace: Dockerfiles and compose files, the main Dockerfile, and the commands the
//! deployment starts (which name the main application).

use shipready_syntax::compose::ComposeFacts;
use shipready_syntax::dockerfile::{DockerfileFacts, Stage};
use shipready_syntax::{FileFacts, FileKind};

use crate::Workspace;

#[derive(Clone, Debug, Default)]
pub struct DockerIndex {
    /// Dockerfile paths, in path order.
    pub dockerfiles: Vec<String>,
    /// Compose file paths, in path order.
    pub compose_files: Vec<String>,
    /// The Dockerfile at the workspace root, else the shallowest one.
    pub main_dockerfile: Option<String>,
    /// `(folder of the file that names it, module:var)` for every app a start command names, most authoritative
    /// first: Dockerfile CMD/ENTRYPOINT, compose `command`, then runners in Python code.
    pub starts: Vec<(String, String)>,
}

pub fn dockerfile(facts: &FileFacts) -> Option<&DockerfileFacts> {
    match facts {
        FileFacts::Dockerfile(d) => Some(d),
        _ => None,
    }
}

pub fn compose(facts: &FileFacts) -> Option<&ComposeFacts> {
    match facts {
        FileFacts::Compose(c) => Some(c),
        _ => None,
    }
}

/// The stage that becomes the image: the last one.
pub fn final_stage(d: &DockerfileFacts) -> Option<&Stage> {
    d.stages.last()
}

pub fn build(ws: &Workspace) -> DockerIndex {
    let mut index = DockerIndex {
        dockerfiles: ws
            .of_kind(FileKind::Dockerfile)
            .map(|f| f.path.clone())
            .collect(),
        compose_files: ws
            .of_kind(FileKind::Compose)
            .map(|f| f.path.clone())
            .collect(),
        ..DockerIndex::default()
    };
    index.main_dockerfile = index
        .dockerfiles
        .iter()
        .min_by_key(|p| (p.matches('/').count(), p.len(), p.to_string()))
        .cloned();
    for file in ws.of_kind(FileKind::Dockerfile) {
        let Some(stage) = dockerfile(&file.facts).and_then(final_stage) else {
            continue;
        };
        let mut args: Vec<&str> = Vec::new();
        for cmd in [&stage.entrypoint, &stage.cmd].into_iter().flatten() {
            args.extend(cmd.args.iter().map(String::as_str));
        }
        for target in targets_in(&args.join(" ")) {
            index.starts.push((file.dir().to_owned(), target));
        }
    }
    for file in ws.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            let Some(command) = &service.command else {
                continue;
            };
            let dir = service
                .build
                .as_ref()
                .map(|b| join_dir(file.dir(), &b.context))
                .unwrap_or_default();
            for target in targets_in(&command.value) {
                index.starts.push((dir.clone(), target));
            }
        }
    }
    for file in ws.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        for runner in &py.web.runners {
            let target = if runner.target.contains(':') {
                runner.target.clone()
            } else {
                let stem = file.name().trim_end_matches(".py");
                format!("{stem}:{}", runner.target)
            };
            index.starts.push((file.dir().to_owned(), target));
        }
    }
    index
}

/// `module:var` targets in a server command line (`uvicorn app.main:app`, `gunicorn "app:create_app()"`,
/// `flask --app api run`). Host:port pairs are not targets.
pub fn targets_in(command: &str) -> Vec<String> {
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', ',', '[', ']']))
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if let Some((module, var)) = w.split_once(':') {
            let ident = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            };
            let var_core = var.trim_end_matches("()");
            let is_target = ident(module)
                && ident(var_core)
                && !module.chars().all(|c| c.is_ascii_digit() || c == '.')
                && !var_core.chars().all(|c| c.is_ascii_digit());
            if is_target {
                out.push(format!("{module}:{var}"));
            }
        } else if (*w == "--app" || *w == "-A") && words.get(i + 1).is_some() {
            let next = words[i + 1];
            if !next.contains(':') {
                out.push(format!("{next}:app"));
            }
        } else if let Some(app) = w.strip_prefix("--app=") {
            out.push(if app.contains(':') {
                app.to_owned()
            } else {
                format!("{app}:app")
            });
        }
    }
    out
}

/// A compose build context relative to the compose file's folder, as a workspace path.
pub fn join_dir(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if base.is_empty() {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_targets() {
        assert_eq!(
            targets_in("uvicorn app.main:app --host 0.0.0.0 --port 8000"),
            ["app.main:app"]
        );
        assert_eq!(
            targets_in("gunicorn -b 0.0.0.0:8000 \"app:create_app()\""),
            ["app:create_app()"]
        );
        assert_eq!(targets_in("flask --app api run"), ["api:app"]);
        assert!(targets_in("python manage.py runserver 0.0.0.0:8000").is_empty());
    }

    #[test]
    fn build_context_paths() {
        assert_eq!(join_dir("deploy", "../backend"), "backend");
        assert_eq!(join_dir("", "./api"), "api");
        assert_eq!(join_dir("", "."), "");
    }
}
