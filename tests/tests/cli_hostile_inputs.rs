//! `shipready check` never trusts the files it reads: binary files, invalid UTF-8, oversized files, alias
//! bombs, absurdly deep nesting, truncated JSON, dangling symlinks and symlink loops are each either analysed
//! or listed in `skipped` with a reason that says what is wrong, and the run still ends with a JSON report.
//!
//! The hostile workspace is generated in a temporary folder at test time, so no large or binary file is
//! committed. A watchdog kills the binary if it runs for more than a minute, turning a hang into a failure
//! without asserting anything about speed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::Duration;

use serde_json::Value;
use shipready_e2e::cli::binary;

/// Far more than a debug build needs on a shared two-core machine; only a hang gets here.
const WATCHDOG: Duration = Duration::from_secs(60);

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(parent) {
            panic!("cannot create {}: {e}", parent.display());
        }
    }
    if let Err(e) = std::fs::write(&path, bytes) {
        panic!("cannot write {}: {e}", path.display());
    }
}

/// Pseudo-random bytes from a fixed seed (xorshift), so the binary file is the same on every run.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // A NUL every so often, as in real binaries.
            if i % 97 == 0 {
                0
            } else {
                (state & 0xFF) as u8
            }
        })
        .collect()
}

/// A YAML alias bomb: nine levels of nine aliases each expand to a billion `lol`s if followed naively.
fn billion_laughs() -> String {
    let mut s = String::from(
        "x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("x-{next}: &{next} [{refs}]\n"));
    }
    s.push_str("services:\n  web:\n    image: nginx\n    labels: *i\n");
    s
}

fn hostile_workspace(root: &Path) {
    write(root, "binary/Dockerfile", &noise(64 * 1024));
    write(
        root,
        "latin1/compose.yaml",
        b"services:\n  web:\n    image: caf\xe9\n",
    );
    let mut big = b"# Deployment\n\n".to_vec();
    big.resize(3 * 1024 * 1024, b'a');
    write(root, "big/DEPLOYMENT.md", &big);
    write(root, "bomb/docker-compose.yml", billion_laughs().as_bytes());
    write(
        root,
        "deep/compose.yaml",
        format!("services: {}x\n", "- ".repeat(10_000)).as_bytes(),
    );
    write(
        root,
        "parens/main.py",
        format!(
            "from fastapi import FastAPI\napp = FastAPI()\nx = {}1{}\n",
            "(".repeat(50_000),
            ")".repeat(50_000)
        )
        .as_bytes(),
    );
    write(
        root,
        "nested/README.md",
        format!(
            "# Deploy\n\n{}item\n\n{}quote\n",
            "- ".repeat(100_000),
            "> ".repeat(100_000)
        )
        .as_bytes(),
    );
    write(
        root,
        "longline/Dockerfile",
        format!("FROM python:3.12\nRUN echo {}\n", "a".repeat(1024 * 1024)).as_bytes(),
    );
    write(root, "cdk/cdk.json", b"{\"app\": ");
    write(
        root,
        "bom/Dockerfile",
        b"\xEF\xBB\xBFFROM python:3.12-slim\r\nUSER app\r\nCMD [\"python\", \"app.py\"]\r\n",
    );
    symlink(&root.join("missing-target"), &root.join("Dockerfile.prod"));
    write(root, "loop/Dockerfile", b"FROM alpine:3.20\n");
    symlink(Path::new(".."), &root.join("loop/back"));
}

fn symlink(target: &Path, link: &Path) {
    if let Err(e) = std::os::unix::fs::symlink(target, link) {
        panic!("cannot link {}: {e}", link.display());
    }
}

/// Run `check <root> --format json`, killed by the watchdog after [`WATCHDOG`]; exit code, stdout, stderr.
fn check_with_watchdog(root: &Path) -> (Option<i32>, String, String) {
    let child = Command::new(binary())
        .args(["check", &root.to_string_lossy(), "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => panic!("cannot run {}: {e}", binary().display()),
    };
    let pid = child.id();
    let (done_tx, done_rx) = channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(WATCHDOG).is_err() {
            // The child is still running: end it by its own id so the output read below returns.
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            return true;
        }
        false
    });
    let output = child.wait_with_output();
    let _ = done_tx.send(());
    let killed = watchdog.join().unwrap_or(true);
    let output = match output {
        Ok(o) => o,
        Err(e) => panic!("cannot wait for shipready: {e}"),
    };
    assert!(
        !killed,
        "shipready check did not finish within {WATCHDOG:?}"
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn reason<'r>(report: &'r Value, path: &str) -> &'r str {
    let skipped = report["skipped"].as_array().cloned().unwrap_or_default();
    let found = report["skipped"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["path"] == path))
        .and_then(|s| s["reason"].as_str());
    match found {
        Some(r) => r,
        None => panic!("{path} is not skipped: {skipped:#?}"),
    }
}

#[test]
fn hostile_files_are_skipped_with_reasons_and_the_report_still_comes_out() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temporary folder: {e}"),
    };
    let root = dir.path();
    hostile_workspace(root);
    let (code, stdout, stderr) = check_with_watchdog(root);
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    let report: Value = match serde_json::from_str(&stdout) {
        Ok(v) => v,
        Err(e) => panic!("stdout is not JSON ({e}): {stdout:.2000}"),
    };
    assert_eq!(report["schema_version"], 1);

    assert!(reason(&report, "binary/Dockerfile").contains("binary"));
    assert!(reason(&report, "latin1/compose.yaml").contains("not valid UTF-8"));
    assert!(reason(&report, "big/DEPLOYMENT.md").contains("larger than 2 MiB"));
    assert!(reason(&report, "Dockerfile.prod").contains("dangling"));
    assert!(reason(&report, "loop/back").contains("symlink loop"));

    // Files that are merely strange are analysed, not skipped.
    let skipped: Vec<&str> = report["skipped"]
        .as_array()
        .map(|all| all.iter().filter_map(|s| s["path"].as_str()).collect())
        .unwrap_or_default();
    for usable in [
        "bomb/docker-compose.yml",
        "deep/compose.yaml",
        "parens/main.py",
        "nested/README.md",
        "longline/Dockerfile",
        "cdk/cdk.json",
        "bom/Dockerfile",
    ] {
        assert!(!skipped.contains(&usable), "{usable} skipped: {skipped:?}");
    }
}

#[test]
fn an_unreadable_file_is_skipped_with_the_reason() {
    use std::os::unix::fs::PermissionsExt;
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temporary folder: {e}"),
    };
    let root = dir.path();
    write(root, "Dockerfile", b"FROM alpine:3.20\n");
    let locked = root.join("Dockerfile");
    if let Err(e) = std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)) {
        panic!("cannot chmod: {e}");
    }
    // Root reads files whatever their mode: then there is nothing unreadable to test.
    if std::fs::read(&locked).is_ok() {
        return;
    }
    let (code, stdout, stderr) = check_with_watchdog(root);
    assert_eq!(code, Some(0), "stderr:\n{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    assert!(reason(&report, "Dockerfile").contains("unreadable"));
}
