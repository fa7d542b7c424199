//! [`Server`]: the `LanguageServer` implementation. It only forwards: each method goes to its own handler file
//! under `handlers/`, wrapped in a guard that turns a panic into an error response so the server keeps serving.

use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService};

use crate::framing::{self, Ending};
use crate::handlers::{self, guard};
use crate::outbox::{self, Outbox};
use crate::publisher::Publisher;
use crate::session::Shared;

/// The server's handles: the client, the shared session and the outbox that talks to the client.
pub struct Server {
    pub client: Client,
    pub session: Shared,
    pub outbox: Outbox,
    pub publisher: Arc<Publisher>,
}

impl Server {
    fn new(client: Client, direct: Option<outbox::Direct>) -> Self {
        let session = Shared::default();
        let outbox = outbox::spawn(client.clone());
        let sender = outbox::Sender::new(client.clone(), direct);
        Server {
            publisher: Publisher::spawn(session.clone(), move |snap| sender.send(snap)),
            outbox,
            client,
            session,
        }
    }
}

/// Serve the protocol on `input`/`output` (stdin/stdout for `shipready lsp`) until the client sends `exit` or
/// the input ends; says which.
pub async fn serve(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin,
) -> Ending {
    serve_with(input, output, None).await
}

/// [`serve`], with a way to write whole messages to `output` from another thread (`shipready lsp`: stdout, whose
/// writes are whole messages under its lock): the publisher then writes each keystroke's diagnostics itself
/// instead of handing them to the protocol's writer task, one thread hand-off fewer per keystroke.
pub async fn serve_with(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin,
    write_message: Option<outbox::WriteMessage>,
) -> Ending {
    let (output, answered) = crate::first_write::FirstWrite::new(output);
    let direct = write_message.map(|write| outbox::Direct::new(write, answered.clone()));
    let (service, socket) = LspService::new(move |client| Server::new(client, direct));
    let (input, ending) = framing::guard_answered(input, Some(answered));
    tower_lsp::Server::new(input, output, socket)
        .serve(service)
        .await;
    ending.await.unwrap_or(Ending::InputClosed {
        after_shutdown: false,
    })
}

#[tower_lsp::async_trait]
impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guard::request("initialize", handlers::initialize::run(self, params)).await
    }

    async fn initialized(&self, params: InitializedParams) {
        guard::notification("initialized", handlers::initialized::run(self, params)).await
    }

    async fn shutdown(&self) -> Result<()> {
        guard::request("shutdown", handlers::shutdown::run(self)).await
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        guard::notification(
            "textDocument/didOpen",
            handlers::did_open::run(self, params),
        )
        .await
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        guard::notification(
            "textDocument/didChange",
            handlers::did_change::run(self, params),
        )
        .await
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        guard::notification(
            "textDocument/didClose",
            handlers::did_close::run(self, params),
        )
        .await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let fut = handlers::did_change_configuration::run(self, params);
        guard::notification("workspace/didChangeConfiguration", fut).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let fut = handlers::did_change_watched_files::run(self, params);
        guard::notification("workspace/didChangeWatchedFiles", fut).await
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let fut = handlers::did_change_workspace_folders::run(self, params);
        guard::notification("workspace/didChangeWorkspaceFolders", fut).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        guard::request("textDocument/hover", handlers::hover::run(self, params)).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guard::request(
            "textDocument/codeAction",
            handlers::code_action::run(self, params),
        )
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        guard::request(
            "textDocument/codeLens",
            handlers::code_lens::run(self, params),
        )
        .await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let fut = handlers::execute_command::run(self, params);
        guard::request("workspace/executeCommand", fut).await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        guard::request(
            "textDocument/diagnostic",
            handlers::diagnostic::run(self, params),
        )
        .await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let fut = handlers::workspace_diagnostic::run(self, params);
        guard::request("workspace/diagnostic", fut).await
    }
}
