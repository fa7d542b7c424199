//! ## What it checks
//! That no production compose service mounts the Docker socket (`/var/run/docker.sock` or `/run/docker.sock`
//! as a volume). Tools whose job is to manage containers (Traefik and other label-reading proxies, Portainer,
//! Watchtower, cAdvisor, a socket proxy, Docker-in-Docker) are not judged: the socket is what they are for.
//!
//! ## Why it matters
//! The Docker socket is root on the host: a process that can talk to it can start a privileged container that
//! mounts the host's filesystem. A compromised web service with the socket is a compromised host.
//!
//! ## Example
//! ```yaml
//! services:
//!   web:
//!     volumes:
//!       - /var/run/docker.sock:/var/run/docker.sock
//! ```
//!
//! ## Fix
//! Remove the mount. A tool that must manage containers (a reverse proxy reading labels, a CI runner) gets a
//! socket proxy that allows only the calls it needs, read-only, on a network only it can reach.

use shipready_syntax::FileKind;

use crate::index::docker::compose;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "docker-socket-mounted",
    category: Category::Security,
    severity: Severity::High,
    title: "A service mounts the Docker socket",
    impact: "Whoever controls the service controls the host.",
    recommendation: "Remove the socket mount, or put a restrictive socket proxy in front of it.",
    effort: "1 hour",
    source: include_str!("docker_socket.rs"),
    check,
};

/// Images of tools that manage or observe containers through the socket by design.
const MANAGERS: &[&str] = &[
    "traefik",
    "portainer",
    "watchtower",
    "cadvisor",
    "socket-proxy",
    "nginx-proxy",
    "docker-gen",
    "dozzle",
    "docker:",
    "dind",
    "caddy-docker-proxy",
    "datadog/agent",
    "netdata",
    "autoheal",
];

fn manages_containers(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    MANAGERS.iter().any(|m| image.contains(m)) || image == "docker"
}

fn mounts_socket(volume: &str) -> bool {
    let source = volume
        .trim_matches(['"', '\''])
        .split(':')
        .next()
        .unwrap_or("");
    matches!(source, "/var/run/docker.sock" | "/run/docker.sock")
}

fn check(ctx: &Context) -> Outcome {
    let mut seen = false;
    let mut findings = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        seen = true;
        for service in &c.services {
            if service
                .image
                .as_ref()
                .is_some_and(|i| manages_containers(&i.value))
            {
                continue;
            }
            for v in service.volumes.iter().filter(|v| mounts_socket(&v.value)) {
                findings.push(Finding::at(&file.path, v.range, format!("Compose service `{}` mounts the Docker socket: whoever controls it controls the host. Remove the mount or use a restrictive socket proxy.", service.name.value)));
            }
        }
    }
    if !seen {
        return super::not_applicable("no compose file");
    }
    if findings.is_empty() {
        return Outcome::pass("no service mounts the Docker socket", Vec::new());
    }
    let n = findings.len();
    Outcome::fail(
        format!(
            "{n} Docker socket {}",
            if n == 1 { "mount" } else { "mounts" }
        ),
        findings,
    )
    .needing(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn socket_mounts() {
        assert!(super::mounts_socket(
            "/var/run/docker.sock:/var/run/docker.sock:ro"
        ));
        assert!(super::mounts_socket(
            "\"/run/docker.sock:/tmp/docker.sock\""
        ));
        assert!(!super::mounts_socket("./data:/var/run/docker.sock.d"));
        assert!(super::manages_containers("traefik:v3.1"));
        assert!(super::manages_containers("portainer/portainer-ce:2.21"));
        assert!(!super::manages_containers("python:3.12"));
    }
}
