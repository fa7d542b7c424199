//! ## What it checks
//! That an AWS CDK load balancer in front of an application with a health route probes that route. An
//! `ApplicationLoadBalancedFargateService` (or `...Ec2Service`), an `ApplicationTargetGroup` or a listener's
//! `add_targets(...)` with no `health_check=` argument, in a file that never calls `configure_health_check`, keeps the default health
//! check: `GET /`. It is judged when the file deploys exactly one image, built by the unit from a folder whose
//! Dockerfile starts a FastAPI, Flask or Starlette app, and that app serves a health route.
//!
//! ## Why it matters
//! `/` is the landing page: it may render templates, query the database, redirect to a login page (`302` counts
//! as healthy) or not exist at all (every task fails its check and is drained). The app's health route says
//! whether the instance can serve; the load balancer never asks it.
//!
//! ## Example
//! ```python
//! service = ecs_patterns.ApplicationLoadBalancedFargateService(
//!     self, "Web",
//!     task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
//!         image=ecs.ContainerImage.from_asset("app"),
//!     ),
//! )
//! ```
//!
//! ## Fix
//! ```python
//! service.target_group.configure_health_check(path="/health")
//! ```
//! or, on a target group, `health_check=elbv2.HealthCheck(path="/health")`.

use super::cdk_probes::balancers;
use super::probe_routes::{health_routes, Unknowns};
use shipready_syntax::python::cdk::Balancer;
use shipready_text::TextRange;

use crate::{Applicability, Category, Context, Edit, Finding, Fix, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "target-group-default-probe",
    category: Category::Health,
    severity: Severity::Medium,
    title: "A load balancer probes `/` while the app has a health route",
    impact: "The load balancer judges instances by the landing page, not by the health route made for it.",
    recommendation: "Set the target group's health check path to the app's health route.",
    effort: "10 minutes",
    source: include_str!("target_group_default_probe.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if !super::applies(ctx) {
        return super::not_applicable(ctx);
    }
    let web = &ctx.index.web();
    let unknowns = Unknowns::of(ctx);
    let mut judged = Vec::new();
    let mut findings = Vec::new();
    let mut places = Vec::new();
    for probe in balancers(ctx) {
        let health = health_routes(web, probe.app);
        let Some((path, _, _)) = health.first() else {
            continue;
        };
        if unknowns.everywhere {
            continue;
        }
        judged.push(probe.file.to_owned());
        if probe.configured {
            places.push((probe.file.to_owned(), probe.balancer.range));
            continue;
        }
        let listed = health
            .iter()
            .map(|(p, _, _)| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let construct = if probe.balancer.class == "add_targets" {
            "The target group `add_targets` creates"
        } else {
            probe.balancer.class.as_str()
        };
        let message = format!(
            "{construct} keeps the default health check (`GET /`) although the app it serves has a health route ({listed}): set its health check path to `{path}`."
        );
        let mut f = Finding::at(probe.file, probe.balancer.range, message);
        for (p, file, range) in &health {
            f = f.with_related(file, *range, format!("health route `{p}`"));
        }
        findings.push(f.with_fix(fix(ctx, probe.file, probe.balancer, path)));
    }
    judged.sort();
    judged.dedup();
    if judged.is_empty() {
        return Outcome::not_applicable(
            "no load balancer in front of an app with a health route",
            Finding::report_only(
                "No CDK load balancer is in front of an app of the unit with a health route.",
            ),
        );
    }
    if findings.is_empty() {
        let details = format!(
            "{} in front of an app with a health route {} it",
            super::super::plural(places.len(), "load balancer", "load balancers"),
            if places.len() == 1 { "probes" } else { "probe" }
        );
        return Outcome::pass(details, judged).satisfied_by(places);
    }
    let details = format!(
        "{} in front of an app with a health route {} `/`",
        super::super::plural(findings.len(), "load balancer", "load balancers"),
        if findings.len() == 1 {
            "probes"
        } else {
            "probe"
        }
    );
    let needed = findings.len();
    Outcome::fail(details, findings).needing(needed)
}

/// A `configure_health_check(path=...)` call on the construct's variable, on the line after its assignment, at
/// the assignment's indentation. `None` when the construct is not assigned to a variable or the assignment
/// does not end its line.
fn fix(ctx: &Context, file: &str, balancer: &Balancer, path: &str) -> Option<Fix> {
    let text = &ctx.workspace.file(file)?.text;
    let (var, statement) = (balancer.bound.as_deref()?, balancer.statement?);
    let line_start = text
        .get(..statement.start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent = text.get(line_start..statement.start)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let rest = text.get(statement.end..)?;
    let line_end = rest.find('\n')?;
    let tail = rest.get(..line_end)?.trim_end_matches('\r');
    if !tail.trim().is_empty() && !tail.trim_start().starts_with('#') {
        return None;
    }
    let newline = if rest.get(..line_end)?.ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let at = statement.end + line_end + 1;
    let target = if matches!(
        balancer.class.as_str(),
        "ApplicationTargetGroup" | "add_targets"
    ) {
        var.to_owned()
    } else {
        format!("{var}.target_group")
    };
    Some(Fix {
        title: format!("Probe `{path}` from the load balancer"),
        applicability: Applicability::Unsafe,
        edits: vec![Edit::Replace {
            file: file.to_owned(),
            range: TextRange::new(at, at),
            new_text: format!("{indent}{target}.configure_health_check(path=\"{path}\"){newline}"),
        }],
    })
}
