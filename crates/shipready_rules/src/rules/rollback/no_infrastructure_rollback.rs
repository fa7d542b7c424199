//! ## What it checks
//! That the infrastructure rolls back by itself when a deployment fails: an ECS deployment circuit breaker
//! with `rollback=True`, a CodeDeploy deployment group (blue/green or with auto-rollback), or a Lambda alias
//! deployed through a CodeDeploy `LambdaDeploymentGroup`.
//!
//! ## Why it matters
//! Without it a failing deployment keeps replacing healthy tasks with broken ones until someone notices.
//!
//! ## Example
//! ```python
//! ecs.FargateService(self, "Api", cluster=cluster, task_definition=task)
//! ```
//!
//! ## Fix
//! ```python
//! ecs.FargateService(self, "Api", cluster=cluster, task_definition=task,
//!     circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True))
//! ```

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-infrastructure-rollback",
    category: Category::Rollback,
    severity: Severity::High,
    title: "No automatic infrastructure rollback",
    impact: "Failed deployments keep replacing healthy tasks until someone intervenes.",
    recommendation: "Enable the ECS deployment circuit breaker with rollback, or deploy through CodeDeploy with auto-rollback.",
    effort: "1-2 hours",
    source: include_str!("no_infrastructure_rollback.rs"),
    check,
};

fn is_true(value: &str) -> bool {
    value.trim() == "True"
}

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return super::super::cdk::not_applicable("no infrastructure rollback");
    }
    let mut evidence = Vec::new();
    let mut places = Vec::new();
    for (file, c) in &cdk.constructs {
        let kw = |name: &str| {
            c.kwargs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let supports = match (c.module.as_str(), c.name.as_str()) {
            ("ecs", "DeploymentCircuitBreaker") => kw("rollback").is_some_and(is_true),
            ("ecs" | "ecs_patterns", _) => {
                kw("circuit_breaker").is_some_and(|v| v.contains("rollback=True"))
            }
            ("codedeploy", name) => name.ends_with("DeploymentGroup"),
            _ => false,
        };
        if supports {
            evidence.push(file.clone());
            places.push((file.clone(), c.range));
        }
    }
    evidence.sort();
    evidence.dedup();
    if !evidence.is_empty() {
        return Outcome::pass("has CDK rollback support", evidence).satisfied_by(places);
    }
    // The fix belongs on the service that deploys: the first ECS service or Lambda function, else the app.
    let service = cdk.constructs.iter().find(|(_, c)| {
        (c.module == "ecs" && c.name.ends_with("Service"))
            || (c.module == "ecs_patterns" && c.name.ends_with("Service"))
    });
    let anchor = service
        .map(|(f, c)| (f.as_str(), c.range))
        .or_else(|| super::super::cdk::app_anchor(ctx));
    let message = "No automatic infrastructure rollback: enable the ECS deployment circuit breaker with rollback=True, or deploy through CodeDeploy with auto-rollback.";
    Outcome::fail(
        "no CDK rollback support",
        vec![Finding::anchored(anchor, message)],
    )
}
