//! The readiness categories: the five checks of the seed auditor, each scored 0-100.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Docker,
    Cdk,
    Guide,
    Rollback,
    Health,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Docker,
        Category::Cdk,
        Category::Guide,
        Category::Rollback,
        Category::Health,
    ];

    /// The check's title as the seed's report prints it.
    pub fn title(self) -> &'static str {
        match self {
            Category::Docker => "Docker Images and Containerization",
            Category::Cdk => "AWS CDK Infrastructure Code",
            Category::Guide => "Deployment Guide Documentation",
            Category::Rollback => "Rollback Procedures",
            Category::Health => "Health Check Endpoints",
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
        }
    }
}
