//! Scoring profiles: `seed` reproduces the seed auditor exactly; `standard` leaves out what does not apply.

use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Exactly the seed's model: every check of every category counts, whatever the workspace uses.
    Seed,
    /// The default: a check about a technology the workspace shows no sign of (no CDK anywhere, no web app) is
    /// not applicable, and a category whose checks are all not applicable leaves the overall mean.
    #[default]
    Standard,
}

impl Profile {
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "seed" => Some(Profile::Seed),
            "standard" => Some(Profile::Standard),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Profile::Seed => "seed",
            Profile::Standard => "standard",
        }
    }
}
