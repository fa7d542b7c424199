//! ## What it checks
//! In a Python CDK app, that every database can be recovered after a mistake:
//! - an RDS or DocumentDB `DatabaseInstance`/`DatabaseCluster`/`ServerlessCluster` sets
//!   `deletion_protection=True` (or keeps `removal_policy=RemovalPolicy.RETAIN`, under which CDK turns deletion
//!   protection on) and does not turn automated backups off with `backup_retention=Duration.days(0)`;
//! - a DynamoDB `Table`/`TableV2` turns on point-in-time recovery (`point_in_time_recovery=True` or
//!   `point_in_time_recovery_specification=...`).
//!
//! A value that is not a literal (`deletion_protection=is_prod`) is taken as set. Read replicas are not judged.
//!
//! ## Why it matters
//! Without deletion protection one mistaken `cdk destroy`, a renamed construct id or a stack replacement drops
//! the database. Without point-in-time recovery a bad write or a buggy migration can only be undone from
//! whatever backup happens to exist, if any.
//!
//! ## Example
//! ```python
//! db = rds.DatabaseInstance(self, "Db", engine=engine, vpc=vpc)
//! table = dynamodb.Table(self, "Orders", partition_key=pk)
//! ```
//!
//! ## Fix
//! ```python
//! db = rds.DatabaseInstance(
//!     self, "Db", engine=engine, vpc=vpc,
//!     deletion_protection=True,
//!     backup_retention=Duration.days(7),
//! )
//! table = dynamodb.Table(self, "Orders", partition_key=pk, point_in_time_recovery=True)
//! ```
//! The quick fix adds the one missing argument (`deletion_protection=True` or `point_in_time_recovery=True`)
//! beside the call's other keyword arguments; review it, since it changes what the stack deploys.

use shipready_syntax::python::cdk::Construct;

use super::observe;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "unprotected-database",
    category: Category::DataSafety,
    severity: Severity::High,
    title: "A database can be deleted or lose data with no way back",
    impact: "A mistaken deletion or a bad write cannot be recovered.",
    recommendation:
        "Turn on deletion protection and backups for RDS; point-in-time recovery for DynamoDB.",
    effort: "15 minutes",
    source: include_str!("unprotected_database.rs"),
    check,
};

/// What kind of database a construct is, if it is one this rule judges.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// RDS, Aurora or DocumentDB: deletion protection and backup retention.
    Relational,
    /// DynamoDB: point-in-time recovery.
    Table,
}

fn kind(c: &Construct) -> Option<Kind> {
    match (c.module.as_str(), c.name.as_str()) {
        (
            "rds",
            "DatabaseInstance"
            | "DatabaseCluster"
            | "ServerlessCluster"
            | "ServerlessClusterV2"
            | "DatabaseInstanceFromSnapshot"
            | "DatabaseClusterFromSnapshot"
            | "ServerlessClusterFromSnapshot",
        )
        | ("docdb", "DatabaseCluster") => Some(Kind::Relational),
        ("dynamodb", "Table" | "TableV2") => Some(Kind::Table),
        _ => None,
    }
}

fn value<'a>(c: &'a Construct, name: &str) -> Option<&'a str> {
    c.kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
}

/// The last name of a dotted value (`RETAIN` for `cdk.RemovalPolicy.RETAIN`).
fn last(value: &str) -> &str {
    value.rsplit('.').next().unwrap_or(value).trim()
}

/// `Duration.days(0)`, `cdk.Duration.days(0)`.
fn is_zero_days(value: &str) -> bool {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    compact.ends_with("days(0)")
}

/// The problems of one database: `(kwarg to point at, if the problem is a written value; what is wrong)`.
fn problems(c: &Construct, kind: Kind) -> Vec<(Option<&'static str>, &'static str)> {
    let mut out = Vec::new();
    match kind {
        Kind::Relational => {
            let retained = value(c, "removal_policy").is_some_and(|v| last(v) == "RETAIN");
            match value(c, "deletion_protection") {
                Some("False") => {
                    out.push((Some("deletion_protection"), "turns deletion protection off"))
                }
                None if !retained => out.push((None, "has no deletion protection")),
                _ => {}
            }
            if value(c, "backup_retention").is_some_and(is_zero_days) {
                out.push((
                    Some("backup_retention"),
                    "turns automated backups off (0 days)",
                ));
            }
        }
        Kind::Table => {
            let pitr = value(c, "point_in_time_recovery");
            let spec = value(c, "point_in_time_recovery_specification");
            match (pitr, spec) {
                (Some("False"), None) => out.push((
                    Some("point_in_time_recovery"),
                    "turns point-in-time recovery off",
                )),
                (None, None) => out.push((None, "has no point-in-time recovery")),
                _ => {}
            }
        }
    }
    out
}

/// The construct's callee as the file writes it (`rds.DatabaseInstance`), else `<module>.<name>`.
pub(super) fn written(text: &str, callee: shipready_text::TextRange, c: &Construct) -> String {
    text.get(callee.start..callee.end)
        .filter(|t| !t.contains('\n') && t.len() < 80)
        .map_or_else(|| format!("{}.{}", c.module, c.name), str::to_owned)
}

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::no_cdk_app(ctx) {
        return outcome;
    }
    let mut judged = Vec::new();
    let mut findings = Vec::new();
    for (path, c) in &ctx.index.cdk().constructs {
        let Some(kind) = kind(c) else {
            continue;
        };
        judged.push(path.clone());
        let problems = problems(c, kind);
        if problems.is_empty() {
            continue;
        }
        let Some(file) = ctx.workspace.file(path) else {
            continue;
        };
        let args =
            observe(&file.facts).and_then(|o| o.construct_args.iter().find(|a| a.call == c.range));
        let callee = args.map_or(c.range, |a| a.callee);
        let range = problems
            .iter()
            .find_map(|(kw, _)| args.and_then(|a| a.kwarg((*kw)?)))
            .unwrap_or(callee);
        let what = problems
            .iter()
            .map(|(_, w)| *w)
            .collect::<Vec<_>>()
            .join(" and ");
        let fix = match kind {
            Kind::Relational => {
                "set deletion_protection=True and keep backups (backup_retention=Duration.days(7))"
            }
            Kind::Table => "set point_in_time_recovery=True",
        };
        // The one missing argument is added where the call's other keyword arguments are.
        let added = match problems.as_slice() {
            [(None, _)] => Some(match kind {
                Kind::Relational => "deletion_protection",
                Kind::Table => "point_in_time_recovery",
            }),
            _ => None,
        };
        let quick_fix = added.zip(args).and_then(|(name, a)| {
            crate::fixes::cdk_kwarg::add_kwarg(path, &file.text, a, name, "True")
        });
        findings.push(
            Finding::at(
                path,
                range,
                format!("{} {what}: {fix}.", written(&file.text, callee, c)),
            )
            .with_fix(quick_fix),
        );
    }
    super::judged_outcome(
        judged,
        findings,
        "no RDS, DocumentDB or DynamoDB database in the CDK app",
        "every database is protected and recoverable",
        (
            "database",
            "databases",
            "without deletion protection, backups or point-in-time recovery",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn construct(module: &str, name: &str, kwargs: &[(&str, &str)]) -> Construct {
        Construct {
            module: module.to_owned(),
            name: name.to_owned(),
            range: shipready_text::TextRange::new(0, 1),
            kwargs: kwargs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn relational_databases() {
        let bare = construct("rds", "DatabaseInstance", &[]);
        assert_eq!(problems(&bare, Kind::Relational).len(), 1);
        let retained = construct(
            "rds",
            "DatabaseCluster",
            &[("removal_policy", "cdk.RemovalPolicy.RETAIN")],
        );
        assert!(problems(&retained, Kind::Relational).is_empty());
        let variable = construct(
            "rds",
            "DatabaseInstance",
            &[("deletion_protection", "prod")],
        );
        assert!(problems(&variable, Kind::Relational).is_empty());
        let no_backups = construct(
            "rds",
            "DatabaseInstance",
            &[
                ("deletion_protection", "True"),
                ("backup_retention", "Duration.days( 0 )"),
            ],
        );
        assert_eq!(
            problems(&no_backups, Kind::Relational),
            [(
                Some("backup_retention"),
                "turns automated backups off (0 days)"
            )]
        );
        assert!(kind(&construct("rds", "DatabaseInstanceReadReplica", &[])).is_none());
    }

    #[test]
    fn tables() {
        let bare = construct("dynamodb", "Table", &[]);
        assert_eq!(problems(&bare, Kind::Table).len(), 1);
        let on = construct("dynamodb", "TableV2", &[("point_in_time_recovery", "True")]);
        assert!(problems(&on, Kind::Table).is_empty());
        let spec = construct(
            "dynamodb",
            "Table",
            &[("point_in_time_recovery_specification", "spec")],
        );
        assert!(problems(&spec, Kind::Table).is_empty());
    }
}
