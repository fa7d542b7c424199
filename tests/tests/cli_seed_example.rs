//! `shipready check` on the seed example reproduces the seed's report: Docker 50, CDK 100, guide 100,
//! rollback 100, health 80, overall 86.00, Production Ready, in text (a reviewed snapshot) and in JSON.

use shipready_e2e::cli::{check_json, fixture, shipready};

fn seed_example() -> String {
    fixture("seed-example").to_string_lossy().into_owned()
}

#[test]
fn json_report_has_the_seed_scores() {
    let report = check_json(&fixture("seed-example"), "seed");
    let scores: Vec<(String, f64)> = report["categories"]
        .as_array()
        .map(|cats| {
            cats.iter()
                .map(|c| {
                    let id = c["id"].as_str().unwrap_or_default().to_owned();
                    (id, c["score"].as_f64().unwrap_or(f64::NAN))
                })
                .collect()
        })
        .unwrap_or_default();
    let expected = [
        ("docker", 50.0),
        ("cdk", 100.0),
        ("guide", 100.0),
        ("rollback", 100.0),
        ("health", 80.0),
    ];
    let expected: Vec<(String, f64)> = expected.iter().map(|(i, s)| (i.to_string(), *s)).collect();
    assert_eq!(scores, expected);
    assert_eq!(report["overall"], 86.0);
    assert_eq!(report["band"], "Production Ready");
    assert_eq!(report["band_id"], "production-ready");
    assert_eq!(report["profile"], "seed");
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|f| f["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(codes, ["DK002", "DK003", "HC003"]);
}

#[test]
fn text_report_matches_the_reviewed_snapshot() {
    let root = seed_example();
    let run = shipready(&["check", root.as_str(), "--profile", "seed"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("Overall Assessment: 86.00/100"));
    assert!(run.stdout.contains("Status: ✓ PRODUCTION READY"));
    let shown = run.stdout.replace(root.as_str(), "[ROOT]");
    insta::assert_snapshot!("seed_example_text_report", shown);
}

#[test]
fn min_score_gates_the_exit_code() {
    let root = seed_example();
    let below = shipready(&[
        "check",
        root.as_str(),
        "--profile",
        "seed",
        "--min-score",
        "90",
    ]);
    assert_eq!(below.code, Some(1), "{below:#?}");
    assert!(below.stderr.contains("86.00"), "{}", below.stderr);
    // The report is still printed: CI logs show what to fix.
    assert!(below.stdout.contains("Overall Assessment: 86.00/100"));
    let met = shipready(&[
        "check",
        root.as_str(),
        "--profile",
        "seed",
        "--min-score",
        "80",
    ]);
    assert_eq!(met.code, Some(0), "{met:#?}");
    let exact = shipready(&[
        "check",
        root.as_str(),
        "--profile",
        "seed",
        "--min-score",
        "86",
    ]);
    assert_eq!(
        exact.code,
        Some(0),
        "a score equal to the minimum meets it: {exact:#?}"
    );
}
