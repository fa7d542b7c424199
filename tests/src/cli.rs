//! Running the real `shipready` binary from end-to-end tests: where it is, building it when it is missing,
//! and running it with a clean environment so colour and locale settings of the caller do not leak in.
//!
//! The binary is the one `cargo build -p shipready` leaves in `target/debug`, next to the test executables
//! (`target/debug/deps/<test>-<hash>`). Tests drive that file instead of calling library code so they see
//! exactly what users see: arguments, exit codes, stdout and stderr.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when the process was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout parsed as JSON, with the run shown when it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        match serde_json::from_str(&self.stdout) {
            Ok(v) => v,
            Err(e) => panic!("stdout is not JSON ({e}):\n{self:#?}"),
        }
    }
}

/// The repository root (the folder of the workspace `Cargo.toml`).
pub fn repo_root() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests.parent().unwrap_or(tests).to_path_buf()
}

/// A fixture workspace under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(relative)
}

/// The `shipready` binary in the same target folder as the running test, built on first use if missing.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let path = expected_binary_path();
        if !path.is_file() {
            build_binary();
        }
        assert!(
            path.is_file(),
            "`cargo build -p shipready` did not produce {}",
            path.display()
        );
        path
    })
}

/// Run `shipready args...` from the repository root with colour variables removed, so output is plain
/// unless a test asks for `--color always`.
pub fn shipready<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    shipready_env(args, &[])
}

/// As [`shipready`], with extra environment variables (`GITHUB_STEP_SUMMARY`, ...).
pub fn shipready_env<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &Path)]) -> Run {
    let output = Command::new(binary())
        .args(args)
        // A test run inside a workflow must not write the workflow's job summary.
        .env_remove("GITHUB_STEP_SUMMARY")
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .current_dir(repo_root())
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) => panic!("cannot run {}: {e}", binary().display()),
    };
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `shipready check <dir> --format json --profile <profile>`, asserting it exits 0 and returns the report.
pub fn check_json(dir: &Path, profile: &str) -> serde_json::Value {
    let dir = dir.to_string_lossy();
    let run = shipready(&["check", &dir, "--format", "json", "--profile", profile]);
    assert_eq!(
        run.code,
        Some(0),
        "check {dir} --profile {profile}: {run:#?}"
    );
    run.json()
}

/// The status (`pass`, `fail`, `not-applicable`) of the check with `code` in a JSON report.
/// The status of check `code`: with several deployable units, `fail` when any unit fails it, else `pass` when
/// any passes it, else `not-applicable`.
pub fn check_status(report: &serde_json::Value, code: &str) -> Option<String> {
    let statuses: Vec<&str> = report["units"]
        .as_array()?
        .iter()
        .filter_map(|u| u["categories"].as_array())
        .flatten()
        .filter_map(|c| c["checks"].as_array())
        .flatten()
        .filter(|k| k["code"] == code)
        .filter_map(|k| k["status"].as_str())
        .collect();
    ["fail", "pass", "not-applicable"]
        .into_iter()
        .find(|s| statuses.contains(s))
        .map(str::to_owned)
}

/// The status of check `code` in the unit named `unit` (`.` for the workspace root).
pub fn unit_check_status(report: &serde_json::Value, unit: &str, code: &str) -> Option<String> {
    report["units"]
        .as_array()?
        .iter()
        .find(|u| u["name"] == unit)?["categories"]
        .as_array()?
        .iter()
        .filter_map(|c| c["checks"].as_array())
        .flatten()
        .find(|k| k["code"] == code)
        .and_then(|k| k["status"].as_str())
        .map(str::to_owned)
}

/// The findings with `code` in a JSON report.
pub fn findings<'r>(report: &'r serde_json::Value, code: &str) -> Vec<&'r serde_json::Value> {
    report["findings"]
        .as_array()
        .map(|all| all.iter().filter(|f| f["code"] == code).collect())
        .unwrap_or_default()
}

/// `<target>/debug/shipready`: the test runs as `<target>/debug/deps/<name>-<hash>`.
fn expected_binary_path() -> PathBuf {
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => panic!("cannot locate the test executable: {e}"),
    };
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo_root().join("target/debug"));
    profile_dir.join(format!("shipready{}", std::env::consts::EXE_SUFFIX))
}

fn build_binary() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "-p", "shipready"])
        .current_dir(repo_root())
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => panic!("`cargo build -p shipready` failed: {other:?}"),
    }
}

/// The rule codes `shipready rules --format json` lists, in its order.
pub fn rule_codes() -> Vec<String> {
    let run = shipready(&["rules", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    run.json()
        .as_array()
        .map(|rules| {
            rules
                .iter()
                .filter_map(|r| r["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `file:line:col-line:col` of a finding in a JSON report (1-based lines, UTF-16 columns, end exclusive).
pub fn place(finding: &serde_json::Value) -> String {
    let r = &finding["range"];
    format!(
        "{}:{}:{}-{}:{}",
        finding["file"].as_str().unwrap_or("?"),
        r["start"]["line"],
        r["start"]["column"],
        r["end"]["line"],
        r["end"]["column"]
    )
}
