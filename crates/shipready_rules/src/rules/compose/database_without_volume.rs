//! ## What it checks
//! That every database service of a production compose project (a known `postgres`, `mysql`, `mariadb`,
//! `mongo`, SQL Server, Elasticsearch, ... image, or an image built `FROM` one) keeps its data directory
//! (`/var/lib/postgresql/data`, `/var/lib/mysql`, `/data/db`, ...) on a volume: a named volume, or a bind mount
//! of a host folder (`./data:/var/lib/mysql`). A volume mounted elsewhere (init scripts, configuration) or an
//! anonymous one does not count. Caches and brokers are not judged, nor are development setups.
//!
//! ## Why it matters
//! Without a volume the data lives in the container's writable layer or in an anonymous volume that
//! `docker compose down` leaves behind: the next `up` starts an empty database. One routine redeploy loses
//! every row.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//! ```
//!
//! ## Fix
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     volumes:
//!       - db-data:/var/lib/postgresql/data
//! volumes:
//!   db-data:
//! ```

use super::backing;
use super::{backing_services, projects};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "database-without-volume",
    category: Category::Docker,
    severity: Severity::High,
    title: "A compose database keeps its data without a volume",
    impact: "Recreating the container (a redeploy, `docker compose down`) loses the data.",
    recommendation: "Mount a named volume (or a host folder) on the database's data directory.",
    effort: "10 minutes",
    source: include_str!("database_without_volume.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let projects = projects(ctx);
    let mut judged = 0;
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    for (service, image, kind) in backing_services(ctx, &projects) {
        let Some(dirs) = kind.data_dirs() else {
            continue;
        };
        judged += 1;
        let (file, first) = service.first();
        if !evidence.contains(&file.path) {
            evidence.push(file.path.clone());
        }
        let custom = service
            .defs
            .iter()
            .flat_map(|(_, d)| d.environment.iter())
            .filter(|e| matches!(e.value.0.as_str(), "PGDATA" | "MONGO_DATA_DIR"))
            .filter_map(|e| e.value.1.clone())
            .collect::<Vec<_>>();
        let persisted = service
            .defs
            .iter()
            .flat_map(|(_, d)| d.volumes.iter())
            .filter_map(|v| persistent_target(&v.value))
            .any(|target| {
                dirs.iter()
                    .copied()
                    .chain(custom.iter().map(String::as_str))
                    .any(|dir| covers(target, dir))
            });
        if persisted {
            continue;
        }
        findings.push(Finding::at(
            &file.path,
            first.name.range,
            format!(
                "Compose {} `{}` ({}) has no volume on its data directory {}: recreating the container loses the data. Mount a named volume there.",
                kind.noun(),
                service.name,
                backing::repository(&image),
                dirs.first().copied().unwrap_or_default(),
            ),
        ));
    }
    if judged == 0 {
        if projects.projects.is_empty() {
            return super::nothing_judged(&projects);
        }
        return super::not_applicable("no database service");
    }
    let total = super::super::plural(judged, "database service", "database services");
    if findings.is_empty() {
        return Outcome::pass(format!("{total} with a data volume"), evidence);
    }
    let n = findings.len();
    Outcome::fail(format!("{n} of {total} without a data volume"), findings)
        .needing(n)
        .with_evidence(evidence)
}

/// The container path of a volume that outlives the container: `source:target[:mode]` with a source (a named
/// volume or a host path). An anonymous volume (`/var/lib/mysql` alone) has none.
fn persistent_target(volume: &str) -> Option<&str> {
    let v = volume.trim().trim_matches(['"', '\'']);
    let (source, rest) = v.split_once(':')?;
    if source.is_empty() {
        return None;
    }
    let target = rest.split(':').next().unwrap_or(rest);
    Some(target.trim_end_matches('/')).filter(|t| t.starts_with('/'))
}

/// Whether a volume at `target` holds `dir`: the folder itself, one of its parents, or one of its children
/// (`/var/lib/postgresql` for Postgres 18's `/var/lib/postgresql/18/docker`).
fn covers(target: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    target == dir
        || dir.starts_with(&format!("{target}/"))
        || target.starts_with(&format!("{dir}/"))
}

#[cfg(test)]
mod tests {
    use crate::Status;

    fn run(text: &str) -> (Status, Vec<String>) {
        super::super::test_support::places(super::check, &[("compose.yaml", text)])
    }

    #[test]
    fn volumes_on_the_data_directory() {
        let text = "services:\n  pg:\n    image: postgres:18\n    volumes:\n      - pg:/var/lib/postgresql\n  my:\n    image: mariadb:11\n    volumes:\n      - ./data/mysql:/var/lib/mysql:rw\n  mongo:\n    image: mongo:7\n    volumes:\n      - type: volume\n        source: mongo\n        target: /data/db\n  custom:\n    image: postgres:16\n    environment:\n      PGDATA: /pgdata/16\n    volumes:\n      - pgdata:/pgdata\n";
        assert_eq!(run(text), (Status::Pass, Vec::new()));
    }

    #[test]
    fn no_volume_an_anonymous_one_or_init_scripts_only() {
        let text = "services:\n  a:\n    image: postgres:16\n  b:\n    image: mysql:8\n    volumes:\n      - /var/lib/mysql\n  c:\n    image: mongo\n    volumes:\n      - ./init:/docker-entrypoint-initdb.d:ro\n  cache:\n    image: redis:7\n";
        assert_eq!(
            run(text),
            (Status::Fail, vec!["a".into(), "b".into(), "c".into()])
        );
    }

    #[test]
    fn targets_and_directories() {
        assert_eq!(
            super::persistent_target("db:/var/lib/mysql:rw"),
            Some("/var/lib/mysql")
        );
        assert_eq!(super::persistent_target("/var/lib/mysql"), None);
        assert!(super::covers(
            "/var/lib/postgresql",
            "/var/lib/postgresql/data"
        ));
        assert!(!super::covers(
            "/var/lib/postgres",
            "/var/lib/postgresql/data"
        ));
    }
}
