//! `shipready lsp`: the language server over stdio. stdout carries the protocol, so logs go to stderr only
//! (level from `SHIPREADY_LOG`: error, warn, info, debug or trace; warn by default).

use std::process::ExitCode;

use anyhow::Context;

pub fn run() -> anyhow::Result<ExitCode> {
    let level = std::env::var("SHIPREADY_LOG")
        .ok()
        .and_then(|v| v.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::WARN);
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(level)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(shipready_server::serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
    ));
    Ok(ExitCode::SUCCESS)
}
