//! [`FirstWrite`]: the server's output, which says when the server first wrote to it.
//!
//! tower-lsp drops every notification that arrives while `initialize` is still being answered, `initialized`
//! included (its `initialize` future and the next message run concurrently). A client that sends
//! `initialized` without waiting for the answer, as a hurried or hostile one may, would leave the server
//! waiting for a scan that never starts. The first thing the server writes is the answer to `initialize`
//! (tower-lsp holds back everything else until then), so the framing guard holds the client's next messages
//! until this writer has written once.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;
use tokio::sync::watch;

pub struct FirstWrite<W> {
    inner: W,
    written: watch::Sender<bool>,
}

impl<W> FirstWrite<W> {
    /// Wrap `inner`; the receiver turns true once bytes have been written.
    pub fn new(inner: W) -> (Self, watch::Receiver<bool>) {
        let (written, rx) = watch::channel(false);
        (FirstWrite { inner, written }, rx)
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for FirstWrite<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.written
                .send_if_modified(|w| !std::mem::replace(w, true));
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
