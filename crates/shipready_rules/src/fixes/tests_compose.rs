//! Fix tests for the compose `healthcheck:` fix (HC002): a well-known image gets its own probe inserted into the
//! service's mapping, in the file's indentation and line ending; the service then counts, the file still parses,
//! and the fix is not offered again.

use super::tests::{audit_files, check_fix, files, finding, Applied};
use crate::{Applicability, Audit};

/// The details of HC002 ("2 services with health checks").
fn hc002_details(audit: &Audit) -> String {
    audit
        .checks
        .iter()
        .find(|c| c.code == "HC002")
        .map(|c| c.details.clone())
        .unwrap_or_default()
}

fn fix_service(compose: &str, service: &str) -> (Applied, String) {
    let ws = files(&[("compose.yaml", compose)]);
    let before = hc002_details(&audit_files(&ws));
    let needle = format!("`{service}`");
    let done = check_fix(&ws, "HC002", |f| f.message.contains(&needle));
    (done, before)
}

#[test]
fn postgres_gets_pg_isready_after_its_last_key() {
    let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n  cache:\n    image: redis:7\n";
    let (done, before) = fix_service(compose, "db");
    assert_eq!(before, "0 services with health checks");
    assert_eq!(hc002_details(&done.audit), "1 service with health checks");
    assert_eq!(done.fix.applicability, Applicability::Safe);
    assert_eq!(
        done.after["compose.yaml"],
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U $${POSTGRES_USER:-postgres}\"]\n      interval: 10s\n      timeout: 5s\n      retries: 5\n  cache:\n    image: redis:7\n"
    );
}

#[test]
fn four_space_indentation_crlf_and_a_file_without_a_final_line_break() {
    let compose = "services:\r\n    api:\r\n        build: .\r\n    cache:\r\n        image: redis:7-alpine  # sessions";
    let (done, _) = fix_service(compose, "cache");
    assert_eq!(
        done.after["compose.yaml"],
        "services:\r\n    api:\r\n        build: .\r\n    cache:\r\n        image: redis:7-alpine  # sessions\r\n        healthcheck:\r\n            test: [\"CMD-SHELL\", \"redis-cli ping\"]\r\n            interval: 10s\r\n            timeout: 5s\r\n            retries: 5\r\n"
    );
}

#[test]
fn a_service_that_merges_defaults_gets_the_block_in_its_own_mapping() {
    let compose = "x-defaults: &defaults\n  restart: unless-stopped\n  logging:\n    driver: json-file\n\nservices:\n  mongo:\n    <<: *defaults\n    image: mongo:7\n  queue:\n    image: rabbitmq:3-management\n    <<: *defaults\n\n  # the search node\n  search:\n    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0\n";
    let (done, _) = fix_service(compose, "queue");
    assert_eq!(
        done.inserted("compose.yaml"),
        "    healthcheck:\n      test: [\"CMD-SHELL\", \"rabbitmq-diagnostics -q ping\"]\n      interval: 10s\n      timeout: 5s\n      retries: 5\n"
    );
    assert!(done.after["compose.yaml"]
        .contains("    <<: *defaults\n    healthcheck:\n      test: [\"CMD-SHELL\", \"rabbitmq-diagnostics -q ping\"]"));
    assert_eq!(hc002_details(&done.audit), "1 service with health checks");

    let (done, _) = fix_service(compose, "mongo");
    assert!(done.inserted("compose.yaml").contains(
        "test: [\"CMD-SHELL\", \"mongosh --quiet --eval \\\"db.adminCommand('ping')\\\"\"]"
    ));
    let (done, _) = fix_service(compose, "search");
    assert!(done
        .inserted("compose.yaml")
        .contains("curl -fsS http://localhost:9200/_cluster/health || exit 1"));
    assert_eq!(done.fix.applicability, Applicability::Safe);
}

#[test]
fn probes_of_other_well_known_images() {
    for (image, probe) in [
        (
            "postgis/postgis:16-3.4",
            "pg_isready -U $${POSTGRES_USER:-postgres}",
        ),
        ("valkey/valkey:8", "redis-cli ping"),
        ("mysql:8.4", "mysqladmin ping -h localhost"),
        ("mariadb:11", "mariadb-admin ping -h localhost"),
        ("mariadb:10.6", "mysqladmin ping -h localhost"),
        (
            "mongo:4.4",
            "mongo --quiet --eval \\\"db.adminCommand('ping')\\\"",
        ),
    ] {
        let compose = format!("services:\n  s:\n    image: {image}\n");
        let (done, _) = fix_service(&compose, "s");
        assert_eq!(
            done.inserted("compose.yaml"),
            format!("    healthcheck:\n      test: [\"CMD-SHELL\", \"{probe}\"]\n      interval: 10s\n      timeout: 5s\n      retries: 5\n"),
            "{image}"
        );
    }
}

#[test]
fn a_secured_search_node_gets_a_fix_to_review() {
    let compose = "services:\n  search:\n    image: opensearchproject/opensearch:2\n";
    let audit = audit_files(&files(&[("compose.yaml", compose)]));
    let fix = finding(&audit, "HC002", |f| f.fix.is_some()).and_then(|f| f.fix.clone());
    assert_eq!(fix.map(|f| f.applicability), Some(Applicability::Unsafe));
}

#[test]
fn unknown_images_flow_mappings_and_builds_get_no_compose_fix() {
    for compose in [
        "services:\n  cache:\n    image: memcached:1.6\n",
        "services:\n  web:\n    image: nginx:1.27\n",
        "services:\n  app:\n    image: ghcr.io/acme/app:1.2\n",
        "services:\n  db: {image: postgres:16}\n",
        "x-db: &db\n  image: postgres:16\nservices:\n  db: *db\n",
        "services:\n  db:\n    image: ${DB_IMAGE:-postgres}\n",
    ] {
        let audit = audit_files(&files(&[("compose.yaml", compose)]));
        assert!(finding(&audit, "HC002", |_| true).is_some(), "{compose}");
        assert!(
            finding(&audit, "HC002", |f| f.fix.is_some()).is_none(),
            "{compose}"
        );
    }
}

#[test]
fn the_dockerfile_fix_goes_into_the_stage_the_service_targets() {
    let ws = files(&[
        ("app.py", "from flask import Flask\napp = Flask(__name__)\n@app.route(\"/health\")\ndef h():\n    return \"ok\"\n"),
        (
            "Dockerfile",
            "FROM python:3.12 AS builder\nRUN pip wheel -w /w flask gunicorn\n\nFROM python:3.12-slim AS runtime\nCOPY --from=builder /w /w\nEXPOSE 5000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:5000\", \"app:app\"]\n\nFROM runtime AS debug\nRUN pip install debugpy\nHEALTHCHECK CMD curl -f http://localhost:5000/health\n",
        ),
        (
            "compose.yaml",
            "services:\n  api:\n    build:\n      context: .\n      target: runtime\n",
        ),
    ]);
    let done = check_fix(&ws, "HC002", |f| f.message.contains("`api`"));
    assert_eq!(
        done.fix.title,
        "Add a HEALTHCHECK probing /health on port 5000 to the `runtime` stage of Dockerfile"
    );
    assert!(done.after["Dockerfile"].contains(
        "EXPOSE 5000\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD [\"python\""
    ));
    assert_eq!(hc002_details(&done.audit), "1 service with health checks");
}
