//! How `shipready check` prints: plain text when piped, ANSI colours only on request, and a JSON report with
//! a schema version and an order that does not change between runs.

use shipready_e2e::cli::{fixture, shipready};

fn seed_example() -> String {
    fixture("seed-example").to_string_lossy().into_owned()
}

#[test]
fn piped_text_has_no_ansi_escapes() {
    let run = shipready(&["check", &seed_example()]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("Overall Assessment"));
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
}

#[test]
fn color_always_colours_piped_text() {
    let run = shipready(&["check", &seed_example(), "--color", "always"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("\u{1b}["), "{}", run.stdout);
    let never = shipready(&["check", &seed_example(), "--color", "never"]);
    assert!(!never.stdout.contains('\u{1b}'));
}

#[test]
fn json_has_schema_version_one_and_no_colour() {
    let run = shipready(&[
        "check",
        &seed_example(),
        "--format",
        "json",
        "--color",
        "always",
    ]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(!run.stdout.contains('\u{1b}'), "JSON must stay parseable");
    let report = run.json();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "shipready");
    let ids: Vec<&str> = report["categories"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [
            "docker",
            "cdk",
            "guide",
            "rollback",
            "health",
            "security",
            "runtime",
            "pipelines",
            "observability",
            "data-safety"
        ]
    );
}

#[test]
fn json_is_byte_identical_across_runs() {
    for dir in [
        seed_example(),
        fixture("rules/HC002/fail").to_string_lossy().into_owned(),
    ] {
        for profile in ["seed", "standard"] {
            let args = [
                "check",
                dir.as_str(),
                "--format",
                "json",
                "--profile",
                profile,
            ];
            let first = shipready(&args);
            let second = shipready(&args);
            assert_eq!(first.code, Some(0), "{first:#?}");
            assert_eq!(first.stdout, second.stdout, "{dir} {profile}");
        }
    }
}

#[test]
fn json_findings_are_ordered_by_file_then_offset_then_code() {
    let run = shipready(&[
        "check",
        &seed_example(),
        "--format",
        "json",
        "--profile",
        "seed",
    ]);
    let report = run.json();
    let keys: Vec<(String, u64, String)> = report["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|f| {
                    (
                        f["file"].as_str().unwrap_or_default().to_owned(),
                        f["range"]["start_byte"].as_u64().unwrap_or_default(),
                        f["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 3);
}
