//! shipready's API boundary: workspace discovery, file inputs (disk files and open-document overlays), the
//! per-file fact cache, and the queries the CLI and the language server ask (report, findings per file).
//!
//! Everything here is plain data in editor-neutral terms (workspace-relative paths, byte offsets); the server
//! crate converts to LSP types, the binary to text and JSON.

mod analysis;
pub mod combine;
pub mod config;
mod discovery;
mod fix_all;
mod fs;
pub mod hover;
mod lenses;
pub mod queries;
mod report;

pub use analysis::Analysis;
pub use discovery::{discover, is_ignored, Discovered, Skipped, MAX_FILE_BYTES};
pub use fix_all::{fix_all, FileChange, FixMode, FixPlan};
pub use fs::{FileSystem, RealFs};
pub use hover::{FindingHover, HoverItem, SatisfierHover};
pub use lenses::{unit_summary, ScoreSummary};
pub use report::{
    Report, ReportCategory, ReportCheck, ReportFinding, ReportPosition, ReportRange,
    ReportSuppression, ReportUnit, SCHEMA_VERSION,
};
pub use shipready_rules::{Audit, Profile, UnitAudit, WorkspaceAudit};
