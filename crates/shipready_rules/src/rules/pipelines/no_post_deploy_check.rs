//! ## What it checks
//! That every deployment a CI workflow makes is followed by a check that the deployed service works: a
//! request to it (`curl -f https://.../health`), a smoke or end-to-end test, a wait for the rollout to become
//! healthy (`aws ecs wait services-stable`, `kubectl rollout status`, `helm --wait`, the ECS deploy action's
//! `wait-for-service-stability: true`, `docker compose up --wait`), in a later step of the deploying job or in
//! a job that needs it. Judged only where a workflow deploys; pushing an image is not a deployment.
//!
//! ## Why it matters
//! A deployment that "succeeded" only means the platform accepted it. Without a check afterwards, a release
//! that crashes on start or cannot reach its database is found by users, and the pipeline that could have
//! rolled it back reports green.
//!
//! ## Example
//! ```yaml
//!   deploy:
//!     steps:
//!       - run: gcloud run deploy api --image $IMAGE
//! ```
//!
//! ## Fix
//! ```yaml
//!       - run: gcloud run deploy api --image $IMAGE
//!       - run: curl --fail --retry 5 --retry-delay 10 https://api.example.com/health
//! ```

use super::steps::Activity;
use super::{Ci, Hit};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-post-deploy-check",
    category: Category::Pipelines,
    severity: Severity::Medium,
    title: "A deployment is not followed by a health check or smoke test",
    impact: "A release that fails on start is found by users while the pipeline reports success.",
    recommendation: "After deploying, request the health endpoint or run a smoke test, and fail the job if it fails.",
    effort: "1 hour",
    source: include_str!("no_post_deploy_check.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let ci = match super::judged_ci_deployed(ctx) {
        Ok(ci) => ci,
        Err(outcome) => return outcome,
    };
    // One deployment per job: its last deploy step (a job-level signal only when no step deploys).
    let mut deployments: Vec<&Hit> = Vec::new();
    for hit in ci
        .found
        .iter()
        .filter(|h| h.found.activity == Activity::Deploy)
    {
        match deployments
            .iter_mut()
            .find(|d| d.workflow == hit.workflow && d.job == hit.job)
        {
            Some(d) => {
                if hit.found.step >= d.found.step {
                    *d = hit;
                }
            }
            None => deployments.push(hit),
        }
    }
    if deployments.is_empty() {
        return super::not_applicable("no workflow deploys (pushing an image is not a deployment)");
    }
    // A workflow started by a finished deployment checks every deployment.
    let checked_elsewhere = ci.found.iter().any(|h| {
        is_check(h)
            && ci.workflows[h.workflow]
                .1
                .triggers
                .iter()
                .any(|t| matches!(t.value.as_str(), "deployment_status" | "workflow_run"))
    });
    let mut findings = Vec::new();
    let mut satisfied = Vec::new();
    for d in &deployments {
        let check = ci.found.iter().find(|h| is_check(h) && follows(&ci, d, h));
        match check {
            Some(c) => satisfied.push((c.file.to_owned(), c.found.range)),
            None if checked_elsewhere => {}
            None => findings.push(Finding::at(
                d.file,
                d.found.range,
                format!(
                    "{} deploys, and nothing checks the deployed service afterwards: request its health endpoint or run a smoke test in a later step, and fail the job if it fails.",
                    d.found.what
                ),
            )),
        }
    }
    let n = deployments.len();
    if findings.is_empty() {
        return Outcome::pass(
            format!(
                "{} checked after deploying",
                crate::rules::plural(n, "deployment", "deployments")
            ),
            super::evidence(&ci),
        )
        .satisfied_by(satisfied);
    }
    let needed = findings.len();
    Outcome::fail(
        format!(
            "{needed} of {} not checked afterwards",
            crate::rules::plural(n, "deployment", "deployments")
        ),
        findings,
    )
    .needing(needed)
    .with_evidence(super::evidence(&ci))
}

fn is_check(h: &Hit) -> bool {
    matches!(h.found.activity, Activity::Check | Activity::Test)
}

/// Whether `check` runs after `deploy`: a later step of the same job (the same step for a deploy action that
/// waits), or any step of a job that needs the deploying job.
fn follows(ci: &Ci, deploy: &Hit, check: &Hit) -> bool {
    if check.workflow != deploy.workflow {
        return false;
    }
    if check.job == deploy.job {
        return match (deploy.found.step, check.found.step) {
            (Some(d), Some(c)) => c > d || (c == d && check.found.activity == Activity::Check),
            _ => true,
        };
    }
    let jobs = &ci.workflows[deploy.workflow].1.jobs;
    let Some(target) = jobs.get(deploy.job).map(|j| j.name.value.as_str()) else {
        return false;
    };
    // Walk `needs` back from the checking job.
    let mut seen = vec![check.job];
    let mut at = 0;
    while let Some(&j) = seen.get(at) {
        at += 1;
        let Some(job) = jobs.get(j) else { continue };
        for need in &job.needs {
            if need == target {
                return true;
            }
            if let Some(k) = jobs.iter().position(|x| &x.name.value == need) {
                if !seen.contains(&k) {
                    seen.push(k);
                }
            }
        }
    }
    false
}
