//! The containers of the workspace: Dockerfiles and compose files, the main Dockerfile, and the commands the
//! deployment starts (which name the main application).

use shipready_syntax::compose::ComposeFacts;
use shipready_syntax::dockerfile::{DockerfileFacts, Stage};
use shipready_syntax::{FileFacts, FileKind};

use crate::Workspace;

mod build_paths;
mod stages;

pub use build_paths::{resolve, resolve_dir, BuildPaths};
pub use stages::{chain, command, command_line, copied_stage, healthcheck, is_multi_stage};

/// A compose service that builds an image from the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceBuild {
    /// The compose file that declares the build.
    pub compose: String,
    pub service: String,
    pub paths: BuildPaths,
    /// `build.target`: the stage built instead of the last one.
    pub target: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
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
    /// Every compose service whose build resolves inside the workspace, in compose file order.
    pub builds: Vec<ServiceBuild>,
}

impl DockerIndex {
    /// The build context of a Dockerfile: the first compose build that reads it, else its own folder.
    pub fn context_of<'a>(&'a self, dockerfile: &'a str) -> &'a str {
        self.builds
            .iter()
            .find(|b| b.paths.dockerfile == dockerfile)
            .map(|b| b.paths.context.as_str())
            .unwrap_or_else(|| dockerfile.rsplit_once('/').map_or("", |(d, _)| d))
    }
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

/// The stage a build produces: the one named by `target` (compose `build.target`, matched against `AS` names
/// case-insensitively, as Docker does), else the last one. A target no stage is named is no stage: Docker would
/// refuse that build, so nothing about its image is known.
pub fn built_stage<'a>(d: &'a DockerfileFacts, target: Option<&str>) -> Option<&'a Stage> {
    let Some(target) = target else {
        return final_stage(d);
    };
    d.stages.iter().find(|s| {
        s.alias
            .as_ref()
            .is_some_and(|a| a.value.eq_ignore_ascii_case(target))
    })
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
    let mut starts = Vec::new();
    index.main_dockerfile = index
        .dockerfiles
        .iter()
        .min_by_key(|p| (p.matches('/').count(), p.len(), p.to_string()))
        .cloned();
    for file in ws.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            let Some(build) = &service.build else {
                continue;
            };
            let Some(paths) = resolve(file.dir(), build) else {
                continue;
            };
            index.builds.push(ServiceBuild {
                compose: file.path.clone(),
                service: service.name.value.clone(),
                paths,
                target: build.target.clone(),
            });
        }
    }
    // A compose service that builds a named stage (`build.target`) runs that stage's command, which outranks
    // the Dockerfile's final stage.
    for build in &index.builds {
        let Some(target) = build.target.as_deref() else {
            continue;
        };
        let dir = &build.paths.context;
        let Some(d) = ws
            .file(&build.paths.dockerfile)
            .and_then(|f| dockerfile(&f.facts))
        else {
            continue;
        };
        let Some(stage) = built_stage(d, Some(target)) else {
            continue;
        };
        let command = command_line(d, stage);
        for start in targets_in(&command)
            .into_iter()
            .chain(script_targets(ws, dir, &command))
        {
            starts.push((dir.clone(), start));
        }
    }
    for file in ws.of_kind(FileKind::Dockerfile) {
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        let Some(stage) = final_stage(d) else {
            continue;
        };
        // The command runs in the image built from the Dockerfile's context, which a compose file may put
        // above the Dockerfile's own folder (`context: ..`, `dockerfile: docker/Dockerfile`).
        let dir = index.context_of(&file.path).to_owned();
        let command = command_line(d, stage);
        for target in targets_in(&command)
            .into_iter()
            .chain(script_targets(ws, &dir, &command))
        {
            starts.push((dir.clone(), target));
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
                .and_then(|b| resolve(file.dir(), b))
                .map(|p| p.context)
                .unwrap_or_default();
            let targets = targets_in(&command.value).into_iter().chain(script_targets(
                ws,
                &dir,
                &command.value,
            ));
            for target in targets {
                starts.push((dir.clone(), target));
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
            starts.push((file.dir().to_owned(), target));
        }
    }
    index.starts = starts;
    index
}

/// `module:var` targets in a server command line (`uvicorn app.main:app`, `gunicorn "app:create_app()"`,
/// `flask --app api run`, `fastapi run app/main.py`, `python main.py`). Host:port pairs are not targets. A
/// file path becomes `module:app`: the app is then looked up in that file whatever its variable is called.
pub fn targets_in(command: &str) -> Vec<String> {
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', ',', '[', ']']))
        .collect();
    let mut out = Vec::new();
    let mut runner: Option<&str> = None;
    for (i, w) in words.iter().enumerate() {
        // `fastapi run [opts] path.py` and `python [opts] file.py`: the first `.py` word after the program,
        // whatever options come between (`--workers 4`).
        let program = w.rsplit('/').next().unwrap_or(w);
        if program == "fastapi" || program.starts_with("python") {
            runner = Some(program);
            continue;
        }
        if let Some(program) = runner {
            if let Some(module) = file_module(w) {
                out.push(format!("{module}:app"));
                runner = None;
                continue;
            }
            let is_module_flag = *w == "-m" && program.starts_with("python");
            if let Some(module) = words.get(i + 1).filter(|_| is_module_flag) {
                if !SERVERS.contains(module) {
                    out.push(format!("{module}:app"));
                }
                runner = None;
                continue;
            }
        }
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
    // `fastapi run` with no path finds the app itself, in this order: main.py, app.py, api.py, then the same
    // names in an `app/` package.
    if runner == Some("fastapi") {
        for module in ["main", "app", "api", "app.main", "app.app", "app.api"] {
            out.push(format!("{module}:app"));
        }
    }
    out
}

/// Programs whose `-m` form takes a `module:var` of its own (`python -m uvicorn app.main:app`).
const SERVERS: &[&str] = &[
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "flask",
    "fastapi",
    "daphne",
];

/// `app/main.py` -> `app.main`; `./server.py` -> `server`. Django's `manage.py` and `setup.py` run tools,
/// not an app.
fn file_module(word: &str) -> Option<String> {
    let path = word.strip_suffix(".py")?.trim_start_matches("./");
    let stem = path.rsplit('/').next().unwrap_or(path);
    if stem == "manage" || stem == "setup" {
        return None;
    }
    let ok = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '/');
    ok.then(|| path.trim_matches('/').replace('/', "."))
}

/// Targets in a shell script the command runs (`ENTRYPOINT ["./boot.sh"]` whose last line is
/// `exec gunicorn microblog:app`). The script is looked up in the build context `dir`, by its path as
/// written, else by its name anywhere under `dir` (a `COPY boot.sh /app/` puts it elsewhere in the image).
fn script_targets(ws: &Workspace, dir: &str, command: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in command.split_whitespace() {
        let word = word.trim_matches(['"', '\'', ',', '[', ']']);
        if !word.ends_with(".sh") {
            continue;
        }
        let rel = word.trim_start_matches("./").trim_start_matches('/');
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let under = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let exact = format!("{under}{rel}");
        let script = ws.file(&exact).or_else(|| {
            ws.of_kind(FileKind::Script)
                .filter(|f| f.path.starts_with(&under) && f.name() == name)
                .min_by_key(|f| f.path.matches('/').count())
        });
        let Some(script) = script else { continue };
        for line in script.text.lines() {
            let line = line.trim();
            if !line.starts_with('#') {
                out.extend(targets_in(line));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastapi_run_without_a_path_finds_the_app_where_fastapi_looks() {
        let found = targets_in("fastapi run --workers 4");
        assert_eq!(found.first().map(String::as_str), Some("main:app"));
        assert!(found.contains(&"app.main:app".to_owned()));
        assert_eq!(targets_in("fastapi run app/main.py"), ["app.main:app"]);
    }

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
    fn file_and_module_targets() {
        assert_eq!(
            targets_in("fastapi run --workers 4 app/main.py"),
            ["app.main:app"]
        );
        assert_eq!(
            targets_in("fastapi run --reload app/main.py"),
            ["app.main:app"]
        );
        assert_eq!(targets_in("python3 -u ./server.py"), ["server:app"]);
        assert_eq!(targets_in("python -m api.main"), ["api.main:app"]);
        assert_eq!(
            targets_in("python -m uvicorn main:app --port 80"),
            ["main:app"]
        );
        assert!(targets_in("pip install -r requirements.txt").is_empty());
    }

    #[test]
    fn main_app_of_a_fastapi_cli_dockerfile() {
        // The full-stack FastAPI template: `CMD ["fastapi", "run", ..., "app/main.py"]` in backend/, and
        // a second app in the workspace, so "the only application" cannot decide.
        let ws = Workspace::from_texts([
            (
                "backend/Dockerfile",
                "FROM python:3.10\nWORKDIR /app/\nCOPY ./app /app/app\nCMD [\"fastapi\", \"run\", \"--workers\", \"4\", \"app/main.py\"]\n",
            ),
            ("backend/app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ("tools/admin.py", "from fastapi import FastAPI\napi = FastAPI()\n"),
        ]);
        let docker = build(&ws);
        assert_eq!(
            docker.starts,
            [("backend".to_owned(), "app.main:app".to_owned())]
        );
        let web = super::super::web::build(&ws, &docker.starts);
        let main = web.main_app.and_then(|i| web.apps.get(i));
        assert_eq!(main.map(|a| a.file.as_str()), Some("backend/app/main.py"));
        assert_eq!(web.main_reason, "started as `app.main:app`");
    }

    #[test]
    fn a_compose_build_target_names_the_stage_whose_command_runs() {
        // The final stage is a debug image; compose runs the `runtime` stage, which serves `api.main:app`.
        let ws = Workspace::from_texts([
            (
                "Dockerfile",
                "FROM python:3.12 AS runtime\nCMD [\"uvicorn\", \"api.main:app\"]\n\nFROM runtime AS debug\nCMD [\"python\", \"-m\", \"debugpy\", \"tools/shell.py\"]\n",
            ),
            ("compose.yaml", "services:\n  api:\n    build:\n      context: .\n      target: runtime\n"),
        ]);
        let docker = build(&ws);
        assert_eq!(
            docker.starts.first(),
            Some(&(String::new(), "api.main:app".to_owned()))
        );
    }

    #[test]
    fn entrypoint_script_is_followed() {
        // microblog: `ENTRYPOINT ["./boot.sh"]`, and boot.sh ends with `exec gunicorn ... microblog:app`.
        let ws = Workspace::from_texts([
            (
                "Dockerfile",
                "FROM python:3.12-slim\nCOPY microblog.py boot.sh ./\nENTRYPOINT [\"./boot.sh\"]\n",
            ),
            (
                "boot.sh",
                "#!/bin/bash\n# uvicorn not:this\nflask db upgrade\nexec gunicorn -b :5000 --access-logfile - microblog:app\n",
            ),
            ("microblog.py", "from app import create_app\napp = create_app()\n"),
        ]);
        assert_eq!(
            build(&ws).starts,
            [(String::new(), "microblog:app".to_owned())]
        );
    }

    #[test]
    fn a_build_target_names_its_stage() {
        let text = "FROM python:3.12 AS Builder\nRUN pip wheel .\nFROM python:3.12-slim AS runtime\nFROM runtime AS debug\n";
        let facts = shipready_syntax::dockerfile::parse(text);
        let index = |t: Option<&str>| built_stage(&facts, t).map(|s| s.index);
        assert_eq!(index(None), Some(2));
        assert_eq!(index(Some("RUNTIME")), Some(1));
        assert_eq!(index(Some("builder")), Some(0));
        assert_eq!(index(Some("test")), None);
    }

    #[test]
    fn a_dockerfile_built_from_a_parent_context_starts_its_app_from_that_context() {
        // deploy/compose.yml builds docker/Dockerfile with the repository root as context: the command's
        // module path is relative to the root, which is where the start is recorded.
        let ws = Workspace::from_texts([
            (
                "deploy/compose.yml",
                "services:\n  api:\n    build:\n      context: ../\n      dockerfile: ./docker/Dockerfile\n",
            ),
            ("docker/Dockerfile", "FROM python:3.12-slim\nCMD [\"uvicorn\", \"app.main:app\"]\n"),
            ("app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
        ]);
        let docker = build(&ws);
        assert_eq!(docker.starts, [(String::new(), "app.main:app".to_owned())]);
        assert_eq!(
            docker
                .builds
                .first()
                .map(|b| (b.paths.context.as_str(), b.paths.dockerfile.as_str())),
            Some(("", "docker/Dockerfile"))
        );
        assert_eq!(docker.context_of("docker/Dockerfile"), "");
        assert_eq!(docker.context_of("other/Dockerfile"), "other");
    }
}
