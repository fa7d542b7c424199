//! Choosing the guide by content and matching its sections by meaning, on small in-memory workspaces.

use super::RequiredSection::*;
use super::*;
use crate::Index;

fn guide_of(files: &[(&str, &str)]) -> Option<GuideIndex> {
    Index::build(&Workspace::from_texts(files.iter().copied())).guide
}

const ONE_LINE_README: &str =
    "# Shop\n\nA web shop.\n\n## Getting started\n\nRun `make dev`.\n\n## Deployment\n\nWe deploy on Fridays.\n";

const OPERATIONS: &str = "# Operations\n\n## Requirements\n\nA server with Docker.\n\n## Going to production\n\n```sh\ndocker compose -f compose.yaml up -d\n```\n\n## Observability\n\nLogs go to Loki.\n\n## Undo a deployment\n\n```sh\ngit checkout v1.2.0 && docker compose up -d\n```\n";

#[test]
fn installation_mdx_with_a_production_section_is_the_guide() {
    let mdx = "---\ntitle: Installation\n---\n\nimport Tabs from '@theme/Tabs';\n\n## Install with Docker\n\n```bash\ndocker compose up -d\n```\n\n## Going to Production\n\nPut a TLS proxy in front.\n";
    let guide = guide_of(&[
        ("README.md", "# App\n\nSee the docs.\n"),
        ("docs/installation.mdx", mdx),
    ]);
    let guide = guide.expect("a guide");
    assert_eq!(guide.path, "docs/installation.mdx");
    assert_eq!(
        guide.found_by,
        FoundBy::Heading("Going to Production".into())
    );
    assert!(guide.heading_of(ProductionDeployment).is_some());
}

#[test]
fn a_readme_with_a_one_line_deployment_section_does_not_beat_a_real_guide() {
    let guide = guide_of(&[
        ("README.md", ONE_LINE_README),
        ("docs/operations.md", OPERATIONS),
    ]);
    assert_eq!(guide.map(|g| g.path), Some("docs/operations.md".to_owned()));
    // Alone, the README is the best there is.
    let guide = guide_of(&[("README.md", ONE_LINE_README)]);
    assert_eq!(
        guide.map(|g| g.found_by),
        Some(FoundBy::Heading("Deployment".into()))
    );
}

#[test]
fn a_file_named_for_deployment_beats_a_readme_that_mentions_it() {
    let guide = guide_of(&[
        ("README.md", ONE_LINE_README),
        ("DEPLOY.md", "# Deploy\n\n```sh\nfly deploy\n```\n"),
    ]);
    assert_eq!(
        guide.map(|g| (g.path, g.found_by)),
        Some(("DEPLOY.md".to_owned(), FoundBy::Name))
    );
}

#[test]
fn documents_without_deployment_content_and_administration_files_are_not_guides() {
    let readme =
        "# Lib\n\n## Installation\n\n```sh\npip install lib\n```\n\n## Usage\n\nImport it.\n";
    let changelog =
        "# Changelog\n\n## 1.2.0\n\n### Deployment\n\n```sh\nkubectl apply -f k8s/\n```\n";
    let contributing = "# Contributing\n\n## Releasing\n\n```sh\nmake deploy\n```\n";
    // A CLI's release procedure publishes a binary; it deploys nothing.
    let release = "# Release procedure\n\n1. Tag it:\n\n   ```bash\n   git tag -a v1.2.3 && git push --tags\n   ```\n";
    let vendored = "# Lib\n\n## Deployment\n\n```sh\nhelm install x\n```\n";
    let guide = guide_of(&[
        ("README.md", readme),
        ("CHANGELOG.md", changelog),
        ("CONTRIBUTING.md", contributing),
        ("docs/RELEASE.md", release),
        ("web/node_modules/lib/README.md", vendored),
        (".github/ISSUE_TEMPLATE/deploy_failed.md", vendored),
    ]);
    assert!(guide.is_none(), "{guide:?}");
}

#[test]
fn a_deploy_command_alone_makes_a_candidate() {
    let readme = "# Blog\n\n## Start the stack\n\n```console\n$ docker compose up -d\n```\n";
    let guide = guide_of(&[("README.md", readme)]).expect("a guide");
    assert_eq!(
        guide.found_by,
        FoundBy::Command("docker compose up -d".into())
    );
    // The same command where the README runs a local demo is no deployment.
    let demo = format!("{readme}\nThen open http://localhost:8000.\n");
    assert!(guide_of(&[("README.md", &demo)]).is_none());
    let quick_start = readme.replace("Start the stack", "Quick start");
    assert!(guide_of(&[("README.md", &quick_start)]).is_none());
}

#[test]
fn sections_match_at_any_level_and_the_strongest_heading_wins() {
    let guide = "# Guide\n\n#### Disaster recovery\n\nRestore the snapshot.\n\n### Rollback\n\n- redeploy\n";
    let md = shipready_syntax::markdown::parse(guide);
    let sections = match_sections(&md, false);
    let rollback = sections
        .iter()
        .find(|(s, _)| *s == Rollback)
        .and_then(|(_, h)| *h);
    assert_eq!(rollback, Some(2));
    assert_eq!(md.headings[2].text, "Rollback");
}

#[test]
fn a_setup_section_that_runs_cdk_bootstrap_is_aws_setup() {
    let guide = "# Guide\n\n## One-time setup\n\n```sh\nnpx cdk bootstrap aws://123/eu-west-1\n```\n\n## Configuration\n\n```sh\naws configure\n```\n";
    let md = shipready_syntax::markdown::parse(guide);
    let aws = match_sections(&md, true)
        .into_iter()
        .find(|(s, _)| *s == AwsSetup)
        .and_then(|(_, h)| h);
    assert_eq!(aws, Some(1));
    // "Configuration" alone is not AWS setup, even when its body configures the AWS CLI.
    let md =
        shipready_syntax::markdown::parse("# G\n\n## Configuration\n\n```sh\naws configure\n```\n");
    assert_eq!(md.headings.len(), 2);
    assert!(match_sections(&md, true)
        .iter()
        .all(|(s, h)| *s != AwsSetup || h.is_none()));
}

#[test]
fn bootstrapping_counts_as_aws_setup_under_a_cdk_unit() {
    let guide = "# Guide\n\n## Bootstrap the Environment\n\nOnce per account.\n\n## Deploy\n\n```sh\ncdk deploy\n```\n";
    let with_cdk = guide_of(&[
        ("DEPLOYMENT.md", guide),
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
    ]);
    assert_eq!(with_cdk.and_then(|g| g.heading_of(AwsSetup)), Some(1));
    // The guide's own `cdk deploy` shows the unit deploys to AWS.
    assert_eq!(
        guide_of(&[("DEPLOYMENT.md", guide)]).and_then(|g| g.heading_of(AwsSetup)),
        Some(1)
    );
    let no_aws = guide.replace("cdk deploy", "fly deploy");
    assert_eq!(
        guide_of(&[("DEPLOYMENT.md", &no_aws)]).and_then(|g| g.heading_of(AwsSetup)),
        None
    );
}

#[test]
fn aws_setup_is_required_only_where_the_unit_deploys_to_aws_or_under_the_seed_profile() {
    assert_eq!(required_sections(Profile::Seed, false).len(), 7);
    assert_eq!(required_sections(Profile::Standard, true).len(), 7);
    let without = required_sections(Profile::Standard, false);
    assert_eq!(without.len(), 6);
    assert!(!without.contains(&AwsSetup));
}

#[test]
fn exists_agrees_with_find() {
    let cases: &[&[(&str, &str)]] = &[
        &[("README.md", "# Tool\n\nA library.\n")],
        &[("DEPLOY.md", "nothing\n")],
        &[(
            "docs/install.md",
            "# Installation\n\n```sh\npip install x\n```\n",
        )],
        &[(
            "README.md",
            "# App\n\n## Deployment\n\nRun `docker compose up -d`.\n",
        )],
        &[
            ("CHANGELOG.md", "# Deployment\n"),
            ("main.py", "print(1)\n"),
        ],
        &[("notes.txt", "deploy")],
    ];
    for files in cases {
        let ws = crate::Workspace::from_texts(files.iter().copied());
        assert_eq!(
            super::exists(ws.files()),
            super::find(&ws).is_some(),
            "{files:?}"
        );
    }
}

/// A unit's guide choice is kept while its Markdown files are the very same ones (a keystroke in its
/// Dockerfile finds the kept choice), and made again when a document changes, equal to a choice without memo.
#[test]
fn the_guide_choice_is_reused_while_the_documents_are_unchanged() {
    use shipready_syntax::FileKind;
    let file = |path: &str, kind, text: &str| Arc::new(SourceFile::new(path, kind, text));
    let readme = file("README.md", FileKind::Markdown, ONE_LINE_README);
    let slot: Arc<crate::index::UnitMemo> = Arc::default();
    let unit =
        |files: Vec<Arc<SourceFile>>| Workspace::new(files).with_unit_memo(Arc::clone(&slot));
    let docker = |image: &str| {
        file(
            "Dockerfile",
            FileKind::Dockerfile,
            &format!("FROM {image}\n"),
        )
    };
    let path = |g: Option<GuideIndex>| g.map(|g| g.path);

    let first = find_with(&unit(vec![readme.clone(), docker("nginx")]), false);
    assert_eq!(path(first), Some("README.md".to_owned()));
    let kept = |slot: &crate::index::UnitMemo| {
        let memo = slot.guide.lock().unwrap_or_else(|p| p.into_inner());
        memo.as_ref().map(|m| Arc::as_ptr(&m.documents[0]))
    };
    assert_eq!(kept(&slot), Some(Arc::as_ptr(&readme)));
    // Only the Dockerfile changed: the kept choice, made from the same README.
    let again = find_with(&unit(vec![readme.clone(), docker("nginx:1.27")]), false);
    assert_eq!(path(again), Some("README.md".to_owned()));
    assert_eq!(kept(&slot), Some(Arc::as_ptr(&readme)));
    // A new document that says more about deploying: chosen afresh, as without the memo.
    let operations = file("docs/operations.md", FileKind::Markdown, OPERATIONS);
    let files = vec![readme.clone(), operations, docker("nginx:1.27")];
    let with_memo = find_with(&unit(files.clone()), false);
    let without = find_with(&Workspace::new(files), false);
    assert_eq!(
        path(with_memo.clone()),
        Some("docs/operations.md".to_owned())
    );
    assert_eq!(path(with_memo), path(without));
}
