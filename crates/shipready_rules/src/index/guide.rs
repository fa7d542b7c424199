//! The deployment guide: which Markdown file it is, and which of the seven required sections it has
//! (matched on headings with sensible synonyms).

use shipready_syntax::markdown::{Heading, MarkdownFacts};
use shipready_syntax::FileFacts;

use crate::{SourceFile, Workspace};

/// The seed's required guide sections, in canonical order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequiredSection {
    Prerequisites,
    LocalSetup,
    AwsSetup,
    ProductionDeployment,
    Monitoring,
    Troubleshooting,
    Rollback,
}

impl RequiredSection {
    pub const ALL: [RequiredSection; 7] = [
        RequiredSection::Prerequisites,
        RequiredSection::LocalSetup,
        RequiredSection::AwsSetup,
        RequiredSection::ProductionDeployment,
        RequiredSection::Monitoring,
        RequiredSection::Troubleshooting,
        RequiredSection::Rollback,
    ];

    pub fn title(self) -> &'static str {
        match self {
            RequiredSection::Prerequisites => "Prerequisites",
            RequiredSection::LocalSetup => "Local Setup",
            RequiredSection::AwsSetup => "AWS Setup",
            RequiredSection::ProductionDeployment => "Production Deployment",
            RequiredSection::Monitoring => "Monitoring",
            RequiredSection::Troubleshooting => "Troubleshooting",
            RequiredSection::Rollback => "Rollback",
        }
    }

    /// Whether a heading's text names this section.
    pub fn matches(self, heading: &str) -> bool {
        let h = heading.to_lowercase();
        let any = |words: &[&str]| words.iter().any(|w| h.contains(w));
        match self {
            RequiredSection::Prerequisites => any(&[
                "prerequisite",
                "pre-requisite",
                "requirements",
                "before you begin",
                "what you need",
                "dependencies",
                // The full-stack FastAPI template's deployment guide opens with "Preparation": a server, DNS
                // records and Docker.
                "preparation",
            ]),
            RequiredSection::LocalSetup => {
                (h.contains("local") && !h.contains("locali"))
                    || any(&[
                        "getting started",
                        "quick start",
                        "quickstart",
                        "installation",
                        "development setup",
                        "dev setup",
                        "run it",
                    ])
            }
            RequiredSection::AwsSetup => {
                (h.contains("aws")
                    && any(&[
                        "setup",
                        "set up",
                        "config",
                        "account",
                        "credential",
                        "bootstrap",
                        "prepar",
                    ]))
                    || any(&[
                        "cdk bootstrap",
                        "bootstrapping",
                        "cloud setup",
                        "infrastructure setup",
                        "configure aws",
                        "iam setup",
                    ])
            }
            RequiredSection::ProductionDeployment => {
                (h.contains("deploy") && !h.contains("guide"))
                    || any(&[
                        "production",
                        "release process",
                        "releasing",
                        "go live",
                        "going live",
                    ])
            }
            RequiredSection::Monitoring => any(&[
                "monitor",
                "observability",
                "logging",
                "logs",
                "metrics",
                "alert",
                "alarm",
                "dashboard",
            ]),
            RequiredSection::Troubleshooting => any(&[
                "troubleshoot",
                "common issues",
                "common problems",
                "known issues",
                "faq",
                "debugging",
            ]),
            RequiredSection::Rollback => any(&[
                "rollback",
                "roll back",
                "rolling back",
                "roll-back",
                "revert",
            ]),
        }
    }
}

/// The workspace's deployment guide and what it covers.
#[derive(Clone, Debug)]
pub struct GuideIndex {
    pub path: String,
    /// For each required section, the index of the first heading that matches it.
    pub sections: Vec<(RequiredSection, Option<usize>)>,
}

impl GuideIndex {
    pub fn present(&self) -> usize {
        self.sections.iter().filter(|(_, h)| h.is_some()).count()
    }

    pub fn heading_of(&self, section: RequiredSection) -> Option<usize> {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .and_then(|(_, h)| *h)
    }
}

pub fn markdown(file: &SourceFile) -> Option<&MarkdownFacts> {
    match &file.facts {
        FileFacts::Markdown(m) => Some(m),
        _ => None,
    }
}

/// Match the required sections against a document's headings. The document title (a lone level-1 heading such
/// as "Deployment Guide") names the whole guide, not a section, so it is not matched.
pub fn match_sections(md: &MarkdownFacts) -> Vec<(RequiredSection, Option<usize>)> {
    let title = lone_title(&md.headings);
    RequiredSection::ALL
        .iter()
        .map(|&s| {
            let h = md
                .headings
                .iter()
                .enumerate()
                .position(|(i, h)| Some(i) != title && s.matches(&h.text));
            (s, h)
        })
        .collect()
}

fn lone_title(headings: &[Heading]) -> Option<usize> {
    let ones: Vec<usize> = headings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.level == 1)
        .map(|(i, _)| i)
        .collect();
    match ones.as_slice() {
        [only] if headings.len() > 1 => Some(*only),
        _ => None,
    }
}

/// The deployment guide: a Markdown file named for deployment (`DEPLOYMENT.md`, `docs/deploy.md`) with the
/// most required sections, else a README or other document with a deployment heading and at least two
/// required sections.
pub fn find(ws: &Workspace) -> Option<GuideIndex> {
    let candidates = ws.files().iter().filter_map(|file| {
        let md = markdown(file)?;
        let named = file.name().to_ascii_lowercase().contains("deploy");
        let sections = match_sections(md);
        let present = sections.iter().filter(|(_, h)| h.is_some()).count();
        let has_deploy_heading = md
            .headings
            .iter()
            .any(|h| h.text.to_lowercase().contains("deploy"));
        if !(named || has_deploy_heading && present >= 2) {
            return None;
        }
        // Named guides first, then more sections, then shallower, then by path for a stable choice.
        let depth = file.path.matches('/').count();
        let rank = (
            named,
            present,
            std::cmp::Reverse(depth),
            std::cmp::Reverse(file.path.as_str()),
        );
        Some((
            rank,
            GuideIndex {
                path: file.path.clone(),
                sections,
            },
        ))
    });
    candidates
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, guide)| guide)
}

#[cfg(test)]
mod tests {
    use super::RequiredSection::*;

    #[test]
    fn synonyms() {
        assert!(Prerequisites.matches("Requirements"));
        assert!(Prerequisites.matches("Preparation"));
        assert!(LocalSetup.matches("Running locally"));
        assert!(LocalSetup.matches("Getting Started"));
        assert!(AwsSetup.matches("AWS account setup"));
        assert!(AwsSetup.matches("CDK bootstrap"));
        assert!(ProductionDeployment.matches("Deploying to production"));
        assert!(!ProductionDeployment.matches("Deployment Guide"));
        assert!(Monitoring.matches("Logs and metrics"));
        assert!(Troubleshooting.matches("FAQ"));
        assert!(Rollback.matches("Rolling back a release"));
        assert!(!Rollback.matches("Monitoring"));
    }
}
