//! `textDocument/didChange`: apply incremental changes to the buffer (rope and, for Python, the tree), then
//! republish every file: a change in one file can close or open gaps in others.

use tower_lsp::lsp_types::{DidChangeTextDocumentParams, MessageType};

use crate::outbox;
use crate::server::Server;
use crate::session::lock;

pub async fn run(server: &Server, params: DidChangeTextDocumentParams) {
    let doc = params.text_document;
    // tower-lsp runs notification handlers concurrently but starts them in arrival order; applying the change
    // before the first await keeps edits in order.
    let applied = lock(&server.session).change(&doc.uri, doc.version, &params.content_changes);
    if let Err(message) = applied {
        outbox::log(&server.outbox, MessageType::WARNING, message);
        return;
    }
    super::publish(server);
}
