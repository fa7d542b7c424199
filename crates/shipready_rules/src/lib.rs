//! The readiness engine's pure core: the rule registry, the rules, findings with their fixes, and the scoring
//! model.
//!
//! Input is a [`Workspace`] of parsed files; [`audit`] runs every rule over it (through the cross-file
//! [`Index`]) and scores the outcome with a [`Profile`]. Nothing here does IO.

mod applies;
mod audit;
mod category;
pub mod configured;
mod finding;
mod fixes;
pub mod index;
mod moved;
mod profile;
mod reads;
mod registry;
mod roles;
mod rule;
mod rule_memo;
mod rules;
mod scoring;
pub mod settings;
pub mod suppress;
pub mod units;
mod units_ci;
mod workspace;
mod workspace_audit;

pub use audit::{audit, audit_with, Audit, CheckResult, Satisfier};
pub use category::Category;
pub use finding::{Applicability, Edit, Finding, Fix, Related, Severity};
pub use index::Index;
pub use profile::Profile;
pub use registry::{rule_by_code, Registered, RULES, RULE_DOCS};
pub use roles::{role_of, Role, RoleOf};
pub use rule::{Context, Outcome, Rule, Status};
pub use scoring::{band_of, Band, CategoryScore, Score};
pub use settings::Settings;
pub use units_ci::seed_reads;
pub use workspace::{SourceFile, Workspace};
pub use workspace_audit::{
    audit_workspace, audit_workspace_cached, audit_workspace_with, UnitAudit, UnitCache,
    WorkspaceAudit,
};
