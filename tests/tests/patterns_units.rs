//! Deployable units, file roles and workload kinds through the real binary, on small fixtures of the shapes
//! real repositories have (`tests/fixtures/patterns/{units,roles,workload}-*`): each pattern has a fixture
//! where the old one-application, every-file-is-production, every-image-is-a-web-service model was wrong.

use serde_json::Value;
use shipready_e2e::cli::{check_json, fixture, unit_check_status};

fn report(name: &str) -> Value {
    check_json(&fixture("patterns").join(name), "standard")
}

/// `(unit name, kinds)` of every unit.
fn units(r: &Value) -> Vec<String> {
    r["units"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| u["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The sorted, deduplicated codes of a unit's findings with `prefix`.
fn codes_in(r: &Value, unit: &str, prefix: &str) -> Vec<String> {
    let mut codes: Vec<String> = r["units"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|u| u["name"] == unit)
        .flat_map(|u| u["findings"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f["code"].as_str().map(str::to_owned))
        .filter(|c| c.starts_with(prefix))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

fn all_codes(r: &Value) -> Vec<String> {
    let mut codes: Vec<String> = r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str().map(str::to_owned))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn a_collection_of_compose_samples_is_judged_sample_by_sample() {
    let r = report("units-compose-samples");
    assert_eq!(units(&r), ["fastapi-postgres", "flask-redis"]);
    // The Flask sample's /health does not satisfy the FastAPI sample's missing one.
    assert_eq!(
        unit_check_status(&r, "fastapi-postgres", "HC001").as_deref(),
        Some("fail")
    );
    assert_eq!(
        unit_check_status(&r, "flask-redis", "HC001").as_deref(),
        Some("pass")
    );
    // The workspace score is the mean of the samples'.
    let mean: f64 = r["units"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["overall"].as_f64())
        .sum::<f64>()
        / 2.0;
    assert_eq!(r["overall"].as_f64(), Some((mean * 100.0).round() / 100.0));
}

#[test]
fn a_monorepo_of_cdk_apps_is_one_unit_per_app() {
    let r = report("units-cdk-monorepo");
    assert_eq!(units(&r), ["apps/ledger", "apps/mailer"]);
    // Five stacks in the ledger app do not make up for the mailer's one.
    assert_eq!(
        unit_check_status(&r, "apps/ledger", "CD003").as_deref(),
        Some("pass")
    );
    assert_eq!(codes_in(&r, "apps/mailer", "CD003"), ["CD003"]);
}

#[test]
fn dev_containers_dev_compose_files_and_archived_images_neither_make_nor_close_gaps() {
    let fail = report("roles-dev-files/fail");
    let set_aside: Vec<(String, String)> = fail["set_aside"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["path"].as_str().unwrap_or_default().to_owned(),
                s["role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        set_aside,
        [
            (
                ".devcontainer/Dockerfile".to_owned(),
                "development".to_owned()
            ),
            ("archived/v1/Dockerfile".to_owned(), "archived".to_owned()),
            (
                "docker-compose.dev.yml".to_owned(),
                "development".to_owned()
            ),
        ]
    );
    // The dev compose file's and the dev container's health checks do not count for production.
    assert_eq!(
        unit_check_status(&fail, ".", "HC002").as_deref(),
        Some("fail")
    );
    // The archived image's unpinned `FROM python` is no gap of the production setup.
    assert!(!all_codes(&fail).contains(&"DK004".to_owned()));
    let pass = report("roles-dev-files/pass");
    assert_eq!(
        unit_check_status(&pass, ".", "HC002").as_deref(),
        Some("pass")
    );
}

#[test]
fn a_cli_image_gets_no_health_deployment_guide_or_rollback_gaps() {
    let cli = report("workload-cli/pass");
    assert_eq!(all_codes(&cli), Vec::<String>::new(), "{cli:#}");
    // The same tool serving HTTP is a service: now it needs health checks and deployment documents.
    let service = all_codes(&report("workload-cli/fail"));
    for code in ["HC002", "GD001", "RB001"] {
        assert!(service.contains(&code.to_owned()), "{code}: {service:?}");
    }
}

#[test]
fn a_lambda_image_gets_no_health_check_gaps() {
    let lambda = all_codes(&report("workload-lambda/pass"));
    assert!(!lambda.iter().any(|c| c.starts_with("HC")), "{lambda:?}");
    assert!(!lambda.contains(&"DK002".to_owned()), "{lambda:?}");
    let served = all_codes(&report("workload-lambda/fail"));
    for code in ["HC001", "HC002", "HC003"] {
        assert!(served.contains(&code.to_owned()), "{code}: {served:?}");
    }
}

#[test]
fn a_library_whose_web_code_nothing_starts_or_deploys_gets_no_deployment_gaps() {
    // A framework package with a test app deep inside, no Dockerfile, runner, Procfile or entry module.
    assert_eq!(
        all_codes(&report("workload-library/pass")),
        Vec::<String>::new()
    );
    // The same package with an app at the top (app.py) is an application: it is judged.
    let app = all_codes(&report("workload-library/fail"));
    for code in ["DK001", "HC001", "GD001"] {
        assert!(app.contains(&code.to_owned()), "{code}: {app:?}");
    }
}
