//! Guards around handlers: a panic becomes a JSON-RPC internal error (requests) or a log line
//! (notifications), and the server keeps serving.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};

/// Run a request handler; a panic becomes an internal error response.
pub async fn request<T>(method: &str, fut: impl Future<Output = Result<T>>) -> Result<T> {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            let message = format!("shipready: {method} failed: {}", describe(&*panic));
            tracing::error!("{message}");
            Err(internal(message))
        }
    }
}

/// Run a notification handler; a panic is logged.
pub async fn notification(method: &str, fut: impl Future<Output = ()>) {
    if let Err(panic) = AssertUnwindSafe(fut).catch_unwind().await {
        tracing::error!("shipready: {method} failed: {}", describe(&*panic));
    }
}

/// A blocking task that panicked or was cancelled, as an internal error.
pub fn join_error(e: tokio::task::JoinError) -> Error {
    let message = if e.is_panic() {
        let panic = e.into_panic();
        format!("shipready: analysis failed: {}", describe(&*panic))
    } else {
        "shipready: analysis was cancelled".to_owned()
    };
    tracing::error!("{message}");
    internal(message)
}

fn internal(message: String) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.into(),
        data: None,
    }
}

fn describe(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_request_becomes_an_internal_error() {
        let result: Result<()> = request("test/panic", async { panic!("boom") }).await;
        let err = result.err();
        assert_eq!(err.as_ref().map(|e| e.code), Some(ErrorCode::InternalError));
        assert!(err.is_some_and(|e| e.message.contains("boom")));
    }

    #[tokio::test]
    async fn a_panicking_blocking_task_becomes_an_internal_error() {
        let joined = tokio::task::spawn_blocking(|| panic!("deep")).await;
        let err = joined.map_err(join_error).err();
        assert!(err.is_some_and(|e| e.message.contains("deep")));
    }
}
