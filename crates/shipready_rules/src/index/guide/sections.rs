//! The seven required guide sections and how a heading is matched to one by meaning: its words (any heading
//! level) against each section's phrases and synonyms, in two strengths, so "Rollback" wins over "Disaster
//! recovery" and "Deploying" over "Production-ready features" when a guide has both.

use super::words::Words;

/// The seed's required guide sections, in canonical order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequiredSection {
    Prerequisites,
    LocalSetup,
    AwsSetup,
    ProductionDeployment,
    Monitoring,
    Troubleshooting,
    Rollback,
}

/// How clearly a heading names a section: `Primary` is the section's own name or a direct synonym
/// ("Rollback", "Undo a deployment"), `Secondary` a related topic that covers it when nothing better does
/// ("Disaster recovery").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    Secondary,
    Primary,
}

impl RequiredSection {
    pub const ALL: [RequiredSection; 7] = [
        RequiredSection::Prerequisites,
        RequiredSection::LocalSetup,
        RequiredSection::AwsSetup,
        RequiredSection::ProductionDeployment,
        RequiredSection::Monitoring,
        RequiredSection::Troubleshooting,
        RequiredSection::Rollback,
    ];

    pub fn title(self) -> &'static str {
        match self {
            RequiredSection::Prerequisites => "Prerequisites",
            RequiredSection::LocalSetup => "Local Setup",
            RequiredSection::AwsSetup => "AWS Setup",
            RequiredSection::ProductionDeployment => "Production Deployment",
            RequiredSection::Monitoring => "Monitoring",
            RequiredSection::Troubleshooting => "Troubleshooting",
            RequiredSection::Rollback => "Rollback",
        }
    }

    /// Whether a heading's text names this section, for a unit that does not deploy to AWS.
    pub fn matches(self, heading: &str) -> bool {
        self.strength(heading, false).is_some()
    }

    /// How clearly a heading names this section. `aws` says whether the unit deploys to AWS: there a bare
    /// "Bootstrapping" heading means `cdk bootstrap`.
    pub fn strength(self, heading: &str, aws: bool) -> Option<Strength> {
        self.strength_in(&Words::of(heading), aws)
    }

    /// [`Self::strength`] for a heading already split into words.
    pub(crate) fn strength_in(self, w: &Words, aws: bool) -> Option<Strength> {
        let (primary, secondary) = match self {
            RequiredSection::Prerequisites => prerequisites(w),
            RequiredSection::LocalSetup => local_setup(w),
            RequiredSection::AwsSetup => aws_setup(w, aws),
            RequiredSection::ProductionDeployment => production(w),
            RequiredSection::Monitoring => monitoring(w),
            RequiredSection::Troubleshooting => troubleshooting(w),
            RequiredSection::Rollback => rollback(w),
        };
        if primary {
            Some(Strength::Primary)
        } else if secondary {
            Some(Strength::Secondary)
        } else {
            None
        }
    }
}

fn prerequisites(w: &Words) -> (bool, bool) {
    let primary = w.any(&[
        "prerequisite*",
        "pre requisite*",
        "requirement*",
        "before you begin",
        "before you start",
        "before starting",
        "what you need",
        "what you ll need",
        "what you will need",
        "you will need",
    ]);
    // The full-stack FastAPI template's deployment guide opens with "Preparation": a server, DNS records and
    // Docker.
    (primary, w.any(&["dependencies", "preparation"]))
}

fn local_setup(w: &Words) -> (bool, bool) {
    let primary = w.any(&[
        "local",
        "locally",
        "localhost",
        "localstack",
        "getting started",
        "get started",
        "quick start",
        "quickstart",
        "development setup",
        "dev setup",
        "development environment",
        "run it",
    ]);
    (
        primary,
        w.any(&["installation", "development", "developing"]),
    )
}

/// Words that make a heading about local or test credentials, not the account a deployment goes to.
const NOT_DEPLOYMENT_ACCOUNT: &[&str] = &[
    "local",
    "locally",
    "localstack",
    "test*",
    "mock*",
    "emulat*",
];

fn aws_setup(w: &Words, aws: bool) -> (bool, bool) {
    if w.any(NOT_DEPLOYMENT_ACCOUNT) {
        return (false, false);
    }
    let cloud = w.any(&["aws", "amazon", "cdk", "iam"]);
    let setup = w.any(&[
        "setup",
        "set up",
        "setting up",
        "configur*",
        "config",
        "account*",
        "credential*",
        "bootstrap*",
        "prepar*",
        "prerequisite*",
        "access",
        "permission*",
        "cli",
        "environment*",
    ]);
    let primary = cloud && setup;
    let secondary = w.any(&[
        "cloud setup",
        "infrastructure setup",
        "set up the infrastructure",
        "cloud account*",
    ]) || (aws && w.any(&["bootstrap*", "account setup", "environment setup"]));
    (primary, secondary)
}

fn production(w: &Words) -> (bool, bool) {
    // "Monitoring production", "Troubleshooting deployments" and "Rolling back a release" are about what
    // follows a deployment; "Deploying locally" is local setup.
    if monitoring(w) != (false, false)
        || troubleshooting(w) != (false, false)
        || rollback(w) != (false, false)
        || w.any(&["local", "locally", "localhost"])
        || w.any(&["release notes", "releases"])
    {
        return (false, false);
    }
    let primary = (w.any(&["deploy*"]) && !w.any(&["guide*"]))
        || w.any(&[
            "going to production",
            "go to production",
            "to production",
            "into production",
            "release process",
            "releasing",
            "go live",
            "going live",
            "self host*",
            "selfhost*",
        ]);
    let secondary = w.any(&[
        "production",
        "prod",
        "release",
        "hosting",
        "launch*",
        "rollout",
        "roll out",
    ]);
    (primary, secondary)
}

fn monitoring(w: &Words) -> (bool, bool) {
    let primary = w.any(&["monitor*", "observability"]);
    let secondary = w.any(&[
        "logging",
        "logs",
        "metric*",
        "alert*",
        "alarm*",
        "dashboard*",
        "telemetry",
        "tracing",
        "traces",
    ]);
    (primary, secondary)
}

fn troubleshooting(w: &Words) -> (bool, bool) {
    let primary = w.any(&[
        "troubleshoot*",
        "faq*",
        "frequently asked*",
        "common issue*",
        "common problem*",
        "common error*",
        "common pitfall*",
        "known issue*",
        "known problem*",
    ]);
    let secondary = w.any(&[
        "debugging",
        "debug",
        "when things go wrong",
        "gotcha*",
        "diagnos*",
    ]);
    (primary, secondary)
}

fn rollback(w: &Words) -> (bool, bool) {
    let primary = w.any(&[
        "rollback*",
        "roll back*",
        "rolling back",
        "rolled back",
        "revert*",
        "undo*",
        "undoing",
        "back out",
        "backout",
    ]);
    let secondary = w.any(&["recovery", "recover*", "restor*", "downgrad*"]);
    (primary, secondary)
}

#[cfg(test)]
mod tests {
    use super::RequiredSection::*;
    use super::Strength::*;

    #[test]
    fn synonyms() {
        assert!(Prerequisites.matches("Requirements"));
        assert!(Prerequisites.matches("Preparation"));
        assert!(Prerequisites.matches("What you'll need"));
        assert!(LocalSetup.matches("Running locally"));
        assert!(LocalSetup.matches("Getting Started"));
        assert!(AwsSetup.matches("AWS account setup"));
        assert!(AwsSetup.matches("CDK bootstrap"));
        assert!(ProductionDeployment.matches("Deploying to production"));
        assert!(ProductionDeployment.matches("Going to Production"));
        assert!(ProductionDeployment.matches("Release"));
        assert!(ProductionDeployment.matches("Self-hosting"));
        assert!(!ProductionDeployment.matches("Deployment Guide"));
        assert!(Monitoring.matches("Logs and metrics"));
        assert!(Monitoring.matches("Observability"));
        assert!(Monitoring.matches("Alerts"));
        assert!(Troubleshooting.matches("FAQ"));
        assert!(Troubleshooting.matches("Common issues"));
        assert!(Troubleshooting.matches("Known Issues"));
        assert!(Rollback.matches("Rolling back a release"));
        assert!(Rollback.matches("Reverting"));
        assert!(Rollback.matches("Undo a deployment"));
        assert!(Rollback.matches("Disaster recovery"));
        assert!(!Rollback.matches("Monitoring"));
    }

    #[test]
    fn bootstrapping_is_aws_setup_only_where_the_unit_deploys_to_aws() {
        for heading in ["Bootstrap the Environment", "Bootstrapping"] {
            assert!(AwsSetup.strength(heading, true).is_some(), "{heading}");
            assert!(AwsSetup.strength(heading, false).is_none(), "{heading}");
        }
        assert_eq!(AwsSetup.strength("cdk bootstrap", false), Some(Primary));
    }

    #[test]
    fn no_over_matching() {
        assert!(!AwsSetup.matches("Local AWS credentials for tests"));
        assert!(AwsSetup
            .strength("Local AWS credentials for tests", true)
            .is_none());
        assert!(!AwsSetup.matches("Configuration"));
        assert!(AwsSetup.strength("Configuration", true).is_none());
        assert!(!ProductionDeployment.matches("Monitoring production"));
        assert!(!ProductionDeployment.matches("Troubleshooting deployments"));
        assert!(!ProductionDeployment.matches("Rolling back a release"));
        assert!(!ProductionDeployment.matches("Release notes"));
        assert!(!Monitoring.matches("Log in to the console"));
        assert!(!LocalSetup.matches("Localization"));
    }

    #[test]
    fn direct_names_outrank_related_topics() {
        assert_eq!(Rollback.strength("Rollback", false), Some(Primary));
        assert_eq!(
            Rollback.strength("Disaster recovery", false),
            Some(Secondary)
        );
        assert_eq!(
            ProductionDeployment.strength("Deploying", false),
            Some(Primary)
        );
        assert_eq!(
            ProductionDeployment.strength("Release", false),
            Some(Secondary)
        );
        assert_eq!(
            ProductionDeployment.strength("Production-ready features", false),
            Some(Secondary)
        );
    }
}
