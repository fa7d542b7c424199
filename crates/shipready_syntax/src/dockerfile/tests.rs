//! Tests of [`parse`](super::parse) on whole Dockerfiles written for these tests, in the shapes real ones take.

use super::*;

pub(super) fn slice(text: &str, range: TextRange) -> &str {
    range.slice(text)
}

pub(super) fn no_errors(text: &str) -> DockerfileFacts {
    let facts = parse(text);
    assert!(
        facts.errors.is_empty(),
        "unexpected errors: {:?}",
        facts.errors
    );
    facts
}

#[test]
fn empty_and_comment_only_files() {
    for text in [
        "",
        "\n\n",
        "# just a comment\n# another\n",
        "\u{feff}",
        "   \t\n",
    ] {
        let facts = no_errors(text);
        assert!(facts.stages.is_empty());
        assert_eq!(facts.first_instruction, None);
    }
}

#[test]
fn multi_stage_with_alias_reference() {
    let text = "# syntax=docker/dockerfile:1\n\
                FROM python:3.12-slim AS Builder\n\
                RUN pip install --prefix=/install -r requirements.txt\n\
                FROM builder AS tests\n\
                RUN pytest\n\
                FROM python:3.12-slim\n\
                COPY --from=builder /install /usr/local\n\
                COPY --from=0 /etc/passwd /etc/passwd\n\
                USER 1000:1000\n\
                CMD [\"gunicorn\", \"app:app\"]\n";
    let facts = no_errors(text);
    assert_eq!(facts.stages.len(), 3);
    let [build, tests, run] = &facts.stages[..] else {
        unreachable!()
    };
    assert_eq!(
        slice(text, facts.first_instruction.unwrap_or_default()),
        "FROM python:3.12-slim AS Builder"
    );
    let alias = build
        .alias
        .as_ref()
        .map(|a| (a.value.as_str(), slice(text, a.range)));
    assert_eq!(alias, Some(("builder", "Builder")));
    assert_eq!(build.image.base, BaseKind::Registry);
    assert!(build.runs[0].installs);
    assert_eq!(tests.image.base, BaseKind::Stage(0));
    assert_eq!(tests.index, 1);
    assert_eq!(run.copies_from, ["builder", "0"]);
    assert_eq!(
        run.user.as_ref().map(|u| slice(text, u.range)),
        Some("1000:1000")
    );
    assert_eq!(
        slice(text, run.last_instruction),
        "CMD [\"gunicorn\", \"app:app\"]"
    );
    assert_eq!(slice(text, run.from_range), "FROM python:3.12-slim");
    assert!(slice(text, run.range).starts_with("FROM python:3.12-slim\nCOPY"));
    assert!(slice(text, run.range).ends_with("\"app:app\"]"));
    assert_eq!(
        slice(text, build.range),
        "FROM python:3.12-slim AS Builder\nRUN pip install --prefix=/install -r requirements.txt"
    );
    let cmd = run.cmd.as_ref().map(|c| (c.args.clone(), c.exec_form));
    assert_eq!(
        cmd,
        Some((vec!["gunicorn".to_string(), "app:app".to_string()], true))
    );
}

#[test]
fn image_references_are_split() {
    let text = "FROM --platform=linux/amd64 localhost:5000/team/app:1.2@sha256:0123abcd AS base\nFROM scratch\n\
                FROM ghcr.io/org/tool\nFROM BASE\n";
    let facts = no_errors(text);
    let image = &facts.stages[0].image;
    assert_eq!(
        slice(text, image.range),
        "localhost:5000/team/app:1.2@sha256:0123abcd"
    );
    assert_eq!(image.text, "localhost:5000/team/app:1.2@sha256:0123abcd");
    assert_eq!(image.name, "localhost:5000/team/app");
    assert_eq!(image.tag.as_deref(), Some("1.2"));
    assert_eq!(image.digest.as_deref(), Some("sha256:0123abcd"));
    assert!(!image.templated);
    assert_eq!(facts.stages[0].platform.as_deref(), Some("linux/amd64"));
    assert_eq!(facts.stages[1].image.base, BaseKind::Scratch);
    assert_eq!(
        (
            facts.stages[2].image.name.as_str(),
            facts.stages[2].image.tag.as_deref()
        ),
        ("ghcr.io/org/tool", None)
    );
    assert_eq!(facts.stages[3].image.base, BaseKind::Stage(0));
}

#[test]
fn arg_templated_from_is_resolved_with_global_defaults() {
    let text = "ARG PY=3.12\nARG VARIANT=\"slim\"\nARG REGISTRY\nARG BASE=python:${PY}\n\
                FROM $BASE-${VARIANT} AS a\nFROM ${REGISTRY}/app:${TAG:-latest}\nFROM app:${TAG:-stable}\n\
                FROM --platform=$BUILDPLATFORM golang:1.22\nARG PY=9\n";
    let facts = no_errors(text);
    let args: Vec<(&str, Option<&str>)> = facts
        .global_args
        .iter()
        .map(|a| (a.name.as_str(), a.default.as_deref()))
        .collect();
    assert_eq!(
        args,
        [
            ("PY", Some("3.12")),
            ("VARIANT", Some("slim")),
            ("REGISTRY", None),
            ("BASE", Some("python:${PY}"))
        ]
    );
    assert_eq!(slice(text, facts.global_args[1].range), "VARIANT=\"slim\"");
    let a = &facts.stages[0].image;
    assert!(a.templated);
    assert_eq!(slice(text, a.range), "$BASE-${VARIANT}");
    assert_eq!(a.resolved.as_deref(), Some("python:3.12-slim"));
    assert_eq!(
        (a.name.as_str(), a.tag.as_deref()),
        ("python", Some("3.12-slim"))
    );
    let b = &facts.stages[1].image;
    assert!(b.templated);
    assert_eq!(b.resolved, None);
    assert_eq!(
        (b.name.as_str(), b.tag.as_deref()),
        ("${REGISTRY}/app", Some("${TAG:-latest}"))
    );
    assert_eq!(
        facts.stages[2].image.resolved.as_deref(),
        Some("app:stable")
    );
    assert_eq!(facts.stages[3].platform.as_deref(), Some("$BUILDPLATFORM"));
    assert!(!facts.stages[3].image.templated);
    // An ARG inside a stage is not global.
    assert_eq!(facts.global_args.len(), 4);
}

#[test]
fn run_mount_flags_are_not_part_of_the_command() {
    let text = "FROM python:3.12\n\
                RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    \
                uv sync --locked --no-dev\n\
                RUN --network=none make -j2\n";
    let facts = no_errors(text);
    let runs = &facts.stages[0].runs;
    assert_eq!(runs[0].text, "uv sync --locked --no-dev");
    assert!(runs[0].installs && !runs[0].compiles);
    assert!(slice(text, runs[0].range).starts_with("RUN --mount=type=cache"));
    assert!(slice(text, runs[0].range).ends_with("--no-dev"));
    assert_eq!(runs[1].text, "make -j2");
    assert!(runs[1].compiles);
}

#[test]
fn heredoc_bodies_are_part_of_the_run_text() {
    let text = "FROM debian:bookworm\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl=7.* \\\n  ca-certificates\nEOF\n\
                RUN python3 <<-PY\n\tprint('hi')\n\tPY\nUSER app\n";
    let facts = no_errors(text);
    let stage = &facts.stages[0];
    assert_eq!(stage.runs.len(), 2);
    let run = &stage.runs[0];
    assert!(run.text.contains("apt-get install -y"));
    assert!(run.text.starts_with("<<EOF\nset -e\n"));
    assert!(run.installs);
    assert_eq!(run.system_packages, ["curl", "ca-certificates"]);
    assert!(slice(text, run.range).ends_with("ca-certificates\nEOF"));
    assert!(stage.runs[1].text.contains("print('hi')"));
    assert_eq!(stage.user.as_ref().map(|u| u.value.as_str()), Some("app"));
}

#[test]
fn user_healthcheck_expose_env_and_commands() {
    let text = "FROM node:20\nUSER root\nEXPOSE 3000 9229/tcp ${PORT}\n\
                ENV NODE_ENV=production PATH=\"/app/bin:$PATH\" \\\n    EMPTY=\nENV LEGACY some value\n\
                HEALTHCHECK --interval=30s --timeout=3s \\\n  CMD curl -fsS http://localhost:3000/health || exit 1\n\
                ENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD node  server.js --port=3000\nUSER node\n";
    let facts = no_errors(text);
    let stage = &facts.stages[0];
    assert_eq!(
        stage
            .user
            .as_ref()
            .map(|u| (u.value.as_str(), slice(text, u.range))),
        Some(("node", "node"))
    );
    let ports: Vec<&str> = stage.exposes.iter().map(|p| slice(text, p.range)).collect();
    assert_eq!(ports, ["3000", "9229/tcp", "${PORT}"]);
    assert_eq!(stage.exposes[1].value, "9229/tcp");
    let env: Vec<(&str, &str)> = stage
        .env
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        env,
        [
            ("NODE_ENV", "production"),
            ("PATH", "/app/bin:$PATH"),
            ("EMPTY", ""),
            ("LEGACY", "some value")
        ]
    );
    assert_eq!(slice(text, stage.env[1].range), "PATH=\"/app/bin:$PATH\"");
    let check = stage
        .healthcheck
        .as_ref()
        .map(|h| (h.disabled, h.command.as_str()));
    assert_eq!(
        check,
        Some((false, "curl -fsS http://localhost:3000/health || exit 1"))
    );
    assert!(slice(
        text,
        stage
            .healthcheck
            .as_ref()
            .map(|h| h.range)
            .unwrap_or_default()
    )
    .starts_with("HEALTHCHECK --interval"));
    let entry = stage
        .entrypoint
        .as_ref()
        .map(|c| (c.args.clone(), c.exec_form));
    assert_eq!(
        entry,
        Some((vec!["docker-entrypoint.sh".to_string()], true))
    );
    let cmd = stage
        .cmd
        .as_ref()
        .map(|c| (c.args.clone(), c.exec_form, slice(text, c.range)));
    let args = ["node", "server.js", "--port=3000"]
        .map(String::from)
        .to_vec();
    assert_eq!(cmd, Some((args, false, "CMD node  server.js --port=3000")));
}

#[test]
fn healthcheck_none_disables() {
    for line in ["HEALTHCHECK NONE", "healthcheck none"] {
        let text = format!("FROM a\n{line}\n");
        let facts = no_errors(&text);
        assert_eq!(
            facts.stages[0].healthcheck.as_ref().map(|h| h.disabled),
            Some(true),
            "{line}"
        );
    }
}

#[test]
fn exec_form_healthcheck_keeps_its_text() {
    let text = "FROM a\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n";
    let facts = no_errors(text);
    let command = facts.stages[0]
        .healthcheck
        .as_ref()
        .map(|h| h.command.as_str());
    assert_eq!(command, Some("[\"curl\", \"-f\", \"http://localhost/\"]"));
}

#[test]
fn crlf_bom_tabs_and_lower_case() {
    let text = "\u{feff}from\tpython:3.11 as base\r\nrun pip install \\\r\n\t flask\r\nexpose 80\r\ncmd [\"flask\", \"run\"]\r\n";
    let facts = no_errors(text);
    let stage = &facts.stages[0];
    assert_eq!(slice(text, stage.image.range), "python:3.11");
    assert_eq!(
        slice(text, facts.first_instruction.unwrap_or_default()),
        "from\tpython:3.11 as base"
    );
    assert_eq!(stage.alias.as_ref().map(|a| a.value.as_str()), Some("base"));
    assert_eq!(stage.runs[0].text, "pip install \t flask");
    assert!(stage.runs[0].installs);
    assert_eq!(
        slice(text, stage.runs[0].range),
        "run pip install \\\r\n\t flask"
    );
    assert_eq!(slice(text, stage.exposes[0].range), "80");
    assert_eq!(
        slice(text, stage.last_instruction),
        "cmd [\"flask\", \"run\"]"
    );
}

#[test]
fn backtick_escape_directive_and_comments_between_continued_lines() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo one `\n  # a note\n  && echo two\nFROM\nRUN dotnet `\n publish\n";
    let facts = parse(text);
    assert_eq!(facts.stages[0].runs[0].text, "echo one   && echo two");
    // The half-typed FROM is reported; the RUN after it is still read, with its backtick continuation.
    assert_eq!(facts.errors.len(), 1, "{:?}", facts.errors);
    assert_eq!(facts.stages.len(), 2);
    assert_eq!(
        facts.stages[1].runs.first().map(|r| r.text.as_str()),
        Some("dotnet  publish")
    );
    assert!(facts.stages[1].runs[0].compiles);
}

#[test]
fn non_ascii_in_comments_and_labels() {
    let text = "# Überprüfung — 日本語 🚀\nFROM alpine:3.20\nLABEL description=\"Café ☕ service\" maintainer=\"Zoë\"\n\
                # ünïcödé between\nRUN apk add --no-cache tzdata\nUSER nobody\n";
    let facts = no_errors(text);
    let stage = &facts.stages[0];
    assert_eq!(slice(text, stage.image.range), "alpine:3.20");
    assert_eq!(stage.runs[0].system_packages, ["tzdata"]);
    assert_eq!(
        stage.user.as_ref().map(|u| slice(text, u.range)),
        Some("nobody")
    );
}

#[test]
fn brackets_opening_continued_lines_do_not_break_the_instruction() {
    let windows = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n\
                   RUN Set-ExecutionPolicy Bypass -Force; `\n    [Net.ServicePointManager]::SecurityProtocol = 3072; `\n    \
                   [Environment]::SetEnvironmentVariable('A', 'b',[EnvironmentVariableTarget]::Machine)\n";
    let facts = no_errors(windows);
    let run = &facts.stages[0].runs[0];
    assert!(run
        .text
        .contains("    [Net.ServicePointManager]::SecurityProtocol"));
    assert!(run.text.ends_with(",[EnvironmentVariableTarget]::Machine)"));

    let linux = "FROM alpine\nRUN set -e; \\\n  [ -f /etc/os-release ] || apk add --no-cache curl\nCMD [\"sh\"]\n";
    let facts = no_errors(linux);
    let stage = &facts.stages[0];
    assert_eq!(
        stage.runs[0].text,
        "set -e;   [ -f /etc/os-release ] || apk add --no-cache curl"
    );
    assert_eq!(stage.runs[0].system_packages, ["curl"]);
    assert_eq!(stage.cmd.as_ref().map(|c| c.exec_form), Some(true));
}

#[test]
fn onbuild_and_other_instructions_only_move_the_last_instruction() {
    let text = "FROM python:3.12\nONBUILD RUN pip install -r requirements.txt\nWORKDIR /app\nSTOPSIGNAL SIGTERM\n";
    let facts = no_errors(text);
    let stage = &facts.stages[0];
    assert!(stage.runs.is_empty());
    assert_eq!(slice(text, stage.last_instruction), "STOPSIGNAL SIGTERM");
    assert_eq!(slice(text, stage.range), text.trim_end());
}
