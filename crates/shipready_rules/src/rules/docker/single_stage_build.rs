//! ## What it checks
//! That no image is built by installing or compiling dependencies in the stage it ships. A Dockerfile is a
//! multi-stage build when its last stage, or a stage a compose `build.target` names, copies artifacts out of
//! a builder stage with `COPY --from=<stage>`, itself or through the stages it is built `FROM`; it passes.
//! Otherwise it fails when the stage that is built (each compose service's target, else the last stage), or a
//! stage that one is built from, runs `RUN` steps that install packages (`pip install`, `npm ci`,
//! `apt-get install`, ...) or build code. Several `FROM` lines alone do not make a build multi-stage: alternative targets built from one base
//! (`FROM base AS dev`, `FROM base AS prod`) and a development stage on top of the production one ship what
//! they install. A single stage that only copies prebuilt artifacts passes.
//!
//! ## Why it matters
//! Build tools, caches and compilers end up in the runtime image: it is larger, slower to pull and exposes
//! more to attackers.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12 AS base
//! RUN pip install -r requirements.txt
//!
//! FROM base AS prod
//! CMD ["gunicorn", "app:app"]
//! ```
//!
//! ## Fix
//! Install or build in a `builder` stage and copy only the result into a slim final stage
//! (`COPY --from=builder /venv /venv`).

use shipready_syntax::dockerfile::Stage;

use crate::index::docker::{built_stage, chain, dockerfile, final_stage, is_multi_stage};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "single-stage-build",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "Dependencies installed in a single-stage build",
    impact: "Build tools and caches ship in the runtime image: larger images, slower deploys, more attack surface.",
    recommendation: "Use a multi-stage build: install dependencies in a builder stage, copy the result into a slim runtime stage.",
    effort: "1-2 hours",
    source: include_str!("single_stage_build.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let mut findings = Vec::new();
    let mut multi = 0;
    for path in &ctx.index.docker().dockerfiles {
        let Some(file) = ctx.workspace.file(path) else {
            continue;
        };
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        // Multi-stage: the last stage copies from a builder stage, or a stage a compose service targets does.
        // What is judged otherwise: the stages compose services build (their target, else the last stage), or
        // the last stage when no compose file builds this Dockerfile.
        let mut built: Vec<&Stage> = ctx
            .index
            .docker()
            .builds
            .iter()
            .filter(|b| b.paths.dockerfile == *path)
            .filter_map(|b| built_stage(d, b.target.as_deref()))
            .collect();
        if built.is_empty() {
            built.extend(final_stage(d));
        }
        built.sort_by_key(|s| s.index);
        built.dedup_by_key(|s| s.index);
        let final_copies = final_stage(d).is_some_and(|s| is_multi_stage(d, s));
        if final_copies || built.iter().any(|s| is_multi_stage(d, s)) {
            multi += 1;
            continue;
        }
        let shipped = built.iter().find_map(|s| {
            chain(d, s)
                .into_iter()
                .find_map(|link| link.runs.iter().find(|r| r.installs || r.compiles))
                .map(|step| (*s, step))
        });
        let Some((stage, step)) = shipped else {
            continue;
        };
        let what = if step.compiles {
            "compiles code"
        } else {
            "installs dependencies"
        };
        let message = if d.stages.len() > 1 {
            format!("This build {what} in the stage it ships: no stage copies artifacts from a builder stage (`COPY --from=builder`), so build tools and caches ship in the runtime image. Build in a builder stage and copy only the result into a slim final stage.")
        } else {
            format!("This single-stage build {what}: build tools and caches ship in the runtime image. Split it into a builder stage and a slim final stage.")
        };
        findings.push(
            Finding::at(&file.path, stage.from_range, message).with_related(
                &file.path,
                step.range,
                "dependencies are installed here",
            ),
        );
    }
    let details = format!("{multi} with multi-stage builds");
    if ctx.index.docker().dockerfiles.is_empty() {
        let finding = Finding::report_only("No Dockerfile, so there is no multi-stage build: add a Dockerfile that installs dependencies in a builder stage and copies the result into a slim final stage.");
        return Outcome::not_applicable(details, finding);
    }
    if findings.is_empty() {
        return Outcome::pass(details, ctx.index.docker().dockerfiles.clone());
    }
    let needed = findings.len();
    Outcome::fail(details, findings).needing(needed)
}

#[cfg(test)]
mod tests {
    use crate::{audit, Profile, Status, Workspace};

    /// DK003's status and the text its findings point at.
    fn dk003(files: &[(&str, &str)]) -> (Status, Vec<String>) {
        let a = audit(&Workspace::from_texts(files.iter().copied()), Profile::Seed);
        let status = a
            .checks
            .iter()
            .find(|c| c.code == "DK003")
            .map_or(Status::NotApplicable, |c| c.status);
        let at = a
            .findings
            .iter()
            .filter(|f| f.code == "DK003")
            .filter_map(|f| {
                let text = files.iter().find(|(p, _)| Some(*p) == f.file.as_deref())?.1;
                f.range
                    .and_then(|r| text.get(r.start..r.end))
                    .map(str::to_owned)
            })
            .collect();
        (status, at)
    }

    #[test]
    fn a_builder_stage_copied_into_the_final_one_passes() {
        let docker = "FROM python:3.12 AS builder\nRUN pip wheel -w /w -r requirements.txt\n\nFROM python:3.12-slim\nCOPY --from=builder /w /w\nRUN pip install --no-index /w/*.whl\n";
        assert_eq!(dk003(&[("Dockerfile", docker)]), (Status::Pass, vec![]));
    }

    #[test]
    fn alternative_targets_fail_at_the_final_stage() {
        let docker = "FROM python:3.12 AS base\nRUN pip install -r requirements.txt\n\nFROM base AS dev\nRUN pip install pytest\n\nFROM base AS prod\nCMD [\"gunicorn\", \"app:app\"]\n";
        assert_eq!(
            dk003(&[("Dockerfile", docker)]),
            (Status::Fail, vec!["FROM base AS prod".to_owned()])
        );
    }

    #[test]
    fn a_dev_stage_on_top_of_production_does_not_make_it_multi_stage() {
        let docker = "FROM node:20 AS prod\nRUN npm ci --omit=dev\nCMD [\"node\", \"server.js\"]\n\nFROM prod AS dev\nRUN npm install\n";
        assert_eq!(
            dk003(&[("Dockerfile", docker)]),
            (Status::Fail, vec!["FROM prod AS dev".to_owned()])
        );
    }

    #[test]
    fn a_compose_target_that_copies_from_a_builder_is_multi_stage() {
        let docker = "FROM node:20 AS build\nRUN npm ci && npm run build\n\nFROM nginx:1.25-alpine AS web\nCOPY --from=build /app/dist /usr/share/nginx/html\n\nFROM build AS dev\nCMD [\"npm\", \"run\", \"dev\"]\n";
        let compose = "services:\n  web:\n    build:\n      context: ..\n      dockerfile: web/Dockerfile\n      target: web\n";
        assert_eq!(
            dk003(&[("web/Dockerfile", docker)]).0,
            Status::Fail,
            "without compose the dev stage is what gets built"
        );
        assert_eq!(
            dk003(&[("web/Dockerfile", docker), ("deploy/compose.yaml", compose)]),
            (Status::Pass, vec![])
        );
    }

    #[test]
    fn a_dev_stage_after_the_stage_compose_builds_is_not_judged() {
        // compose builds `app`, which installs nothing; the later dev-envs stage installs tools but is not
        // built for the deployment.
        let docker = "FROM php:8.3-apache AS app\nCOPY src/ /var/www/html/\n\nFROM app AS dev-envs\nRUN apt-get update && apt-get install -y git\n";
        let compose = "services:\n  web:\n    build:\n      context: .\n      target: app\n";
        assert_eq!(
            dk003(&[("Dockerfile", docker), ("compose.yaml", compose)]),
            (Status::Pass, vec![])
        );
        assert_eq!(
            dk003(&[("Dockerfile", docker)]),
            (Status::Fail, vec!["FROM app AS dev-envs".to_owned()])
        );
    }

    #[test]
    fn a_compose_target_that_installs_is_blamed_at_its_stage() {
        let docker = "FROM python:3.12 AS builder\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n\nFROM builder AS dev-envs\nRUN apt-get update && apt-get install -y git\n";
        let compose = "services:\n  web:\n    build:\n      context: app\n      target: builder\n";
        assert_eq!(
            dk003(&[("app/Dockerfile", docker), ("compose.yaml", compose)]),
            (Status::Fail, vec!["FROM python:3.12 AS builder".to_owned()])
        );
    }

    #[test]
    fn a_final_stage_that_copies_from_a_builder_passes_whatever_compose_targets() {
        let docker = "FROM golang:1.22-alpine AS builder\nRUN go build -o /bin/app .\nCMD [\"/bin/app\"]\n\nFROM builder AS dev-envs\nRUN apk add git\n\nFROM scratch\nCOPY --from=builder /bin/app /app\n";
        let compose =
            "services:\n  backend:\n    build:\n      context: .\n      target: builder\n";
        assert_eq!(
            dk003(&[("Dockerfile", docker), ("compose.yaml", compose)]),
            (Status::Pass, vec![])
        );
    }

    #[test]
    fn stages_that_only_copy_prebuilt_artifacts_pass() {
        let docker = "FROM node:20 AS test\nRUN npm ci && npm test\n\nFROM nginx:1.25-alpine\nCOPY dist/ /usr/share/nginx/html/\n";
        assert_eq!(dk003(&[("Dockerfile", docker)]), (Status::Pass, vec![]));
    }
}
