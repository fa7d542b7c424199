//! `workspace/didChangeConfiguration`: a new profile or severity mapping; everything is republished.

use tower_lsp::lsp_types::{DidChangeConfigurationParams, MessageType};

use crate::config::Config;
use crate::outbox;
use crate::server::Server;
use crate::session::lock;

pub async fn run(server: &Server, params: DidChangeConfigurationParams) {
    let (config, problems) = Config::from_value(Some(&params.settings));
    for message in problems {
        outbox::log(&server.outbox, MessageType::WARNING, message);
    }
    {
        let mut s = lock(&server.session);
        if s.config != config {
            s.set_config(config);
        }
    }
    super::publish(server);
}
