//! `textDocument/didOpen`: the buffer's text replaces the file on disk in the analysis.

use tower_lsp::lsp_types::DidOpenTextDocumentParams;

use crate::server::Server;
use crate::session::lock;

pub async fn run(server: &Server, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    // Applied before the first await, so buffer changes keep the order the client sent them in.
    lock(&server.session).open(doc.uri, &doc.text, doc.version);
    super::publish(server);
}
