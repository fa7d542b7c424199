//! `shutdown`: nothing to flush; the analysis lives in memory only.

use tower_lsp::jsonrpc::Result;

use crate::server::Server;

pub async fn run(_server: &Server) -> Result<()> {
    Ok(())
}
