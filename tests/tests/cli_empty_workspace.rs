//! An empty workspace scores 0.00 and lists every gap: under the seed profile one finding per failing check
//! (the 25 scored checks and the GD001 gate), each with its recommendation.

use shipready_e2e::cli::{check_json, check_status, findings, fixture, shipready};

const CODES: [&str; 26] = [
    "DK001", "DK002", "DK003", "DK004", "CD001", "CD002", "CD003", "CD004", "CD005", "CD006",
    "CD007", "GD001", "GD002", "GD003", "GD004", "GD005", "GD006", "RB001", "RB002", "RB003",
    "RB004", "HC001", "HC002", "HC003", "HC004", "HC005",
];

#[test]
fn seed_profile_fails_every_check_with_one_finding_each() {
    let report = check_json(&fixture("empty"), "seed");
    assert_eq!(report["overall"], 0.0);
    assert_eq!(report["band_id"], "significant-work-required");
    assert_eq!(report["files_analyzed"], 0);
    for code in CODES {
        assert_eq!(
            check_status(&report, code).as_deref(),
            Some("fail"),
            "{code}"
        );
        assert_eq!(findings(&report, code).len(), 1, "{code}");
    }
    let all = report["findings"].as_array().map(Vec::len);
    assert_eq!(all, Some(26));
    let scored = report["categories"]
        .as_array()
        .map(|cats| {
            cats.iter()
                .filter_map(|c| c["checks"].as_array())
                .flatten()
                .filter(|k| k["scored"] == true)
                .count()
        })
        .unwrap_or_default();
    assert_eq!(scored, 25);
    for cat in report["categories"].as_array().into_iter().flatten() {
        assert_eq!(cat["score"], 0.0, "{}", cat["id"]);
    }
    assert_eq!(report["recommendations"].as_array().map(Vec::len), Some(26));
}

#[test]
fn text_report_lists_every_gap() {
    let dir = fixture("empty");
    let run = shipready(&["check", &dir.to_string_lossy(), "--profile", "seed"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("Gaps (26):"), "{}", run.stdout);
    assert!(run.stdout.contains("Overall Assessment: 0.00/100"));
    assert!(run.stdout.contains("SIGNIFICANT WORK REQUIRED"));
    for code in CODES {
        assert!(
            run.stdout.contains(&format!("{code} (workspace)")),
            "{code} gap missing"
        );
    }
}

#[test]
fn standard_profile_also_scores_zero() {
    let report = check_json(&fixture("empty"), "standard");
    assert_eq!(report["overall"], 0.0);
    // Nothing shows CDK, a web service or anything to put in an image, so those categories leave the mean
    // instead of counting as zero.
    for cat in report["categories"].as_array().into_iter().flatten() {
        match cat["id"].as_str() {
            Some("cdk" | "health" | "docker") => assert!(cat["score"].is_null(), "{cat}"),
            _ => assert_eq!(cat["score"], 0.0, "{cat}"),
        }
    }
}
