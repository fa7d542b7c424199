//! Documents by content (issue 7, item 5), through the real binary on the fixtures in
//! `tests/fixtures/patterns/guide-*/{pass,fail}`: the guide is found by what it says (`.md` and `.mdx`), its
//! sections match by meaning at any heading level, and AWS Setup is required only of units that deploy to AWS.

use serde_json::Value;
use shipready_e2e::cli::{check_json, check_status, findings, fixture, place};

const PROFILES: [&str; 2] = ["seed", "standard"];

fn report(pattern: &str, kind: &str, profile: &str) -> Value {
    check_json(
        &fixture(&format!("patterns/guide-{pattern}/{kind}")),
        profile,
    )
}

/// The details line of the check with `code`.
fn details(report: &Value, code: &str) -> String {
    report["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["checks"].as_array())
        .flatten()
        .find(|k| k["code"] == code)
        .and_then(|k| k["details"].as_str())
        .unwrap_or_default()
        .to_owned()
}

fn places(report: &Value, code: &str) -> Vec<String> {
    findings(report, code).into_iter().map(place).collect()
}

fn status(report: &Value, code: &str) -> String {
    check_status(report, code).unwrap_or_default()
}

#[test]
fn an_installation_mdx_with_a_going_to_production_section_is_the_guide() {
    for profile in PROFILES {
        let r = report("by-content", "pass", profile);
        assert_eq!(status(&r, "GD001"), "pass", "{profile}");
        assert_eq!(
            details(&r, "GD001"),
            "docs/installation.mdx is the deployment guide (its \"Going to Production\" section)"
        );
        // The guide's sections are read from the .mdx: Requirements, Try it locally, Going to Production.
        assert!(
            details(&r, "GD002").starts_with("3/"),
            "{}",
            details(&r, "GD002")
        );
    }
}

#[test]
fn a_readme_without_deployment_content_is_not_a_guide_nor_are_changelogs_and_contribution_guides() {
    for profile in PROFILES {
        let r = report("by-content", "fail", profile);
        assert_eq!(status(&r, "GD001"), "fail", "{profile}");
        // On the README's title, `# Birdwatch`.
        assert_eq!(places(&r, "GD001"), ["README.md:1:1-1:12"], "{profile}");
    }
}

#[test]
fn a_real_guide_beats_a_readme_with_a_one_line_deployment_section() {
    for profile in PROFILES {
        let r = report("choice", "pass", profile);
        assert_eq!(
            details(&r, "GD001"),
            "docs/operations.md is the deployment guide (its \"Going to production\" section)",
            "{profile}"
        );
        // The rollback section follows the choice: "Undo a deployment" with three numbered procedures.
        assert_eq!(status(&r, "RB001"), "pass", "{profile}");
        assert_eq!(status(&r, "RB002"), "pass", "{profile}");
        assert_eq!(details(&r, "RB002"), "3 procedures documented");
    }
}

#[test]
fn alone_the_readme_with_a_one_line_deployment_section_is_the_guide_and_lacks_rollback() {
    for profile in PROFILES {
        let r = report("choice", "fail", profile);
        assert_eq!(
            details(&r, "GD001"),
            "README.md is the deployment guide (its \"Deployment\" section)",
            "{profile}"
        );
        assert_eq!(status(&r, "RB001"), "fail", "{profile}");
        // On the README's title, `# Ledgerly`.
        assert_eq!(places(&r, "RB001"), ["README.md:1:1-1:11"], "{profile}");
    }
}

#[test]
fn sections_match_by_meaning_at_any_level() {
    for profile in PROFILES {
        let r = report("sections", "pass", profile);
        // "Bootstrap the Environment" under a CDK app is AWS Setup; "Deploying to production",
        // "Observability", "Known issues" and "Reverting" are the other sections, all at level 3.
        assert_eq!(status(&r, "GD002"), "pass", "{profile}");
        assert_eq!(details(&r, "GD002"), "7/7 required sections", "{profile}");
        assert_eq!(status(&r, "RB001"), "pass", "{profile}");
    }
}

#[test]
fn local_test_credentials_and_configuration_are_not_aws_setup() {
    for profile in PROFILES {
        let r = report("sections", "fail", profile);
        assert_eq!(status(&r, "GD002"), "fail", "{profile}");
        assert_eq!(details(&r, "GD002"), "4/7 required sections", "{profile}");
        let messages: Vec<&str> = findings(&r, "GD002")
            .iter()
            .filter_map(|f| f["message"].as_str())
            .collect();
        assert!(
            messages.iter().any(|m| m.contains("no AWS Setup section")),
            "{messages:?}"
        );
        // Every missing section sits on the guide's title, `# Shipping the tide tables`.
        let at: Vec<String> = places(&r, "GD002");
        assert_eq!(at.len(), 3, "{at:?}");
        assert!(at.iter().all(|p| p == "DEPLOYMENT.md:1:1-1:27"), "{at:?}");
    }
}

#[test]
fn aws_setup_is_not_required_of_a_unit_that_does_not_deploy_to_aws() {
    let r = report("aws-required", "pass", "standard");
    assert_eq!(status(&r, "GD002"), "pass");
    assert_eq!(
        details(&r, "GD002"),
        "6/6 required sections (AWS setup not required: the unit does not deploy to AWS)"
    );
    // boto3 is not a deployment to AWS, so there are no provisioned services to cover either.
    assert_eq!(status(&r, "GD004"), "not-applicable");
    assert_eq!(details(&r, "GD004"), "the unit does not deploy to AWS");
    // The seed profile requires all seven sections, as the seed does.
    let r = report("aws-required", "pass", "seed");
    assert_eq!(details(&r, "GD002"), "6/7 required sections");
}

#[test]
fn aws_setup_is_required_of_a_unit_whose_scripts_deploy_to_aws() {
    // `scripts/deploy.sh` runs `aws ecs update-service`. (The fixture's `.github/workflows/deploy.yml` uses
    // aws-actions too, but CI files are set aside from the unit's files, so the script is what shows it.)
    for profile in PROFILES {
        let r = report("aws-required", "fail", profile);
        assert_eq!(status(&r, "GD002"), "fail", "{profile}");
        assert_eq!(details(&r, "GD002"), "4/7 required sections", "{profile}");
        let aws: Vec<String> = findings(&r, "GD002")
            .into_iter()
            .filter(|f| {
                f["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("no AWS Setup section"))
            })
            .map(place)
            .collect();
        // On the guide's title, `# Deploying Postcard`.
        assert_eq!(aws, ["DEPLOYMENT.md:1:1-1:21"], "{profile}");
        let why = findings(&r, "GD002")
            .into_iter()
            .filter_map(|f| f["message"].as_str())
            .find(|m| m.contains("no AWS Setup section"))
            .unwrap_or_default();
        assert!(
            why.ends_with("The unit deploys to AWS: `aws ecs` in scripts/deploy.sh."),
            "{why}"
        );
    }
}

#[test]
fn rollback_sections_are_found_by_meaning_in_a_guide_found_by_content() {
    for profile in PROFILES {
        let r = report("rollback", "pass", profile);
        assert_eq!(
            details(&r, "GD001"),
            "docs/self-hosting.md is the deployment guide (its \"Running in production\" section)",
            "{profile}"
        );
        assert_eq!(status(&r, "RB001"), "pass", "{profile}");
        assert_eq!(status(&r, "RB002"), "pass", "{profile}");
        assert_eq!(details(&r, "RB002"), "3 procedures documented", "{profile}");
    }
}

#[test]
fn a_disaster_recovery_section_with_one_procedure_is_too_few() {
    for profile in PROFILES {
        let r = report("rollback", "fail", profile);
        assert_eq!(status(&r, "RB001"), "pass", "{profile}");
        assert_eq!(status(&r, "RB002"), "fail", "{profile}");
        // On the section's heading, `## Disaster recovery` (line 13).
        assert_eq!(
            places(&r, "RB002"),
            ["docs/self-hosting.md:13:1-13:21"],
            "{profile}"
        );
    }
}
