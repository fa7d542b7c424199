//! The fix for GD002 (and RB001): a missing required section of the deployment guide, inserted in canonical
//! order (Prerequisites, Local Setup, AWS Setup, Production Deployment, Monitoring, Troubleshooting,
//! Rollback) at the level of the guide's other sections.
//!
//! The body is written from what the workspace shows: `docker compose up` or the app's own run command for
//! Local Setup, `cdk bootstrap` and `cdk deploy --all` in the CDK app's folder, the health paths the code
//! serves, the environment variables it reads. It still holds placeholders (`<account>`, `<region>`) and
//! commands someone should run once before trusting them, so the fix is Unsafe: it is offered, never
//! preferred.

use super::markdown;
use super::rollback_section;
use super::workspace_facts::WorkspaceFacts;
use crate::index::guide::{markdown as markdown_of, RequiredSection};
use crate::{Applicability, Context, Fix};

/// `section`, inserted into the deployment guide; `None` when the guide already has it.
pub(crate) fn fix(ctx: &Context, section: RequiredSection) -> Option<Fix> {
    let guide = ctx.index.guide().as_ref()?;
    if guide.heading_of(section).is_some() {
        return None;
    }
    let file = ctx.workspace.file(&guide.path)?;
    let md = markdown_of(file)?;
    let level = markdown::section_level(md, guide);
    let offset = markdown::section_offset(&file.text, md, guide, section);
    let facts = WorkspaceFacts::of(ctx);
    let block = format!(
        "{}\n\n{}",
        markdown::heading(level, section.title()),
        body(section, &facts)
    );
    Some(Fix {
        title: format!("Add a {} section to {}", section.title(), guide.path),
        applicability: Applicability::Unsafe,
        edits: vec![markdown::insert_block(
            &file.path, &file.text, offset, &block,
        )],
    })
}

/// The body of a section (Markdown with `\n` line breaks), without its heading.
pub(crate) fn body(section: RequiredSection, facts: &WorkspaceFacts) -> String {
    match section {
        RequiredSection::Prerequisites => prerequisites(facts),
        RequiredSection::LocalSetup => local_setup(facts),
        RequiredSection::AwsSetup => aws_setup(facts),
        RequiredSection::ProductionDeployment => production(facts),
        RequiredSection::Monitoring => monitoring(facts),
        RequiredSection::Troubleshooting => troubleshooting(facts),
        RequiredSection::Rollback => rollback_section::section_body(facts),
    }
}

fn prerequisites(facts: &WorkspaceFacts) -> String {
    let mut items = vec!["- Python 3 and `pip`".to_owned()];
    if facts.dockerfile.is_some() || facts.compose.is_some() {
        items.push("- Docker (with Docker Compose)".into());
    }
    if facts.cdk_dir.is_some() {
        items.push("- The AWS CLI, configured with credentials for the target account".into());
        items.push("- The AWS CDK CLI (`npm install -g aws-cdk`)".into());
    }
    if !facts.env_vars.is_empty() {
        items.push(format!(
            "- Values for the environment variables: {}",
            env_list(facts)
        ));
    }
    items.join("\n") + "\n"
}

fn local_setup(facts: &WorkspaceFacts) -> String {
    let run = match (&facts.compose, &facts.run_command) {
        (Some(_), _) => "docker compose up --build".to_owned(),
        (None, Some(cmd)) => format!("pip install -r requirements.txt\n{cmd}"),
        (None, None) => "pip install -r requirements.txt".to_owned(),
    };
    format!(
        "Run the application on your machine:\n\n```bash\n{run}\n```\n\nThen check that it is up:\n\n```bash\ncurl -f http://localhost:{}{}\n```\n",
        facts.port,
        facts.health_path()
    )
}

fn aws_setup(facts: &WorkspaceFacts) -> String {
    let mut out = String::from(
        "Configure credentials for the target account and region:\n\n```bash\naws configure\n",
    );
    if facts.cdk_dir.is_some() {
        out.push_str(&format!(
            "{}cdk bootstrap aws://<account>/<region>\n",
            facts.cdk_cd()
        ));
    }
    out.push_str("```\n");
    out
}

fn production(facts: &WorkspaceFacts) -> String {
    if facts.cdk_dir.is_some() {
        format!(
            "Deploy every stack of the CDK app:\n\n```bash\n{cd}cdk diff\n{cd}cdk deploy --all\n```\n",
            cd = facts.cdk_cd()
        )
    } else {
        "Build the image, push it to the registry and roll it out:\n\n```bash\ndocker build -t <registry>/<app>:<version> .\ndocker push <registry>/<app>:<version>\n```\n".to_owned()
    }
}

fn monitoring(facts: &WorkspaceFacts) -> String {
    let mut out = String::from("Watch the service's health endpoints:\n\n");
    if facts.health_paths.is_empty() {
        out.push_str("- `/health`: add one so load balancers can probe the service\n");
    }
    for path in &facts.health_paths {
        out.push_str(&format!("- `{path}`\n"));
    }
    if facts.cdk_dir.is_some() {
        out.push_str(
            "\nLogs and metrics are in CloudWatch: follow the service's log group and alarms.\n",
        );
    } else if facts.compose.is_some() {
        out.push_str("\nFollow the logs with `docker compose logs -f`.\n");
    }
    out
}

fn troubleshooting(facts: &WorkspaceFacts) -> String {
    let logs = if facts.compose.is_some() {
        "`docker compose logs -f`"
    } else if facts.cdk_dir.is_some() {
        "the service's CloudWatch log group"
    } else {
        "`docker logs <container>`"
    };
    let mut out = format!(
        "- **The service does not start:** read {logs} for the first error.\n- **The health check fails:** call `curl -f http://localhost:{}{}` from inside the container.\n",
        facts.port,
        facts.health_path()
    );
    if !facts.env_vars.is_empty() {
        out.push_str(&format!(
            "- **Configuration errors:** check that these environment variables are set: {}.\n",
            env_list(facts)
        ));
    }
    out
}

/// The environment variable names as inline code, comma-separated.
pub(crate) fn env_list(facts: &WorkspaceFacts) -> String {
    facts
        .env_vars
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
