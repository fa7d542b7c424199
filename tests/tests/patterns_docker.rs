//! Dockerfile and compose build semantics on real-shaped workspaces, through the real binary: what makes a build
//! multi-stage (DK003), which tags float (DK004), a symlinked Dockerfile counted once, a compose build context
//! resolved from the compose file's folder, and one service counted once (HC002).
//!
//! Each pattern has `tests/fixtures/patterns/docker-<pattern>/{pass,fail}`; a `fail/expect.json` names the
//! exact place the finding must point at, as in `rules_fixtures.rs`.

use std::path::PathBuf;

use serde_json::Value;
use shipready_e2e::cli::{check_json, check_status, findings, fixture, place};

const PROFILES: [&str; 2] = ["seed", "standard"];

fn pattern(name: &str, kind: &str) -> PathBuf {
    fixture("patterns")
        .join(format!("docker-{name}"))
        .join(kind)
}

/// The check's details line in a JSON report.
fn details(report: &Value, code: &str) -> Option<String> {
    report["categories"]
        .as_array()?
        .iter()
        .filter_map(|c| c["checks"].as_array())
        .flatten()
        .find(|k| k["code"] == code)
        .and_then(|k| k["details"].as_str())
        .map(str::to_owned)
}

/// The place `fail/expect.json` names, in the form of [`place`].
fn expected_place(dir: &std::path::Path) -> String {
    let path = dir.join("expect.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let e: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let line = &e["line"];
    format!(
        "{}:{}:{}-{}:{}",
        e["file"].as_str().unwrap_or("?"),
        line,
        e["start_col"],
        e.get("end_line").unwrap_or(line),
        e["end_col"]
    )
}

/// The pattern's pass fixture passes `code` with no finding, and its fail fixture fails it with exactly one
/// finding, at the place `expect.json` names; under both profiles.
fn assert_pattern(name: &str, code: &str) {
    for profile in PROFILES {
        let pass = check_json(&pattern(name, "pass"), profile);
        assert_eq!(
            check_status(&pass, code).as_deref(),
            Some("pass"),
            "{name}/pass ({profile}): {code} {:?}",
            details(&pass, code)
        );
        assert!(findings(&pass, code).is_empty(), "{name}/pass ({profile})");
        let dir = pattern(name, "fail");
        let fail = check_json(&dir, profile);
        assert_eq!(
            check_status(&fail, code).as_deref(),
            Some("fail"),
            "{name}/fail ({profile}): {code} {:?}",
            details(&fail, code)
        );
        let at: Vec<String> = findings(&fail, code).into_iter().map(place).collect();
        assert_eq!(at, [expected_place(&dir)], "{name}/fail ({profile})");
    }
}

#[test]
fn a_final_stage_copying_from_a_builder_is_multi_stage_and_alternative_targets_are_not() {
    assert_pattern("multi-stage", "DK003");
    let fail = check_json(&pattern("multi-stage", "fail"), "seed");
    assert_eq!(
        details(&fail, "DK003").as_deref(),
        Some("0 with multi-stage builds")
    );
}

#[test]
fn a_tag_naming_a_distribution_release_is_not_floating() {
    assert_pattern("distro-tags", "DK004");
    let pass = check_json(&pattern("distro-tags", "pass"), "seed");
    assert_eq!(
        details(&pass, "DK004").as_deref(),
        Some("6 base images checked")
    );
}

#[test]
fn a_symlinked_dockerfile_is_counted_once() {
    // The failing single-stage build is reported once, at the file the link points to.
    assert_pattern("symlink", "DK003");
    for kind in ["pass", "fail"] {
        let report = check_json(&pattern("symlink", kind), "seed");
        assert_eq!(
            details(&report, "DK001").as_deref(),
            Some("1 Dockerfile found"),
            "{kind}"
        );
        let skipped: Vec<(&str, &str)> = report["skipped"]
            .as_array()
            .map(|s| {
                s.iter()
                    .map(|e| {
                        (
                            e["path"].as_str().unwrap_or(""),
                            e["reason"].as_str().unwrap_or(""),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            skipped,
            [(
                "Dockerfile",
                "symlink to docker/Dockerfile.prod, counted once"
            )],
            "{kind}"
        );
    }
}

#[test]
fn a_compose_build_context_is_resolved_from_the_compose_files_folder() {
    // deploy/compose.yml builds ./docker/Dockerfile relative to the context `../`, the workspace root: the
    // runtime stage it targets has the HEALTHCHECK, and without one the fix goes into that Dockerfile.
    assert_pattern("compose-context", "HC002");
    let fail = check_json(&pattern("compose-context", "fail"), "seed");
    let edits: Vec<&str> = findings(&fail, "HC002")
        .iter()
        .filter_map(|f| f["fix"]["edits"].as_array())
        .flatten()
        .filter_map(|e| e["file"].as_str())
        .collect();
    assert_eq!(edits, ["docker/Dockerfile"]);
}

#[test]
fn one_service_is_counted_once_across_override_files_and_the_app_it_runs() {
    assert_pattern("one-service", "HC002");
    let fail = check_json(&pattern("one-service", "fail"), "seed");
    assert_eq!(
        details(&fail, "HC002").as_deref(),
        Some("2 services with health checks")
    );
}
