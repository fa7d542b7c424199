//! [`Settings`]: what a team's configuration changes in an audit, as plain data (the file itself is read and
//! validated by `shipready_analysis::config`). The defaults audit exactly as without a configuration.

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::{Category, Profile, Role, Severity};

/// A rule filter, by codes or code prefixes (`HC`, `HC00`, `HC001`).
#[derive(Clone, Debug, Default)]
pub struct RuleFilter {
    /// When not empty, only these rules run.
    pub select: Vec<String>,
    /// These rules never run.
    pub ignore: Vec<String>,
}

impl RuleFilter {
    /// Whether the rule `code` runs.
    pub fn runs(&self, code: &str) -> bool {
        let named = |list: &[String]| list.iter().any(|p| code.starts_with(p.as_str()));
        (self.select.is_empty() || named(&self.select)) && !named(&self.ignore)
    }
}

/// Globs of workspace-relative paths with the role they give, overriding what shipready detects.
#[derive(Clone, Debug, Default)]
pub struct RoleGlobs {
    sets: Vec<(GlobSet, Role)>,
}

impl RoleGlobs {
    /// Compile `(patterns, role)` pairs; a pattern that is not a glob is reported with its text.
    pub fn new(pairs: &[(Vec<String>, Role)]) -> Result<RoleGlobs, String> {
        let mut sets = Vec::new();
        for (patterns, role) in pairs {
            let mut builder = GlobSetBuilder::new();
            for p in patterns {
                builder.add(Glob::new(p).map_err(|e| format!("`{p}` is not a glob: {e}"))?);
            }
            let set = builder.build().map_err(|e| e.to_string())?;
            sets.push((set, *role));
        }
        Ok(RoleGlobs { sets })
    }

    /// The role the configuration gives `path`, if any (the first matching entry).
    pub fn role_of(&self, path: &str) -> Option<Role> {
        self.sets
            .iter()
            .find(|(set, _)| set.is_match(path))
            .map(|(_, role)| *role)
    }
}

/// A deployable unit the configuration declares: its name and the folders it is made of (the first is its
/// root). Folders anchored by several Dockerfiles, compose files or CDK apps become one unit.
#[derive(Clone, Debug, Default)]
pub struct DeclaredUnit {
    pub name: Option<String>,
    pub paths: Vec<String>,
}

/// Everything a configuration changes.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub profile: Profile,
    /// Categories switched off: their checks do not run and leave the score.
    pub disabled: Vec<Category>,
    /// Category weights in the overall mean (1 when not given).
    pub weights: Vec<(Category, f64)>,
    pub rules: RuleFilter,
    /// Severity per rule code.
    pub severities: Vec<(String, Severity)>,
    pub roles: RoleGlobs,
    pub units: Vec<DeclaredUnit>,
    /// The deployment guide, by workspace-relative path (the first that exists in a unit is its guide).
    pub guides: Vec<String>,
    /// Full route paths that are health endpoints whatever their name (globs).
    pub health_paths: Option<GlobSet>,
    /// Settings of sub-folders with a configuration file of their own: a unit rooted in one (or below it) is
    /// audited under the nearest.
    pub folders: Vec<(String, Settings)>,
}

impl Settings {
    /// The default settings under `profile`.
    pub fn with_profile(profile: Profile) -> Settings {
        Settings {
            profile,
            ..Settings::default()
        }
    }

    /// Whether the check `code` of `category` runs, or why not.
    pub fn off(&self, code: &str, category: Category) -> Option<&'static str> {
        if self.disabled.contains(&category) {
            Some("category disabled by the configuration")
        } else if !self.rules.runs(code) {
            Some("rule not selected by the configuration")
        } else {
            None
        }
    }

    /// The severity the configuration gives `code`, if any.
    pub fn severity_of(&self, code: &str) -> Option<Severity> {
        self.severities
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, s)| *s)
    }

    /// The settings a unit rooted at `folder` is audited under: the nearest sub-folder configuration holding
    /// it, else these.
    pub fn for_folder(&self, folder: &str) -> &Settings {
        self.folders
            .iter()
            .filter(|(f, _)| folder == f || folder.starts_with(&format!("{f}/")))
            .max_by_key(|(f, _)| f.len())
            .map(|(_, s)| s)
            .unwrap_or(self)
    }

    /// The weight of `category` in the overall mean.
    pub fn weight(&self, category: Category) -> f64 {
        self.weights
            .iter()
            .find(|(c, _)| *c == category)
            .map(|(_, w)| *w)
            .unwrap_or(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_and_ignore_take_codes_and_prefixes() {
        let f = RuleFilter {
            select: vec!["HC".into(), "DK004".into()],
            ignore: vec!["HC005".into()],
        };
        assert!(f.runs("HC001"));
        assert!(f.runs("DK004"));
        assert!(!f.runs("DK003"));
        assert!(!f.runs("HC005"));
        assert!(RuleFilter::default().runs("GD002"));
    }

    #[test]
    fn role_globs_override_in_order() {
        let globs = RoleGlobs::new(&[
            (vec!["legacy/**".into()], Role::Archived),
            (vec!["examples/demo/**".into()], Role::Production),
        ]);
        let Ok(globs) = globs else {
            panic!("globs did not compile");
        };
        assert_eq!(globs.role_of("legacy/api/Dockerfile"), Some(Role::Archived));
        assert_eq!(
            globs.role_of("examples/demo/compose.yaml"),
            Some(Role::Production)
        );
        assert_eq!(globs.role_of("api/Dockerfile"), None);
        assert!(RoleGlobs::new(&[(vec!["a/[".into()], Role::Test)]).is_err());
    }
}
