//! The language server's standard input and output. `tokio::io::stdin` and `stdout` hand every read and write to
//! the runtime's blocking pool, one task per operation, so a keystroke's notification waited for one task to be
//! scheduled and its diagnostics for another. [`Stdin`] is a thread of its own that stays in `read` and passes
//! each chunk over a bounded channel as it arrives (at most a few chunks ahead of the reader); [`Stdout`] writes each frame at once, from the task that sends it.

use std::io::{Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;

/// How many chunks (of up to 64 KiB) the reading thread may be ahead of the protocol's reader.
const CHUNKS_AHEAD: usize = 4;

/// Standard input as an [`AsyncRead`]; the input ends when stdin does (or fails, which is logged).
pub struct Stdin {
    chunks: mpsc::Receiver<Vec<u8>>,
    /// The rest of the chunk the last read did not take.
    held: Vec<u8>,
    at: usize,
}

impl Stdin {
    /// Start the reading thread. It is never joined: it may stay blocked in `read` after the protocol ended,
    /// until the process exits.
    pub fn spawn() -> std::io::Result<Self> {
        // Bounded: the thread waits while the protocol's reader has not taken earlier chunks, so a client that
        // sends faster than the server reads (an endless header line, a flood) fills a pipe, not memory.
        let (send, chunks) = mpsc::channel(CHUNKS_AHEAD);
        std::thread::Builder::new()
            .name("stdin".to_owned())
            .spawn(move || {
                let mut stdin = std::io::stdin().lock();
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    match stdin.read(&mut buf) {
                        Ok(0) => return,
                        Ok(n) => {
                            if send.blocking_send(buf[..n].to_vec()).is_err() {
                                return;
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            tracing::error!("reading stdin: {e}");
                            return;
                        }
                    }
                }
            })?;
        Ok(Stdin {
            chunks,
            held: Vec::new(),
            at: 0,
        })
    }
}

impl AsyncRead for Stdin {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.at >= this.held.len() {
            match this.chunks.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => {
                    this.held = chunk;
                    this.at = 0;
                }
                // The thread ended: end of input.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let rest = &this.held[this.at..];
        let n = rest.len().min(out.remaining());
        out.put_slice(&rest[..n]);
        this.at += n;
        Poll::Ready(Ok(()))
    }
}

/// Standard output written synchronously: a frame is a few kilobytes and a pipe takes 64 KiB, so the write returns
/// at once unless the client stops reading, and then the task that writes the protocol's output waits, as it
/// would for the blocking pool. Each write takes the whole buffer it is given (whole encoded messages) under
/// stdout's lock, so messages the publisher writes itself ([`write_message`]) never land inside one of them.
pub struct Stdout;

/// Write one whole framed message to stdout, from any thread (the publisher's diagnostics).
pub fn write_message(frame: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(frame)?;
    out.flush()
}

impl AsyncWrite for Stdout {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(std::io::stdout().lock().write_all(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(std::io::stdout().lock().flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}
