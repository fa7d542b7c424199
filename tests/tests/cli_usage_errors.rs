//! Usage errors exit with status 2 and say what is wrong on stderr, without printing a report.

use shipready_e2e::cli::{fixture, shipready, Run};

fn assert_usage_error(run: &Run, mentions: &str) {
    assert_eq!(run.code, Some(2), "{run:#?}");
    assert!(
        run.stdout.is_empty(),
        "no report on a usage error: {run:#?}"
    );
    assert!(
        run.stderr.contains(mentions),
        "stderr should mention `{mentions}`: {run:#?}"
    );
}

#[test]
fn unknown_flag() {
    let run = shipready(&["check", "--no-such-flag"]);
    assert_usage_error(&run, "--no-such-flag");
}

#[test]
fn unknown_profile() {
    let dir = fixture("seed-example");
    let run = shipready(&["check", &dir.to_string_lossy(), "--profile", "strict"]);
    assert_usage_error(&run, "strict");
}

#[test]
fn min_score_out_of_range() {
    let dir = fixture("seed-example");
    let run = shipready(&["check", &dir.to_string_lossy(), "--min-score", "200"]);
    assert_usage_error(&run, "200");
    let run = shipready(&["check", &dir.to_string_lossy(), "--min-score", "lots"]);
    assert_usage_error(&run, "lots");
}

#[test]
fn path_that_is_not_a_folder() {
    let file = fixture("seed-example/Dockerfile");
    let run = shipready(&["check", &file.to_string_lossy()]);
    assert_usage_error(&run, "is not a folder");
    let missing = fixture("no-such-workspace");
    let run = shipready(&["check", &missing.to_string_lossy()]);
    assert_usage_error(&run, "no-such-workspace");
}

#[test]
fn unknown_rule_code() {
    let run = shipready(&["explain", "XX999"]);
    assert_usage_error(&run, "XX999");
}

#[test]
fn unknown_subcommand() {
    let run = shipready(&["deploy"]);
    assert_usage_error(&run, "deploy");
}
