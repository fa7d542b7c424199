//! `textDocument/didClose`: the file on disk is the truth again.

use tower_lsp::lsp_types::{DidCloseTextDocumentParams, MessageType};

use crate::outbox;
use crate::server::Server;
use crate::session::lock;

pub async fn run(server: &Server, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    if !lock(&server.session).close(&uri) {
        let message = format!("didClose for {uri}, which is not open: ignored");
        outbox::log(&server.outbox, MessageType::WARNING, message);
        return;
    }
    super::publish(server);
}
