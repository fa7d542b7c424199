//! ## What it checks
//! That debug mode is not switched on where production reaches it: `DEBUG = True` in a settings module
//! (`settings.py`, `config.py`, a `settings/` package, except its development and test modules), a `DEBUG`
//! or `debug` attribute set to `True` in a production settings class (a pydantic `BaseSettings`, a
//! `Config`/`ProdConfig`; not `DevConfig` or `TestConfig`, and not when another class of the module turns it
//! off), `FastAPI(debug=True)` or `Starlette(debug=True)`, Flask's `app.debug = True` or
//! `app.config["DEBUG"] = True`. Code under `if __name__ == "__main__":` is a development entry point, and code
//! under an `if` that names development, local runs, tests or debugging (`if settings.ENVIRONMENT == "local":`)
//! runs only there: neither is judged; a production command that starts the development server (`app.run(debug=True)`) is the
//! runtime category's.
//!
//! ## Why it matters
//! In debug mode a framework shows full tracebacks, settings and sometimes an interactive console to whoever
//! triggers an error. Werkzeug's debugger runs arbitrary code; Django's error pages list settings.
//!
//! ## Example
//! ```python
//! app = FastAPI(debug=True)
//! ```
//!
//! ## Fix
//! ```python
//! app = FastAPI(debug=settings.debug)  # False unless the environment says otherwise
//! ```

use shipready_syntax::python::security::SettingValue;
use shipready_syntax::{FileFacts, FileKind};

use super::secrets::{is_production_settings_class, is_settings_module};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "debug-enabled",
    category: Category::Security,
    severity: Severity::High,
    title: "Debug mode is on where production reaches it",
    impact: "Errors show tracebacks, settings or a debugger console to whoever triggers them.",
    recommendation: "Default debug to off and switch it on only from a development environment.",
    effort: "15 minutes",
    source: include_str!("debug_enabled.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let mut judged = false;
    let mut findings = Vec::new();
    if !ctx.index.web().apps.is_empty() {
        judged = true;
    }
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        for d in &py.security.debug_on {
            findings.push(Finding::at(
                &file.path,
                d.range,
                format!(
                    "`{}` switches debug mode on for every run of this module: errors show tracebacks to whoever triggers them. Read it from the environment, off by default.",
                    d.what
                ),
            ));
        }
        let module = is_settings_module(&file.path);
        let is_debug = |name: &str| name.eq_ignore_ascii_case("debug");
        // A class of the module that turns debug off (`ProdConfig: DEBUG = False`) is what production uses.
        let turned_off = py.security.settings.iter().any(|s| {
            s.class.is_some() && is_debug(&s.name) && s.value == SettingValue::Bool(false)
        });
        for s in &py.security.settings {
            let in_scope = match &s.class {
                None => module,
                Some(class) => is_production_settings_class(class, module) && !turned_off,
            };
            if !in_scope || !is_debug(&s.name) {
                continue;
            }
            judged = true;
            if s.value == SettingValue::Bool(true) {
                let place = match &s.class {
                    Some(c) => format!("the settings class `{}`", c.name),
                    None => "a settings module".to_owned(),
                };
                findings.push(Finding::at(
                    &file.path,
                    s.range,
                    format!(
                        "`{}` is `True` in {place}: production runs in debug mode unless something overrides it. Default it to `False` and switch it on only in development.",
                        s.name
                    ),
                ));
            }
        }
    }
    if !judged && findings.is_empty() {
        return super::not_applicable("no web application or settings module");
    }
    if findings.is_empty() {
        return Outcome::pass("debug mode is off", Vec::new());
    }
    let n = findings.len();
    Outcome::fail(
        format!(
            "debug mode on in {}",
            super::super::plural(n, "place", "places")
        ),
        findings,
    )
    .needing(n)
}

#[cfg(test)]
mod tests {
    use crate::{audit, Profile, Workspace};

    fn places(files: &[(&str, &str)]) -> Vec<String> {
        let ws = Workspace::from_texts(files.iter().copied());
        let a = audit(&ws, Profile::Standard);
        a.findings
            .iter()
            .filter(|f| f.code == "SC009")
            .map(|f| {
                let text = ws
                    .file(f.file.as_deref().unwrap_or(""))
                    .map_or("", |x| &x.text);
                f.range
                    .and_then(|r| text.get(r.start..r.end))
                    .unwrap_or("")
                    .to_owned()
            })
            .collect()
    }

    const APP: &str = "from flask import Flask\n\napp = Flask(__name__)\n";

    #[test]
    fn settings_modules_and_classes() {
        let django = "SECRET_KEY = ''\nDEBUG = True\n";
        assert_eq!(
            places(&[("app.py", APP), ("proj/settings.py", django)]),
            ["DEBUG = True"]
        );
        // The same in a development module, or a module that is not a settings module, is not judged.
        assert!(places(&[("app.py", APP), ("proj/settings/dev.py", django)]).is_empty());
        assert!(places(&[("app.py", APP), ("proj/views.py", django)]).is_empty());
        // A base class with DEBUG = True whose production subclass turns it off.
        let classes =
            "class Config:\n    DEBUG = True\n\nclass ProdConfig(Config):\n    DEBUG = False\n";
        assert!(places(&[("app.py", APP), ("config.py", classes)]).is_empty());
        let only_on =
            "class Config:\n    DEBUG = True\n\nclass TestConfig(Config):\n    TESTING = True\n";
        assert_eq!(
            places(&[("app.py", APP), ("config.py", only_on)]),
            ["DEBUG = True"]
        );
    }

    #[test]
    fn flask_debug_switches_outside_main() {
        let on = format!("{APP}app.config[\"DEBUG\"] = True\n\nif __name__ == \"__main__\":\n    app.debug = True\n    app.run()\n");
        assert_eq!(places(&[("app.py", &on)]), ["app.config[\"DEBUG\"] = True"]);
    }
}
