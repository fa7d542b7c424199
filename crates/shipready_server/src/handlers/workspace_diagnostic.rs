//! `workspace/diagnostic` (pull): every workspace file's findings, with an empty report for clean files so a
//! client drops results that went stale.

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{
    FullDocumentDiagnosticReport, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport,
    WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport,
};

use crate::diagnostics;
use crate::server::Server;

pub async fn run(
    server: &Server,
    _params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let files = super::query(server, |s| diagnostics::collect(s, true)).await?;
    let items = files
        .into_iter()
        .map(|f| {
            WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri: f.uri,
                version: f.version.map(i64::from),
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items: f.diagnostics,
                },
            })
        })
        .collect();
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}
