//! Where a unit's production files give a secret a value: Dockerfile `ENV` and `ARG` defaults, compose
//! `environment`, committed `.env` files and settings modules (module-level `SECRET_KEY = "..."`, settings
//! class attributes, literal fallbacks of environment reads). SC002 reports the real-looking values, SC006 the
//! placeholders; neither ever shows more than a value's first two characters.

use shipready_syntax::compose::ComposeFacts;
use shipready_syntax::python::security::{ClassInfo, SettingValue};
use shipready_syntax::{FileFacts, FileKind};
use shipready_text::TextRange;

use crate::index::docker::{compose, dockerfile};
use crate::Context;

/// One place that sets a secret-named variable to a value.
pub(crate) struct SecretSite {
    pub file: String,
    pub range: TextRange,
    pub name: String,
    /// The value, unquoted. Shown only through `mask`.
    pub value: String,
    /// Where it is set, for the message (`an ENV`, `compose \`environment\``, `a .env file`...).
    pub place: &'static str,
    /// Whether the file is part of the repository only (compose, .env, settings) rather than an image.
    pub in_repository: bool,
    /// Whether the value is the fallback of an environment read: a default production uses whenever the
    /// variable is not set (SC006's, like a placeholder: everyone who reads the repository knows it).
    pub fallback: bool,
}

/// Words in a variable name that say it holds a secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CLIENT_SECRET",
    "CREDENTIAL",
];

/// Name endings that say the variable holds something about a secret, not the secret itself.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_URL",
    "_NAME",
    "_LENGTH",
    "_EXPIRE",
    "_EXPIRES",
    "_TTL",
    "_MINUTES",
    "_SECONDS",
    "_HOURS",
    "_DAYS",
    "_ALGORITHM",
    "_TYPE",
    "_PREFIX",
    "_HEADER",
    "_ARN",
];

/// Values everyone knows: a secret set to one of them (or `changeme_...`, `your-...`) is a placeholder.
const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "changethis",
    "change_me",
    "change-me",
    "change_this",
    "secret",
    "password",
    "passwd",
    "admin",
    "example",
    "xxx",
    "todo",
    "your",
    "dummy",
    "placeholder",
    "replaceme",
    "replace_me",
    "default",
    "test",
];

/// Whether `name` says it holds a secret (not a path or a file holding one: `*_FILE`, `*_PATH`).
pub(crate) fn names_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // Short forms as a whole last word: `POSTGRES_PW`, `DB_PASS`.
    let short = ["PW", "PWD", "PASS"]
        .iter()
        .any(|w| upper == *w || upper.ends_with(&format!("_{w}")));
    (short || SECRET_WORDS.iter().any(|w| upper.contains(w)))
        && !NOT_SECRET_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

/// The value as a secret: `None` when it is a reference (`${DB_PASSWORD}`, `$X`), the path of a file holding
/// the secret (`/run/secrets/db`), or empty.
pub(crate) fn literal_value(value: &str) -> Option<&str> {
    let v = value.trim().trim_matches(['"', '\'']);
    (!(v.is_empty() || v.starts_with('$') || v.contains("${") || v.starts_with('/'))).then_some(v)
}

/// Whether a literal secret value is a placeholder everyone knows.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.contains("changeme")
        || lower.contains("changethis")
        || lower.contains("change_me")
        || lower.contains("change-me")
        || lower.contains("changeit")
        || PLACEHOLDERS.iter().any(|p| {
            lower == *p
                || lower
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with(['_', '-', '.']))
        })
}

/// Every secret-named variable given a literal value in the unit's production files, and whether the unit has
/// any file these are read from.
pub(crate) fn secret_sites(ctx: &Context) -> (bool, Vec<SecretSite>) {
    let mut seen = false;
    let mut sites = Vec::new();
    let mut push = |file: &str,
                    range: TextRange,
                    name: &str,
                    value: &str,
                    place: &'static str,
                    in_repository: bool| {
        if !names_secret(name) {
            return;
        }
        if let Some(v) = literal_value(value) {
            sites.push(SecretSite {
                file: file.to_owned(),
                range,
                name: name.to_owned(),
                value: v.to_owned(),
                place,
                in_repository,
                fallback: place == FALLBACK,
            });
        }
    };
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        seen = true;
        for a in &d.global_args {
            if let Some(default) = &a.default {
                push(
                    &file.path,
                    a.range,
                    &a.name,
                    default,
                    "an ARG default",
                    false,
                );
            }
        }
        for stage in &d.stages {
            for e in &stage.env {
                push(&file.path, e.range, &e.key, &e.value, "an ENV", false);
            }
        }
    }
    // A development-looking compose file is set aside only when the unit deploys some other way: another
    // compose file, or a production Dockerfile (`Dockerfile.prod`). Alone, it is how the unit runs.
    let composes = ctx.workspace.of_kind(FileKind::Compose).count();
    let prod_dockerfile = ctx.workspace.of_kind(FileKind::Dockerfile).any(|f| {
        f.name()
            .to_ascii_lowercase()
            .split(['.', '-', '_'])
            .any(|w| matches!(w, "prod" | "production"))
    });
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        seen = true;
        if (composes > 1 || prod_dockerfile) && is_development_compose(c) {
            continue;
        }
        for service in &c.services {
            for entry in &service.environment {
                let (name, value) = &entry.value;
                if let Some(value) = value {
                    push(
                        &file.path,
                        entry.range,
                        name,
                        value,
                        "compose `environment`",
                        true,
                    );
                }
            }
        }
    }
    for file in ctx.workspace.of_kind(FileKind::DotEnv) {
        let FileFacts::DotEnv(env) = &file.facts else {
            continue;
        };
        seen = true;
        for e in &env.entries {
            // A bare `$X` in a `.env` file is interpolated by compose; a single-quoted one is literal text,
            // but still not a secret anyone can read from it.
            push(&file.path, e.range, &e.key, &e.value, "a .env file", true);
        }
    }
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        let module = is_settings_module(&file.path);
        for s in &py.security.settings {
            let in_scope = match &s.class {
                None => module,
                Some(class) => is_production_settings_class(class, module),
            };
            if !in_scope {
                continue;
            }
            seen = true;
            let (value, place) = match &s.value {
                SettingValue::Str(v) => (v, "a settings module"),
                SettingValue::EnvFallback(v) => (v, FALLBACK),
                _ => continue,
            };
            push(&file.path, s.range, &s.name, value, place, true);
        }
    }
    (seen, sites)
}

/// Whether a compose file looks like a development setup by what it does, whatever its name: a service that
/// bind-mounts its own build context over the image (live source), builds a `dev` target, or runs a reloader
/// (`--reload`, `nodemon`, `flask run`, `runserver`). Its credentials are a developer's local ones.
pub(crate) fn is_development_compose(c: &ComposeFacts) -> bool {
    let norm = |p: &str| {
        let p = p.trim().trim_end_matches('/');
        let p = p.strip_prefix("./").unwrap_or(p);
        if p.is_empty() {
            ".".to_owned()
        } else {
            p.to_owned()
        }
    };
    c.services.iter().any(|s| {
        let Some(build) = &s.build else {
            return false;
        };
        let context = norm(&build.context);
        let mounts_source = s.volumes.iter().any(|v| {
            let source = v.value.split(':').next().unwrap_or("");
            source.starts_with('.') && norm(source) == context
        });
        let dev_target = build
            .target
            .as_deref()
            .is_some_and(|t| matches!(t, "dev" | "development" | "debug"));
        let reloads = s.command.as_ref().is_some_and(|c| {
            let c = &c.value;
            c.contains("--reload")
                || c.contains("nodemon")
                || c.contains("flask run")
                || c.contains("runserver")
        });
        mounts_source || dev_target || reloads
    })
}

/// Where a fallback value is set, for the message.
const FALLBACK: &str = "the fallback of an environment read";

/// File names of settings modules, and folder names of settings packages.
const SETTINGS_FILES: &[&str] = &[
    "settings.py",
    "config.py",
    "configs.py",
    "conf.py",
    "configuration.py",
    "global_settings.py",
    "base_settings.py",
    "production.py",
    "prod.py",
];
const SETTINGS_DIRS: &[&str] = &["settings", "config", "configs", "conf"];

/// Module names (in a settings package) that hold development or test settings.
const DEV_MODULES: &[&str] = &[
    "dev.py",
    "development.py",
    "local.py",
    "test.py",
    "tests.py",
    "testing.py",
    "debug.py",
];

/// Whether the module at `path` holds settings: `settings.py`, `config.py`, `core/config.py`, or a module of a
/// `settings/` or `config/` package, except its development and test modules.
pub(crate) fn is_settings_module(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path).to_ascii_lowercase();
    if DEV_MODULES.contains(&name.as_str()) {
        return false;
    }
    let parent = parts.next().unwrap_or("").to_ascii_lowercase();
    SETTINGS_FILES.contains(&name.as_str()) || SETTINGS_DIRS.contains(&parent.as_str())
}

/// Whether a class holds settings production uses: a pydantic `BaseSettings`, or a class named (or based on a
/// class named) `...Config`/`...Settings` in a settings module, and not one for development or tests
/// (`DevConfig`, `TestSettings`, `LocalConfig`).
pub(crate) fn is_production_settings_class(class: &ClassInfo, in_settings_module: bool) -> bool {
    if is_dev_class(&class.name) {
        return false;
    }
    let settings_like = |n: &str| {
        let last = n.rsplit('.').next().unwrap_or(n);
        last.ends_with("Config") || last.ends_with("Settings") || last.ends_with("Configuration")
    };
    class.bases.iter().any(|b| b.ends_with("BaseSettings"))
        || (in_settings_module
            && (settings_like(&class.name) || class.bases.iter().any(|b| settings_like(b))))
}

/// Whether a class name says it is for development or tests (its leading word: `DevConfig`,
/// `DevelopmentSettings`, `TestingConfig`, `LocalConfig`, `DebugConfig`).
pub(crate) fn is_dev_class(name: &str) -> bool {
    ["Dev", "Test", "Local", "Debug", "Unittest"]
        .iter()
        .any(|w| name.starts_with(w))
        || name.contains("Test")
        || name.contains("Development")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_values_and_placeholders() {
        assert!(names_secret("POSTGRES_PASSWORD"));
        assert!(names_secret("stripe_api_key"));
        assert!(names_secret("SECRET_KEY"));
        assert!(!names_secret("POSTGRES_PASSWORD_FILE"));
        assert!(!names_secret("ACCESS_TOKEN_EXPIRE_MINUTES"));
        assert!(!names_secret("DATABRICKS_SECRET_NAME"));
        assert!(!names_secret("POSTGRES_USER"));
        assert!(names_secret("POSTGRES_PW"));
        assert!(names_secret("DB_PASS"));
        assert!(!names_secret("PASSPORT"));
        assert_eq!(literal_value("'hunter2'"), Some("hunter2"));
        assert_eq!(literal_value("${DB_PASSWORD}"), None);
        assert_eq!(literal_value("$DB_PASSWORD"), None);
        assert_eq!(literal_value("/run/secrets/db-password"), None);
        assert_eq!(literal_value(""), None);
        for p in [
            "changethis",
            "changeit",
            "ChangeMe",
            "secret-key",
            "example_123",
            "your_password",
            "admin",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in [
            "hunter2",
            "postgres",
            "secretive",
            "you-will-never-guess",
            "testify",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn settings_modules_and_classes() {
        assert!(is_settings_module("settings.py"));
        assert!(is_settings_module("app/core/config.py"));
        assert!(is_settings_module("app/settings/base.py"));
        assert!(!is_settings_module("app/settings/development.py"));
        assert!(!is_settings_module("app/models.py"));
        let class = |name: &str, bases: &[&str]| ClassInfo {
            name: name.to_owned(),
            bases: bases.iter().map(|b| (*b).to_owned()).collect(),
        };
        assert!(is_production_settings_class(
            &class("Settings", &["BaseSettings"]),
            false
        ));
        assert!(is_production_settings_class(
            &class("ProdConfig", &["Config"]),
            true
        ));
        assert!(is_production_settings_class(
            &class("Config", &["object"]),
            true
        ));
        assert!(!is_production_settings_class(
            &class("DevConfig", &["Config"]),
            true
        ));
        assert!(!is_production_settings_class(
            &class("TestSettings", &["BaseSettings"]),
            false
        ));
        assert!(!is_production_settings_class(
            &class("User", &["Model"]),
            true
        ));
        assert!(!is_production_settings_class(
            &class("Config", &["object"]),
            false
        ));
    }
}
