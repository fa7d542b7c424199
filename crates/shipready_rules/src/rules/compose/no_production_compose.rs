//! ## What it checks
//! That a unit whose containers are run by Compose has a production compose file set apart from development.
//! It fails when every compose file of the unit is a development setup: files named or headed for development
//! (`compose.dev.yaml`, `docker-compose.override.yml`) are set aside as such, and a production-named one counts
//! as development when a service builds a `dev`/`development` stage, bind-mounts its whole build context over
//! the image read-write (live source; a mount into a configuration folder such as `/etc/nginx` does not
//! count), or runs an auto-reloading server (`--reload`, `runserver`, `fastapi dev`). The finding sits on
//! that construct. Units that also build an image no compose file builds (a
//! `Dockerfile.prod` released to a platform) deploy it another way and are not judged.
//!
//! ## Why it matters
//! A development stack run in production ships the development image, source mounted from the host instead
//! of the built artifact, reloaders that restart the server on every file change and debug settings. Nobody
//! can tell what production runs, because no file says.
//!
//! ## Example
//! A single `docker-compose.yml`:
//! ```yaml
//! services:
//!   web:
//!     build: ./project
//!     command: uvicorn app.main:app --reload --host 0.0.0.0
//!     volumes:
//!       - ./project:/usr/src/app
//! ```
//!
//! ## Fix
//! Keep the development settings in `compose.override.yaml` (Compose merges it automatically on a developer's
//! machine) or `compose.dev.yaml`, and make the base file (or a `compose.prod.yaml`) what production runs: the
//! built image, a production server command, a restart policy and health checks.

use super::projects;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-production-compose",
    category: Category::Docker,
    severity: Severity::Medium,
    title: "Every compose file is a development setup",
    impact:
        "Production runs the development stack (mounted source, reloaders), or an undocumented one.",
    recommendation:
        "Move development settings to compose.override.yaml and keep a production compose file.",
    effort: "1 hour",
    source: include_str!("no_production_compose.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let projects = projects(ctx);
    if let Some((file, _)) = projects.services().next().map(|(_, s)| s.first()) {
        return Outcome::pass(
            format!("{} is a production compose file", file.path),
            vec![file.path.clone()],
        );
    }
    if projects.dev_setups.is_empty() {
        return super::not_applicable("no compose file");
    }
    let docker = &ctx.index.docker();
    if let Some(other) = docker
        .dockerfiles
        .iter()
        .find(|d| !docker.builds.iter().any(|b| &b.paths.dockerfile == *d))
    {
        return super::not_applicable(&format!(
            "{other} is built by no compose file: production deploys it another way"
        ));
    }
    let findings: Vec<Finding> = projects
        .dev_setups
        .iter()
        .map(|(path, why, range)| {
            Finding::at(
                path,
                *range,
                format!(
                    "{path} is a development setup ({why}) and no production compose file sits beside it: move the development settings to compose.override.yaml and keep this file for production."
                ),
            )
        })
        .collect();
    let n = findings.len();
    let details = format!(
        "{} of {n} compose {} a development setup",
        n,
        if n == 1 { "file is" } else { "files are" }
    );
    Outcome::fail(details, findings).needing(1)
}

#[cfg(test)]
mod tests {
    use crate::Status;

    fn run(files: &[(&str, &str)]) -> (Status, Vec<String>) {
        super::super::test_support::places(super::check, files)
    }

    const DEV: &str = "services:\n  web:\n    build: ./project\n    command: uvicorn app.main:app --reload\n    volumes:\n      - ./project:/usr/src/app\n";
    const IMAGE: &str = "FROM python:3.12-slim\nCMD [\"uvicorn\", \"app.main:app\"]\n";

    #[test]
    fn a_lone_development_setup_fails_at_what_shows_it() {
        let (status, places) = run(&[("docker-compose.yml", DEV), ("project/Dockerfile", IMAGE)]);
        assert_eq!(
            (status, places),
            (Status::Fail, vec!["./project:/usr/src/app".to_owned()])
        );
    }

    #[test]
    fn a_production_file_beside_it_or_an_image_deployed_another_way_passes() {
        let prod = "services:\n  web:\n    build:\n      context: ./project\n      dockerfile: Dockerfile.prod\n";
        let (status, _) = run(&[
            ("docker-compose.yml", DEV),
            ("docker-compose.prod.yml", prod),
            ("project/Dockerfile.prod", IMAGE),
        ]);
        assert_eq!(status, Status::Pass);
        let (status, _) = run(&[
            ("docker-compose.yml", DEV),
            ("project/Dockerfile.prod", IMAGE),
        ]);
        assert_eq!(status, Status::NotApplicable);
    }
}
