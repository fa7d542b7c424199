//! Dependency-declaration facts: the packages a `requirements*.txt`, `pyproject.toml`, `setup.cfg` or `Pipfile`
//! names, so rules can tell whether a CDK app declares `aws-cdk-lib`.

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

#[cfg(test)]
mod tests {
    use super::*;

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
