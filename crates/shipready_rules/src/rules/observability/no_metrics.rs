//! ## What it checks
//! That a unit running a Python web service exposes metrics or ships them somewhere: a `/metrics` route, a
//! metrics library or agent imported by the code or declared as a dependency (`prometheus_client`,
//! `prometheus-fastapi-instrumentator`, `starlette_exporter`, `prometheus_flask_exporter`, OpenTelemetry,
//! `ddtrace`/`datadog`, `statsd`, New Relic, Elastic APM, AWS Lambda Powertools metrics), or CloudWatch alarms
//! and dashboards or ECS Container Insights defined in the unit's CDK app. Only units whose network service is a Python web app shipready
//! reads are judged (not CLIs, jobs or Lambda functions, and not services written in other languages).
//!
//! ## Why it matters
//! Without request rates, latencies and error counts the first sign of trouble is a user's complaint, and a
//! deployment cannot be judged healthy beyond "the health check answers". Alerts, autoscaling and canary
//! analysis all need metrics.
//!
//! ## Example
//! ```python
//! app = FastAPI()
//! app.include_router(api_router)
//! ```
//!
//! ## Fix
//! ```python
//! from prometheus_fastapi_instrumentator import Instrumentator
//!
//! app = FastAPI()
//! app.include_router(api_router)
//! Instrumentator().instrument(app).expose(app)  # serves /metrics
//! ```

use shipready_syntax::FileFacts;
use shipready_syntax::FileKind;

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "no-metrics",
    category: Category::Observability,
    severity: Severity::Medium,
    title: "A service exposes no metrics",
    impact: "Errors and slowdowns go unseen until users report them; alerts and autoscaling have nothing to watch.",
    recommendation: "Expose /metrics (prometheus instrumentator/exporter) or instrument the app with OpenTelemetry.",
    effort: "1 hour",
    source: include_str!("no_metrics.rs"),
    check,
};

/// Top-level modules of metrics libraries and agents.
const MODULES: &[&str] = &[
    "prometheus_client",
    "prometheus_fastapi_instrumentator",
    "starlette_exporter",
    "starlette_prometheus",
    "prometheus_flask_exporter",
    "aioprometheus",
    "opentelemetry",
    "ddtrace",
    "datadog",
    "statsd",
    "newrelic",
    "elasticapm",
];

/// Dependency names (normalised) of metrics libraries and agents; `opentelemetry-*` by prefix.
const PACKAGES: &[&str] = &[
    "prometheus-client",
    "prometheus-fastapi-instrumentator",
    "starlette-exporter",
    "starlette-prometheus",
    "prometheus-flask-exporter",
    "aioprometheus",
    "ddtrace",
    "datadog",
    "statsd",
    "newrelic",
    "elastic-apm",
];

/// What shows that the unit exports metrics, for the report.
fn signal(ctx: &Context) -> Option<String> {
    if let Some(route) = ctx.index.web().routes.iter().find(|r| {
        let path = crate::index::web::WebIndex::display_path(r);
        path.trim_end_matches('/').ends_with("/metrics")
    }) {
        return Some(format!(
            "{} serves {}",
            route.file,
            crate::index::web::WebIndex::display_path(route)
        ));
    }
    for file in ctx
        .workspace
        .of_kinds(&[FileKind::Python, FileKind::Requirements])
    {
        match &file.facts {
            FileFacts::Python(py) => {
                let import = py.imports.iter().find(|i| {
                    let top = i.module.split('.').next().unwrap_or("");
                    i.level == 0
                        && (MODULES.contains(&top)
                            || (i.module == "aws_lambda_powertools"
                                && i.name.as_deref() == Some("Metrics"))
                            || i.module.starts_with("aws_lambda_powertools.metrics"))
                });
                if let Some(i) = import {
                    return Some(format!("{} imports {}", file.path, i.module));
                }
            }
            FileFacts::Requirements(r) => {
                let package = r.packages.iter().find(|p| {
                    PACKAGES.contains(&p.value.as_str()) || p.value.starts_with("opentelemetry-")
                });
                if let Some(p) = package {
                    return Some(format!("{} declares {}", file.path, p.value));
                }
            }
            _ => {}
        }
    }
    let alarm = ctx.index.cdk().constructs.iter().find(|(_, c)| {
        c.module == "cloudwatch"
            && matches!(c.name.as_str(), "Alarm" | "Dashboard" | "CompositeAlarm")
    });
    if let Some((path, c)) = alarm {
        return Some(format!("{path} defines a CloudWatch {}", c.name));
    }
    // ECS Container Insights publishes each service's CPU, memory and network metrics to CloudWatch.
    let insights = ctx.index.cdk().constructs.iter().find(|(_, c)| {
        c.module == "ecs"
            && c.name == "Cluster"
            && c.kwargs.iter().any(|(k, v)| {
                k.starts_with("container_insights") && !matches!(v.trim(), "False" | "None")
            })
    });
    insights.map(|(path, _)| format!("{path} turns on ECS Container Insights"))
}

fn check(ctx: &Context) -> Outcome {
    let index = ctx.index;
    if !index.workload().serves || index.workload().lambda_wrapped {
        return super::not_applicable("no network service");
    }
    let app = index
        .web()
        .main_app
        .and_then(|i| index.web().apps.get(i))
        .or_else(|| index.web().served_apps().map(|(_, a)| a).next());
    let Some(app) = app else {
        return super::not_applicable("no Python web service");
    };
    if let Some(found) = signal(ctx) {
        return Outcome::pass(found, Vec::new());
    }
    let finding = Finding::at(
        &app.file,
        app.app.range,
        format!(
            "The service `{}` exposes no metrics and nothing exports them: add a /metrics endpoint (prometheus-fastapi-instrumentator, starlette_exporter, prometheus_flask_exporter) or OpenTelemetry instrumentation.",
            app.app.var
        ),
    );
    Outcome::fail(
        "no /metrics route, exporter or metrics agent",
        vec![finding],
    )
}
