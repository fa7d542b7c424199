//! ## What it checks
//! In a Python CDK app, that no stateful resource is deleted with its stack: `removal_policy=RemovalPolicy.DESTROY`
//! on a database (RDS, Aurora, DocumentDB, Neptune), a DynamoDB table, an S3 bucket, a file system (EFS, FSx) or
//! a search domain (OpenSearch). A DynamoDB table whose items expire (`time_to_live_attribute`: idempotency keys,
//! sessions, locks) holds nothing that outlives the stack and is not judged. A conditional value (`DESTROY if dev else RETAIN`) is not judged: it says
//! which environments may lose the data.
//!
//! ## Why it matters
//! `cdk destroy`, a stack deleted by mistake, or a change that replaces the resource (a renamed construct id)
//! then deletes the data for good. CDK's defaults (`RETAIN`/`SNAPSHOT`) exist so that removing a stack never
//! removes its data; `DESTROY` is for throw-away development stacks.
//!
//! ## Example
//! ```python
//! table = dynamodb.Table(
//!     self, "Orders", partition_key=pk,
//!     removal_policy=RemovalPolicy.DESTROY,
//! )
//! ```
//!
//! ## Fix
//! ```python
//! table = dynamodb.Table(
//!     self, "Orders", partition_key=pk,
//!     removal_policy=RemovalPolicy.RETAIN,
//! )
//! ```
//! Or make it depend on the environment: `RemovalPolicy.DESTROY if is_dev else RemovalPolicy.RETAIN`.

use shipready_syntax::python::cdk::Construct;

use super::observe;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "stateful-resource-destroyed",
    category: Category::DataSafety,
    severity: Severity::High,
    title: "A stateful resource is deleted with its stack",
    impact: "Deleting or replacing the stack deletes the data for good.",
    recommendation:
        "Use RemovalPolicy.RETAIN (or SNAPSHOT for databases) outside development stacks.",
    effort: "15 minutes",
    source: include_str!("stateful_resource_destroyed.rs"),
    check,
};

/// Whether a construct holds data: a database, table, bucket, file system or search domain.
fn is_stateful(c: &Construct) -> bool {
    let name = c.name.as_str();
    match c.module.as_str() {
        "rds" => super::RDS_DATABASES.contains(&name),
        "docdb" | "neptune" => name == "DatabaseCluster" || name == "DatabaseInstance",
        "dynamodb" => matches!(name, "Table" | "TableV2"),
        "s3" => name == "Bucket",
        "efs" => name == "FileSystem",
        "fsx" => name.ends_with("FileSystem"),
        "opensearchservice" | "elasticsearch" => name == "Domain",
        _ => false,
    }
}

/// `RemovalPolicy.DESTROY`, `cdk.RemovalPolicy.DESTROY`, `core.RemovalPolicy.DESTROY`; not a conditional.
fn destroys(value: &str) -> bool {
    let v = value.trim();
    v.rsplit('.').next() == Some("DESTROY") && !v.contains(char::is_whitespace)
}

fn check(ctx: &Context) -> Outcome {
    if let Some(outcome) = super::no_cdk_app(ctx) {
        return outcome;
    }
    let mut judged = Vec::new();
    let mut findings = Vec::new();
    for (path, c) in &ctx.index.cdk().constructs {
        if !is_stateful(c) {
            continue;
        }
        judged.push(path.clone());
        // A table whose items expire (`time_to_live_attribute`) holds short-lived records: idempotency keys,
        // sessions, locks. Losing them with the stack loses nothing that outlives it.
        let expiring =
            c.module == "dynamodb" && c.kwargs.iter().any(|(k, _)| k == "time_to_live_attribute");
        let destroyed = !expiring
            && c.kwargs
                .iter()
                .any(|(k, v)| k == "removal_policy" && destroys(v));
        if !destroyed {
            continue;
        }
        let Some(file) = ctx.workspace.file(path) else {
            continue;
        };
        let args =
            observe(&file.facts).and_then(|o| o.construct_args.iter().find(|a| a.call == c.range));
        let range = args
            .and_then(|a| a.kwarg("removal_policy"))
            .unwrap_or(c.range);
        let name =
            super::unprotected_database::written(&file.text, args.map_or(c.range, |a| a.callee), c);
        findings.push(Finding::at(
            path,
            range,
            format!(
                "{name} is deleted with its stack (RemovalPolicy.DESTROY): deleting or replacing the stack deletes its data. Use RETAIN or SNAPSHOT outside development."
            ),
        ));
    }
    super::judged_outcome(
        judged,
        findings,
        "no database, table, bucket or file system in the CDK app",
        "no stateful resource is deleted with its stack",
        (
            "stateful resource",
            "stateful resources",
            "deleted with the stack",
        ),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn destroy_values() {
        assert!(super::destroys("RemovalPolicy.DESTROY"));
        assert!(super::destroys("cdk.RemovalPolicy.DESTROY"));
        assert!(!super::destroys(
            "RemovalPolicy.DESTROY if dev else RemovalPolicy.RETAIN"
        ));
        assert!(!super::destroys("RemovalPolicy.RETAIN"));
        assert!(!super::destroys("policy"));
    }
}
