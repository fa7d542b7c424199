//! The readiness categories, each scored 0-100: the five of the seed auditor, and the ones the `standard` profile
//! adds beyond it (security, runtime, pipelines, observability, data safety).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Docker,
    Cdk,
    Guide,
    Rollback,
    Health,
    Security,
    /// How the service process runs: production servers, workers, ports that agree.
    Runtime,
    /// CI/CD workflows: tests, image builds, scans, deployments, smoke tests.
    Pipelines,
    /// Metrics, logging and error tracking.
    Observability,
    /// Migrations that can be reversed, backups, stateful resources kept on deletion.
    DataSafety,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Docker,
        Category::Cdk,
        Category::Guide,
        Category::Rollback,
        Category::Health,
        Category::Security,
        Category::Runtime,
        Category::Pipelines,
        Category::Observability,
        Category::DataSafety,
    ];

    /// The seed auditor's five: the only ones the `seed` profile scores.
    pub const SEED: [Category; 5] = [
        Category::Docker,
        Category::Cdk,
        Category::Guide,
        Category::Rollback,
        Category::Health,
    ];

    /// Whether the seed auditor scores this category.
    pub fn in_seed(self) -> bool {
        Category::SEED.contains(&self)
    }

    /// The check's title as the seed's report prints it.
    pub fn title(self) -> &'static str {
        match self {
            Category::Docker => "Docker Images and Containerization",
            Category::Cdk => "AWS CDK Infrastructure Code",
            Category::Guide => "Deployment Guide Documentation",
            Category::Rollback => "Rollback Procedures",
            Category::Health => "Health Check Endpoints",
            Category::Security => "Security",
            Category::Runtime => "Runtime Configuration",
            Category::Pipelines => "CI/CD Pipelines",
            Category::Observability => "Observability",
            Category::DataSafety => "Data Safety",
        }
    }

    /// The stable identifier used in JSON and configuration.
    pub fn id(self) -> &'static str {
        match self {
            Category::Docker => "docker",
            Category::Cdk => "cdk",
            Category::Guide => "guide",
            Category::Rollback => "rollback",
            Category::Health => "health",
            Category::Security => "security",
            Category::Runtime => "runtime",
            Category::Pipelines => "pipelines",
            Category::Observability => "observability",
            Category::DataSafety => "data-safety",
        }
    }
}
