//! `textDocument/codeLens`: at the top of the deployment guide, each Dockerfile and the main application file,
//! the readiness of the deployable unit the file belongs to ("Readiness 72.0/100 - Almost Ready · unit api"; the
//! workspace's when it has one unit) and its category scores. Both lenses run `shipready.report`.

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{CodeLens, CodeLensParams, Command, Position, Range};

use super::initialize::REPORT_COMMAND;
use crate::score;
use crate::server::Server;

pub async fn run(server: &Server, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    super::query(server, move |s| {
        // Nothing is known of a folder still being scanned: no lenses yet (the first score refreshes them).
        let (root, path) = s.locate_loaded(&uri).ok()??;
        let r = s.roots.get_mut(root)?;
        if !r.analysis.lens_files().contains(&path) {
            return Some(Vec::new());
        }
        let summary = r.analysis.score_summary_of(&path);
        let top = Range::new(Position::new(0, 0), Position::new(0, 0));
        let lens = |title: String| CodeLens {
            range: top,
            command: Some(Command {
                title,
                command: REPORT_COMMAND.to_owned(),
                arguments: Some(vec![serde_json::json!(r.client_uri)]),
            }),
            data: None,
        };
        Some(vec![
            lens(score::headline(&summary)),
            lens(score::categories_line(&summary)),
        ])
    })
    .await
}
