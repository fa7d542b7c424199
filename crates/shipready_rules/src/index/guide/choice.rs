//! Which Markdown document is the deployment guide, by what it says: every document (`.md`, `.mdx`,
//! `.markdown`) is scored on its deployment headings ("Deployment", "Going to Production", "Self-hosting"),
//! the deployment commands in its code blocks (`docker compose up -d`, `cdk deploy`, `kubectl apply`,
//! `helm install`, `fly deploy`, `terraform apply`) outside sections about running locally, its installation
//! and release headings, its file name and the required sections it has; the best score wins. Documents
//! `names` rules out (changelogs, contribution guides, templates, vendored folders) are never guides.

use shipready_syntax::markdown::MarkdownFacts;

use super::commands::is_deploy_command;
use super::names::{guide_name, never_a_guide, stem};
use super::words::Words;
use super::{markdown, match_sections, FoundBy, GuideIndex};
use crate::{SourceFile, Workspace};

/// A file named for deployment is the guide unless another document says far more about deploying.
const DEPLOY_NAME: u32 = 20;
/// A name that often holds deployment instructions (`installation.mdx`, `self-hosting.md`, `RUNBOOK.md`).
const GUIDE_NAME: u32 = 3;
/// Each deployment heading and each deployment command (counted up to three of each).
const DEPLOY_CONTENT: u32 = 4;
/// Each installation or release heading (up to two): about setting something up or publishing it, not
/// necessarily deploying it, so on its own it does not make a guide (a CLI's `RELEASE.md` is no deployment).
const INSTALL_HEADING: u32 = 1;

pub(super) fn choose(ws: &Workspace, aws: bool) -> Option<GuideIndex> {
    ws.files()
        .iter()
        .filter_map(|file| candidate(file, aws))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, guide)| guide)
}

/// Whether any of `files` is a guide at all ([`choose`] would pick one), without ranking them: the cheap
/// part of [`candidate`] (no sections, no cloud provider), for partitioning units on every change.
pub(super) fn any(files: &[std::sync::Arc<SourceFile>]) -> bool {
    files.iter().any(|file| {
        let Some(md) = markdown(file) else {
            return false;
        };
        if never_a_guide(&file.path) {
            return false;
        }
        if stem(file.name()).contains("deploy") {
            return true;
        }
        let content = Content::of(md, &file.text);
        content.first_heading.is_some() || content.first_command.is_some()
    })
}

/// A document's rank as a guide (score, sections, shallower, then path for a stable choice), or `None` when it
/// says nothing about deploying.
type Rank<'a> = (
    u32,
    usize,
    std::cmp::Reverse<usize>,
    std::cmp::Reverse<&'a str>,
);

fn candidate(file: &SourceFile, aws: bool) -> Option<(Rank<'_>, GuideIndex)> {
    let md = markdown(file)?;
    if never_a_guide(&file.path) {
        return None;
    }
    let content = Content::of(md, &file.text);
    let stem = stem(file.name());
    let named = stem.contains("deploy");
    let found_by = if named {
        FoundBy::Name
    } else if let Some(heading) = content.first_heading.clone() {
        FoundBy::Heading(heading)
    } else {
        FoundBy::Command(content.first_command.clone()?)
    };
    let aws = aws || crate::index::cloud::in_markdown(md).is_some();
    let sections = match_sections(md, aws);
    let present = sections.iter().filter(|(_, h)| h.is_some()).count();
    let name_score = if named {
        DEPLOY_NAME
    } else if guide_name(&stem) {
        GUIDE_NAME
    } else {
        0
    };
    let score = name_score
        + DEPLOY_CONTENT * (content.deploy_headings.min(3) + content.commands.min(3))
        + INSTALL_HEADING * content.install_headings.min(2)
        + present as u32;
    let depth = file.path.matches('/').count();
    let rank = (
        score,
        present,
        std::cmp::Reverse(depth),
        std::cmp::Reverse(file.path.as_str()),
    );
    Some((
        rank,
        GuideIndex {
            path: file.path.clone(),
            sections,
            found_by,
        },
    ))
}

/// What a document says about deploying.
struct Content {
    deploy_headings: u32,
    install_headings: u32,
    /// Distinct deployment commands.
    commands: u32,
    first_heading: Option<String>,
    first_command: Option<String>,
}

impl Content {
    fn of(md: &MarkdownFacts, text: &str) -> Content {
        let mut content = Content {
            deploy_headings: 0,
            install_headings: 0,
            commands: 0,
            first_heading: None,
            first_command: None,
        };
        // The front matter title and a lone level-1 heading name the whole document; a deployment heading
        // below them says better why the document is the guide.
        let title = super::lone_title(&md.headings);
        let mut title_heading = None;
        let headings = md
            .front_matter_title
            .iter()
            .map(|t| (true, t.value.as_str()))
            .chain(
                md.headings
                    .iter()
                    .enumerate()
                    .map(|(i, h)| (Some(i) == title, h.text.as_str())),
            );
        for (is_title, heading) in headings {
            let w = Words::of(heading);
            if is_deploy_heading(&w) {
                content.deploy_headings += 1;
                let first = if is_title {
                    &mut title_heading
                } else {
                    &mut content.first_heading
                };
                first.get_or_insert_with(|| heading.to_owned());
            } else if w.any(&["install*", "release", "releasing"]) {
                content.install_headings += 1;
            }
        }
        if content.first_heading.is_none() {
            content.first_heading = title_heading;
        }
        let mut seen: Vec<&str> = Vec::new();
        // Whether each section is about running locally, worked out once per section and only for sections
        // that hold a deployment command.
        let mut local: Vec<Option<bool>> = vec![None; md.sections.len()];
        for block in &md.code_blocks {
            let deploys: Vec<&String> = block
                .commands
                .iter()
                .filter(|c| is_deploy_command(c) && !seen.contains(&c.as_str()))
                .collect();
            if deploys.is_empty() || runs_locally(md, text, block.range.start, &mut local) {
                continue;
            }
            for command in deploys {
                if !seen.contains(&command.as_str()) {
                    seen.push(command);
                    content.first_command.get_or_insert_with(|| command.clone());
                }
            }
        }
        content.commands = seen.len() as u32;
        content
    }
}

/// A heading about deploying or running in production.
fn is_deploy_heading(w: &Words) -> bool {
    w.any(&[
        "deploy*",
        "production",
        "prod",
        "self host*",
        "selfhost*",
        "go live",
        "going live",
        "hosting",
    ])
}

/// Whether the code block at `offset` sits in a section about running the project on one's own machine: its
/// heading says so ("Development", "Quick start", "Run it locally") or its text sends the reader to
/// `localhost`. `docker compose up -d` there starts a demo, not a deployment; under a deployment heading it
/// deploys whatever URL follows.
fn runs_locally(md: &MarkdownFacts, text: &str, offset: usize, memo: &mut [Option<bool>]) -> bool {
    let Some(section) = md.section_of(offset) else {
        return false;
    };
    if let Some(known) = memo.get(section.heading).copied().flatten() {
        return known;
    }
    let Some(heading) = md.headings.get(section.heading) else {
        return false;
    };
    let w = Words::of(&heading.text);
    let local = !is_deploy_heading(&w) && {
        let local_heading = w.any(&[
            "local*",
            "development",
            "developing",
            "dev",
            "getting started",
            "get started",
            "quick start",
            "quickstart",
            "run it",
            "try it",
            "demo",
            "test*",
        ]);
        let body = text.get(section.body.start..section.body.end).unwrap_or("");
        local_heading || body.contains("localhost") || body.contains("127.0.0.1")
    };
    if let Some(slot) = memo.get_mut(section.heading) {
        *slot = Some(local);
    }
    local
}
