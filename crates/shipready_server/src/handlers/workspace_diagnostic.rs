//! `workspace/diagnostic` (pull): every workspace file's findings, with an empty report for clean files so a
//! client drops results that went stale. Each report has a result id; a file whose id matches the one the
//! client sent is reported `unchanged`.

use std::collections::HashMap;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{
    FullDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, WorkspaceDiagnosticParams,
    WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult, WorkspaceDocumentDiagnosticReport,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};

use crate::diagnostics;
use crate::server::Server;

pub async fn run(
    server: &Server,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<_, _> = params
        .previous_result_ids
        .into_iter()
        .map(|p| (p.uri, p.value))
        .collect();
    let files = super::query(server, |s| {
        s.all_loaded()
            .then(|| diagnostics::collect(s, true))
            .ok_or_else(super::scanning)
    })
    .await??;
    let items = files
        .into_iter()
        .map(|f| {
            let result_id = diagnostics::result_id(&f.diagnostics);
            let version = f.version.map(i64::from);
            if previous.get(&f.uri) == Some(&result_id) {
                return WorkspaceDocumentDiagnosticReport::Unchanged(
                    WorkspaceUnchangedDocumentDiagnosticReport {
                        uri: f.uri,
                        version,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id,
                        },
                    },
                );
            }
            WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri: f.uri,
                version,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: f.diagnostics.to_vec(),
                },
            })
        })
        .collect();
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}
