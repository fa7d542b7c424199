//! ## What it checks
//! That every Alembic migration (`alembic/versions/*.py`, `migrations/versions/*.py`) whose `upgrade()` changes
//! the schema has a `downgrade()` that undoes it: a `downgrade()` whose body is only `pass`, `...`, a docstring
//! or comments is a gap. An initial migration whose `upgrade()` is empty too has nothing to undo and passes.
//! Each such migration gets a diagnostic on its `def downgrade`; the check is scored once per unit.
//!
//! ## Why it matters
//! Rolling back a release that migrated the database means running `alembic downgrade`. An empty downgrade
//! "succeeds" and leaves the new schema in place, so the previous release starts against tables and columns it
//! does not know: the rollback fails at the worst moment, or silently corrupts data.
//!
//! ## Example
//! ```python
//! def upgrade():
//!     op.add_column("user", sa.Column("last_seen", sa.DateTime()))
//!
//!
//! def downgrade():
//!     pass
//! ```
//!
//! ## Fix
//! ```python
//! def downgrade():
//!     op.drop_column("user", "last_seen")
//! ```
//! When a migration truly cannot be reversed (it drops data), say so: `raise NotImplementedError("drops the
//! legacy table; restore from the pre-deploy backup")`, so a downgrade stops instead of pretending.

use shipready_syntax::FileKind;

use super::observe;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "empty-downgrade",
    category: Category::DataSafety,
    severity: Severity::Medium,
    title: "A database migration cannot be rolled back",
    impact: "Rolling back a release leaves its schema changes in place; the previous release breaks on them.",
    recommendation: "Write a downgrade() that reverses upgrade(), or raise NotImplementedError to say it cannot.",
    effort: "30 minutes per migration",
    source: include_str!("empty_downgrade.rs"),
    check,
};

/// Whether `path` sits in an Alembic `versions` folder (`alembic/versions/x.py`, `migrations/versions/x.py`).
fn in_versions_folder(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let _file = parts.next();
    parts.next() == Some("versions")
}

fn check(ctx: &Context) -> Outcome {
    let mut migrations = Vec::new();
    let mut findings = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Python) {
        if !in_versions_folder(&file.path) {
            continue;
        }
        let Some(m) = observe(&file.facts).and_then(|o| o.migration.as_ref()) else {
            continue;
        };
        migrations.push(file.path.clone());
        if m.downgrade_empty && m.upgrade_changes {
            findings.push(Finding::at(
                &file.path,
                m.downgrade,
                format!(
                    "{}: downgrade() does nothing while upgrade() changes the schema, so rolling back this release keeps its schema. Reverse upgrade() here, or raise NotImplementedError if it cannot be undone.",
                    file.path
                ),
            ));
        }
    }
    if migrations.is_empty() {
        return super::not_applicable("no Alembic migrations");
    }
    let judged = super::super::plural(migrations.len(), "migration", "migrations");
    if findings.is_empty() {
        return Outcome::pass(format!("{judged}, each can be rolled back"), migrations);
    }
    let details = format!("{} of {judged} cannot be rolled back", findings.len());
    // Scored once: one check, however many migrations it lists.
    Outcome::fail(details, findings).with_evidence(migrations)
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_folders() {
        assert!(super::in_versions_folder("alembic/versions/0001_init.py"));
        assert!(super::in_versions_folder(
            "app/db/migrations/versions/abc.py"
        ));
        assert!(!super::in_versions_folder("versions.py"));
        assert!(!super::in_versions_folder("app/versions/x/y.py"));
    }
}
