//! ## What it checks
//! That no database, cache or broker service of a production compose project (a known `postgres`, `mysql`,
//! `mongo`, `redis`, `rabbitmq`, `kafka`, `elasticsearch`, ... image, or an image built `FROM` one) publishes
//! a port on all of the host's interfaces: `5432:5432`, `0.0.0.0:5432:5432` and a bare `5432` (a random host
//! port) all do; `127.0.0.1:5432:5432` does not. Development setups are not judged.
//!
//! ## Why it matters
//! The other services reach the database over the compose network, by service name; a published port is only
//! for the host. Published on every interface (and Docker's rules bypass most host firewalls) the database
//! answers the internet, where default or weak credentials are found and tried within hours.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     ports:
//!       - "5432:5432"
//! ```
//!
//! ## Fix
//! Remove the `ports:` entry (services use `db:5432` on the compose network), or bind it to the loopback
//! interface for host tools:
//! ```yaml
//!     ports:
//!       - "127.0.0.1:5432:5432"
//! ```

use super::{backing_services, projects};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "database-port-published",
    category: Category::Docker,
    severity: Severity::High,
    title: "A database, cache or broker port is published on all interfaces",
    impact: "The data store is reachable from outside the host, past the host's firewall.",
    recommendation: "Drop the port mapping, or bind it to 127.0.0.1.",
    effort: "5 minutes",
    source: include_str!("database_port_exposed.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let projects = projects(ctx);
    let mut judged = 0;
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    for (service, _, kind) in backing_services(ctx, &projects) {
        judged += 1;
        for (file, def) in &service.defs {
            if !evidence.contains(&file.path) {
                evidence.push(file.path.clone());
            }
            for port in def.ports.iter().filter(|p| on_all_interfaces(&p.value)) {
                findings.push(Finding::at(
                    &file.path,
                    port.range,
                    format!(
                        "The {} `{}` publishes port `{}` on all interfaces: it is reachable from outside the host. Remove the mapping or bind it to 127.0.0.1.",
                        kind.noun(),
                        service.name,
                        port.value
                    ),
                ));
            }
        }
    }
    if judged == 0 {
        if projects.projects.is_empty() {
            return super::nothing_judged(&projects);
        }
        return super::not_applicable("no database, cache or broker service");
    }
    let total = super::super::plural(judged, "backing service", "backing services");
    if findings.is_empty() {
        return Outcome::pass(
            format!("{total}, none published on all interfaces"),
            evidence,
        );
    }
    let n = findings.len();
    let what = if n == 1 { "port" } else { "ports" };
    Outcome::fail(
        format!("{n} {what} of {total} published on all interfaces"),
        findings,
    )
    .needing(n)
    .with_evidence(evidence)
}

/// Whether a port mapping (`[host_ip:][host:]container[/protocol]`) publishes on every interface: it names no
/// host address, or `0.0.0.0`/`::`. A templated address (`${BIND}:5432:5432`) is not judged.
fn on_all_interfaces(port: &str) -> bool {
    let p = without_variables(port.trim().trim_matches(['"', '\'']));
    let p = p.split('/').next().unwrap_or(&p);
    // `[::1]:5432:5432`: a bracketed IPv6 address.
    if let Some(rest) = p.strip_prefix('[') {
        let ip = rest.split(']').next().unwrap_or("");
        return is_any(ip);
    }
    let parts: Vec<&str> = p.split(':').collect();
    match parts.len() {
        // A bare container port gets a random host port, on every interface.
        1 => !p.is_empty(),
        2 => true,
        3 => is_any(parts[0]),
        // An unbracketed IPv6 address: everything before the last two parts.
        n => is_any(&parts[..n - 2].join(":")),
    }
}

/// The text with each `${...}` replaced by `$`, so the colons of `${PORT:-5432}` do not split it.
fn without_variables(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        out.push('$');
        match rest[i..].find('}') {
            Some(end) => rest = &rest[i + end + 1..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Whether a host address listens everywhere.
fn is_any(ip: &str) -> bool {
    !ip.contains('$') && matches!(ip.trim(), "" | "0.0.0.0" | "::" | "*")
}

#[cfg(test)]
mod tests {
    use super::on_all_interfaces as all;
    use crate::Status;

    #[test]
    fn host_addresses() {
        assert!(all("5432:5432"));
        assert!(all("0.0.0.0:5432:5432"));
        assert!(all("6379"));
        assert!(all("${DB_PORT:-5432}:5432"));
        assert!(all("5000:5000/tcp"));
        assert!(!all("127.0.0.1:5432:5432"));
        assert!(!all("[::1]:5432:5432"));
        assert!(!all("::1:5432:5432"));
        assert!(!all("${BIND_ADDR}:5432:5432"));
        assert!(!all("localhost:6379:6379"));
    }

    #[test]
    fn the_finding_is_on_the_port_item() {
        let text = "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n      - 127.0.0.1:5433:5432\n  api:\n    image: app\n    ports:\n      - 8000:8000\n";
        let (status, got) =
            super::super::test_support::places(super::check, &[("compose.yaml", text)]);
        assert_eq!(status, Status::Fail);
        assert_eq!(got, ["5432:5432"]);
    }
}
