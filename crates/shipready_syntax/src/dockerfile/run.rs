//! What a `RUN` step does: whether it installs dependencies, whether it compiles, and which system packages it
//! installs. The script is cut into simple commands at shell operators and each command is matched by program
//! and subcommand, which is robust to the `&& \` chains real Dockerfiles are made of.

/// The findings for one `RUN` script.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct RunAnalysis {
    pub installs: bool,
    pub compiles: bool,
    pub system_packages: Vec<String>,
}

pub(super) fn analyze(script: &str) -> RunAnalysis {
    let mut analysis = RunAnalysis::default();
    // Inside heredoc bodies the shell still joins `\`-continued lines.
    let script = script.replace("\\\r\n", " ").replace("\\\n", " ");
    for command in script.split(['\n', ';', '|', '&', '(', ')', '`']) {
        let words: Vec<String> = command
            .split_whitespace()
            .take_while(|w| !w.starts_with('#'))
            .map(|w| w.trim_matches(['"', '\'']).to_string())
            .filter(|w| !w.is_empty())
            .collect();
        analyze_command(&words, &mut analysis);
    }
    analysis
}

/// Words that run the next word as the command (`sudo apt-get`), or shell keywords before a command.
const PREFIXES: &[&str] = &[
    "sudo", "env", "exec", "time", "nohup", "xargs", "then", "do", "else", "if", "!", "{",
];

fn analyze_command(words: &[String], analysis: &mut RunAnalysis) {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let prefix =
            PREFIXES.contains(&w.as_str()) || is_assignment(w) || (i > 0 && w.starts_with('-'));
        if !prefix {
            break;
        }
        i += 1;
    }
    let Some(program) = words.get(i) else { return };
    let program = program.rsplit('/').next().unwrap_or(program);
    let mut args = words.get(i + 1..).unwrap_or(&[]);
    let mut program = program.to_string();
    // `python -m pip install` runs pip; `npx tsc` runs tsc.
    if program.starts_with("python") && args.first().is_some_and(|a| a == "-m") {
        if let Some(module) = args.get(1) {
            program = module.clone();
            args = args.get(2..).unwrap_or(&[]);
        }
    } else if matches!(program.as_str(), "npx" | "pnpx" | "bunx") {
        analyze_command(args, analysis);
        return;
    }
    classify(&program, args, analysis);
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty()
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !k.starts_with(char::is_numeric)
    })
}

fn classify(program: &str, args: &[String], analysis: &mut RunAnalysis) {
    let program = program.trim_end_matches(".exe");
    let valued = value_flags(program);
    let (sub_index, sub) = subcommand(args, valued);
    let next = sub_index.and_then(|i| args.get(i + 1)).map(String::as_str);
    let starts_build = |s: Option<&str>| s.is_some_and(|s| s.starts_with("build"));
    let (installs, compiles) = match program {
        p if is_pip(p) => (sub == Some("install"), sub == Some("wheel")),
        "poetry" => (sub == Some("install"), sub == Some("build")),
        "uv" => (
            matches!(sub, Some("sync" | "add"))
                || (sub == Some("pip") && matches!(next, Some("install" | "sync"))),
            sub == Some("build"),
        ),
        "pipenv" => (matches!(sub, Some("install" | "sync")), false),
        "conda" | "mamba" | "micromamba" => (matches!(sub, Some("install" | "create")), false),
        "npm" => (
            matches!(sub, Some("ci" | "install" | "i" | "add")),
            matches!(sub, Some("run" | "run-script")) && starts_build(next),
        ),
        "yarn" | "pnpm" | "bun" => (
            matches!(sub, None | Some("install" | "i" | "add" | "fetch")),
            starts_build(sub) || (sub == Some("run") && starts_build(next)),
        ),
        "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "tdnf" | "zypper" => {
            let install = matches!(sub, Some("install" | "in"));
            if let (true, Some(i)) = (install, sub_index) {
                add_packages(program, args.get(i + 1..).unwrap_or(&[]), valued, analysis);
            }
            (install, false)
        }
        "apk" => {
            if let (Some("add"), Some(i)) = (sub, sub_index) {
                add_packages(program, args.get(i + 1..).unwrap_or(&[]), valued, analysis);
            }
            (sub == Some("add"), false)
        }
        "go" => (
            sub == Some("get") || (sub == Some("mod") && next == Some("download")),
            matches!(sub, Some("build" | "install")),
        ),
        "cargo" => (
            sub == Some("fetch"),
            matches!(sub, Some("build" | "install")),
        ),
        "bundle" | "bundler" => (sub == Some("install"), false),
        "composer" => (matches!(sub, Some("install" | "require")), false),
        "gem" => (sub == Some("install"), false),
        "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" | "make" | "cmake" | "ninja" | "tsc" => {
            (false, true)
        }
        "mvn" | "mvnw" => {
            let offline = sub.is_some_and(|s| s.starts_with("dependency:"));
            (offline, !offline)
        }
        "gradle" | "gradlew" => (false, true),
        "dotnet" => (
            sub == Some("restore"),
            matches!(sub, Some("publish" | "build")),
        ),
        "build" => (false, true),
        p if p.starts_with("python") => (
            false,
            sub == Some("setup.py") && matches!(next, Some("build" | "bdist_wheel")),
        ),
        _ => (false, false),
    };
    analysis.installs |= installs;
    analysis.compiles |= compiles;
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(program: &str) -> bool {
    program
        .strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Options of a package manager that take the next word as their value, so it is not a package name.
fn value_flags(program: &str) -> &'static [&'static str] {
    match program {
        "apt-get" | "apt" => &[
            "-o",
            "-t",
            "-c",
            "--option",
            "--target-release",
            "--default-release",
            "--config-file",
        ],
        "apk" => &[
            "-t",
            "--virtual",
            "-X",
            "--repository",
            "-p",
            "--root",
            "--cache-dir",
            "--keys-dir",
            "--arch",
        ],
        "yum" | "dnf" | "microdnf" | "tdnf" => &[
            "--enablerepo",
            "--disablerepo",
            "--setopt",
            "--installroot",
            "--releasever",
            "-c",
            "--config",
            "-x",
            "--exclude",
            "--repo",
        ],
        "zypper" => &["-r", "--repo", "--from"],
        _ => &[],
    }
}

/// The first word that is not an option (nor an option's value), with its index.
fn subcommand<'a>(args: &'a [String], valued: &[&str]) -> (Option<usize>, Option<&'a str>) {
    let mut skip_next = false;
    for (i, arg) in args.iter().enumerate() {
        if skip_next {
            skip_next = false;
        } else if arg.starts_with('-') {
            skip_next = valued.contains(&arg.as_str());
        } else {
            return (Some(i), Some(arg.as_str()));
        }
    }
    (None, None)
}

fn add_packages(program: &str, args: &[String], valued: &[&str], analysis: &mut RunAnalysis) {
    let mut skip_next = false;
    for arg in args {
        if skip_next {
            skip_next = false;
            continue;
        }
        if arg.starts_with(['>', '<']) || arg.starts_with("2>") || arg.starts_with("1>") {
            break;
        }
        if arg.starts_with('-') {
            skip_next = valued.contains(&arg.as_str());
            continue;
        }
        // Version pins: `curl=7.*` (apt), `curl=8.1-r0` / `curl~8` / `curl>1` (apk), `curl/bookworm` (apt).
        let pins: &[char] = match program {
            "apt-get" | "apt" => &['=', '/'],
            "apk" => &['=', '~', '<', '>'],
            _ => &[],
        };
        let name = arg.split(pins).next().unwrap_or(arg);
        // Packages in variables, globs and local files are not names we can report.
        let unnamed =
            name.is_empty() || name.contains(['$', '*', '\\', '{']) || name.starts_with(['.', '/']);
        if !unnamed && !analysis.system_packages.iter().any(|p| p == name) {
            analysis.system_packages.push(name.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(script: &str) -> (bool, bool) {
        let a = analyze(script);
        (a.installs, a.compiles)
    }

    #[test]
    fn detects_dependency_installs() {
        for script in [
            "pip install -r requirements.txt",
            "pip3.12 install --no-cache-dir .",
            "python3 -m pip install -U pip",
            "poetry install --no-root",
            "uv sync --locked",
            "uv pip install --system -r req.txt",
            "pipenv install --deploy",
            "npm ci --omit=dev",
            "yarn --frozen-lockfile",
            "yarn install",
            "pnpm install --frozen-lockfile",
            "DEBIAN_FRONTEND=noninteractive apt-get -y install curl",
            "apk add --no-cache git",
            "microdnf install -y shadow-utils",
            "go mod download",
            "cargo fetch",
            "bundle install",
            "composer install --no-dev",
            "gem install bundler",
            "sudo -E apt install -y vim",
        ] {
            assert_eq!(flags(script), (true, false), "{script}");
        }
    }

    #[test]
    fn detects_compiles() {
        for script in [
            "gcc -o app main.c",
            "make -j4",
            "cmake --build build",
            "cargo build --release",
            "CGO_ENABLED=0 go build -o /app .",
            "npm run build",
            "yarn build:prod",
            "pnpm run build",
            "mvn -B package",
            "./gradlew bootJar",
            "dotnet publish -c Release",
            "pip wheel --wheel-dir /w -r req.txt",
            "python setup.py build",
            "npx tsc -p .",
        ] {
            assert_eq!(flags(script), (false, true), "{script}");
        }
    }

    #[test]
    fn ignores_other_commands() {
        for script in [
            "echo pip install",
            "npm run test",
            "apt-get update",
            "ls -la",
            "go test ./...",
            "",
        ] {
            assert_eq!(flags(script), (false, false), "{script}");
        }
    }

    #[test]
    fn chains_are_split_at_operators() {
        let a = analyze(
            "set -eux; apt-get update && apt-get install -y --no-install-recommends curl=7.* wget \
                         && rm -rf /var/lib/apt/lists/* && make install",
        );
        assert!(a.installs && a.compiles);
        assert_eq!(a.system_packages, ["curl", "wget"]);
    }

    #[test]
    fn system_packages_skip_options_values_and_variables() {
        let a = analyze("apk add --no-cache --virtual .build-deps gcc musl-dev=1.2-r0 libffi~3 $EXTRA > /dev/null");
        assert_eq!(a.system_packages, ["gcc", "musl-dev", "libffi"]);
        let a = analyze("apt-get -o Dpkg::Options::=--force-confold -t bookworm-backports install -y git\n# apt-get install -y x");
        assert_eq!(a.system_packages, ["git"]);
        let a = analyze(
            "dnf --setopt install_weak_deps=False install -y python3 && yum install -y 'jq'",
        );
        assert_eq!(a.system_packages, ["python3", "jq"]);
    }
}
