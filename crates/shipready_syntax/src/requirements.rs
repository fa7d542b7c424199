//! Dependency-declaration facts: the packages a `requirements*.txt`, `pyproject.toml`, `setup.cfg` or `Pipfile`
//! names, and the `install_requires=[...]` of a `setup.py` (which a `requirements.txt` holding `-e .` installs), so
//! rules can tell whether a CDK app declares `aws-cdk-lib`.

use serde::Serialize;

use crate::Spanned;
use shipready_text::TextRange;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RequirementsFacts {
    /// Normalised package names (lower-case, `_` and `.` as `-`) with the range of the name.
    pub packages: Vec<Spanned<String>>,
}

impl RequirementsFacts {
    pub fn declares(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p.value == package)
    }
}

/// Collect package names. Requirement files are read line by line; TOML/INI-like files are scanned for quoted
/// or `name =`/`name>=` requirement strings, which covers PEP 621, Poetry tables, setup.cfg and Pipfile.
pub fn parse(text: &str) -> RequirementsFacts {
    let mut packages = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches('\u{feff}');
        let lead = line.len() - trimmed.len();
        let content = trimmed.split('#').next().unwrap_or("");
        // Candidates: the line start (requirements.txt, Poetry keys) and each quoted string (PEP 621 lists).
        let mut candidates = vec![(start + lead, content)];
        let mut rest = content;
        let mut base = start + lead;
        while let Some(q) = rest.find(['"', '\'']) {
            let after = &rest[q + 1..];
            candidates.push((base + q + 1, after));
            let close = after
                .find(['"', '\''])
                .map(|c| c + 1)
                .unwrap_or(after.len());
            base += q + 1 + close;
            rest = &after[close.min(after.len())..];
        }
        for (at, candidate) in candidates {
            let lead_ws = candidate.len() - candidate.trim_start().len();
            let name: String = candidate
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if name.is_empty() || name.starts_with('-') || name.starts_with('.') {
                continue;
            }
            let normalised = name.to_ascii_lowercase().replace(['_', '.'], "-");
            let range = TextRange::new(at + lead_ws, at + lead_ws + name.len());
            packages.push(Spanned::new(normalised, range));
        }
    }
    RequirementsFacts { packages }
}

/// The packages of a `setup.py`'s `install_requires=[...]` (or `(...)`) list literal, with ranges in `text`. A
/// list held in a variable is not followed: its strings could be anything.
pub fn setup_py(text: &str) -> RequirementsFacts {
    let mut packages = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|t| t.find("install_requires")) {
        let key_end = from + found + "install_requires".len();
        from = key_end;
        let rest = text.get(key_end..).unwrap_or("");
        let after_eq = rest.trim_start();
        let Some(value) = after_eq
            .strip_prefix('=')
            .or_else(|| after_eq.strip_prefix(':'))
        else {
            continue;
        };
        let value = value.trim_start();
        let close = match value.chars().next() {
            Some('[') => ']',
            Some('(') => ')',
            _ => continue,
        };
        let start = text.len() - value.len();
        let end = value.find(close).map_or(text.len(), |c| start + c);
        let list = text.get(start..end).unwrap_or("");
        packages.extend(parse(list).packages.into_iter().map(|p| Spanned {
            range: p.range.shifted(start),
            value: p.value,
        }));
    }
    RequirementsFacts { packages }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_py_install_requires() {
        let text = "import setuptools

setuptools.setup(
    name=\"infra\",
    install_requires=[
        \"aws-cdk-lib==2.150.0\",
                    \x20       'constructs>=10',
    ],
    extras_require={\"dev\": [\"pytest\"]},
)
";
        let f = setup_py(text);
        let names: Vec<&str> = f.packages.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(names, ["aws-cdk-lib", "constructs"]);
        assert_eq!(f.packages[0].range.slice(text), "aws-cdk-lib");
        assert!(
            setup_py("setup(name=\"aws-cdk-lib\", install_requires=REQUIRES)\n")
                .packages
                .is_empty()
        );
    }

    #[test]
    fn requirements_txt() {
        let text = "aws-cdk-lib==2.100.0\nconstructs>=10.0.0,<11.0.0  # comment\n-r base.txt\n";
        let f = parse(text);
        assert!(f.declares("aws-cdk-lib"));
        assert!(f.declares("constructs"));
        assert_eq!(f.packages[0].range.slice(text), "aws-cdk-lib");
    }

    #[test]
    fn pyproject_dependencies() {
        let f = parse("[project]\ndependencies = [\n  \"aws_cdk_lib>=2\",\n  'fastapi'\n]\n");
        assert!(f.declares("aws-cdk-lib"));
        assert!(f.declares("fastapi"));
    }
}
