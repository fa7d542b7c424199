//! The pipelines rules over whole workspaces: one finding for a repository with no CI, samples of a collection
//! left out, workflows given to the units they name.

use crate::{audit_workspace, Profile, Status, Workspace};

const SERVICE: &str =
    "FROM python:3.12-slim\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\"]\n";

/// `(unit, code, status)` of a pipelines check.
type Check = (String, String, Status);

/// Every pipelines check, and the pipelines findings as `(code, file)`.
fn run(files: &[(&str, &str)]) -> (Vec<Check>, Vec<(String, String)>) {
    let ws = Workspace::from_texts(files.iter().copied());
    let audit = audit_workspace(&ws, Profile::Standard);
    let mut checks = Vec::new();
    for u in &audit.units {
        for c in u.audit.checks.iter().filter(|c| c.code.starts_with("CI")) {
            checks.push((u.name.clone(), c.code.to_owned(), c.status));
        }
    }
    let findings = audit
        .findings()
        .iter()
        .filter(|f| f.code.starts_with("CI"))
        .map(|f| (f.code.to_owned(), f.file.clone().unwrap_or_default()))
        .collect();
    (checks, findings)
}

fn status(checks: &[Check], unit: &str, code: &str) -> Option<Status> {
    checks
        .iter()
        .find(|(u, c, _)| u == unit && c == code)
        .map(|(_, _, s)| *s)
}

#[test]
fn no_ci_at_all_is_one_finding_on_the_unit() {
    let (checks, findings) = run(&[("Dockerfile", SERVICE), ("README.md", "# API\n")]);
    assert_eq!(findings, [("CI001".to_owned(), "README.md".to_owned())]);
    for code in ["CI002", "CI003", "CI004", "CI005", "CI006"] {
        assert_eq!(
            status(&checks, ".", code),
            Some(Status::NotApplicable),
            "{code}"
        );
    }
}

#[test]
fn a_unit_with_nothing_of_its_own_deployed_is_not_judged() {
    let compose = "services:\n  cache:\n    image: redis:7.4\n";
    let (checks, findings) = run(&[("compose.yaml", compose)]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(status(&checks, ".", "CI001"), Some(Status::NotApplicable));
}

#[test]
fn samples_of_a_collection_no_workflow_names_are_not_judged() {
    let mut files = vec![(
        ".github/workflows/stale.yml",
        "on: [issues]\njobs:\n  stale:\n    steps:\n      - uses: actions/stale@main\n",
    )];
    let names = ["a", "b", "c", "d", "e"];
    let paths: Vec<String> = names.iter().map(|n| format!("{n}/Dockerfile")).collect();
    files.extend(paths.iter().map(|p| (p.as_str(), SERVICE)));
    let (checks, findings) = run(&files);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(status(&checks, "a", "CI001"), Some(Status::NotApplicable));
}

#[test]
fn a_workflow_goes_to_the_units_it_names() {
    let api_ci = "on:\n  push:\n    paths: ['api/**']\njobs:\n  test:\n    defaults:\n      run:\n        working-directory: api\n    steps:\n      - run: pytest\n";
    let (checks, _) = run(&[
        ("api/Dockerfile", SERVICE),
        ("web/Dockerfile", SERVICE),
        (".github/workflows/api.yml", api_ci),
    ]);
    assert_eq!(status(&checks, "api", "CI001"), Some(Status::Pass));
    // The web unit is named by no workflow: it has no CI of its own.
    assert_eq!(status(&checks, "web", "CI001"), Some(Status::Fail));
}

#[test]
fn a_workflow_that_names_no_unit_goes_to_every_unit() {
    let ci = "on: [push]\njobs:\n  test:\n    steps:\n      - run: pytest\n";
    let (checks, _) = run(&[
        ("api/Dockerfile", SERVICE),
        ("web/Dockerfile", SERVICE),
        (".github/workflows/ci.yml", ci),
    ]);
    assert_eq!(status(&checks, "api", "CI001"), Some(Status::Pass));
    assert_eq!(status(&checks, "web", "CI001"), Some(Status::Pass));
}

#[test]
fn the_seed_profile_sets_workflows_aside_as_before() {
    let ws = Workspace::from_texts([
        ("Dockerfile", SERVICE),
        (".github/workflows/ci.yml", "on: [push]\njobs: {}\n"),
        (".gitlab-ci.yml", "test:\n  script: pytest\n"),
        (".github/dependabot.yml", "version: 2\nupdates: []\n"),
        (".circleci/config.yml", "version: 2\n"),
    ]);
    let audit = audit_workspace(&ws, Profile::Seed);
    let files = &audit.units[0].files;
    assert_eq!(&files[..], &["Dockerfile".to_owned()]);
    let aside: Vec<&str> = audit.set_aside.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(aside, [".github/workflows/ci.yml"]);
}

#[test]
fn an_example_or_fixture_workflow_is_not_run() {
    let ci = "on: [push]\njobs:\n  test:\n    steps:\n      - run: pytest\n";
    let (checks, _) = run(&[
        ("Dockerfile", SERVICE),
        ("examples/demo/.github/workflows/ci.yml", ci),
    ]);
    assert_eq!(status(&checks, ".", "CI001"), Some(Status::Fail));
}

#[test]
fn a_deploy_checked_in_a_later_job_passes() {
    let wf = "on: [push]\njobs:\n  deploy:\n    steps:\n      - run: fly deploy\n  smoke:\n    needs: deploy\n    steps:\n      - run: curl -f https://app.fly.dev/health\n";
    let (checks, _) = run(&[("Dockerfile", SERVICE), (".github/workflows/cd.yml", wf)]);
    assert_eq!(status(&checks, ".", "CI005"), Some(Status::Pass));
    let wf = "on: [push]\njobs:\n  smoke:\n    steps:\n      - run: curl -f https://app.fly.dev/health\n  deploy:\n    steps:\n      - run: fly deploy\n";
    let (checks, _) = run(&[("Dockerfile", SERVICE), (".github/workflows/cd.yml", wf)]);
    assert_eq!(status(&checks, ".", "CI005"), Some(Status::Fail));
}

#[test]
fn a_root_workflow_that_tests_everything_makes_no_collection() {
    let mut files = vec![(
        ".github/workflows/ci.yml",
        "on: [push]\njobs:\n  test:\n    steps:\n      - run: pytest\n",
    )];
    let names = ["a", "b", "c", "d", "e"];
    let paths: Vec<String> = names.iter().map(|n| format!("{n}/Dockerfile")).collect();
    files.extend(paths.iter().map(|p| (p.as_str(), SERVICE)));
    let (checks, _) = run(&files);
    assert_eq!(status(&checks, "a", "CI001"), Some(Status::Pass));
    assert_eq!(status(&checks, "e", "CI002"), Some(Status::Fail));
}

#[test]
fn gitlab_and_travis_pipelines_count() {
    let gitlab = "stages: [test, deploy]\ntest:\n  script:\n    - pytest\ndeploy:\n  stage: deploy\n  script:\n    - docker build -t registry.example.com/api .\n    - docker push registry.example.com/api\n    - kubectl apply -f k8s/\n  environment: production\n";
    let (checks, findings) = run(&[("Dockerfile", SERVICE), (".gitlab-ci.yml", gitlab)]);
    assert_eq!(status(&checks, ".", "CI001"), Some(Status::Pass));
    assert_eq!(status(&checks, ".", "CI002"), Some(Status::Pass));
    assert_eq!(status(&checks, ".", "CI003"), Some(Status::Pass));
    // `kubectl apply` with nothing after it.
    assert_eq!(status(&checks, ".", "CI005"), Some(Status::Fail));
    assert!(findings.contains(&("CI005".to_owned(), ".gitlab-ci.yml".to_owned())));
    let travis = "language: python\nscript: python -m pytest\n";
    let (checks, _) = run(&[("Dockerfile", SERVICE), (".travis.yml", travis)]);
    assert_eq!(status(&checks, ".", "CI001"), Some(Status::Pass));
}
