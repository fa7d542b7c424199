//! Links across Python files on fixture workspaces of their own (`tests/fixtures/patterns/python-*`), through the
//! real binary: a sub-application mounted into the main app, Werkzeug's `DispatcherMiddleware`, blueprints
//! registered by helpers on an instance of a Flask subclass (imported from another module) built in a factory,
//! health probes that run a script requesting a route, and CDK stacks instantiated by keyword, nested through
//! relative imports, with `aws-cdk-lib` declared in the `setup.py` that `-e .` installs. Each `pass` workspace
//! passes the checks the link decides; each `fail` workspace (the same code without the link) fails them, at the
//! construct the finding belongs to. The fixes are applied to the `fail` workspace's file and must give the
//! `pass` workspace's file exactly.

use serde_json::Value;
use shipready_e2e::cli::{check_json, check_status, findings, fixture};

const PROFILES: [&str; 2] = ["seed", "standard"];

fn report(pattern: &str, kind: &str, profile: &str) -> Value {
    check_json(&fixture(&format!("patterns/{pattern}/{kind}")), profile)
}

/// Every check in `codes` passes on the pattern's `pass` workspace, without findings.
fn assert_passes(pattern: &str, codes: &[&str]) {
    for profile in PROFILES {
        let report = report(pattern, "pass", profile);
        for code in codes {
            assert_eq!(
                check_status(&report, code).as_deref(),
                Some("pass"),
                "{pattern}/pass ({profile}) {code}"
            );
            assert!(
                findings(&report, code).is_empty(),
                "{pattern}/pass ({profile}) {code}: {:?}",
                findings(&report, code)
            );
        }
    }
}

/// `code` fails on the pattern's `fail` workspace with a finding at `file`, from `(line, column)` to
/// `(line, column)` (1-based lines, UTF-16 columns), and returns that finding (of the standard profile).
fn assert_fails_at(
    pattern: &str,
    code: &str,
    file: &str,
    start: (u64, u64),
    end: (u64, u64),
) -> Value {
    let mut last = Value::Null;
    for profile in PROFILES {
        let report = report(pattern, "fail", profile);
        assert_eq!(
            check_status(&report, code).as_deref(),
            Some("fail"),
            "{pattern}/fail ({profile}) {code}"
        );
        let found = findings(&report, code);
        let at = found.iter().find(|f| {
            let r = &f["range"];
            f["file"] == file
                && r["start"]["line"] == start.0
                && r["start"]["column"] == start.1
                && r["end"]["line"] == end.0
                && r["end"]["column"] == end.1
        });
        match at {
            Some(f) => last = (*f).clone(),
            None => panic!("{pattern}/fail ({profile}) {code}: no finding at {file} {start:?}-{end:?}: {found:#?}"),
        }
    }
    last
}

#[test]
fn a_health_route_on_a_mounted_sub_application_counts_for_the_main_app() {
    assert_passes("python-mount", &["HC001", "HC003"]);
    // Not mounted: the sub-application's route is its own; the main app (`app = FastAPI(...)`) has none.
    assert_fails_at("python-mount", "HC003", "app/main.py", (3, 1), (3, 30));
}

#[test]
fn a_flask_app_composed_with_dispatcher_middleware_serves_the_mounted_apps_routes() {
    assert_passes("python-dispatcher", &["HC001", "HC003"]);
    assert_fails_at("python-dispatcher", "HC003", "wsgi.py", (3, 1), (3, 22));
}

#[test]
fn blueprints_registered_by_a_helper_on_a_flask_subclass_from_a_factory_reach_the_app() {
    assert_passes("python-app-flow", &["HC001", "HC003"]);
    // The helper is never called: the blueprint with `/live` is mounted nowhere, so a new /health route could
    // duplicate it and its fix is not safe.
    let finding = assert_fails_at(
        "python-app-flow",
        "HC003",
        "library/__init__.py",
        (6, 5),
        (6, 31),
    );
    assert_eq!(finding["fix"]["applicability"], "unsafe", "{finding:#?}");
}

#[test]
fn the_route_a_healthcheck_script_requests_is_the_health_endpoint() {
    assert_passes("python-probe-script", &["HC001", "HC003"]);
    // The script requests a path the app does not serve: no route is the health route.
    assert_fails_at(
        "python-probe-script",
        "HC001",
        "api/main.py",
        (3, 1),
        (3, 16),
    );
    assert_fails_at(
        "python-probe-script",
        "HC003",
        "api/main.py",
        (3, 1),
        (3, 16),
    );
}

#[test]
fn the_route_a_compose_healthcheck_script_requests_is_the_health_endpoint() {
    assert_passes("python-compose-probe", &["HC001", "HC003"]);
    assert_fails_at(
        "python-compose-probe",
        "HC001",
        "web/server.py",
        (3, 1),
        (3, 22),
    );
}

#[test]
fn cdk_stacks_by_keyword_nested_through_relative_imports_and_requirements_through_setup_py() {
    assert_passes("python-cdk-calls", &["CD005", "CD007"]);
    // The nested stack is never created, and setup.py does not declare aws-cdk-lib.
    assert_fails_at(
        "python-cdk-calls",
        "CD007",
        "stacks/cache.py",
        (5, 7),
        (5, 17),
    );
    assert_fails_at(
        "python-cdk-calls",
        "CD005",
        "requirements.txt",
        (1, 1),
        (1, 5),
    );
}

/// The fix of the first `code` finding on the pattern's `fail` workspace, applied to `file`: its edits are byte
/// ranges of that file.
fn fixed(pattern: &str, code: &str, file: &str) -> (Value, String) {
    let report = report(pattern, "fail", "standard");
    let found = findings(&report, code);
    let fix = found
        .iter()
        .find_map(|f| f.get("fix").filter(|x| !x.is_null()))
        .unwrap_or_else(|| panic!("{pattern}/fail: no {code} fix: {found:#?}"))
        .clone();
    let path = fixture(&format!("patterns/{pattern}/fail/{file}"));
    let mut text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut edits: Vec<&Value> = fix["edits"]
        .as_array()
        .map(|e| e.iter().filter(|e| e["file"] == file).collect())
        .unwrap_or_default();
    edits.sort_by_key(|e| std::cmp::Reverse(e["range"]["start"].as_u64()));
    for edit in edits {
        let start = edit["range"]["start"]
            .as_u64()
            .and_then(|s| usize::try_from(s).ok());
        let end = edit["range"]["end"]
            .as_u64()
            .and_then(|s| usize::try_from(s).ok());
        let (Some(start), Some(end)) = (start, end) else {
            panic!("edit without a range: {edit:#?}");
        };
        text.replace_range(start..end, edit["new_text"].as_str().unwrap_or(""));
    }
    (fix, text)
}

fn pass_file(pattern: &str, file: &str) -> String {
    let path = fixture(&format!("patterns/{pattern}/pass/{file}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_healthcheck_fix_probes_the_port_compose_binds_and_the_route_the_app_serves() {
    // The image's command names no port; the compose service binds gunicorn to 5000 and publishes it as 8080.
    // The app already serves /api/v1/healthcheck. Applied, the fix gives exactly the `pass` Dockerfile.
    let (fix, after) = fixed("python-fix-port", "HC002", "Dockerfile");
    assert_eq!(fix["applicability"], "safe", "{fix:#?}");
    assert_eq!(after, pass_file("python-fix-port", "Dockerfile"));
    let report = report("python-fix-port", "pass", "standard");
    assert!(
        findings(&report, "HC002")
            .iter()
            .all(|f| f["fix"].is_null()),
        "{:#?}",
        findings(&report, "HC002")
    );
}

#[test]
fn the_health_route_fix_goes_into_the_factory_that_builds_the_blueprint_before_its_return() {
    // Two factories bind `bp`: the route goes to the first, the one the finding is on, before `return bp`.
    assert_passes("python-fix-factory", &["HC001"]);
    assert_fails_at(
        "python-fix-factory",
        "HC001",
        "reports/routes.py",
        (5, 5),
        (5, 63),
    );
    let (fix, after) = fixed("python-fix-factory", "HC001", "reports/routes.py");
    assert_eq!(fix["applicability"], "safe", "{fix:#?}");
    assert_eq!(after, pass_file("python-fix-factory", "reports/routes.py"));
}
