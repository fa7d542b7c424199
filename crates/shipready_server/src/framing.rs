//! A guard in front of tower-lsp's reader. tower-lsp decodes stdin with a `FramedRead`, and a `FramedRead`
//! ends its stream after the first decoding error: one garbage body, a message that is not JSON-RPC or a
//! header block without `Content-Length` would end the server. This task re-frames the client's bytes and
//! drops, with a log line, every message tower-lsp could not decode, so bad input is ignored instead.
//!
//! It also ends the input after `exit`: tower-lsp stops serving only when its input ends, so without this a
//! client that sends `shutdown` and `exit` but keeps the pipe open would keep the server alive.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::{oneshot, watch};
use tower_lsp::jsonrpc::{Request, Response};

/// Bodies larger than this are not a message any editor sends; the stream cannot be trusted past one.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// Header lines longer than this are garbage: they are skipped in bounded pieces instead of being buffered.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// How the client ended the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `exit`; `after_shutdown` says whether `shutdown` came first (the LSP exit code is 0 then, else 1).
    Exit { after_shutdown: bool },
    /// The input ended without `exit`.
    InputClosed { after_shutdown: bool },
}

impl Ending {
    /// Whether the session ended as the protocol asks: `shutdown` before the end.
    pub fn is_clean(self) -> bool {
        match self {
            Ending::Exit { after_shutdown } | Ending::InputClosed { after_shutdown } => {
                after_shutdown
            }
        }
    }
}

/// How long the guard holds the client's messages after `initialize` waiting for its answer.
const INITIALIZE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Spawn the guard over `input`; tower-lsp reads the returned stream, and the receiver learns how the client
/// ended the session once the stream has ended.
#[cfg(test)]
pub fn guard(
    input: impl AsyncRead + Unpin + Send + 'static,
) -> (DuplexStream, oneshot::Receiver<Ending>) {
    guard_answered(input, None)
}

/// [`guard`], holding what follows an `initialize` request until `answered` turns true (the server wrote its
/// answer; see `first_write`), for at most [`INITIALIZE_WAIT`].
pub fn guard_answered(
    input: impl AsyncRead + Unpin + Send + 'static,
    mut answered: Option<watch::Receiver<bool>>,
) -> (DuplexStream, oneshot::Receiver<Ending>) {
    let (mut tx, rx) = tokio::io::duplex(1 << 16);
    let (ending_tx, ending_rx) = oneshot::channel();
    tokio::spawn(async move {
        let mut reader = BufReader::new(input);
        let mut after_shutdown = false;
        let mut ending = None;
        while let Some(frame) = next_frame(&mut reader).await {
            let Some(body) = frame else {
                continue;
            };
            let method = match message_method(&body) {
                Some(m) => m,
                None => {
                    tracing::warn!(
                        "ignoring a message that is not JSON-RPC: {}",
                        String::from_utf8_lossy(&body[..body.len().min(200)])
                    );
                    continue;
                }
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            let written = async {
                tx.write_all(header.as_bytes()).await?;
                tx.write_all(&body).await?;
                tx.flush().await
            };
            if written.await.is_err() {
                break;
            }
            match method.as_deref() {
                Some("initialize") => {
                    if let Some(answered) = answered.as_mut() {
                        let waited =
                            tokio::time::timeout(INITIALIZE_WAIT, answered.wait_for(|w| *w)).await;
                        if waited.is_err() {
                            tracing::warn!("no answer to initialize yet: passing on what follows");
                        }
                    }
                }
                Some("shutdown") => after_shutdown = true,
                Some("exit") => {
                    ending = Some(Ending::Exit { after_shutdown });
                    break;
                }
                _ => {}
            }
        }
        // Dropping the writer ends tower-lsp's input, as the end of stdin would; the reader of stdin is
        // abandoned (the binary shuts its runtime down without waiting for it).
        drop(tx);
        let _ = ending_tx.send(ending.unwrap_or(Ending::InputClosed { after_shutdown }));
    });
    (rx, ending_rx)
}

/// What tower-lsp's codec will decode `body` as: `Some(Some(method))` for a request or notification,
/// `Some(None)` for a response, `None` for anything else.
fn message_method(body: &[u8]) -> Option<Option<String>> {
    if let Ok(request) = serde_json::from_slice::<Request>(body) {
        return Some(Some(request.method().to_owned()));
    }
    serde_json::from_slice::<Response>(body).ok().map(|_| None)
}

/// The next frame: `None` at the end of input, `Some(None)` for a header block without a usable length.
async fn next_frame(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Option<Vec<u8>>> {
    let mut length = None;
    let mut saw_header = false;
    loop {
        // Bytes, not a `String`: a header line that is not UTF-8 (or the tail of a swallowed body cut inside a
        // character) must be skipped like any other bad header, not end the input.
        let mut raw = Vec::new();
        match (&mut *reader)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut raw)
            .await
        {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        if !raw.ends_with(b"\n") && raw.len() as u64 == MAX_HEADER_LINE {
            // An endless "header" (no line break): drop it piece by piece, holding at most one piece.
            tracing::warn!("ignoring a header line longer than {MAX_HEADER_LINE} bytes");
            loop {
                raw.clear();
                match (&mut *reader)
                    .take(MAX_HEADER_LINE)
                    .read_until(b'\n', &mut raw)
                    .await
                {
                    Ok(0) | Err(_) => return None,
                    Ok(_) if raw.ends_with(b"\n") => break,
                    Ok(_) => {}
                }
            }
            saw_header = true;
            continue;
        }
        let line = String::from_utf8_lossy(&raw);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some(value) = content_length(line) {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        tracing::warn!("ignoring a message without a valid Content-Length header");
        return Some(None);
    };
    if length > MAX_BODY {
        tracing::error!("a message of {length} bytes is not an editor's: closing the connection");
        return None;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Some(body))
}

/// The value of the `Content-Length` header on `line`, its name found anywhere in the line (the last one).
/// After a header that claimed more bytes than its body, the rest of the swallowed message runs into the
/// next header line; finding the header there puts the reader back on a message boundary.
fn content_length(line: &str) -> Option<&str> {
    const NAME: &str = "content-length";
    // ASCII lowercasing keeps every byte offset, so `at` indexes `line` as well.
    let at = line.to_ascii_lowercase().rfind(NAME)?;
    line.get(at + NAME.len()..)?.trim_start().strip_prefix(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn what_follows_initialize_waits_for_its_answer() {
        let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
        let next = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [frame(init), frame(next)].concat();
        let (answered_tx, answered) = watch::channel(false);
        let (mut out, _) = guard_answered(std::io::Cursor::new(input.into_bytes()), Some(answered));
        let mut first = vec![0; frame(init).len()];
        let _ = out.read_exact(&mut first).await;
        assert_eq!(String::from_utf8_lossy(&first), frame(init));
        // Not answered yet: `initialized` is held back (tower-lsp would drop it).
        let mut byte = [0u8; 1];
        let early =
            tokio::time::timeout(std::time::Duration::from_millis(100), out.read(&mut byte)).await;
        assert!(early.is_err(), "a message passed before the answer");
        let _ = answered_tx.send(true);
        let mut rest = String::new();
        let _ = out.read_to_string(&mut rest).await;
        assert_eq!(rest, frame(next));
    }

    #[tokio::test]
    async fn only_decodable_messages_pass() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = [
            frame("{not json"),
            frame(r#"{"hello":"world"}"#),
            "X-Nonsense: 1\r\n\r\n".to_owned(),
            frame(good),
        ]
        .concat();
        let (mut out, ending) = guard(std::io::Cursor::new(input.into_bytes()));
        let mut received = String::new();
        let _ = out.read_to_string(&mut received).await;
        assert_eq!(received, frame(good));
        assert_eq!(
            ending.await.ok(),
            Some(Ending::InputClosed {
                after_shutdown: true
            })
        );
    }

    #[tokio::test]
    async fn a_length_past_the_body_costs_only_the_messages_it_swallows() {
        let short = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let swallowed = frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown","params":null}"#);
        let good = r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#;
        let input = [
            format!("Content-Length: {}\r\n\r\n{short}", short.len() + 30),
            swallowed,
            "\u{e9}\u{fffd}".to_owned(),
            frame(good),
        ]
        .concat();
        let mut bytes = input.into_bytes();
        // A header line that is not UTF-8 is one more bad header, not the end of the input.
        bytes.splice(0..0, b"X-Junk: \xff\xfe\r\n".iter().copied());
        let (mut out, _) = guard(std::io::Cursor::new(bytes));
        let mut received = String::new();
        let _ = out.read_to_string(&mut received).await;
        assert_eq!(received, frame(good));
    }

    #[tokio::test]
    async fn an_overlong_header_line_is_skipped_in_pieces() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let input = ["x".repeat(1024 * 1024), "\r\n".to_owned(), frame(good)].concat();
        let (mut out, _) = guard(std::io::Cursor::new(input.into_bytes()));
        let mut received = String::new();
        let _ = out.read_to_string(&mut received).await;
        assert_eq!(received, frame(good));
    }

    #[tokio::test]
    async fn exit_ends_the_input_even_when_more_follows() {
        let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let later = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [frame(exit), frame(later)].concat();
        let (mut out, ending) = guard(std::io::Cursor::new(input.into_bytes()));
        let mut received = String::new();
        let _ = out.read_to_string(&mut received).await;
        assert_eq!(received, frame(exit));
        assert_eq!(
            ending.await.ok(),
            Some(Ending::Exit {
                after_shutdown: false
            })
        );
    }
}
