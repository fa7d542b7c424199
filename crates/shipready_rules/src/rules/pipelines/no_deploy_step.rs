//! ## What it checks
//! That a CI workflow delivers the unit: deploys it (`cdk deploy`, `aws ecs update-service`, an ECS, Cloud Run,
//! App Service or SSH deploy action, `fly deploy`, `kubectl apply`, `helm upgrade`, `gcloud run deploy`, a job
//! bound to a production environment or named `deploy`) or at least pushes its image to a registry
//! (`docker push`, `docker/build-push-action` with `push: true`) for the platform to pull. Units that only
//! release command-line or job images are not judged (they are released, not deployed), nor Procfile apps
//! with no image (their platform releases them on push); a unit with no CI workflow at all is reported once,
//! by CI001.
//!
//! ## Why it matters
//! A deployment run by hand is a procedure someone must remember, with credentials on their laptop: it is
//! slow, it differs from one person to the next, and it cannot be replayed to roll back.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   image:
//!     runs-on: ubuntu-latest
//!     steps:
//!       - uses: actions/checkout@v4
//!       - run: docker build -t api .
//! ```
//!
//! ## Fix
//! ```yaml
//!       - run: docker push ghcr.io/acme/api:${{ github.sha }}
//!       - run: aws ecs update-service --cluster prod --service api --force-new-deployment
//! ```

use super::steps::Activity;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-deploy-step",
    category: Category::Pipelines,
    severity: Severity::Medium,
    title: "No CI workflow deploys the unit",
    impact: "Deployments are manual procedures that differ from one person to the next and are hard to replay.",
    recommendation: "Deploy from CI (or push the image the platform pulls) after the tests pass.",
    effort: "half a day",
    source: include_str!("no_deploy_step.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let ci = match super::judged_ci_deployed(ctx) {
        Ok(ci) => ci,
        Err(outcome) => return outcome,
    };
    if let Some(hit) = ci.first(&[Activity::Deploy, Activity::Publish]) {
        let verb = if hit.found.activity == Activity::Deploy {
            "deploys"
        } else {
            "publishes"
        };
        let details = format!("{} {verb} it ({})", hit.file, hit.found.what);
        return Outcome::pass(details, super::evidence(&ci))
            .satisfied_by(vec![(hit.file.to_owned(), hit.found.range)]);
    }
    let finding = Finding::anchored(
        ci.anchor_after(&[Activity::Build, Activity::Synth]),
        "No CI workflow deploys this unit or pushes its image: deployments are manual. Deploy (or push the image the platform pulls) after the tests pass.",
    );
    Outcome::fail("no deployment step", vec![finding]).with_evidence(super::evidence(&ci))
}
