//! The readiness categories, each scored 0-100: the five of the seed auditor, and the ones the `standard` profile
//! adds beyond it (security).

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
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Docker,
        Category::Cdk,
        Category::Guide,
        Category::Rollback,
        Category::Health,
        Category::Security,
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
        }
    }
}
