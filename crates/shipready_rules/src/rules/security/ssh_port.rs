//! ## What it checks
//! That no production image or compose service opens SSH: a Dockerfile `EXPOSE 22` or a compose `ports` entry
//! publishing container port 22.
//!
//! ## Why it matters
//! An SSH daemon in a container is a second way in that bypasses the orchestrator's access control and audit,
//! with its own keys to rotate. Containers are replaced, not logged into; `docker exec` or the platform's shell
//! covers debugging.
//!
//! ## Example
//! ```dockerfile
//! EXPOSE 22 8000
//! ```
//!
//! ## Fix
//! ```dockerfile
//! EXPOSE 8000
//! ```
//! and remove the SSH server from the image.

use shipready_syntax::FileKind;

use crate::index::docker::{compose, dockerfile};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "ssh-port",
    category: Category::Security,
    severity: Severity::High,
    title: "A container opens SSH (port 22)",
    impact: "A second way into the service that skips the platform's access control and audit.",
    recommendation:
        "Remove the SSH server and port 22; use docker exec or the platform's shell to debug.",
    effort: "30 minutes",
    source: include_str!("ssh_port.rs"),
    check,
};

/// Whether an `EXPOSE` value (`22`, `22/tcp`) is SSH.
fn exposes_ssh(value: &str) -> bool {
    value
        .split_whitespace()
        .any(|v| v.split('/').next() == Some("22"))
}

/// Whether a compose `ports` entry publishes container port 22 (`"2222:22"`, `"22"`, `127.0.0.1:22:22/tcp`).
fn publishes_ssh(entry: &str) -> bool {
    let container = entry
        .trim_matches(['"', '\''])
        .rsplit(':')
        .next()
        .unwrap_or("");
    container.split('/').next() == Some("22")
}

fn check(ctx: &Context) -> Outcome {
    let mut seen = false;
    let mut findings = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        seen = true;
        let Some(stage) = d.stages.last() else {
            continue;
        };
        for e in stage.exposes.iter().filter(|e| exposes_ssh(&e.value)) {
            findings.push(Finding::at(&file.path, e.range, format!("{} exposes SSH (port 22): containers are replaced, not logged into. Remove the SSH server and the port.", file.path)));
        }
    }
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        seen = true;
        for service in &c.services {
            for p in service.ports.iter().filter(|p| publishes_ssh(&p.value)) {
                findings.push(Finding::at(&file.path, p.range, format!("Compose service `{}` publishes SSH (port 22): remove the SSH server and the port.", service.name.value)));
            }
        }
    }
    if !seen {
        return super::not_applicable("no Dockerfile or compose file");
    }
    if findings.is_empty() {
        return Outcome::pass("no container opens SSH", Vec::new());
    }
    let n = findings.len();
    Outcome::fail(
        format!("{n} SSH {}", if n == 1 { "port" } else { "ports" }),
        findings,
    )
    .needing(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_ports() {
        assert!(exposes_ssh("22"));
        assert!(exposes_ssh("22/tcp"));
        assert!(!exposes_ssh("2222"));
        assert!(publishes_ssh("\"2222:22\""));
        assert!(publishes_ssh("127.0.0.1:22:22/tcp"));
        assert!(!publishes_ssh("22:8022"));
    }
}
