//! The fixes for RB001 and RB002: a Rollback section in the deployment guide with at least three procedures
//! tailored to the workspace, or the procedures a short Rollback section lacks, appended to it.
//!
//! The procedures are: redeploy the previous version (the previous ECS task definition when the CDK app runs
//! ECS, the previous tag through `cdk deploy` for other CDK apps, `docker compose up` of the previous tag
//! with compose, `docker run` otherwise), disable the change (its feature flag, then a restart of what runs
//! it), restore data (`alembic downgrade -1` when the workspace uses Alembic, a point-in-time restore when
//! the CDK app has RDS, the pre-deployment backup otherwise) and roll back the infrastructure (a revert and
//! `cdk deploy`). They contain placeholders (`<previous-tag>`) to fill in, so the fixes are Unsafe.

use shipready_syntax::markdown::MarkdownFacts;
use shipready_text::TextRange;

use super::markdown;
use super::workspace_facts::WorkspaceFacts;
use crate::index::guide::{markdown as markdown_of, RequiredSection};
use crate::{Applicability, Context, Fix};

const MIN_PROCEDURES: usize = 3;

/// A rollback procedure: a title, a sentence, an optional shell command, and words that show a guide
/// already covers it.
pub(crate) struct Procedure {
    pub title: &'static str,
    pub text: String,
    pub command: Option<String>,
    covered_by: &'static [&'static str],
}

impl Procedure {
    /// The procedure as a `- ` list item, its command in an indented fenced block.
    pub fn list_item(&self) -> String {
        let mut out = format!("- **{}** {}\n", self.title, self.text);
        if let Some(cmd) = &self.command {
            out.push_str("\n  ```bash\n");
            for line in cmd.lines() {
                out.push_str(&format!("  {line}\n"));
            }
            out.push_str("  ```\n");
        }
        out
    }
}

/// The workspace's rollback procedures, most important first.
pub(crate) fn procedures(facts: &WorkspaceFacts) -> Vec<Procedure> {
    let cd = facts.cdk_cd();
    let redeploy = if facts.ecs {
        Procedure {
            title: "Redeploy the previous version.",
            text: "Point the ECS service back at the last task definition revision that worked:".into(),
            command: Some("aws ecs update-service --cluster <cluster> --service <service> \\\n  --task-definition <family>:<previous-revision>".into()),
            covered_by: &["previous", "redeploy", "task definition", "task-definition"],
        }
    } else if facts.cdk_dir.is_some() {
        Procedure {
            title: "Redeploy the previous version.",
            text: "Check out the last release that worked and deploy it:".into(),
            command: Some(format!("git checkout <previous-tag>\n{cd}cdk deploy --all")),
            covered_by: &["previous", "redeploy", "git checkout"],
        }
    } else if facts.compose.is_some() {
        Procedure {
            title: "Redeploy the previous version.",
            text: "Check out the last release that worked and restart the services from it:".into(),
            command: Some("git checkout <previous-tag>\ndocker compose up -d --build".into()),
            covered_by: &["previous", "redeploy", "git checkout"],
        }
    } else {
        Procedure {
            title: "Redeploy the previous version.",
            text: "Run the image of the last release that worked:".into(),
            command: Some("docker run -d <image>:<previous-tag>".into()),
            covered_by: &["previous", "redeploy"],
        }
    };
    let restart = if facts.ecs {
        "aws ecs update-service --cluster <cluster> --service <service> --force-new-deployment"
            .to_owned()
    } else if facts.compose.is_some() {
        "docker compose up -d --force-recreate".to_owned()
    } else if facts.cdk_dir.is_some() {
        format!("{cd}cdk deploy --all")
    } else {
        "docker restart <container>".to_owned()
    };
    let disable = Procedure {
        title: "Disable the change.",
        text: "When the release is otherwise healthy, switch off the feature flag or setting that enabled the change and restart so it takes effect:".into(),
        command: Some(restart),
        covered_by: &["feature flag", "disable", "switch off", "turn off", "traffic"],
    };
    let data = if facts.alembic {
        Procedure {
            title: "Downgrade the database migration.",
            text: "When the release ran a migration, undo it before or after redeploying the previous version:".into(),
            command: Some("alembic downgrade -1".into()),
            covered_by: &["downgrade", "migration", "restore", "snapshot", "backup"],
        }
    } else if facts.rds {
        Procedure {
            title: "Restore the data.",
            text: "When the release corrupted data, restore the RDS instance to a point before the deployment and point the service at it:".into(),
            command: Some("aws rds restore-db-instance-to-point-in-time \\\n  --source-db-instance-identifier <db> \\\n  --target-db-instance-identifier <db>-restored \\\n  --restore-time <time-before-deploy>".into()),
            covered_by: &["restore", "snapshot", "backup", "point-in-time"],
        }
    } else {
        Procedure {
            title: "Restore the data.",
            text: "When the release changed or corrupted data, restore the backup taken before the deployment and check it before sending traffic back.".into(),
            command: None,
            covered_by: &["restore", "snapshot", "backup", "downgrade"],
        }
    };
    let mut out = vec![redeploy, disable, data];
    if facts.cdk_dir.is_some() {
        out.push(Procedure {
            title: "Roll back the infrastructure.",
            text: "Revert the infrastructure change and deploy the stacks again:".into(),
            command: Some(format!("git revert <commit>\n{cd}cdk deploy --all")),
            covered_by: &["git revert", "infrastructure"],
        });
    }
    out.push(Procedure {
        title: "Verify the rollback.",
        text: format!(
            "Check that the service answers on its health endpoint (`{}`) and that errors are back to normal.",
            facts.health_path()
        ),
        command: None,
        covered_by: &["verify"],
    });
    out
}

/// The body of a new Rollback section: a sentence and the first three procedures.
pub(crate) fn section_body(facts: &WorkspaceFacts) -> String {
    let mut body =
        String::from("If a deployment misbehaves, use the procedure that matches the failure:\n\n");
    for p in procedures(facts).iter().take(MIN_PROCEDURES) {
        body.push_str(&p.list_item());
    }
    body
}

/// RB001: a Rollback section, placed in canonical order at the guide's section level.
pub(crate) fn fix_missing(ctx: &Context) -> Option<Fix> {
    super::guide_section::fix(ctx, RequiredSection::Rollback)
}

/// RB002: the procedures the Rollback section lacks, appended at its end as list items.
pub(crate) fn fix_few(ctx: &Context) -> Option<Fix> {
    let guide = ctx.index.guide().as_ref()?;
    let file = ctx.workspace.file(&guide.path)?;
    let md = markdown_of(file)?;
    let section = md
        .sections
        .get(guide.heading_of(RequiredSection::Rollback)?)?;
    // Top-level list items are what the appended items add to, whatever else the section counts.
    let items = top_level_items(md, section.body);
    let needed = MIN_PROCEDURES.checked_sub(items).filter(|n| *n > 0)?;
    let body = section.body.slice(&file.text).to_lowercase();
    let facts = WorkspaceFacts::of(ctx);
    let all = procedures(&facts);
    // Procedures the section does not cover yet come first; covered ones only fill up the count.
    let (missing, covered): (Vec<&Procedure>, Vec<&Procedure>) = all
        .iter()
        .partition(|p| !p.covered_by.iter().any(|w| body.contains(w)));
    let chosen: Vec<&Procedure> = missing.into_iter().chain(covered).take(needed).collect();
    let block: String = chosen.iter().map(|p| p.list_item()).collect();
    let edit = markdown::insert_block(&file.path, &file.text, section.range.end, &block);
    Some(Fix {
        title: format!(
            "Add {} rollback procedure{} to {}",
            chosen.len(),
            if chosen.len() == 1 { "" } else { "s" },
            guide.path
        ),
        applicability: Applicability::Unsafe,
        edits: vec![edit],
    })
}

/// The top-level list items inside `body`: items of lists that are not nested in another list's item.
fn top_level_items(md: &MarkdownFacts, body: TextRange) -> usize {
    let inside = |r: TextRange| r.start >= body.start && r.end <= body.end;
    md.lists
        .iter()
        .filter(|l| inside(l.range))
        .filter(|l| {
            !md.lists.iter().any(|o| {
                o.range != l.range
                    && o.items
                        .iter()
                        .any(|i| i.start <= l.range.start && l.range.end <= i.end)
            })
        })
        .map(|l| l.items.len())
        .sum()
}
