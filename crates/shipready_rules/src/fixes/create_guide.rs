//! The fix for GD001: create `DEPLOYMENT.md` with the required sections (all seven, or six without AWS Setup
//! where the unit does not deploy to AWS and the profile is not `seed`), written from what the
//! workspace shows (compose and CDK commands, the app's run command, health paths, the environment variables
//! the code and compose services read) through the same section bodies the GD002 fix inserts.
//!
//! The file is never overwritten: when `DEPLOYMENT.md` exists the fix is not offered. Placeholders remain
//! (`<account>`, `<previous-tag>`), so the fix is Unsafe.

use super::guide_section::body;
use super::workspace_facts::WorkspaceFacts;
use crate::index::guide::{required_sections, RequiredSection};
use crate::{Applicability, Context, Edit, Fix};

pub(crate) const GUIDE_PATH: &str = "DEPLOYMENT.md";

/// A new deployment guide, or `None` when the workspace already has a file at its path.
pub(crate) fn fix(ctx: &Context) -> Option<Fix> {
    if ctx.workspace.file(GUIDE_PATH).is_some() {
        return None;
    }
    let facts = WorkspaceFacts::of(ctx);
    let sections = required_sections(ctx.profile, ctx.index.aws().is_some());
    let count = if sections.len() == RequiredSection::ALL.len() {
        "seven"
    } else {
        "six"
    };
    Some(Fix {
        title: format!("Create {GUIDE_PATH} with the {count} required sections"),
        applicability: Applicability::Unsafe,
        edits: vec![Edit::Create {
            file: GUIDE_PATH.to_owned(),
            contents: contents(&facts, &sections),
        }],
    })
}

fn contents(facts: &WorkspaceFacts, sections: &[RequiredSection]) -> String {
    let mut out = String::from(
        "# Deployment Guide\n\nHow to run, deploy, watch and roll back this service. Review the commands and fill in the `<placeholders>` before the first deployment.\n",
    );
    for &section in sections {
        out.push_str(&format!("\n## {}\n\n", section.title()));
        out.push_str(&body(section, facts));
        if section == RequiredSection::Prerequisites {
            out.push_str(&environment(facts));
        }
    }
    out
}

/// The environment paragraph of the Prerequisites section, which lists the variables it knows of itself.
fn environment(facts: &WorkspaceFacts) -> String {
    if facts.env_vars.is_empty() {
        "\nThe application reads no environment variables yet; list each one here when it does, and keep local values in a `.env` file that is not committed.\n".to_owned()
    } else {
        "\nKeep local values of the environment variables in a `.env` file that is not committed.\n"
            .to_owned()
    }
}
