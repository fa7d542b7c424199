//! `shipready lsp`: the language server over stdio. stdout carries the protocol, so logs go to stderr only
//! (level from `SHIPREADY_LOG`: error, warn, info, debug or trace; warn by default). The protocol traffic itself,
//! which holds whole documents, is never logged.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// How long blocking work still running after `exit` may take before the process ends without it. (The reader
/// of stdin is a thread of its own, which the process does not wait for: it stays blocked until the client
/// closes the pipe, which it need not do.)
const SHUTDOWN_GRACE: Duration = Duration::from_millis(200);

pub fn run() -> anyhow::Result<ExitCode> {
    let level = std::env::var("SHIPREADY_LOG")
        .ok()
        .and_then(|v| v.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::WARN);
    // tower-lsp's codec traces every message in full, document texts included: a log a user pastes into an
    // issue would carry the secrets of the files they had open. It is held at debug, whatever the level.
    let filter = Targets::new()
        .with_default(level)
        .with_target("tower_lsp::codec", level.min(tracing::Level::DEBUG));
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(false),
        )
        .with(filter)
        .init();
    // One thread for the protocol: handlers only apply changes and hand queries to the blocking pool, audits run
    // on the publisher's thread. Two workers cost each keystroke more wake-ups between them than they saved:
    // measured over 400 Dockerfile edits in one session (`bench/run.py --long`), p50 0.25-0.45 ms with two,
    // 0.21-0.24 ms with one.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let input = crate::stdio::Stdin::spawn().context("starting the stdin reader")?;
    let write_message: shipready_server::WriteMessage =
        std::sync::Arc::new(crate::stdio::write_message);
    let ending = runtime.block_on(shipready_server::serve_with(
        input,
        crate::stdio::Stdout,
        Some(write_message),
    ));
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    tracing::info!("language server ended: {ending:?}");
    // The LSP specification: exit code 0 when `shutdown` came before the end, 1 otherwise.
    Ok(if ending.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
