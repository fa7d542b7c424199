//! Which Markdown document is the deployment guide, by what it says: every document (`.md`, `.mdx`,
//! `.markdown`) is scored on its deployment headings ("Deployment", "Going to Production", "Self-hosting",
//! "Release"), the deployment commands in its code blocks (`docker compose up -d`, `cdk deploy`,
//! `kubectl apply`, `helm install`, `fly deploy`, `terraform apply`), its file name and the required sections
//! it has; the best score wins. Project-administration documents (changelogs, contribution and conduct
//! rules, licences, security policies, issue templates) and vendored folders are never guides.

use shipready_syntax::markdown::MarkdownFacts;

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
        for (is_title, text) in headings {
            let w = Words::of(text);
            if is_deploy_heading(&w) {
                content.deploy_headings += 1;
                let first = if is_title {
                    &mut title_heading
                } else {
                    &mut content.first_heading
                };
                first.get_or_insert_with(|| text.to_owned());
            } else if w.any(&["install*", "release", "releasing"]) {
                content.install_headings += 1;
            }
        }
        if content.first_heading.is_none() {
            content.first_heading = title_heading;
        }
        let mut seen: Vec<&str> = Vec::new();
        for block in &md.code_blocks {
            if runs_locally(md, text, block.range.start) {
                continue;
            }
            for command in &block.commands {
                if is_deploy_command(command) && !seen.contains(&command.as_str()) {
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
fn runs_locally(md: &MarkdownFacts, text: &str, offset: usize) -> bool {
    let Some(section) = md.section_of(offset) else {
        return false;
    };
    let Some(heading) = md.headings.get(section.heading) else {
        return false;
    };
    let w = Words::of(&heading.text);
    if is_deploy_heading(&w) {
        return false;
    }
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
}

/// Whether a shell command deploys: it runs a `deploy` command or script (`cdk deploy`, `fly deploy`,
/// `make deploy`, `./scripts/deploy.sh`), or a known deployment step (`docker compose up -d`,
/// `kubectl apply`, `helm install`, `terraform apply`).
pub fn is_deploy_command(command: &str) -> bool {
    let words: Vec<String> = command
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', '`']).to_lowercase())
        .collect();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    // `npx cdk deploy`, `npm run deploy`, `poetry run fly deploy`: the runner is not the command.
    let skip = match word(0) {
        "npx" | "bunx" | "pnpx" => 1,
        "npm" | "pnpm" | "yarn" | "bun" | "poetry" | "uv" | "pipenv" if word(1) == "run" => 2,
        "pnpm" | "yarn" | "bun" => 1,
        _ => 0,
    };
    let head: Vec<&str> = (skip..skip + 3).map(word).collect();
    let names_deploy = head.iter().any(|w| {
        let name = w.rsplit('/').next().unwrap_or(w);
        !w.contains("://") && (name.starts_with("deploy") || name.ends_with(":deploy"))
    });
    let has = |flag: &str| words.iter().any(|w| w == flag);
    let compose =
        (word(skip) == "docker" && word(skip + 1) == "compose") || word(skip) == "docker-compose";
    let detached = has("-d") || has("--detach") || words.iter().any(|w| w.contains("prod"));
    names_deploy
        || (compose && words.iter().any(|w| w == "up") && detached)
        || matches!(
            (head[0], head[1]),
            ("kubectl", "apply")
                | ("helm", "install")
                | ("helm", "upgrade")
                | ("terraform", "apply")
                | ("tofu", "apply")
                | ("pulumi", "up")
                | ("railway", "up")
                | ("docker", "stack")
                | ("ansible-playbook", _)
        )
        || (head[0] == "git" && head[1] == "push" && head[2] == "heroku")
        || (head[0] == "vercel" && has("--prod"))
}

/// The file name without its extension, lower-cased.
fn stem(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    lower
        .rsplit_once('.')
        .map(|(stem, _)| stem.to_owned())
        .unwrap_or(lower)
}

/// Names that often hold deployment instructions without saying "deploy".
fn guide_name(stem: &str) -> bool {
    let w = Words::of(stem);
    w.any(&[
        "install*",
        "self host*",
        "selfhost*",
        "hosting",
        "production",
        "operations",
        "runbook*",
        "release",
        "releasing",
        "going live",
        "go live",
    ])
}

/// Documents that are never the deployment guide, whatever they mention: project administration (a changelog
/// lists past deployments; a contribution guide says how to run the tests), issue and pull-request templates,
/// instructions for coding assistants, and anything in a vendored or generated folder.
fn never_a_guide(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    const VENDORED: &[&str] = &[
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        "vendors",
        "third_party",
        "third-party",
        "site-packages",
        ".venv",
        "venv",
        ".tox",
        ".git",
        "target",
        "cdk.out",
        ".terraform",
        ".changeset",
        "issue_template",
        "pull_request_template",
        "issue_templates",
        "merge_request_templates",
    ];
    if parts.iter().any(|d| VENDORED.contains(d)) {
        return true;
    }
    const ADMIN: &[&str] = &[
        "changelog",
        "changes",
        "history",
        "news",
        "release-notes",
        "release_notes",
        "releasenotes",
        "contributing",
        "contributors",
        "code_of_conduct",
        "code-of-conduct",
        "conduct",
        "license",
        "licence",
        "copying",
        "notice",
        "security",
        "authors",
        "maintainers",
        "governance",
        "support",
        "pull_request_template",
        "issue_template",
        "claude",
        "agents",
        "gemini",
        "copilot-instructions",
    ];
    let stem = stem(name);
    ADMIN.contains(&stem.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_commands() {
        for command in [
            "docker compose up -d",
            "docker-compose -f docker-compose.prod.yml up --build",
            "cdk deploy --all",
            "npx cdk deploy Api",
            "kubectl apply -f k8s/",
            "helm install api ./chart",
            "fly deploy",
            "terraform apply -auto-approve",
            "make deploy",
            "npm run deploy:prod",
            "./scripts/deploy.sh prod",
            "gcloud run deploy api --source .",
            "copilot svc deploy",
        ] {
            assert!(is_deploy_command(command), "{command}");
        }
        for command in [
            "docker compose up",
            "pip install -e .",
            "pytest",
            "kubectl get pods",
            "git clone https://example.com/deploy-tools",
            "",
        ] {
            assert!(!is_deploy_command(command), "{command}");
        }
    }

    #[test]
    fn administration_documents_and_vendored_folders_are_never_guides() {
        for path in [
            "CHANGELOG.md",
            "docs/CONTRIBUTING.md",
            "CODE_OF_CONDUCT.md",
            "LICENSE.md",
            "SECURITY.md",
            ".github/ISSUE_TEMPLATE/bug.md",
            ".github/pull_request_template.md",
            "web/node_modules/some-lib/README.md",
            "CLAUDE.md",
        ] {
            assert!(never_a_guide(path), "{path}");
        }
        for path in ["README.md", "docs/installation.mdx", "DEPLOYMENT.md"] {
            assert!(!never_a_guide(path), "{path}");
        }
    }
}
