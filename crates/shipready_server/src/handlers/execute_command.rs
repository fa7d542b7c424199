//! `workspace/executeCommand`: `shipready.report [rootUri]` returns the full report JSON (the same document as
//! `shipready check --format json`) of the given workspace folder, or of the first one.

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::{ExecuteCommandParams, Url};

use super::initialize::REPORT_COMMAND;
use crate::server::Server;

pub async fn run(server: &Server, params: ExecuteCommandParams) -> Result<Option<Value>> {
    if params.command != REPORT_COMMAND {
        return Err(Error::invalid_params(format!(
            "unknown command `{}`",
            params.command
        )));
    }
    let wanted: Option<Url> = params
        .arguments
        .first()
        .and_then(|v| v.as_str())
        .and_then(|s| Url::parse(s).ok());
    let report = super::query_scanned(server, move |s| {
        let root = match &wanted {
            Some(uri) => s.locate(uri).map(|(i, _)| i).or_else(|| {
                s.roots
                    .iter()
                    .position(|r| &r.uri == uri || &r.client_uri == uri)
            })?,
            None => 0,
        };
        let report = s.roots.get_mut(root)?.analysis.report();
        serde_json::to_value(report).ok()
    })
    .await?;
    match report {
        Some(v) => Ok(Some(v)),
        None => Err(Error::invalid_params("no workspace folder to report on")),
    }
}
