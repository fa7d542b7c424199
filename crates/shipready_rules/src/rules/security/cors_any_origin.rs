//! ## What it checks
//! That the web application's CORS configuration does not accept every origin: Starlette's or FastAPI's
//! `CORSMiddleware` with `allow_origins=["*"]` (or a module-level list holding `"*"`, or
//! `allow_origin_regex=".*"`, or a settings attribute such as `settings.allowed_hosts` whose default in a
//! production settings class is `["*"]`), and flask-cors's `CORS(app)` with its default origins or
//! `origins="*"`. The
//! finding says when credentials are allowed too (`allow_credentials=True`, `supports_credentials=True`), which
//! makes it worse. The finding sits on the origins argument (on the call when the origins are the default).
//!
//! ## Why it matters
//! CORS is what keeps another site's scripts from calling your API with your users' browsers. `*` switches it
//! off: any page a user visits can read the API's responses. With credentials allowed, Starlette echoes the
//! caller's origin back, so those calls carry the user's cookies too.
//!
//! ## Example
//! ```python
//! app.add_middleware(
//!     CORSMiddleware,
//!     allow_origins=["*"],
//!     allow_credentials=True,
//! )
//! ```
//!
//! ## Fix
//! ```python
//! app.add_middleware(
//!     CORSMiddleware,
//!     allow_origins=settings.cors_origins,  # ["https://app.example.com"]
//!     allow_credentials=True,
//! )
//! ```

use shipready_syntax::python::security::SettingValue;
use shipready_syntax::{FileFacts, FileKind};

use super::secrets::{is_production_settings_class, is_settings_module};
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "cors-any-origin",
    category: Category::Security,
    severity: Severity::High,
    title: "CORS accepts requests from any origin",
    impact: "Any web page a user visits can call the API from their browser and read the answers.",
    recommendation: "List the origins that may call the API, read from the environment.",
    effort: "15 minutes",
    source: include_str!("cors_any_origin.rs"),
    check,
};

fn message(how: &str, whence: &str, credentials: bool) -> String {
    let worse = if credentials {
        " and credentials are allowed too, so those calls carry the user's cookies"
    } else {
        ""
    };
    format!(
        "CORS accepts any origin (`{how}`{whence}){worse}: any web page can call this API from a user's browser. List the allowed origins instead."
    )
}

fn check(ctx: &Context) -> Outcome {
    if ctx.index.web().apps.is_empty() {
        return super::not_applicable("no web application");
    }
    // Settings attributes whose default holds `*`, in the unit's production settings classes.
    let mut any_origin_settings: Vec<(&str, &str)> = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        let module = is_settings_module(&file.path);
        for s in &py.security.settings {
            let production_class = s
                .class
                .as_ref()
                .is_some_and(|c| is_production_settings_class(c, module));
            if let (true, SettingValue::StrList(items)) = (production_class, &s.value) {
                if items.iter().any(|i| i == "*") {
                    any_origin_settings.push((s.name.as_str(), file.path.as_str()));
                }
            }
        }
    }
    let mut findings = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let FileFacts::Python(py) = &file.facts else {
            continue;
        };
        for c in &py.security.cors_any_origin {
            findings.push(Finding::at(
                &file.path,
                c.range,
                message(&c.how, "", c.credentials),
            ));
        }
        for c in &py.security.cors_from_setting {
            let Some((_, settings_file)) = any_origin_settings
                .iter()
                .find(|(name, _)| *name == c.attribute)
            else {
                continue;
            };
            let whence = format!(", whose default in {settings_file} is `[\"*\"]`");
            findings.push(Finding::at(
                &file.path,
                c.range,
                message(&c.how, &whence, c.credentials),
            ));
        }
    }
    if findings.is_empty() {
        return Outcome::pass("no CORS configuration accepts any origin", Vec::new());
    }
    let n = findings.len();
    Outcome::fail(
        format!(
            "{n} CORS {} any origin",
            if n == 1 {
                "configuration accepts"
            } else {
                "configurations accept"
            }
        ),
        findings,
    )
    .needing(n)
}

#[cfg(test)]
mod tests {
    use crate::{audit, Profile, Workspace};

    fn messages(files: &[(&str, &str)]) -> Vec<String> {
        let a = audit(
            &Workspace::from_texts(files.iter().copied()),
            Profile::Standard,
        );
        a.findings
            .iter()
            .filter(|f| f.code == "SC007")
            .map(|f| f.message.clone())
            .collect()
    }

    const MAIN: &str = "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\nfrom app.core.config import settings\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=settings.allowed_hosts, allow_credentials=True)\n";

    #[test]
    fn origins_from_a_settings_default_of_any_origin() {
        let any = "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    allowed_hosts: list[str] = [\"*\"]\n";
        let found = messages(&[("app/main.py", MAIN), ("app/core/config.py", any)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("app/core/config.py") && found[0].contains("credentials"));
        let listed = any.replace("\"*\"", "\"https://shop.example.com\"");
        assert!(messages(&[("app/main.py", MAIN), ("app/core/config.py", &listed)]).is_empty());
        // A development settings class allowing any origin is not what production uses.
        let dev = any.replace("class Settings", "class DevSettings");
        assert!(messages(&[("app/main.py", MAIN), ("app/core/config.py", &dev)]).is_empty());
    }

    #[test]
    fn flask_cors_defaults_to_any_origin() {
        let app = "from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app)\n";
        assert_eq!(messages(&[("app.py", app)]).len(), 1);
        let listed = app.replace(
            "CORS(app)",
            "CORS(app, origins=[\"https://shop.example.com\"])",
        );
        assert!(messages(&[("app.py", &listed)]).is_empty());
    }
}
