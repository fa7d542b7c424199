//! ## What it checks
//! That every base image pulled from a registry names an explicit version: a tag with a version number in it
//! (`3.12-slim`, `20-bullseye`, `1.25-alpine`), a distribution image tagged with its release (`ubuntu:jammy`,
//! `debian:bookworm-slim`), or a digest. No tag, `latest`, channels (`lts`, `stable`), variant words alone
//! (`python:slim`, `node:alpine`) and a release alone on an image with versions of its own (`python:bookworm`)
//! float. `FROM scratch` and `FROM <earlier stage>` are not pulled and always pass; an image templated with
//! `ARG` is checked after substituting the ARG's default, and skipped when the default is unknown.
//!
//! ## Why it matters
//! `python` or `python:latest` changes under you: a rebuild of the same commit can pull a new major version and
//! break in production, and a rollback cannot restore the old image.
//!
//! ## Example
//! ```dockerfile
//! FROM python
//! FROM node:latest
//! ```
//!
//! ## Fix
//! Pin a version tag (`python:3.12-slim`) or, better, a digest (`python:3.12-slim@sha256:...`).

use shipready_syntax::dockerfile::BaseKind;

use super::tags::{classify, Tag};
use crate::index::docker::dockerfile;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "unpinned-base-image",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "Base image without an explicit version",
    impact: "Rebuilds pull whatever the tag points to today: builds are not reproducible and rollbacks are unreliable.",
    recommendation: "Pin each base image to a version tag or a digest.",
    effort: "15 minutes",
    source: include_str!("unpinned_base_image.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let mut findings = Vec::new();
    let mut checked = 0;
    let mut pinned = Vec::new();
    for path in &ctx.index.docker().dockerfiles {
        let Some(file) = ctx.workspace.file(path) else {
            continue;
        };
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        for stage in &d.stages {
            let image = &stage.image;
            // A half-typed `FROM` has no image yet; an ARG-templated one with unknown defaults cannot be judged.
            if image.text.is_empty()
                || image.base != BaseKind::Registry
                || (image.templated && image.resolved.is_none())
            {
                continue;
            }
            checked += 1;
            let tag = classify(&image.name, image.tag.as_deref());
            if image.digest.is_some() || tag == Tag::Pinned {
                pinned.push((file.path.clone(), image.range));
                continue;
            }
            let shown = image.resolved.as_deref().unwrap_or(&image.text);
            let why = match tag {
                Tag::Channel => "follows a moving channel tag (`latest`, `lts`, `stable` move to each new release)",
                Tag::ReleaseOnly => "names a distribution release but no version of the image itself",
                Tag::Variant => {
                    "has a tag without a version (`slim`, `alpine` float like `latest`)"
                }
                Tag::Missing | Tag::Pinned => "has no version tag or digest",
            };
            findings.push(Finding::at(
                &file.path,
                image.range,
                format!("Base image `{shown}` {why}: rebuilds are not reproducible. Pin a version tag or a digest."),
            ));
        }
    }
    if ctx.index.docker().dockerfiles.is_empty() {
        return Outcome::not_applicable(
            "no base images",
            Finding::report_only("No Dockerfile, so no base image is pinned: add a Dockerfile whose FROM names a version tag or digest (python:3.12-slim)."),
        );
    }
    let details = format!(
        "{} checked",
        super::super::plural(checked, "base image", "base images")
    );
    if findings.is_empty() {
        return Outcome::pass(details, ctx.index.docker().dockerfiles.clone()).satisfied_by(pinned);
    }
    let needed = findings.len();
    Outcome::fail(details, findings).needing(needed)
}

#[cfg(test)]
mod tests {
    use crate::{audit, Profile, Workspace};

    fn findings(dockerfile: &str) -> Vec<String> {
        let a = audit(
            &Workspace::from_texts([("Dockerfile", dockerfile)]),
            Profile::Seed,
        );
        a.findings
            .iter()
            .filter(|f| f.code == "DK004")
            .map(|f| dockerfile[f.range.map(|r| r.start..r.end).unwrap_or(0..0)].to_owned())
            .collect()
    }

    #[test]
    fn version_tags_and_digests_pass() {
        assert!(findings("FROM python:3.12-slim\n").is_empty());
        assert!(findings("FROM node:20-alpine AS web\nFROM web\n").is_empty());
        assert!(findings(
            "FROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
        )
        .is_empty());
        assert!(findings("FROM scratch\n").is_empty());
    }

    #[test]
    fn distribution_releases_are_versions() {
        for image in [
            "debian:bookworm-slim",
            "ubuntu:jammy",
            "alpine:3.19",
            "node:20-bullseye",
            "nginx:1.25-alpine",
            "python:3.12-bookworm-slim",
        ] {
            assert!(findings(&format!("FROM {image}\n")).is_empty(), "{image}");
        }
        assert_eq!(findings("FROM node:alpine\n"), ["node:alpine"]);
        assert_eq!(findings("FROM python:bookworm\n"), ["python:bookworm"]);
    }

    #[test]
    fn arg_templated_images_use_the_default() {
        assert!(findings("ARG BASE=debian:bookworm-slim\nFROM ${BASE}\n").is_empty());
        assert!(findings("ARG PY=3.12\nFROM python:${PY}-slim AS base\nFROM base\n").is_empty());
        assert_eq!(
            findings("ARG TAG=slim\nFROM python:${TAG}\n"),
            ["python:${TAG}"]
        );
        assert!(findings("ARG TAG\nFROM python:${TAG}\n").is_empty());
    }

    #[test]
    fn floating_tags_fail_at_the_image() {
        assert_eq!(findings("FROM python\n"), ["python"]);
        assert_eq!(findings("FROM python:latest\n"), ["python:latest"]);
        assert_eq!(findings("FROM python:slim\n"), ["python:slim"]);
        assert_eq!(findings("FROM node:lts-alpine\n"), ["node:lts-alpine"]);
    }
}
