//! Pipelines rules (`standard` profile only): whether the CI workflows given to a unit test it, build its image,
//! deploy it, scan it, check it after deploying, and pin the actions they run. A workflow is given to the units
//! it names (see `units_ci`). A unit with no workflow at all gets one finding (CI001), not six; a sample of a
//! collection the repository's CI does not build, and a unit that deploys nothing, get none.

pub mod no_deploy_step;
pub mod no_image_build;
pub mod no_post_deploy_check;
pub mod no_test_workflow;
pub mod no_vulnerability_scan;
pub(crate) mod steps;
pub mod unpinned_action;

use shipready_syntax::workflow::WorkflowFacts;
use shipready_syntax::FileKind;
use shipready_text::TextRange;

use steps::{Activity, Found};

use crate::{Context, Outcome, SourceFile};

/// The unit's CI files and what their jobs do.
pub(crate) struct Ci<'a> {
    /// Workflows that run jobs (GitHub Actions, GitLab CI), by path.
    pub workflows: Vec<(&'a SourceFile, &'a WorkflowFacts)>,
    /// Dependency bots' configurations (Dependabot, Renovate).
    pub bots: Vec<&'a WorkflowFacts>,
    pub found: Vec<Hit<'a>>,
}

/// An activity of a job of a workflow.
pub(crate) struct Hit<'a> {
    pub file: &'a str,
    /// Index of the workflow in [`Ci::workflows`] and of the job in it.
    pub workflow: usize,
    pub job: usize,
    pub found: Found,
}

impl<'a> Ci<'a> {
    pub fn of(ctx: &'a Context) -> Ci<'a> {
        let mut workflows = Vec::new();
        let mut bots = Vec::new();
        for file in ctx.workspace.of_kind(FileKind::Workflow) {
            let Some(w) = crate::units_ci::workflow(file) else {
                continue;
            };
            if w.system.runs_jobs() {
                workflows.push((file, w));
            } else {
                bots.push(w);
            }
        }
        let mut found = Vec::new();
        for (wi, (file, w)) in workflows.iter().enumerate() {
            for (ji, job) in w.jobs.iter().enumerate() {
                for f in steps::of_job(job, ctx.workspace) {
                    found.push(Hit {
                        file: file.path.as_str(),
                        workflow: wi,
                        job: ji,
                        found: f,
                    });
                }
            }
        }
        Ci {
            workflows,
            bots,
            found,
        }
    }

    pub fn first(&self, activities: &[Activity]) -> Option<&Hit<'a>> {
        self.found
            .iter()
            .find(|h| activities.contains(&h.found.activity))
    }

    /// Where a missing pipeline piece belongs: the first job of the workflow that builds, publishes or deploys,
    /// else of one that runs on pushes or pull requests, else of the first workflow with a job.
    pub fn main_job(&self) -> Option<(&'a str, TextRange)> {
        let rank = |i: usize, w: &WorkflowFacts| {
            let ships = self.found.iter().any(|h| {
                h.workflow == i
                    && matches!(
                        h.found.activity,
                        Activity::Build | Activity::Publish | Activity::Deploy | Activity::Synth
                    )
            });
            let on_push = w
                .triggers
                .iter()
                .any(|t| matches!(t.value.as_str(), "push" | "pull_request"));
            if ships {
                0
            } else if on_push || w.system != shipready_syntax::workflow::CiSystem::GitHub {
                1
            } else {
                2
            }
        };
        let (_, (file, w)) = self
            .workflows
            .iter()
            .enumerate()
            .filter(|(_, (_, w))| !w.jobs.is_empty())
            .min_by_key(|(i, (f, w))| (rank(*i, w), f.path.as_str()))?;
        let job = w.jobs.first()?;
        Some((file.path.as_str(), job.name.range))
    }

    /// The anchor for a gap found after `activities` (the build step a push or scan would follow), else the main
    /// job.
    pub fn anchor_after(&self, activities: &[Activity]) -> Option<(&'a str, TextRange)> {
        self.first(activities)
            .map(|h| (h.file, h.found.range))
            .or_else(|| self.main_job())
    }
}

/// Why the pipelines rules do not judge this unit at all, if they do not: a sample of a collection, or nothing
/// deployed.
pub(crate) fn unit_gate(ctx: &Context) -> Option<Outcome> {
    if let Some(count) = ctx.workspace.collection() {
        return Some(not_applicable(&format!(
            "one of {count} units of a sample collection that no CI workflow names: the repository's CI does not test, build or deploy its samples"
        )));
    }
    let index = ctx.index;
    // What shows that the unit itself is built and deployed: an image, a CDK app, a Procfile, a deployment
    // guide. A compose file of published images or web code that nothing deploys (a demo, a template) has no
    // pipeline to judge.
    let procfile = ctx
        .workspace
        .of_kind(FileKind::Script)
        .any(|f| f.name().eq_ignore_ascii_case("procfile"));
    let deploys = !index.docker().dockerfiles.is_empty()
        || !index.cdk().cdk_json.is_empty()
        || !index.cdk().app_files.is_empty()
        || procfile
        || index.guide().is_some();
    if !deploys {
        return Some(not_applicable(
            "nothing of its own deployed: no Dockerfile, CDK app, Procfile or deployment guide",
        ));
    }
    None
}

/// Why the unit is deployed by its platform rather than by a pipeline step: a Procfile app with no image or CDK
/// app (Heroku, Render, Dokku build and release it from the repository on push).
pub(crate) fn platform_deployed(ctx: &Context) -> Option<String> {
    let index = ctx.index;
    if !index.docker().dockerfiles.is_empty()
        || !index.cdk().cdk_json.is_empty()
        || !index.cdk().app_files.is_empty()
    {
        return None;
    }
    let procfile = ctx
        .workspace
        .of_kind(FileKind::Script)
        .find(|f| f.name().eq_ignore_ascii_case("procfile"))?;
    Some(format!(
        "{} app: its platform builds and releases it from the repository",
        procfile.path
    ))
}

/// A pipeline the CDK app defines itself (CDK Pipelines' `CodePipeline`, a CodePipeline `Pipeline`): its file
/// and the construct's range.
pub(crate) fn cdk_pipeline<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    ctx.index
        .cdk()
        .constructs
        .iter()
        .find(|(_, c)| {
            c.name == "CodePipeline" || (c.module == "codepipeline" && c.name == "Pipeline")
        })
        .map(|(file, c)| (file.as_str(), c.range))
}

/// The unit's CI, or the outcome of a rule other than CI001 when there is none to judge.
pub(crate) fn judged<'a>(ctx: &'a Context) -> Result<Ci<'a>, Outcome> {
    if let Some(outcome) = unit_gate(ctx) {
        return Err(outcome);
    }
    let ci = Ci::of(ctx);
    if ci.workflows.is_empty() {
        if let Some((file, _)) = cdk_pipeline(ctx) {
            return Err(not_applicable(&format!(
                "the CDK app defines its own pipeline ({file}), which is not read"
            )));
        }
        return Err(not_applicable("no CI workflow at all (CI001 reports it)"));
    }
    Ok(ci)
}

/// [`judged`], for a unit the repository deploys itself: not applicable to a released CLI or job image.
pub(crate) fn judged_deployed<'a>(ctx: &'a Context) -> Result<Ci<'a>, Outcome> {
    let ci = judged(ctx)?;
    if let Some(reason) = crate::applies::released_not_deployed(ctx) {
        return Err(not_applicable(&format!("released, not deployed: {reason}")));
    }
    Ok(ci)
}

/// [`judged_deployed`], for a unit a CI step deploys: not applicable where the platform deploys it.
pub(crate) fn judged_ci_deployed<'a>(ctx: &'a Context) -> Result<Ci<'a>, Outcome> {
    let ci = judged_deployed(ctx)?;
    if let Some(reason) = platform_deployed(ctx) {
        return Err(not_applicable(&reason));
    }
    Ok(ci)
}

/// Not applicable, with the reason.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome::not_applicable_because(why)
}

/// The workflow files, as evidence.
pub(crate) fn evidence(ci: &Ci) -> Vec<String> {
    ci.workflows.iter().map(|(f, _)| f.path.clone()).collect()
}

#[cfg(test)]
mod tests;
