//! Data-safety rules (`standard` profile only): migrations that can be reversed, backups before they run, and
//! stateful cloud resources that survive a mistaken deletion. Each applies to the unit's production files.

pub mod empty_downgrade;
pub mod stateful_resource_destroyed;
pub mod undocumented_backups;
pub mod unprotected_database;

use shipready_syntax::python::observe::ObserveFacts;
use shipready_syntax::FileFacts;

use crate::Outcome;

/// The outcome of a CDK check over the resources in `judged` (their files): not applicable (`none`) when
/// there were none, else passing (`pass`) or failing with `findings`, counted as `n {one|many} {what}`.
pub(crate) fn judged_outcome(
    mut judged: Vec<String>,
    findings: Vec<crate::Finding>,
    none: &str,
    pass: &str,
    (one, many, what): (&str, &str, &str),
) -> Outcome {
    judged.sort();
    judged.dedup();
    if judged.is_empty() {
        return not_applicable(none);
    }
    if findings.is_empty() {
        return Outcome::pass(pass, judged);
    }
    let n = findings.len();
    let details = format!("{} {what}", super::plural(n, one, many));
    Outcome::fail(details, findings)
        .with_evidence(judged)
        .needing(n)
}

/// Not applicable, with the reason.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome::not_applicable_because(why)
}

/// Why the unit's CDK constructs are not judged: CDK code with no `cdk.json` and no `App()` is a construct
/// library (its defaults are its users' to choose), and a unit without CDK has nothing to judge.
pub(crate) fn no_cdk_app(ctx: &crate::Context) -> Option<Outcome> {
    let cdk = &ctx.index.cdk();
    if !cdk.present {
        return Some(not_applicable("no CDK app"));
    }
    (cdk.cdk_json.is_empty() && cdk.app_files.is_empty())
        .then(|| not_applicable("CDK constructs, no CDK app"))
}

/// RDS and Aurora constructs that hold a database (not engines, proxies, parameter or subnet groups).
pub(crate) const RDS_DATABASES: &[&str] = &[
    "DatabaseInstance",
    "DatabaseCluster",
    "ServerlessCluster",
    "ServerlessClusterV2",
    "DatabaseInstanceFromSnapshot",
    "DatabaseClusterFromSnapshot",
    "ServerlessClusterFromSnapshot",
    "DatabaseInstanceReadReplica",
];

/// The observability and data-safety facts of a Python file.
pub(crate) fn observe(facts: &FileFacts) -> Option<&ObserveFacts> {
    match facts {
        FileFacts::Python(py) => Some(&py.observe),
        _ => None,
    }
}
