//! The team's configuration: `shipready.toml` or `.shipready.toml` at the workspace root, else the
//! `[tool.shipready]` table of its `pyproject.toml`. Unknown keys, wrong types, unknown rule codes, categories,
//! severities and bad globs are errors with the file, line and column. See `docs/configuration.md`.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use shipready_rules::settings::{DeclaredUnit, RoleGlobs, RuleFilter};
use shipready_rules::{Category, Profile, Role, Settings, Severity, RULES};
use shipready_text::{LineIndex, PositionEncoding, TextRange};
use toml::Spanned;

use crate::fs::FileSystem;
use crate::MAX_FILE_BYTES;

/// The configuration file names, in the order they are looked for.
pub const CONFIG_FILES: &[&str] = &["shipready.toml", ".shipready.toml", "pyproject.toml"];

/// A configuration error at a place in its file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    /// The file's name relative to the workspace root.
    pub file: String,
    /// 1-based line and column (UTF-16 code units, as the report's positions).
    pub line: u32,
    pub column: u32,
    pub range: TextRange,
    pub message: String,
}

/// A loaded configuration: the settings the audit uses and what discovery leaves out.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it came from (`None`: no configuration, the defaults).
    pub file: Option<String>,
    pub settings: Settings,
    /// Whether the file set the profile (a command-line `--profile` still wins).
    pub profile_set: bool,
    pub exclude: Option<GlobSet>,
    pub max_bytes: u64,
}

impl Config {
    /// The defaults: nothing configured.
    pub fn defaults(profile: Profile) -> Config {
        Config {
            settings: Settings::with_profile(profile),
            max_bytes: MAX_FILE_BYTES,
            ..Config::default()
        }
    }

    /// Whether the configuration leaves `path` (workspace-relative) out of the analysis.
    pub fn excludes(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    profile: Option<Spanned<String>>,
    #[serde(default)]
    categories: BTreeMap<Spanned<String>, RawCategory>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    units: Vec<RawUnit>,
    #[serde(default)]
    roles: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    guide: RawPaths,
    #[serde(default)]
    health: RawPaths,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPaths {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    enabled: Option<bool>,
    weight: Option<Spanned<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    name: Option<String>,
    paths: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    max_size: Option<Spanned<u64>>,
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
struct PyTool {
    shipready: Option<Raw>,
}

/// Load the configuration of the workspace at `root`; the defaults when there is none. `profile` is the
/// profile to use when the file sets none.
pub fn load(root: &Path, fs: &dyn FileSystem, profile: Profile) -> Result<Config, ConfigError> {
    Ok(load_in(root, "", fs, profile)?.unwrap_or_else(|| Config::defaults(profile)))
}

/// The configuration file of `folder` (workspace-relative, `""` for the root), if it has one.
fn load_in(
    root: &Path,
    folder: &str,
    fs: &dyn FileSystem,
    profile: Profile,
) -> Result<Option<Config>, ConfigError> {
    for name in CONFIG_FILES {
        let rel = if folder.is_empty() {
            (*name).to_owned()
        } else {
            format!("{folder}/{name}")
        };
        let Ok(bytes) = fs.read(&root.join(&rel)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if let Some(config) = parse(&rel, &text, profile)? {
            return Ok(Some(config));
        }
    }
    Ok(None)
}

/// Add to `config` the configurations of the sub-folders in `folders` (the folders holding the workspace's
/// files): a unit rooted in one of them, or below, is audited under the nearest. What a sub-folder's file says
/// of roles, units and files is not used: those are the workspace's.
pub fn load_folders<'a>(
    config: &mut Config,
    root: &Path,
    folders: impl IntoIterator<Item = &'a str>,
    fs: &dyn FileSystem,
) -> Result<(), ConfigError> {
    let mut seen: Vec<&str> = Vec::new();
    for folder in folders {
        let mut f = folder;
        while !f.is_empty() && !seen.contains(&f) {
            seen.push(f);
            f = f.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        }
    }
    seen.sort();
    for folder in seen {
        if let Some(sub) = load_in(root, folder, fs, config.settings.profile)? {
            let mut s = sub.settings;
            if !sub.profile_set {
                s.profile = config.settings.profile;
            }
            config.settings.folders.push((folder.to_owned(), s));
        }
    }
    Ok(())
}

/// Parse the configuration text of file `name`; `None` for a `pyproject.toml` without `[tool.shipready]`.
pub fn parse(name: &str, text: &str, profile: Profile) -> Result<Option<Config>, ConfigError> {
    let err = |range: std::ops::Range<usize>, message: String| error(name, text, range, message);
    // `name` is the file's workspace-relative path: a sub-folder's `pyproject.toml` is a pyproject too.
    let raw = if name.rsplit('/').next() == Some("pyproject.toml") {
        let py: PyProject = toml::from_str(text)
            .map_err(|e| err(e.span().unwrap_or(0..0), e.message().to_owned()))?;
        match py.tool.and_then(|t| t.shipready) {
            Some(raw) => raw,
            None => return Ok(None),
        }
    } else {
        toml::from_str::<Raw>(text)
            .map_err(|e| err(e.span().unwrap_or(0..0), e.message().to_owned()))?
    };
    let mut config = Config::defaults(profile);
    config.file = Some(name.to_owned());
    let s = &mut config.settings;
    if let Some(p) = &raw.profile {
        s.profile = Profile::parse(p.get_ref()).ok_or_else(|| {
            err(
                p.span(),
                format!(
                    "unknown profile `{}`: use `seed` or `standard`",
                    p.get_ref()
                ),
            )
        })?;
        config.profile_set = true;
    }
    for (id, c) in &raw.categories {
        let category = Category::ALL
            .into_iter()
            .find(|c| c.id() == id.get_ref())
            .ok_or_else(|| {
                err(
                    id.span(),
                    format!(
                        "unknown category `{}`: use one of docker, cdk, guide, rollback, health",
                        id.get_ref()
                    ),
                )
            })?;
        if c.enabled == Some(false) {
            s.disabled.push(category);
        }
        if let Some(w) = &c.weight {
            if !(w.get_ref().is_finite() && *w.get_ref() >= 0.0) {
                return Err(err(w.span(), "a weight is a number from 0 up".to_owned()));
            }
            s.weights.push((category, *w.get_ref()));
        }
    }
    let codes = |list: &[Spanned<String>]| -> Result<Vec<String>, ConfigError> {
        list.iter()
            .map(|c| {
                let code = c.get_ref().trim().to_ascii_uppercase();
                if RULES.iter().any(|r| r.code.starts_with(code.as_str())) && !code.is_empty() {
                    Ok(code)
                } else {
                    Err(err(
                        c.span(),
                        format!("`{}` names no rule (see `shipready rules`)", c.get_ref()),
                    ))
                }
            })
            .collect()
    };
    s.rules = RuleFilter {
        select: codes(&raw.rules.select)?,
        ignore: codes(&raw.rules.ignore)?,
    };
    for (code, severity) in &raw.rules.severity {
        let c = codes(std::slice::from_ref(code))?.remove(0);
        let sev = Severity::parse(severity.get_ref()).ok_or_else(|| {
            err(
                severity.span(),
                format!(
                    "unknown severity `{}`: use critical, high, medium or low",
                    severity.get_ref()
                ),
            )
        })?;
        s.severities.push((c, sev));
    }
    let mut role_pairs = Vec::new();
    for (id, globs) in &raw.roles {
        let role = role_named(id.get_ref()).ok_or_else(|| {
            err(
                id.span(),
                format!(
                    "unknown role `{}`: use production, development, test, ci, example or archived",
                    id.get_ref()
                ),
            )
        })?;
        for g in globs {
            Glob::new(g.get_ref())
                .map_err(|e| err(g.span(), format!("`{}` is not a glob: {e}", g.get_ref())))?;
        }
        role_pairs.push((globs.iter().map(|g| g.get_ref().clone()).collect(), role));
    }
    s.roles = RoleGlobs::new(&role_pairs).map_err(|e| err(0..0, e))?;
    for u in &raw.units {
        if u.paths.is_empty() {
            return Err(err(
                0..0,
                "a [[units]] entry needs at least one folder in `paths`".to_owned(),
            ));
        }
        for p in &u.paths {
            if escapes(p.get_ref()) {
                return Err(err(
                    p.span(),
                    format!("`{}` is outside the workspace", p.get_ref()),
                ));
            }
        }
        s.units.push(DeclaredUnit {
            name: u.name.clone(),
            paths: u.paths.iter().map(|p| p.get_ref().clone()).collect(),
        });
    }
    for g in &raw.guide.paths {
        if escapes(g.get_ref()) {
            return Err(err(
                g.span(),
                format!("`{}` is outside the workspace", g.get_ref()),
            ));
        }
        s.guides.push(g.get_ref().clone());
    }
    for p in &raw.health.paths {
        Glob::new(p.get_ref())
            .map_err(|e| err(p.span(), format!("`{}` is not a glob: {e}", p.get_ref())))?;
    }
    let health: Vec<String> = raw
        .health
        .paths
        .iter()
        .map(|p| p.get_ref().clone())
        .collect();
    s.health_paths =
        shipready_rules::configured::health_globs(&health).map_err(|e| err(0..0, e))?;
    if !raw.files.exclude.is_empty() {
        let mut builder = GlobSetBuilder::new();
        for g in &raw.files.exclude {
            if escapes(g.get_ref()) {
                return Err(err(
                    g.span(),
                    format!("`{}` is outside the workspace", g.get_ref()),
                ));
            }
            builder.add(
                Glob::new(g.get_ref())
                    .map_err(|e| err(g.span(), format!("`{}` is not a glob: {e}", g.get_ref())))?,
            );
        }
        config.exclude = Some(builder.build().map_err(|e| err(0..0, e.to_string()))?);
    }
    if let Some(max) = &raw.files.max_size {
        if *max.get_ref() == 0 || *max.get_ref() > MAX_FILE_BYTES {
            return Err(err(
                max.span(),
                format!("max_size is a size in bytes from 1 to {MAX_FILE_BYTES}"),
            ));
        }
        config.max_bytes = *max.get_ref();
    }
    Ok(Some(config))
}

fn role_named(id: &str) -> Option<Role> {
    [
        Role::Production,
        Role::Development,
        Role::Test,
        Role::Ci,
        Role::Example,
        Role::Archived,
    ]
    .into_iter()
    .find(|r| r.id() == id)
}

/// Whether a configured path or glob reaches outside the workspace root.
fn escapes(path: &str) -> bool {
    path.starts_with('/') || path.split('/').any(|seg| seg == "..")
}

fn error(file: &str, text: &str, range: std::ops::Range<usize>, message: String) -> ConfigError {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let index = LineIndex::new(text);
    let pos = index.position(text, start, PositionEncoding::Utf16);
    ConfigError {
        file: file.to_owned(),
        line: pos.line + 1,
        column: pos.col + 1,
        range: TextRange::new(start, end),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Config {
        match parse("shipready.toml", text, Profile::Standard) {
            Ok(Some(c)) => c,
            other => panic!("{other:?}"),
        }
    }

    fn fails(name: &str, text: &str) -> ConfigError {
        match parse(name, text, Profile::Standard) {
            Err(e) => e,
            Ok(_) => panic!("accepted: {text}"),
        }
    }

    #[test]
    fn every_key_reaches_the_settings() {
        let c = ok(r#"
profile = "seed"
[categories.cdk]
enabled = false
[categories.health]
weight = 2.0
[rules]
select = ["HC", "dk004"]
ignore = ["HC005"]
severity = { HC003 = "low" }
[[units]]
name = "backend"
paths = ["services/api", "services/worker"]
[roles]
archived = ["legacy/**"]
[files]
exclude = ["docs/drafts/**"]
max_size = 65536
[guide]
paths = ["docs/ops.md"]
[health]
paths = ["/status", "/api/*/alive"]
"#);
        let s = &c.settings;
        assert_eq!(s.profile, Profile::Seed);
        assert!(c.profile_set);
        assert_eq!(s.disabled, [Category::Cdk]);
        assert_eq!(s.weight(Category::Health), 2.0);
        assert!(s.rules.runs("HC001") && s.rules.runs("DK004") && !s.rules.runs("HC005"));
        assert_eq!(s.severity_of("HC003"), Some(Severity::Low));
        assert_eq!(s.units[0].name.as_deref(), Some("backend"));
        assert_eq!(s.roles.role_of("legacy/x/Dockerfile"), Some(Role::Archived));
        assert!(c.excludes("docs/drafts/a.md") && !c.excludes("docs/a.md"));
        assert_eq!(c.max_bytes, 65536);
        assert_eq!(s.guides, ["docs/ops.md"]);
        assert!(s
            .health_paths
            .as_ref()
            .is_some_and(|g| g.is_match("/api/v1/alive")));
    }

    #[test]
    fn mistakes_are_errors_at_their_place() {
        let e = fails(
            "shipready.toml",
            "profile = \"standard\"\nprofil = \"seed\"\n",
        );
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("profil"), "{e}");
        let e = fails("shipready.toml", "[rules]\nignore = [\"XX9\"]\n");
        assert_eq!((e.line, e.column), (2, 11), "{e}");
        let e = fails("shipready.toml", "[rules.severity]\nHC003 = \"urgent\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("urgent"));
        let e = fails("shipready.toml", "[categories.securty]\nenabled = false\n");
        assert!(e.message.contains("securty"), "{e}");
        let e = fails(
            "shipready.toml",
            "[files]\nexclude = [\"../elsewhere/**\"]\n",
        );
        assert!(e.message.contains("outside the workspace"), "{e}");
        let e = fails("shipready.toml", "[files]\nmax_size = \"big\"\n");
        assert_eq!(e.line, 2, "{e}");
        let e = fails(
            "pyproject.toml",
            "[project]\nname = \"x\"\n[tool.shipready]\nprofile = 3\n",
        );
        assert_eq!(e.line, 4, "{e}");
        assert_eq!(e.to_string(), format!("pyproject.toml:4:11: {}", e.message));
    }

    #[test]
    fn a_pyproject_without_a_shipready_table_is_no_configuration() {
        assert!(matches!(
            parse(
                "pyproject.toml",
                "[project]\nname = \"x\"\n",
                Profile::Standard
            ),
            Ok(None)
        ));
    }
}
