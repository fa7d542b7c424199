//! ## What it checks
//! That a unit that keeps data in a database says how that data is backed up, before migrations and in
//! general. A unit has a database when a compose service runs one (PostgreSQL, MySQL, MariaDB, MongoDB, ...),
//! its CDK app creates one (RDS, Aurora, DocumentDB, DynamoDB) or it ships Alembic migrations. It passes when
//! one of its Markdown documents talks about backups (`backup`, `back up`, `pg_dump`, `mysqldump`, `mongodump`,
//! `snapshot`), a script or Make target is named for backups, a compose service runs a backup image, or the CDK
//! app defines an AWS Backup plan or configures backups on the database itself (DynamoDB point-in-time
//! recovery, RDS `backup_retention`).
//!
//! ## Why it matters
//! Migrations run at deploy time and can destroy data (a dropped column, a botched type change). A rollback of
//! the code does not bring the data back; only a backup taken before the migration does, and only if someone
//! knows how to restore it under pressure.
//!
//! ## Example
//! A README whose deployment section runs `alembic upgrade head` against the production database and never
//! mentions a backup.
//!
//! ## Fix
//! ````markdown
//! ## Backups
//! Nightly `pg_dump` to S3 (`scripts/backup.sh`, kept 30 days). Before every deploy that migrates:
//! ```sh
//! ./scripts/backup.sh pre-deploy-$(date +%F)
//! ```
//! Restore: `pg_restore --clean -d "$DATABASE_URL" <dump>`.
//! ````

use shipready_syntax::{FileFacts, FileKind};
use shipready_text::TextRange;

use crate::index::docker::compose;
use crate::index::guide::markdown;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "undocumented-backups",
    category: Category::DataSafety,
    severity: Severity::Medium,
    title: "Database backups and restores are undocumented",
    impact: "A destructive migration or a lost volume cannot be undone, and nobody knows how to restore.",
    recommendation: "Document how the database is backed up (and before migrations) and how to restore it.",
    effort: "2 hours",
    source: include_str!("undocumented_backups.rs"),
    check,
};

/// Image names (last path segment, before the tag) of databases that keep data.
const DATABASE_IMAGES: &[&str] = &[
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "timescaledb",
    "cockroach",
    "couchdb",
    "cassandra",
    "neo4j",
    "influxdb",
];

/// Words that show a document talks about backups.
const BACKUP_WORDS: &[&str] = &[
    "backup",
    "back up",
    "backed up",
    "pg_dump",
    "pg_dumpall",
    "mysqldump",
    "mongodump",
    "snapshot",
];

/// Where the unit's database is, and what it is: `(file, range, description)`.
fn database(ctx: &Context) -> Option<(String, TextRange, String)> {
    for file in ctx.workspace.of_kind(FileKind::Compose) {
        let Some(c) = compose(&file.facts) else {
            continue;
        };
        for s in &c.services {
            let Some(image) = &s.image else { continue };
            let name = image.value.rsplit('/').next().unwrap_or(&image.value);
            let name = name.split([':', '@']).next().unwrap_or(name);
            if DATABASE_IMAGES.iter().any(|d| name.starts_with(d)) {
                let what = format!("compose service `{}` ({})", s.name.value, image.value);
                return Some((file.path.clone(), s.name.range, what));
            }
        }
    }
    for (path, c) in &ctx.index.cdk().constructs {
        let stateful = match c.module.as_str() {
            "rds" => super::RDS_DATABASES.contains(&c.name.as_str()),
            "docdb" => c.name == "DatabaseCluster",
            "dynamodb" => matches!(c.name.as_str(), "Table" | "TableV2"),
            _ => false,
        };
        if stateful {
            return Some((path.clone(), c.range, format!("{}.{}", c.module, c.name)));
        }
    }
    ctx.workspace.of_kind(FileKind::Python).find_map(|f| {
        let FileFacts::Python(py) = &f.facts else {
            return None;
        };
        let m = py.observe.migration.as_ref()?;
        f.path
            .contains("/versions/")
            .then(|| (f.path.clone(), m.downgrade, "Alembic migrations".to_owned()))
    })
}

/// What shows the backups are taken care of, for the report.
fn backups(ctx: &Context) -> Option<String> {
    for file in ctx.workspace.files() {
        let name = file.name().to_ascii_lowercase();
        if name.contains("backup") {
            return Some(format!("{} is a backup script", file.path));
        }
        match &file.facts {
            FileFacts::Markdown(_) => {
                let text = markdown(file)
                    .map(|m| m.plain_text_lower.as_str())
                    .unwrap_or("");
                if let Some(w) = BACKUP_WORDS.iter().find(|w| text.contains(*w)) {
                    return Some(format!("{} mentions {w}", file.path));
                }
            }
            FileFacts::Script(s) => {
                if let Some(t) = s.targets.iter().find(|t| t.value.contains("backup")) {
                    return Some(format!("{} has a `{}` target", file.path, t.value));
                }
            }
            FileFacts::Compose(c) => {
                let service = c.services.iter().find(|s| {
                    s.name.value.contains("backup")
                        || s.image.as_ref().is_some_and(|i| i.value.contains("backup"))
                });
                if let Some(s) = service {
                    return Some(format!("compose service `{}` takes backups", s.name.value));
                }
            }
            _ => {}
        }
    }
    let plan = ctx
        .index
        .cdk()
        .constructs
        .iter()
        .find(|(_, c)| c.module == "backup");
    if let Some((path, c)) = plan {
        return Some(format!("{path} defines an AWS Backup {}", c.name));
    }
    // Backups configured on the database itself: DynamoDB point-in-time recovery, RDS backup retention.
    let configured = ctx.index.cdk().constructs.iter().find(|(_, c)| {
        c.kwargs.iter().any(|(k, v)| {
            let on =
                !matches!(v.trim(), "False" | "None") && !v.replace(' ', "").ends_with("days(0)");
            on && match c.module.as_str() {
                "dynamodb" => k.starts_with("point_in_time_recovery"),
                "rds" | "docdb" => k == "backup_retention" || k == "backup",
                _ => false,
            }
        })
    });
    configured.map(|(path, c)| format!("{path} configures backups of its {}.{}", c.module, c.name))
}

fn check(ctx: &Context) -> Outcome {
    let Some((db_file, db_range, what)) = database(ctx) else {
        return super::not_applicable("no database");
    };
    if let Some(found) = backups(ctx) {
        return Outcome::pass(found, Vec::new());
    }
    let (file, range) = super::super::docs_anchor(ctx)
        .map(|(f, r)| (f.to_owned(), r))
        .unwrap_or((db_file, db_range));
    let finding = Finding::at(
        &file,
        range,
        format!(
            "The unit keeps data in a database ({what}) but no document says how it is backed up, before migrations or at all, or how to restore it."
        ),
    );
    Outcome::fail(format!("{what}: backups undocumented"), vec![finding])
}
