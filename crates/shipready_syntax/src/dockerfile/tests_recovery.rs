//! Tests of [`parse`](super::parse) on broken and half-typed Dockerfiles: every error is reported with its exact
//! range and what could be understood is still returned.

use super::tests::slice;
use super::*;

#[test]
fn half_typed_from_alone() {
    for text in ["FROM", "FROM ", "from\n", "FROM --platform=linux/arm64"] {
        let facts = parse(text);
        assert_eq!(facts.errors.len(), 1, "{text:?}: {:?}", facts.errors);
        assert!(facts.errors[0].message.contains("FROM"), "{text:?}");
        assert_eq!(facts.stages.len(), 1, "{text:?}");
        assert_eq!(facts.stages[0].image.text, "");
        assert!(facts.stages[0].image.range.is_empty());
    }
}

#[test]
fn half_typed_from_in_the_middle_keeps_later_instructions() {
    let text = "FROM python:3.12 AS build\nRUN make\nFROM\nRUN ls\nFOO bar\nUSER app\nFROM x AS\n";
    let facts = parse(text);
    let messages: Vec<(&str, &str)> = facts
        .errors
        .iter()
        .map(|e| (slice(text, e.range), e.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "FROM",
                "`FROM` needs an image, e.g. `FROM python:3.12-slim`"
            ),
            ("FOO bar", "unknown instruction `FOO`"),
            ("AS", "`AS` needs a stage name")
        ]
    );
    assert_eq!(facts.stages.len(), 3);
    assert_eq!(facts.stages[0].runs.len(), 1);
    assert_eq!(
        facts.stages[1].runs.first().map(|r| r.text.as_str()),
        Some("ls")
    );
    assert_eq!(
        facts.stages[1].user.as_ref().map(|u| u.value.as_str()),
        Some("app")
    );
    assert_eq!(facts.stages[2].image.name, "x");
}

#[test]
fn env_without_value_does_not_swallow_the_next_line() {
    let text = "FROM a\nENV ONLYKEY\nRUN pip install x\n";
    let facts = parse(text);
    assert_eq!(facts.errors.len(), 1, "{:?}", facts.errors);
    assert_eq!(slice(text, facts.errors[0].range), "ENV ONLYKEY");
    assert_eq!(facts.stages[0].runs.len(), 1);
}

#[test]
fn instructions_before_from_are_errors_but_args_are_global() {
    let text = "ARG A=1 B=2\nRUN echo hi\nFROM a\n";
    let facts = parse(text);
    assert_eq!(facts.global_args.len(), 2);
    assert_eq!(facts.errors.len(), 1);
    assert_eq!(slice(text, facts.errors[0].range), "RUN echo hi");
    assert_eq!(
        slice(text, facts.first_instruction.unwrap_or_default()),
        "ARG A=1 B=2"
    );
}

#[test]
fn unclosed_quotes_and_garbage_never_panic() {
    let inputs = [
        "FROM a\nRUN echo \"unterminated\nCMD [\"a\", \n",
        "FROM a\nRUN <<EOF\nno end",
        "FROM a\nENV \"\nLABEL\nEXPOSE\nUSER\nHEALTHCHECK\nHEALTHCHECK CMD\nCOPY\nONBUILD\n",
        "\\\n\\\n`\n$\n${\nFROM ${\nFROM $\nFROM a:${X:-\n",
        "FROM a@\nFROM :tag\nFROM a:\nFROM -x\nFROM a AS b c\n",
        "\u{feff}\r\r\n\t\u{0}FROM\u{0}",
        "FROM é:ü@ß AS 日本\nRUN ✓\n",
    ];
    for text in inputs {
        let facts = parse(text);
        for e in &facts.errors {
            assert!(
                e.range.end <= text.len() && text.get(e.range.start..e.range.end).is_some(),
                "{text:?}"
            );
        }
        for stage in &facts.stages {
            assert!(
                text.get(stage.range.start..stage.range.end).is_some(),
                "{text:?}"
            );
            assert!(
                text.get(stage.image.range.start..stage.image.range.end)
                    .is_some(),
                "{text:?}"
            );
        }
    }
    // Every prefix of a realistic file parses without panicking (an editor sees each one).
    let full = "# syntax=docker/dockerfile:1\nARG V=3\nFROM python:${V} AS b\nRUN --mount=type=cache,target=/c pip install \\\n  x\nRUN <<EOF\necho é\nEOF\nHEALTHCHECK CMD [\"a\"]\nUSER 1000\n";
    for end in (0..=full.len()).filter(|&i| full.is_char_boundary(i)) {
        let _ = parse(&full[..end]);
    }
}

#[test]
fn healthcheck_problems_are_reported() {
    let text = "FROM a\nHEALTHCHECK curl localhost\n";
    let facts = parse(text);
    assert_eq!(facts.errors.len(), 1);
    assert_eq!(
        facts.stages[0]
            .healthcheck
            .as_ref()
            .map(|h| h.command.as_str()),
        Some("curl localhost")
    );
}

#[test]
fn many_half_typed_froms_each_open_a_stage() {
    let text = "FROM\n".repeat(20);
    let facts = parse(&text);
    assert_eq!(facts.stages.len(), 20);
    assert_eq!(facts.errors.len(), 20);
    assert!(facts.errors.iter().all(|e| slice(&text, e.range) == "FROM"));
}

#[test]
fn garbage_after_an_instruction_is_reported_alone() {
    let text = "FROM python:3.12 AS build extra\nRUN make\nFROM alpine AS\nUSER app\n";
    let facts = parse(text);
    let messages: Vec<(&str, &str)> = facts
        .errors
        .iter()
        .map(|e| (slice(text, e.range), e.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "extra",
                "unexpected `extra` after the end of the instruction"
            ),
            ("AS", "`AS` needs a stage name")
        ]
    );
    assert_eq!(facts.stages.len(), 2);
    assert_eq!(
        facts.stages[0].alias.as_ref().map(|a| a.value.as_str()),
        Some("build")
    );
    assert!(facts.stages[0].runs[0].compiles);
    assert_eq!(
        facts.stages[1].user.as_ref().map(|u| u.value.as_str()),
        Some("app")
    );
}
