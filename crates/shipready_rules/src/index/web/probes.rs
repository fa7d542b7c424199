//! The URL paths the deployment's health probes request: a Dockerfile `HEALTHCHECK` or a compose `healthcheck:`
//! that calls a local URL itself (`curl -f http://localhost:8000/api/status`), or that runs a script which does
//! (`python healthcheck.py`, `python -m app.probe`, `["CMD", "python", "/app/scripts/check.py"]`, `./probe.sh` with urllib, requests,
//! httpx, curl or wget inside). The route at such a path is the app's health endpoint, whatever its name.
//!
//! A script is looked up from the probe's build context: by its path as written, then with its leading folders
//! dropped one by one (a `COPY . /app` puts `scripts/check.py` at `/app/scripts/check.py`), then by its name
//! anywhere under the context.

use shipready_syntax::FileKind;

use crate::index::docker::{compose, dockerfile, resolve, resolve_dir};
use crate::{SourceFile, Workspace};

/// Every distinct path (without query) requested by a probe of the workspace, root (`/`) excluded: a probe of
/// the landing page names no route of its own.
pub(super) fn probed_paths(ws: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    for file in ws.of_kind(FileKind::Dockerfile) {
        let Some(facts) = dockerfile(&file.facts) else {
            continue;
        };
        let context = context_of(ws, &file.path).unwrap_or_else(|| file.dir().to_owned());
        for check in facts.stages.iter().filter_map(|s| s.healthcheck.as_ref()) {
            if !check.disabled {
                requested(ws, &context, &check.command, &mut out);
            }
        }
    }
    for file in ws.of_kind(FileKind::Compose) {
        let Some(facts) = compose(&file.facts) else {
            continue;
        };
        for service in &facts.services {
            let Some(check) = service.healthcheck.as_ref().filter(|c| !c.disabled) else {
                continue;
            };
            let dir = service
                .build
                .as_ref()
                .and_then(|b| resolve(file.dir(), b))
                .map(|paths| paths.context)
                .unwrap_or_else(|| file.dir().to_owned());
            requested(ws, &dir, &check.test, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The build context of the Dockerfile at `path`: that of the first compose build that reads it.
fn context_of(ws: &Workspace, path: &str) -> Option<String> {
    ws.of_kind(FileKind::Compose)
        .filter_map(|file| Some((file.dir(), compose(&file.facts)?)))
        .flat_map(|(dir, c)| {
            c.services
                .iter()
                .filter_map(move |s| resolve(dir, s.build.as_ref()?))
        })
        .find(|paths| paths.dockerfile == path)
        .map(|paths| paths.context)
}

/// The paths a probe command requests, directly or through the scripts it runs.
fn requested(ws: &Workspace, dir: &str, command: &str, out: &mut Vec<String>) {
    out.extend(local_url_paths(command));
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', ',', '[', ']']))
        .collect();
    for (i, word) in words.iter().enumerate() {
        // `python -m app.healthcheck` runs `app/healthcheck.py`.
        let module = (i > 0 && words.get(i - 1) == Some(&"-m"))
            .then(|| format!("{}.py", word.replace('.', "/")));
        let word = module.as_deref().unwrap_or(word);
        if let Some(script) = script(ws, dir, word) {
            out.extend(local_url_paths(&script.text));
        }
    }
}

/// The workspace file a script argument of a probe names, seen from the build context `dir`.
pub(crate) fn script<'w>(ws: &'w Workspace, dir: &str, word: &str) -> Option<&'w SourceFile> {
    let is_script = [".py", ".sh", ".bash"]
        .iter()
        .any(|ext| word.ends_with(ext));
    if !is_script {
        return None;
    }
    let rel = word.trim_start_matches("./").trim_start_matches('/');
    let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    for skip in 0..segments.len() {
        let tail = segments.get(skip..).unwrap_or_default().join("/");
        if let Some(file) = resolve_dir(dir, &tail).and_then(|p| ws.file(&p)) {
            return Some(file);
        }
    }
    let name = segments.last()?;
    let under = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    ws.files()
        .iter()
        .filter(|f| f.path.starts_with(&under) && f.name() == *name)
        .min_by_key(|f| f.path.matches('/').count())
        .map(|f| &**f)
}

/// The paths of the URLs in `text` whose host is this machine (`localhost`, `127.0.0.1`, `0.0.0.0`, `[::1]`),
/// with or without a scheme (`curl -f localhost:8000/ping`), or whose host is filled in at run time
/// (`http://{HOST}`, `http://$HOST`, `http://%s`).
pub(super) fn local_url_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let separators =
        |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '(' | ')' | ',' | '\\' | '=');
    for token in text.split(separators) {
        let (url, templated_ok) = match token
            .strip_prefix("http://")
            .or_else(|| token.strip_prefix("https://"))
        {
            Some(rest) => (rest, true),
            None => (token, false),
        };
        let (host, path) = match url.find('/') {
            Some(slash) => (
                url.get(..slash).unwrap_or(""),
                url.get(slash..).unwrap_or(""),
            ),
            None => (url, ""),
        };
        if !is_local(host, templated_ok) {
            continue;
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        let path = path.trim_end_matches(['/', ';']);
        if !path.is_empty() && !path.contains(['{', '$', '%']) {
            out.push(path.to_owned());
        }
    }
    out
}

/// Whether a route's full path is the path a probe requests: the same segments, where a route's parameter
/// (`{item_id}`, `<int:id>`) matches any one segment.
pub(super) fn path_matches(route: &str, probed: &str) -> bool {
    let segments = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (route, probed) = (segments(route), segments(probed));
    route.len() == probed.len()
        && route.iter().zip(&probed).all(|(r, p)| {
            r == p
                || (r.starts_with('{') && r.ends_with('}'))
                || (r.starts_with('<') && r.ends_with('>'))
        })
}

fn is_local(host: &str, templated_ok: bool) -> bool {
    let host = host.to_ascii_lowercase();
    let name = if host.starts_with('[') {
        host.split(']').next().unwrap_or("").trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or("")
    };
    matches!(name, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1")
        || (templated_ok && name.contains(['{', '$', '%']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_only() {
        let text = "import urllib.request\nurllib.request.urlopen(\"http://localhost:8000/api/app/about\", timeout=3)\n\
                    requests.get(f\"http://{HOST}:{PORT}/status/?full=1\")\ncurl -fsS http://127.0.0.1/ping || exit 1\n\
                    wget -qO- 'http://[::1]:9000/live'\nhttpx.get(\"https://example.com/health\")\n\
                    x = \"http://localhost:8000/\"\nwget -q --spider localhost:8080/api/ready && curl 127.0.0.1:80\n\
                    see docs/localhost/readme and {HOST}:80/no and \"http://localhost:%d/metrics\" % port\n";
        assert_eq!(
            local_url_paths(text),
            vec![
                "/api/app/about",
                "/status",
                "/ping",
                "/live",
                "/api/ready",
                "/metrics"
            ]
        );
    }

    #[test]
    fn route_parameters_match_one_segment() {
        assert!(path_matches("/api/{version}/status", "/api/v1/status"));
        assert!(path_matches("/items/<int:id>/", "/items/7"));
        assert!(path_matches("/health", "/health"));
        assert!(!path_matches("/health", "/health/db"));
        assert!(!path_matches("/{page}", "/"));
    }

    #[test]
    fn scripts_from_the_probe_found_through_copy_destinations() {
        let ws = Workspace::from_texts([
            (
                "svc/Dockerfile",
                "FROM python:3.12-slim\nHEALTHCHECK CMD [\"python\", \"/app/scripts/check.py\"]\n",
            ),
            (
                "svc/scripts/check.py",
                "import urllib.request\nurllib.request.urlopen('http://localhost:8000/api/app/about')\n",
            ),
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./web\n    healthcheck:\n      test: [\"CMD\", \"sh\", \"probe.sh\"]\n",
            ),
            ("web/bin/probe.sh", "#!/bin/sh\ncurl -f http://localhost:5000/ops/ready\n"),
            (
                "jobs/Dockerfile",
                "FROM python:3.12-slim\nHEALTHCHECK CMD python -m jobs.probe || exit 1\n",
            ),
            ("jobs/jobs/probe.py", "import httpx\nhttpx.get('http://0.0.0.0:9000/jobs/alive')\n"),
        ]);
        assert_eq!(
            probed_paths(&ws),
            vec!["/api/app/about", "/jobs/alive", "/ops/ready"]
        );
    }
}
