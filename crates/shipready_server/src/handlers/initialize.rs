//! `initialize`: negotiate the position encoding and diagnostics mode, read the configuration, register the
//! workspace roots (folders, else `rootUri`), and announce what the server does. The initial scan counts as
//! running from here until `initialized` has loaded every root.

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

use crate::config::Config;
use crate::conv;
use crate::outbox;
use crate::server::Server;
use crate::session::{lock, Caps};

pub const FIX_ALL: &str = "source.fixAll.shipready";
pub const REPORT_COMMAND: &str = "shipready.report";

pub async fn run(server: &Server, params: InitializeParams) -> Result<InitializeResult> {
    let caps = caps(&params.capabilities, params.initialization_options.as_ref());
    let (config, problems) = Config::from_value(params.initialization_options.as_ref());
    let mut roots: Vec<Url> = params
        .workspace_folders
        .unwrap_or_default()
        .into_iter()
        .map(|f| f.uri)
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        roots.extend(params.root_uri);
    }
    let mut refused = Vec::new();
    // The scan `initialized` runs counts from now: requests that come before it ends wait for it.
    server.publisher.scan_started();
    {
        let mut s = lock(&server.session);
        s.caps = caps;
        s.config = config;
        for uri in roots {
            if s.add_root(&uri).is_none() {
                refused.push(format!(
                    "workspace folder {uri} is not a local folder: ignored"
                ));
            }
        }
    }
    for message in problems.into_iter().chain(refused) {
        outbox::log(&server.outbox, MessageType::WARNING, message);
    }
    Ok(InitializeResult {
        capabilities: capabilities(&caps),
        server_info: Some(ServerInfo {
            name: "shipready".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    })
}

fn caps(c: &ClientCapabilities, options: Option<&serde_json::Value>) -> Caps {
    let text = c.text_document.as_ref();
    let workspace = c.workspace.as_ref();
    let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
    // A client may offer pull diagnostics and still be asked to take pushes (`"diagnostics": "push"`).
    let forced_push = options
        .and_then(|o| o.get("diagnostics"))
        .and_then(|v| v.as_str())
        == Some("push");
    Caps {
        encoding: conv::negotiate(c),
        pull_diagnostics: text.is_some_and(|t| t.diagnostic.is_some()) && !forced_push,
        work_done_progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        watch_files: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
        create_files: edit
            .and_then(|e| e.resource_operations.as_ref())
            .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
        code_lens_refresh: workspace
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false),
    }
}

fn capabilities(caps: &Caps) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(conv::kind(caps.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            ..Default::default()
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![REPORT_COMMAND.to_owned()],
            ..Default::default()
        }),
        diagnostic_provider: caps.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("shipready".to_owned()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                ..Default::default()
            })
        }),
        ..Default::default()
    }
}
