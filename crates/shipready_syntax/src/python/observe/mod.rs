//! Observability and data-safety facts of one Python file: calls that configure logging, error trackers
//! initialised with their DSN (and whether it is a literal), the `upgrade()`/`downgrade()` pair of an Alembic
//! migration, and the exact places of the keyword arguments of stateful CDK constructs (databases, tables,
//! buckets, file systems), so data-safety rules can point at `removal_policy=...` rather than a whole call.

mod calls;
mod migration;
#[cfg(test)]
mod tests;

use serde::Serialize;
use shipready_text::TextRange;
use tree_sitter::Node;

use super::imports::ImportMap;
use super::index::NodeIndex;
use super::{CdkFacts, Import};
use crate::Spanned;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ObserveFacts {
    /// Calls that configure logging, as the qualified name called (`logging.basicConfig`,
    /// `logging.config.dictConfig`, `structlog.configure`, `loguru.logger.add`, `<handler>.addHandler`), with
    /// the range of the callee.
    pub logging_setup: Vec<Spanned<String>>,
    /// Error trackers initialised in this file (`sentry_sdk.init(...)`).
    pub error_tracking: Vec<ErrorTrackingInit>,
    /// The module-level `upgrade()`/`downgrade()` of an Alembic migration, when the file defines `downgrade`.
    pub migration: Option<Migration>,
    /// Keyword arguments of the stateful CDK constructs of the file (see [`STATEFUL_MODULES`]), by call.
    pub construct_args: Vec<ConstructArgs>,
}

/// `sentry_sdk.init(dsn=...)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorTrackingInit {
    /// The qualified function called (`sentry_sdk.init`).
    pub function: String,
    /// The callee's range.
    pub range: TextRange,
    /// The DSN argument (`dsn=` or the first positional argument), if one is passed.
    pub dsn: Option<Dsn>,
}

/// The DSN passed to an error tracker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dsn {
    /// The value when it is a non-empty plain string literal (a DSN written into the code); `None` when it
    /// comes from a name, a call or the environment.
    pub literal: Option<String>,
    /// The argument's range (the value expression).
    pub range: TextRange,
}

/// An Alembic migration's pair of functions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Migration {
    /// The name of `def downgrade`.
    pub downgrade: TextRange,
    /// `downgrade()` does nothing: its body is only `pass`, `...`, a docstring or comments.
    pub downgrade_empty: bool,
    /// `upgrade()` exists and does something (an initial migration whose upgrade is empty has nothing to undo).
    pub upgrade_changes: bool,
}

/// The keyword arguments of one stateful CDK construct call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConstructArgs {
    /// The whole call (the same range as the CDK fact's `Construct::range`).
    pub call: TextRange,
    /// The callee (`rds.DatabaseInstance`).
    pub callee: TextRange,
    /// `(name, range of the whole name=value argument)`.
    pub kwargs: Vec<(String, TextRange)>,
}

impl ConstructArgs {
    /// The range of keyword argument `name`.
    pub fn kwarg(&self, name: &str) -> Option<TextRange> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, r)| *r)
    }
}

/// CDK modules whose constructs hold data that outlives a deployment.
pub const STATEFUL_MODULES: &[&str] = &[
    "rds",
    "dynamodb",
    "s3",
    "efs",
    "docdb",
    "neptune",
    "opensearchservice",
    "elasticsearch",
    "fsx",
    "redshift",
    "elasticache",
    "backup",
];

/// Extract the facts; `root` is the module node, `cdk` the file's CDK facts (for the construct calls).
pub(crate) fn extract(
    root: Node,
    index: &NodeIndex,
    src: &str,
    imports: &[Import],
    cdk: &CdkFacts,
) -> ObserveFacts {
    let map = ImportMap::new(imports);
    let mut facts = ObserveFacts {
        migration: migration::extract(root, src),
        ..ObserveFacts::default()
    };
    calls::collect(index, src, &map, cdk, &mut facts);
    facts
}
