//! User configuration, from `initializationOptions` and `workspace/didChangeConfiguration`:
//! `{"profile": "seed" | "standard", "severities": {"HC001": "warning", "LOW": "hint"}}`. Settings may also be
//! nested under a `shipready` key, as editors send them. Unknown values are reported, never fatal.

use std::collections::BTreeMap;

use serde_json::Value;
use shipready_analysis::Profile;
use shipready_rules::Severity;
use tower_lsp::lsp_types::DiagnosticSeverity;

/// How a rule's findings are shown: with an editor severity, or not at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    As(DiagnosticSeverity),
    Off,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub profile: Profile,
    /// Overrides by rule code (`HC001`) or by rule severity (`LOW`), upper-cased.
    pub severities: BTreeMap<String, Shown>,
}

impl Config {
    /// Read a configuration value; returns it with one message per ignored entry.
    pub fn from_value(value: Option<&Value>) -> (Config, Vec<String>) {
        let mut config = Config::default();
        let mut problems = Vec::new();
        let Some(value) = value else {
            return (config, problems);
        };
        let value = value.get("shipready").unwrap_or(value);
        match value.get("profile") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if Profile::parse(s).is_some() => {
                config.profile = Profile::parse(s).unwrap_or_default();
            }
            Some(other) => problems.push(format!(
                "ignoring profile {other}: expected \"seed\" or \"standard\""
            )),
        }
        if let Some(map) = value.get("severities").and_then(Value::as_object) {
            for (key, v) in map {
                match v.as_str().and_then(parse_shown) {
                    Some(shown) => {
                        config.severities.insert(key.to_ascii_uppercase(), shown);
                    }
                    None => problems.push(format!(
                        "ignoring severity {v} for {key}: expected error, warning, information, hint or off"
                    )),
                }
            }
        }
        (config, problems)
    }

    /// How a finding of rule `code` with severity `severity` is shown: a per-code override wins over a
    /// per-severity one, which wins over the default mapping.
    pub fn shown(&self, code: &str, severity: Severity) -> Shown {
        self.severities
            .get(code)
            .or_else(|| self.severities.get(severity.as_str()))
            .copied()
            .unwrap_or(Shown::As(default_severity(severity)))
    }
}

/// CRITICAL and HIGH gaps block a deploy (errors); MEDIUM ones are warnings; LOW ones information.
pub fn default_severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
    }
}

fn parse_shown(s: &str) -> Option<Shown> {
    Some(match s.to_ascii_lowercase().as_str() {
        "error" => Shown::As(DiagnosticSeverity::ERROR),
        "warning" | "warn" => Shown::As(DiagnosticSeverity::WARNING),
        "information" | "info" => Shown::As(DiagnosticSeverity::INFORMATION),
        "hint" => Shown::As(DiagnosticSeverity::HINT),
        "off" | "none" => Shown::Off,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn code_overrides_win_over_severity_overrides() {
        let v = json!({"profile": "seed", "severities": {"HC001": "warning", "critical": "hint"}});
        let (c, problems) = Config::from_value(Some(&v));
        assert!(problems.is_empty());
        assert_eq!(c.profile, Profile::Seed);
        assert_eq!(
            c.shown("HC001", Severity::Critical),
            Shown::As(DiagnosticSeverity::WARNING)
        );
        assert_eq!(
            c.shown("HC003", Severity::Critical),
            Shown::As(DiagnosticSeverity::HINT)
        );
        assert_eq!(
            c.shown("GD006", Severity::Low),
            Shown::As(DiagnosticSeverity::INFORMATION)
        );
    }

    #[test]
    fn nested_settings_and_bad_values() {
        let v = json!({"shipready": {"profile": 3, "severities": {"HC001": "loud", "LOW": "off"}}});
        let (c, problems) = Config::from_value(Some(&v));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(c.profile, Profile::Standard);
        assert_eq!(c.shown("GD006", Severity::Low), Shown::Off);
    }
}
