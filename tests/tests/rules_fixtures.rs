//! Every rule against its fixture workspaces: `tests/fixtures/rules/<CODE>/pass` must pass the rule and
//! `tests/fixtures/rules/<CODE>/fail` must fail it, under both profiles, through the real binary's JSON report.
//! A failing fixture also names, in `expect.json`, the exact place its finding must point at:
//! `{"file": "Dockerfile", "line": 1, "start_col": 6, "end_col": 12}` (1-based lines, UTF-16 columns, end
//! exclusive; `end_line` when the construct spans lines).

use std::path::Path;

use serde_json::Value;
use shipready_e2e::cli::{check_json, check_status, findings, fixture, place, rule_codes};

const PROFILES: [&str; 2] = ["seed", "standard"];

#[test]
fn every_rule_has_a_passing_and_a_failing_fixture() {
    let mut codes = rule_codes();
    codes.sort();
    assert_eq!(codes.len(), 61, "{codes:?}");
    let mut dirs: Vec<String> = std::fs::read_dir(fixture("rules"))
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    assert_eq!(dirs, codes, "one fixture folder per rule code");
    for code in &codes {
        let root = fixture("rules").join(code);
        assert!(root.join("pass").is_dir(), "{code}: no pass/ fixture");
        assert!(root.join("fail").is_dir(), "{code}: no fail/ fixture");
        assert!(
            root.join("fail/expect.json").is_file(),
            "{code}: fail/ has no expect.json"
        );
    }
}

#[test]
fn passing_fixtures_pass_their_rule() {
    let mut problems = Vec::new();
    for (code, dir) in fixtures("pass") {
        for profile in profiles_of(&code) {
            let report = check_json(&dir, profile);
            let status = check_status(&report, &code);
            if status.as_deref() != Some("pass") {
                problems.push(format!("{code}/pass ({profile}): status {status:?}"));
            }
            let stray = findings(&report, &code);
            if !stray.is_empty() {
                problems.push(format!("{code}/pass ({profile}): findings {stray:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn failing_fixtures_fail_their_rule_at_the_expected_place() {
    let mut problems = Vec::new();
    for (code, dir) in fixtures("fail") {
        let expect = read_expect(&dir);
        for profile in profiles_of(&code) {
            let report = check_json(&dir, profile);
            // `fail`, not `not-applicable`: the fixture shows the technology and gets it wrong.
            let status = check_status(&report, &code);
            if status.as_deref() != Some("fail") {
                problems.push(format!("{code}/fail ({profile}): status {status:?}"));
                continue;
            }
            let found = findings(&report, &code);
            if !found.iter().any(|f| anchored_at(f, &expect)) {
                let places: Vec<String> = found.iter().map(|f| place(f)).collect();
                problems.push(format!(
                    "{code}/fail ({profile}): no finding at {expect}; findings at {places:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The profiles a rule runs under: both for the seed auditor's five categories, `standard` only for the
/// categories beyond the seed (security), which the seed profile neither runs nor lists.
fn profiles_of(code: &str) -> Vec<&'static str> {
    let seed = check_json(&fixture("rules").join(code).join("pass"), "seed");
    if check_status(&seed, code).is_some() {
        PROFILES.to_vec()
    } else {
        vec!["standard"]
    }
}

#[test]
fn the_seed_profile_runs_only_the_seed_categories() {
    let seed = check_json(&fixture("rules").join("SC001").join("fail"), "seed");
    let ids: Vec<&str> = seed["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids, ["docker", "cdk", "guide", "rollback", "health"]);
    assert_eq!(check_status(&seed, "SC001"), None);
}

/// `(code, fixture folder)` for every rule folder's `kind` (`pass` or `fail`) fixture, by code.
fn fixtures(kind: &str) -> Vec<(String, std::path::PathBuf)> {
    let mut out: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(fixture("rules"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let code = e.file_name().to_string_lossy().into_owned();
                    (code, e.path().join(kind))
                })
                .filter(|(_, p)| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    assert_eq!(out.len(), 61, "{kind} fixtures: {out:?}");
    out
}

fn read_expect(dir: &Path) -> Value {
    let path = dir.join("expect.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn anchored_at(finding: &Value, expect: &Value) -> bool {
    let range = &finding["range"];
    let line = &expect["line"];
    let end_line = expect.get("end_line").unwrap_or(line);
    finding["file"] == expect["file"]
        && range["start"]["line"] == *line
        && range["start"]["column"] == expect["start_col"]
        && range["end"]["line"] == *end_line
        && range["end"]["column"] == expect["end_col"]
}
