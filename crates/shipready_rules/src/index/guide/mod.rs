//! The deployment guide: which Markdown file it is (chosen by name and by what it says, in `choice`), and
//! which of the seven required sections it has (matched by meaning, in `sections`).

mod choice;
mod commands;
mod names;
mod sections;
mod words;

pub use sections::{RequiredSection, Strength};
pub(crate) use words::Words;

use std::sync::Arc;

use shipready_syntax::markdown::{Heading, MarkdownFacts};
use shipready_syntax::FileFacts;

use crate::{Profile, SourceFile, Workspace};

/// The workspace's deployment guide and what it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct GuideIndex {
    pub path: String,
    /// For each required section, the index of the heading that names it best (the first of the strongest).
    pub sections: Vec<(RequiredSection, Option<usize>)>,
    /// Why this file is the guide.
    pub found_by: FoundBy,
}

/// What made a document the deployment guide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FoundBy {
    /// Its file name says deployment (`DEPLOYMENT.md`, `docs/deploy.md`).
    Name,
    /// Its deployment heading (the text of the heading, or of the front matter title).
    Heading(String),
    /// A deployment command in one of its code blocks (`docker compose up -d`).
    Command(String),
    /// The configuration names it (`[guide] paths`).
    Configured,
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

/// The sections a guide must have: all seven under the seed profile or where the unit deploys to AWS; without
/// AWS Setup otherwise, since a guide cannot explain an account nobody uses.
pub fn required_sections(profile: Profile, deploys_to_aws: bool) -> Vec<RequiredSection> {
    RequiredSection::ALL
        .into_iter()
        .filter(|s| *s != RequiredSection::AwsSetup || profile == Profile::Seed || deploys_to_aws)
        .collect()
}

pub fn markdown(file: &SourceFile) -> Option<&MarkdownFacts> {
    match &file.facts {
        FileFacts::Markdown(m) => Some(m),
        _ => None,
    }
}

/// Match the required sections against a document's headings, at any level. The document title (a lone
/// level-1 heading such as "Deployment Guide") names the whole guide, not a section, so it is not matched. Of
/// the headings that name a section, the first of the strongest wins: "Rollback" over an earlier "Disaster
/// recovery". `aws` says whether the unit deploys to AWS.
pub fn match_sections(md: &MarkdownFacts, aws: bool) -> Vec<(RequiredSection, Option<usize>)> {
    let title = lone_title(&md.headings);
    let words: Vec<words::Words> = md
        .headings
        .iter()
        .map(|h| words::Words::of(&h.text))
        .collect();
    RequiredSection::ALL
        .iter()
        .map(|&s| {
            let mut best: Option<(Strength, usize)> = None;
            for (i, w) in words.iter().enumerate() {
                if Some(i) == title {
                    continue;
                }
                let strength = s
                    .strength_in(w, aws)
                    .or_else(|| runs_aws_setup(md, w, i, s).then_some(Strength::Secondary));
                if let Some(strength) = strength {
                    if best.is_none_or(|(b, _)| strength > b) {
                        best = Some((strength, i));
                    }
                }
            }
            (s, best.map(|(_, i)| i))
        })
        .collect()
}

/// A setup heading ("Setup", "One-time preparation") whose own text, before any sub-heading, runs
/// `cdk bootstrap` or `aws configure`: that is the AWS setup, whatever the heading calls it.
fn runs_aws_setup(
    md: &MarkdownFacts,
    w: &words::Words,
    heading: usize,
    section: RequiredSection,
) -> bool {
    if section != RequiredSection::AwsSetup {
        return false;
    }
    let Some(sec) = md.sections.get(heading) else {
        return false;
    };
    if !w.any(&[
        "setup",
        "set up",
        "setting up",
        "prepar*",
        "one time",
        "first time",
    ]) {
        return false;
    }
    let own_end = md
        .headings
        .iter()
        .map(|other| other.range.start)
        .find(|&start| start >= sec.body.start && start < sec.body.end)
        .unwrap_or(sec.body.end);
    md.code_blocks
        .iter()
        .filter(|b| b.range.start >= sec.body.start && b.range.end <= own_end)
        .flat_map(|b| &b.commands)
        .any(|c| {
            let w = words::Words::of(c);
            w.has("cdk bootstrap") || w.has("aws configure")
        })
}

pub(super) fn lone_title(headings: &[Heading]) -> Option<usize> {
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

/// The deployment guide: the Markdown document that says most about deploying (see `choice`), with its
/// sections matched for whether the workspace's other files show a deployment to AWS.
pub fn find(ws: &Workspace) -> Option<GuideIndex> {
    let cdk = super::cdk::build(ws);
    find_with(ws, super::cloud::in_files(ws, &cdk).is_some())
}

/// Whether [`find`] would find a guide among `files`, at a fraction of its cost (no ranking, no CDK or cloud
/// provider index).
pub fn exists(files: &[std::sync::Arc<crate::SourceFile>]) -> bool {
    choice::any(files)
}

/// [`find`] when the caller already knows whether the workspace's files (other than the guide) show a
/// deployment to AWS.
pub fn find_with(ws: &Workspace, aws: bool) -> Option<GuideIndex> {
    let Some(slot) = ws.unit_memo() else {
        return choice::choose(ws, aws);
    };
    // The choice reads only the Markdown files and `aws`: a keystroke in the unit's Dockerfile or code finds
    // the same guide, so the last choice is kept with the very files (`Arc`s) it was made from.
    let documents: Vec<&Arc<SourceFile>> = ws
        .files()
        .iter()
        .filter(|f| markdown(f).is_some())
        .collect();
    let mut memo = slot.guide.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(m) = memo.as_ref().filter(|m| {
        m.aws == aws && crate::workspace::same_files(&m.documents, documents.iter().copied())
    }) {
        return m.guide.clone();
    }
    let guide = choice::choose(ws, aws);
    *memo = Some(GuideMemo {
        documents: documents.into_iter().cloned().collect(),
        aws,
        guide: guide.clone(),
    });
    guide
}

/// A unit's last guide choice and the documents it was made from (kept alive here, so that their addresses
/// cannot be reused by other files).
#[derive(Debug)]
pub(crate) struct GuideMemo {
    documents: Vec<Arc<SourceFile>>,
    aws: bool,
    guide: Option<GuideIndex>,
}

#[cfg(test)]
mod tests;
