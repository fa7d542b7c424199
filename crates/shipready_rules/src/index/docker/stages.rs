//! What a build's stages are made of: the chain of stages a stage is built `FROM`, and whether the stage a
//! build produces copies artifacts out of another stage, which is what makes a build multi-stage.

use shipready_syntax::dockerfile::{BaseKind, Command, DockerfileFacts, Healthcheck, Stage};

/// `stage`, then the earlier stage it is built `FROM`, and so on up to the one that starts from a registry
/// image or `scratch`.
pub fn chain<'a>(d: &'a DockerfileFacts, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut out = vec![stage];
    let mut current = stage;
    // A stage can only be built from an earlier one, so the chain is at most as long as the file.
    while let BaseKind::Stage(i) = current.image.base {
        match d.stages.get(i).filter(|s| s.index < current.index) {
            Some(parent) => {
                out.push(parent);
                current = parent;
            }
            None => break,
        }
    }
    out
}

/// The first `COPY --from=<stage>` in `stage` or the stages it is built from that copies out of another
/// stage of this file (by `AS` name, case-insensitively, or by index): the artifacts of a builder stage.
/// `COPY --from=<image>` copies from a registry image, not from a stage of this build, and does not count.
pub fn copied_stage<'a>(d: &'a DockerfileFacts, stage: &'a Stage) -> Option<&'a Stage> {
    let links = chain(d, stage);
    links.iter().find_map(|link| {
        link.copies_from
            .iter()
            .filter_map(|from| stage_named(d, from))
            .find(|source| source.index != link.index)
    })
}

/// The `ENTRYPOINT` and `CMD` the image of `stage` runs: its own, else the ones it inherits from the stages
/// it is built `FROM`. An `ENTRYPOINT` set in a stage drops the `CMD` inherited from below it, as Docker does.
pub fn command<'a>(d: &'a DockerfileFacts, stage: &'a Stage) -> [Option<&'a Command>; 2] {
    let links = chain(d, stage);
    let entry = links
        .iter()
        .enumerate()
        .find_map(|(i, s)| s.entrypoint.as_ref().map(|c| (i, c)));
    let cmd = links
        .iter()
        .enumerate()
        .find_map(|(i, s)| s.cmd.as_ref().map(|c| (i, c)));
    let cmd = match (entry, cmd) {
        (Some((e, _)), Some((c, _))) if c > e => None,
        (_, cmd) => cmd.map(|(_, c)| c),
    };
    [entry.map(|(_, c)| c), cmd]
}

/// [`command`] as one line: the ENTRYPOINT arguments, then the CMD arguments.
pub fn command_line(d: &DockerfileFacts, stage: &Stage) -> String {
    let args: Vec<&str> = command(d, stage)
        .into_iter()
        .flatten()
        .flat_map(|c| c.args.iter().map(String::as_str))
        .collect();
    args.join(" ")
}

/// The `HEALTHCHECK` in effect in the image of `stage`: its own, else the nearest one it inherits through
/// `FROM` (a `HEALTHCHECK NONE` included, which switches an inherited check off).
pub fn healthcheck<'a>(d: &'a DockerfileFacts, stage: &'a Stage) -> Option<&'a Healthcheck> {
    chain(d, stage)
        .into_iter()
        .find_map(|s| s.healthcheck.as_ref())
}

/// Whether building `stage` is a multi-stage build: it copies artifacts out of a builder stage.
pub fn is_multi_stage(d: &DockerfileFacts, stage: &Stage) -> bool {
    copied_stage(d, stage).is_some()
}

/// The stage a `--from` value names: an `AS` name (Docker matches them case-insensitively) or a stage index.
fn stage_named<'a>(d: &'a DockerfileFacts, from: &str) -> Option<&'a Stage> {
    let from = from.trim_matches(['"', '\'']);
    if let Ok(index) = from.parse::<usize>() {
        return d.stages.get(index);
    }
    d.stages.iter().find(|s| {
        s.alias
            .as_ref()
            .is_some_and(|a| a.value.eq_ignore_ascii_case(from))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multi(text: &str) -> bool {
        let d = shipready_syntax::dockerfile::parse(text);
        d.stages.last().is_some_and(|s| is_multi_stage(&d, s))
    }

    #[test]
    fn a_final_stage_copying_from_a_builder_is_multi_stage() {
        assert!(multi(
            "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n"
        ));
        assert!(multi(
            "FROM rust:1.79\nRUN cargo build --release\nFROM debian:bookworm-slim\nCOPY --from=0 /t/app /app\n"
        ));
        assert!(multi(
            "FROM node:20 AS Builder\nRUN npm ci\nFROM nginx:1.25-alpine\nCOPY --from=builder /dist /srv\n"
        ));
    }

    #[test]
    fn the_copy_may_come_through_the_stages_the_final_one_is_built_from() {
        assert!(multi(
            "FROM python:3.12 AS deps\nRUN pip wheel -w /w .\nFROM python:3.12-slim AS runtime\nCOPY --from=deps /w /w\nFROM runtime AS prod\nCMD [\"app\"]\n"
        ));
    }

    #[test]
    fn alternative_targets_and_dev_stages_are_not_multi_stage() {
        // Two final targets built from one base: neither copies from a builder.
        assert!(!multi(
            "FROM python:3.12 AS base\nRUN pip install -r requirements.txt\nFROM base AS dev\nRUN pip install pytest\nFROM base AS prod\nCMD [\"gunicorn\", \"app:app\"]\n"
        ));
        // A development stage on top of the production one.
        assert!(!multi(
            "FROM node:20 AS prod\nRUN npm ci\nFROM prod AS dev\nRUN npm install --include=dev\n"
        ));
        // Copying a binary out of a registry image is not a builder stage.
        assert!(!multi(
            "FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv\nRUN uv pip install .\n"
        ));
        // An earlier stage that copies is not what the final stage ships.
        assert!(!multi(
            "FROM node:20 AS a\nRUN npm ci\nFROM node:20 AS b\nCOPY --from=a /x /x\nFROM python:3.12\nRUN pip install .\n"
        ));
        assert!(!multi(""));
    }

    #[test]
    fn commands_and_health_checks_are_inherited_through_from() {
        let d = shipready_syntax::dockerfile::parse(
            "FROM python:3.12 AS runtime\nHEALTHCHECK CMD curl -f http://localhost:8080/health\nCMD [\"gunicorn\", \"-b\", \":8080\", \"app:app\"]\nFROM runtime AS release\nUSER nobody\nFROM runtime AS tool\nHEALTHCHECK NONE\nENTRYPOINT [\"python\", \"-m\", \"tool\"]\n",
        );
        let line = |i: usize| d.stages.get(i).map(|s| command_line(&d, s));
        assert_eq!(line(1).as_deref(), Some("gunicorn -b :8080 app:app"));
        // An ENTRYPOINT drops the CMD it would otherwise inherit.
        assert_eq!(line(2).as_deref(), Some("python -m tool"));
        let check = |i: usize| {
            d.stages
                .get(i)
                .and_then(|s| healthcheck(&d, s))
                .map(|h| h.disabled)
        };
        assert_eq!(check(1), Some(false));
        assert_eq!(check(2), Some(true));
    }

    #[test]
    fn the_chain_follows_from_lines() {
        let d = shipready_syntax::dockerfile::parse(
            "FROM python:3.12 AS base\nFROM base AS runtime\nFROM node:20\nFROM runtime AS debug\n",
        );
        let last = d.stages.last().map(|s| chain(&d, s));
        let indexes: Vec<usize> = last.unwrap_or_default().iter().map(|s| s.index).collect();
        assert_eq!(indexes, [3, 1, 0]);
    }
}
