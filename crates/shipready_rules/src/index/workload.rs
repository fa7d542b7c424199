//! Workload kinds: whether an image or app is a long-running network service, a job or command-line tool, or a
//! function (AWS Lambda). Health checks, and the fixes that add them, only make sense for services.

use serde::Serialize;
use shipready_syntax::compose::ComposeService;
use shipready_syntax::dockerfile::{DockerfileFacts, Stage};

/// What a container image or app does once started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Workload {
    /// Listens on a port until stopped: a web server, an API, a proxy.
    Service,
    /// Runs to completion: a CLI, a batch or training job, a migration, a build image.
    Job,
    /// Invoked per event by a platform (AWS Lambda): the platform, not a probe, decides its health.
    Function,
}

impl Workload {
    pub fn id(self) -> &'static str {
        match self {
            Workload::Service => "service",
            Workload::Job => "job",
            Workload::Function => "function",
        }
    }
}

/// A workload kind with the signal that decided it, for the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkloadOf {
    pub kind: Workload,
    pub reason: String,
}

impl WorkloadOf {
    fn new(kind: Workload, reason: impl Into<String>) -> Self {
        WorkloadOf {
            kind,
            reason: reason.into(),
        }
    }
}

/// Programs that serve requests when they are the start command (matched on a command's words).
const SERVERS: &[&str] = &[
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "daphne",
    "granian",
    "waitress-serve",
    "uwsgi",
    "runserver",
    "streamlit",
    "gradio",
    "nginx",
    "httpd",
    "apache2",
    "apache2-foreground",
    "caddy",
    "traefik",
    "haproxy",
    "envoy",
    "php-fpm",
    "supervisord",
    "puma",
    "unicorn",
    "http.server",
    "serve",
    "node",
    "next",
    "catalina.sh",
];

/// Base images that are servers without any command of their own.
const SERVER_IMAGES: &[&str] = &[
    "nginx", "httpd", "caddy", "traefik", "haproxy", "tomcat", "jetty", "envoy", "php",
];

/// Base images of job platforms (Batch, SageMaker, CodeBuild, the AWS CLI).
const JOB_IMAGES: &[&str] = &[
    "sagemaker",
    "aws-codebuild",
    "codebuild",
    "aws-cli",
    "batch",
];

/// The base image a stage starts from, following `FROM <stage>` to the first stage of its chain.
pub fn base_image<'a>(d: &'a DockerfileFacts, stage: &'a Stage) -> &'a str {
    let first = super::docker::chain(d, stage)
        .last()
        .copied()
        .unwrap_or(stage);
    first.image.resolved.as_deref().unwrap_or(&first.image.name)
}

/// The workload a Dockerfile's built stage runs.
pub fn of_stage(d: &DockerfileFacts, stage: &Stage) -> WorkloadOf {
    let base = base_image(d, stage).to_ascii_lowercase();
    let last_segment = base.rsplit('/').next().unwrap_or(&base).to_owned();
    let command = command_words(d, stage);
    if base.contains("lambda") || command.iter().any(|w| w.contains("awslambdaric")) {
        return WorkloadOf::new(Workload::Function, "an AWS Lambda image");
    }
    // A Lambda built on a plain base: its build installs a Lambda runtime client (aws-lambda-go,
    // awslambdaric, lambda_runtime), in this stage or the builder stages it copies from.
    let lambda_runtime = d.stages.iter().flat_map(|s| s.runs.iter()).any(|r| {
        let t = r.text.to_ascii_lowercase();
        [
            "aws-lambda-go",
            "awslambdaric",
            "aws-lambda-java",
            "lambda_runtime",
            "aws-lambda-cpp",
        ]
        .iter()
        .any(|n| t.contains(n))
    });
    if lambda_runtime {
        return WorkloadOf::new(
            Workload::Function,
            "an AWS Lambda image (its build installs a Lambda runtime client)",
        );
    }
    // EXPOSE, HEALTHCHECK and the command carry over from the stage this one is built `FROM`.
    let exposed = super::docker::chain(d, stage)
        .into_iter()
        .find_map(|s| s.exposes.first());
    if let Some(e) = exposed {
        return WorkloadOf::new(Workload::Service, format!("EXPOSE {}", e.value));
    }
    if super::docker::healthcheck(d, stage).is_some_and(|h| !h.disabled) {
        return WorkloadOf::new(Workload::Service, "it has a HEALTHCHECK");
    }
    if let Some(server) = command.iter().find_map(|w| server_word(w)) {
        return WorkloadOf::new(Workload::Service, format!("it starts {server}"));
    }
    let starts_package = command.windows(2).any(|pair| {
        matches!(pair[0], "npm" | "yarn" | "pnpm") && matches!(pair[1], "start" | "serve")
    });
    if starts_package {
        return WorkloadOf::new(Workload::Service, "it runs the package's start script");
    }
    if JOB_IMAGES.iter().any(|j| base.contains(j)) {
        return WorkloadOf::new(Workload::Job, format!("a job image (FROM {base})"));
    }
    if !command.is_empty() {
        return WorkloadOf::new(
            Workload::Job,
            format!("its command `{}` starts no server", command.join(" ")),
        );
    }
    if SERVER_IMAGES.iter().any(|s| last_segment.starts_with(s)) {
        return WorkloadOf::new(Workload::Service, format!("a server image (FROM {base})"));
    }
    WorkloadOf::new(Workload::Job, "no command and no port")
}

/// The workload a compose service runs, given the workload of the image it builds (if it builds one).
pub fn of_compose_service(service: &ComposeService, built: Option<&WorkloadOf>) -> WorkloadOf {
    if let Some(p) = service.ports.first() {
        return WorkloadOf::new(Workload::Service, format!("it publishes {}", p.value));
    }
    if service.healthcheck.as_ref().is_some_and(|h| !h.disabled) {
        return WorkloadOf::new(Workload::Service, "it has a healthcheck");
    }
    if let Some(command) = &service.command {
        if let Some(server) = command.value.split_whitespace().find_map(server_word) {
            return WorkloadOf::new(Workload::Service, format!("it starts {server}"));
        }
        if built.is_some() || service.image.is_some() {
            return WorkloadOf::new(
                Workload::Job,
                format!("its command `{}` starts no server", command.value),
            );
        }
    }
    if let Some(w) = built {
        return w.clone();
    }
    if let Some(image) = &service.image {
        // A ready-made image (a database, a cache, a broker) is a service of the stack.
        return WorkloadOf::new(Workload::Service, format!("image {}", image.value));
    }
    WorkloadOf::new(Workload::Job, "no image, build or port")
}

/// The workloads of a workspace (one deployable unit): each image and compose service, and whether any of it
/// is a network service a probe can reach.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkloadIndex {
    /// `(Dockerfile path, workload)` in path order.
    pub images: Vec<(String, WorkloadOf)>,
    /// `(compose file path, service name, workload)`.
    pub services: Vec<(String, String, WorkloadOf)>,
    /// Whether the workspace runs a network service, and why (or why not).
    pub serves: bool,
    /// A web app of the workspace runs as an AWS Lambda function through Mangum.
    pub lambda_wrapped: bool,
    pub reason: String,
}

impl WorkloadIndex {
    /// The workload of the image built from `dockerfile`.
    pub fn image(&self, dockerfile: &str) -> Option<&WorkloadOf> {
        self.images
            .iter()
            .find(|(p, _)| p == dockerfile)
            .map(|(_, w)| w)
    }

    /// Whether the image built from `dockerfile` is a service (unknown files count as services).
    pub fn image_serves(&self, dockerfile: &str) -> bool {
        self.image(dockerfile)
            .is_none_or(|w| w.kind == Workload::Service)
    }
}

/// Classify every image and compose service of `ws`, and decide whether the workspace serves.
pub fn build(ws: &crate::Workspace, web: &super::web::WebIndex) -> WorkloadIndex {
    use shipready_syntax::FileKind;
    let mut index = WorkloadIndex::default();
    let mut own: Vec<(String, WorkloadOf)> = Vec::new();
    for file in ws.of_kind(FileKind::Dockerfile) {
        let Some(d) = super::docker::dockerfile(&file.facts) else {
            continue;
        };
        if let Some(stage) = super::docker::final_stage(d) {
            let mut w = of_stage(d, stage);
            if w.kind == Workload::Job {
                if let Some(script) = runs_web_server(ws, file.dir(), &command_words(d, stage)) {
                    w = WorkloadOf::new(
                        Workload::Service,
                        format!("it runs {script}, which starts a web server"),
                    );
                }
            }
            index.images.push((file.path.clone(), w));
        }
    }
    for file in ws.of_kind(FileKind::Compose) {
        let Some(c) = super::docker::compose(&file.facts) else {
            continue;
        };
        for service in &c.services {
            let built = service.build.as_ref().and_then(|b| {
                let path = super::docker::resolve(file.dir(), b)?.dockerfile;
                let d = super::docker::dockerfile(&ws.file(&path)?.facts)?;
                let stage = super::docker::built_stage(d, b.target.as_deref())?;
                Some(of_stage(d, stage))
            });
            let w = of_compose_service(service, built.as_ref());
            // The image a service builds is what serves: a job-looking image (`python app.py`, no command of
            // its own) that compose publishes or probes is a service image.
            if w.kind == Workload::Service
                && built.as_ref().is_some_and(|b| b.kind == Workload::Job)
            {
                if let Some(path) = service
                    .build
                    .as_ref()
                    .and_then(|b| super::docker::resolve(file.dir(), b))
                    .map(|p| p.dockerfile)
                {
                    for (_, image) in index.images.iter_mut().filter(|(p, _)| *p == path) {
                        *image = WorkloadOf::new(
                            Workload::Service,
                            format!(
                                "compose service `{}` runs it ({})",
                                service.name.value, w.reason
                            ),
                        );
                    }
                }
            }
            own.push((service.name.value.clone(), w.clone()));
            index
                .services
                .push((file.path.clone(), service.name.value.clone(), w));
        }
    }
    let lambda_wrapped = ws.files().iter().any(|f| match &f.facts {
        shipready_syntax::FileFacts::Python(p) => p.imports.iter().any(|i| i.module == "mangum"),
        _ => false,
    });
    index.lambda_wrapped = lambda_wrapped;
    let has_app = !web.apps.is_empty();
    let service = index
        .images
        .iter()
        .map(|(p, w)| (p.as_str(), w))
        .chain(own.iter().map(|(n, w)| (n.as_str(), w)))
        .find(|(_, w)| w.kind == Workload::Service);
    let containers = !index.images.is_empty() || !index.services.is_empty();
    (index.serves, index.reason) = if let Some((name, w)) = service {
        (true, format!("{name} is a service ({})", w.reason))
    } else if has_app && lambda_wrapped {
        (
            false,
            "the web app runs as an AWS Lambda function (Mangum)".to_owned(),
        )
    } else if has_app && (!containers || web.main_start_dir.is_some()) {
        (true, "a web application is served".to_owned())
    } else if let Some((name, w)) = index.images.first() {
        (false, format!("{name} is a {} ({})", w.kind.id(), w.reason))
    } else {
        (false, "no web application or container".to_owned())
    };
    index
}

/// The Python file a command runs (`python frontend.py`, `python3 -u src/app.py`) when that file starts a web
/// server itself (`app.run()`, `uvicorn.run(app)`), or the shell script it runs (`bash start.sh`,
/// `/app/start.sh`) when one of the script's commands is a server (`exec uvicorn main:app`): such an image
/// serves though its Dockerfile names no server and exposes no port (an ECS service behind a load balancer, say). The file is looked for in the
/// Dockerfile's folder, where the build context usually is, then anywhere below it by its path's end.
fn runs_web_server(ws: &crate::Workspace, dir: &str, words: &[&str]) -> Option<String> {
    let clean = |w: &str| {
        w.trim_matches(|c| c == '"' || c == '\'' || c == '[' || c == ']' || c == ',')
            .to_owned()
    };
    let words: Vec<String> = words.iter().map(|w| clean(w)).collect();
    let program = |w: &str| w.rsplit('/').next().unwrap_or(w).to_owned();
    // `python app.py`, or a shell script run directly (`./start.sh`) or through a shell (`bash start.sh`).
    let script = words.iter().enumerate().find_map(|(i, w)| {
        let p = program(w);
        let interpreter =
            p == "python" || p.starts_with("python3") || matches!(p.as_str(), "sh" | "bash");
        if interpreter {
            words
                .get(i + 1..)?
                .iter()
                .find(|w| !w.starts_with('-'))
                .filter(|w| w.ends_with(".py") || w.ends_with(".sh"))
        } else {
            (i == 0 && w.ends_with(".sh")).then_some(w)
        }
    })?;
    // An absolute path in the image (`/app/start.sh`) is looked for by its file name below the Dockerfile.
    let script = match script.strip_prefix('/') {
        Some(absolute) => absolute.rsplit('/').next().unwrap_or(absolute),
        None => script.trim_start_matches("./"),
    };
    let joined = if dir.is_empty() {
        script.to_owned()
    } else {
        format!("{dir}/{script}")
    };
    let suffix = format!("/{script}");
    let below = format!("{dir}/");
    let file = ws.file(&joined).or_else(|| {
        ws.files()
            .iter()
            .find(|f| (dir.is_empty() || f.path.starts_with(&below)) && f.path.ends_with(&suffix))
            .map(|f| f.as_ref())
    })?;
    match &file.facts {
        shipready_syntax::FileFacts::Python(p) if !p.web.runners.is_empty() => {
            Some(file.path.clone())
        }
        shipready_syntax::FileFacts::Script(s) if starts_a_server(&s.commands) => {
            Some(file.path.clone())
        }
        _ => None,
    }
}

/// Whether a shell script's commands start a web server (`exec uvicorn main:app`, `gunicorn app:app &`).
fn starts_a_server(commands: &[String]) -> bool {
    commands.iter().any(|c| {
        let mut words = c
            .split_whitespace()
            .skip_while(|w| matches!(*w, "exec" | "nohup" | "command"));
        words.next().is_some_and(|w| server_word(w).is_some())
    })
}

/// The words of a stage's ENTRYPOINT then CMD, inherited ones included.
fn command_words<'a>(d: &'a DockerfileFacts, stage: &'a Stage) -> Vec<&'a str> {
    super::docker::command(d, stage)
        .into_iter()
        .flatten()
        .flat_map(|c| c.args.iter().flat_map(|a| a.split_whitespace()))
        .collect()
}

/// The server a command word names: a program name (path and quotes stripped) in [`SERVERS`], a `flask run`
/// or `fastapi run`/`fastapi dev` is found by its first word.
fn server_word(word: &str) -> Option<&'static str> {
    let w = word.trim_matches(|c| c == '"' || c == '\'' || c == '[' || c == ']' || c == ',');
    let program = w.rsplit('/').next().unwrap_or(w);
    let program = program.split(':').next().unwrap_or(program);
    if matches!(program, "flask" | "fastapi") {
        return Some(if program == "flask" {
            "flask"
        } else {
            "fastapi"
        });
    }
    SERVERS.iter().copied().find(|s| *s == program)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipready_syntax::{parse_file, FileFacts, FileKind};

    fn kind(dockerfile: &str) -> Workload {
        let FileFacts::Dockerfile(d) = parse_file(FileKind::Dockerfile, "Dockerfile", dockerfile)
        else {
            panic!("not parsed as a Dockerfile");
        };
        let Some(stage) = d.stages.last() else {
            panic!("no stage");
        };
        of_stage(&d, stage).kind
    }

    #[test]
    fn servers_are_services() {
        assert_eq!(
            kind("FROM python:3.12\nCMD [\"uvicorn\", \"app:app\"]\n"),
            Workload::Service
        );
        assert_eq!(kind("FROM python:3.12\nEXPOSE 5000\n"), Workload::Service);
        assert_eq!(
            kind("FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n"),
            Workload::Service
        );
        assert_eq!(
            kind("FROM python:3.12\nCMD gunicorn -b 0.0.0.0:5000 'app:create_app()'\n"),
            Workload::Service
        );
        assert_eq!(
            kind("FROM python:3.12\nCMD [\"flask\", \"run\"]\n"),
            Workload::Service
        );
    }

    #[test]
    fn lambda_images_are_functions() {
        assert_eq!(
            kind("FROM public.ecr.aws/lambda/python:3.12\nCMD [\"app.handler\"]\n"),
            Workload::Function
        );
        assert_eq!(
            kind("FROM python:3.12\nENTRYPOINT [\"/usr/local/bin/python\", \"-m\", \"awslambdaric\"]\n"),
            Workload::Function
        );
        assert_eq!(
            kind("FROM amazon/aws-lambda-python:3.11 AS base\nFROM base\nCMD [\"h.main\"]\n"),
            Workload::Function
        );
    }

    #[test]
    fn an_image_built_with_a_lambda_runtime_client_is_a_function() {
        let go = "FROM golang:1.22 AS builder\nRUN go get github.com/aws/aws-lambda-go/lambda && go build -o /app\nFROM scratch\nEXPOSE 5000\nCOPY --from=builder /app /app\nCMD [\"/app\"]\n";
        assert_eq!(kind(go), Workload::Function);
    }

    #[test]
    fn an_image_a_compose_service_publishes_is_a_service() {
        let ws = crate::Workspace::from_texts([
            (
                "web/Dockerfile",
                "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
            ),
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./web\n    ports:\n      - \"5000:5000\"\n",
            ),
        ]);
        let index = crate::Index::build(&ws);
        assert!(index.workload.image_serves("web/Dockerfile"));
        assert_eq!(
            kind("FROM node:20\nCMD [\"npm\", \"start\"]\n"),
            Workload::Service
        );
    }

    #[test]
    fn commands_without_a_server_are_jobs() {
        assert_eq!(
            kind("FROM python:3.12\nENTRYPOINT [\"mytool\"]\n"),
            Workload::Job
        );
        assert_eq!(
            kind("FROM python:3.12\nCMD python train.py\n"),
            Workload::Job
        );
        assert_eq!(kind("FROM python:3.12\nRUN pip install x\n"), Workload::Job);
        // `serve` is a server, `server.py` run by python is not known to be one without a port.
        assert_eq!(
            kind("FROM node:20\nCMD [\"npx\", \"serve\", \"dist\"]\n"),
            Workload::Service
        );
    }

    #[test]
    fn an_image_running_a_shell_script_that_starts_a_server_is_a_service() {
        let ws = crate::Workspace::from_texts([
            (
                "api/Dockerfile",
                "FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT [\"bash\", \"start.sh\"]\n",
            ),
            (
                "api/start.sh",
                "#!/usr/bin/env bash\n# uvicorn is started below\nset -e\nPORT=${PORT:-9099}\nexec uvicorn main:app --host 0.0.0.0 --port \"$PORT\"\n",
            ),
            (
                "web/Dockerfile",
                "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"/srv/run.sh\"]\n",
            ),
            ("web/scripts/run.sh", "cd /srv && gunicorn -b :8000 app:app\n"),
            (
                "batch/Dockerfile",
                "FROM python:3.12-slim\nCOPY . /job\nCMD [\"sh\", \"job.sh\"]\n",
            ),
            ("batch/job.sh", "# not uvicorn: a batch job\npython train.py\n"),
        ]);
        let index = crate::index::Index::build(&ws);
        let kind = |p: &str| index.workload.image(p).map(|w| w.kind);
        assert_eq!(
            kind("api/Dockerfile"),
            Some(Workload::Service),
            "{:?}",
            index.workload.images
        );
        assert_eq!(
            kind("web/Dockerfile"),
            Some(Workload::Service),
            "{:?}",
            index.workload.images
        );
        assert_eq!(
            kind("batch/Dockerfile"),
            Some(Workload::Job),
            "{:?}",
            index.workload.images
        );
    }

    #[test]
    fn an_image_running_a_python_file_that_starts_a_server_is_a_service() {
        let flask = "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'hi'\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000)\n";
        let ws = crate::Workspace::from_texts([
            (
                "svc/Dockerfile",
                "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"-u\", \"frontend.py\"]\n",
            ),
            ("svc/frontend.py", flask),
            (
                "batch/Dockerfile",
                "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"train.py\"]\n",
            ),
            ("batch/train.py", "import os\nprint(os.getcwd())\n"),
        ]);
        let index = crate::index::Index::build(&ws);
        let svc = index.workload.image("svc/Dockerfile").map(|w| w.kind);
        assert_eq!(svc, Some(Workload::Service), "{:?}", index.workload.images);
        let batch = index.workload.image("batch/Dockerfile").map(|w| w.kind);
        assert_eq!(batch, Some(Workload::Job));
    }
}
