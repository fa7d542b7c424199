//! Operational-script facts: shell scripts, Makefile/justfile targets and `package.json` scripts, so rules can
//! find a rollback procedure someone can run.

use serde::Serialize;
use shipready_text::TextRange;

use crate::Spanned;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScriptFacts {
    /// Named entry points: Makefile/justfile targets and `package.json` script names. A shell script's own
    /// entry is its file name, which the workspace knows.
    pub targets: Vec<Spanned<String>>,
    /// A shell script's commands, one per command as a guide's shell blocks list them (comments skipped,
    /// `&&`/`;` chains split, leading assignments removed): what an image that runs the script starts.
    pub commands: Vec<String>,
}

/// Which flavour of script file, decided from the file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptFlavor {
    Shell,
    Makefile,
    Justfile,
    PackageJson,
}

impl ScriptFlavor {
    pub fn of(file_name: &str) -> ScriptFlavor {
        match file_name.to_ascii_lowercase().as_str() {
            // `web: gunicorn app:app`: process types are named like recipe targets.
            "makefile" | "gnumakefile" | "procfile" => ScriptFlavor::Makefile,
            "justfile" => ScriptFlavor::Justfile,
            "package.json" => ScriptFlavor::PackageJson,
            _ => ScriptFlavor::Shell,
        }
    }
}

pub fn parse(text: &str, flavor: ScriptFlavor) -> ScriptFacts {
    let targets = match flavor {
        ScriptFlavor::Shell => Vec::new(),
        ScriptFlavor::Makefile | ScriptFlavor::Justfile => recipe_targets(text),
        ScriptFlavor::PackageJson => package_scripts(text),
    };
    let commands = match flavor {
        ScriptFlavor::Shell => crate::markdown::shell_commands(text),
        _ => Vec::new(),
    };
    ScriptFacts { targets, commands }
}

/// `name:` / `name arg:` at the start of a line (not `:=` assignments, not indented recipe lines).
fn recipe_targets(text: &str) -> Vec<Spanned<String>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.starts_with([' ', '\t', '#', '.']) {
            continue;
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        if line[colon + 1..].starts_with('=') || line[..colon].contains('=') {
            continue;
        }
        let head = &line[..colon];
        for name in head
            .split_whitespace()
            .take(if head.contains(' ') { 1 } else { usize::MAX })
        {
            let name = name.trim_start_matches('@');
            if name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'))
                && !name.is_empty()
            {
                let at = start + line.find(name).unwrap_or(0);
                out.push(Spanned::new(
                    name.to_owned(),
                    TextRange::new(at, at + name.len()),
                ));
            }
        }
    }
    out
}

fn package_scripts(text: &str) -> Vec<Spanned<String>> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
    else {
        return Vec::new();
    };
    let Some(scripts) = value.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    scripts
        .keys()
        .map(|name| {
            let range = text
                .find(&format!("\"{name}\""))
                .map(|at| TextRange::new(at + 1, at + 1 + name.len()))
                .unwrap_or_default();
            Spanned::new(name.clone(), range)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(f: &ScriptFacts) -> Vec<&str> {
        f.targets.iter().map(|t| t.value.as_str()).collect()
    }

    #[test]
    fn makefile_targets() {
        let text = "VERSION := 1\n.PHONY: rollback\nrollback: build\n\t./scripts/rollback.sh\ndeploy:\n\tcdk deploy\n";
        let f = parse(text, ScriptFlavor::Makefile);
        assert_eq!(names(&f), ["rollback", "deploy"]);
        assert_eq!(f.targets[0].range.slice(text), "rollback");
    }

    #[test]
    fn justfile_recipes_with_arguments() {
        let f = parse(
            "rollback version:\n    ./rb.sh {{version}}\n",
            ScriptFlavor::Justfile,
        );
        assert_eq!(names(&f), ["rollback"]);
    }

    #[test]
    fn package_json_scripts() {
        let text = r#"{"scripts": {"deploy": "cdk deploy", "rollback": "./rb.sh"}}"#;
        let f = parse(text, ScriptFlavor::PackageJson);
        assert_eq!(names(&f), ["deploy", "rollback"]);
        assert!(parse("{not json", ScriptFlavor::PackageJson)
            .targets
            .is_empty());
    }
}
