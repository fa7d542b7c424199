//! A small JSON-RPC client that drives `shipready lsp` over its stdio, for the end-to-end LSP tests.
//!
//! A reader thread frames messages (`Content-Length` headers) into a channel; every wait has a deadline, so a
//! server that hangs fails the test instead of blocking CI. Requests from the server (`client/registerCapability`,
//! `window/workDoneProgress/create`, refreshes) are answered with `null` and kept for inspection.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any one wait may take. Generous: CI shares two cores and runs a debug build.
pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct LspClient {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    responses: HashMap<i64, Value>,
    /// Notifications and server requests received so far, in order.
    pub received: Vec<Value>,
    /// The latest `publishDiagnostics` params per URI.
    pub diagnostics: HashMap<String, Value>,
    /// The server's log lines so far, when started with [`LspClient::start_logging`].
    log: Option<Arc<Mutex<Vec<String>>>>,
    /// Leave the server's requests unanswered until [`LspClient::answer_held`] (they are answered at once
    /// otherwise): a client slow to answer, to hold the server where it waits for one.
    pub hold_requests: bool,
    held: Vec<Value>,
}

impl LspClient {
    /// Start `shipready lsp`.
    pub fn start() -> LspClient {
        LspClient::spawn(None, &[])
    }

    /// Start `shipready lsp` as the last argument of `wrapper` (e.g. `strace -f -o LOG`), its stderr inherited.
    pub fn start_under(wrapper: &[&std::ffi::OsStr]) -> LspClient {
        LspClient::spawn(None, wrapper)
    }

    /// Start `shipready lsp` logging at `level` (`SHIPREADY_LOG`), its log lines kept for [`LspClient::log_until`].
    pub fn start_logging(level: &str) -> LspClient {
        LspClient::spawn(Some(level), &[])
    }

    fn spawn(log_level: Option<&str>, wrapper: &[&std::ffi::OsStr]) -> LspClient {
        let binary = crate::cli::binary().as_os_str();
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(binary);
                c
            }
            None => Command::new(binary),
        };
        command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        match log_level {
            Some(level) => command.env("SHIPREADY_LOG", level).stderr(Stdio::piped()),
            None => command.stderr(Stdio::inherit()),
        };
        let mut child = match command.spawn() {
            Ok(c) => c,
            Err(e) => panic!("cannot start shipready lsp: {e}"),
        };
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            panic!("no stdio pipes");
        };
        let log = child.stderr.take().map(|stderr| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let kept = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    kept.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                }
            });
            lines
        });
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        LspClient {
            child,
            stdin,
            rx,
            next_id: 1,
            responses: HashMap::new(),
            received: Vec::new(),
            diagnostics: HashMap::new(),
            log,
            hold_requests: false,
            held: Vec::new(),
        }
    }

    /// Start the server and initialize it on `roots` (workspace folders), then send `initialized` and wait
    /// for the first score notification (the scan is done). `capabilities` are merged over a default set.
    pub fn initialized(roots: &[&Path], capabilities: Value, options: Value) -> (LspClient, Value) {
        let (mut c, result) = LspClient::handshake(roots, capabilities, options);
        c.wait_for("shipready/score", |_| true);
        (c, result)
    }

    /// Start the server, initialize it on `roots` and send `initialized`, without waiting for the scan.
    pub fn handshake(roots: &[&Path], capabilities: Value, options: Value) -> (LspClient, Value) {
        LspClient::start().init(roots, capabilities, options)
    }

    /// Initialize a started server on `roots` and send `initialized`, without waiting for the scan.
    pub fn init(
        mut self,
        roots: &[&Path],
        capabilities: Value,
        options: Value,
    ) -> (LspClient, Value) {
        let c = &mut self;
        let folders: Vec<Value> = roots
            .iter()
            .map(|r| json!({"uri": file_uri(r), "name": "root"}))
            .collect();
        let mut caps = json!({
            "window": {"workDoneProgress": true},
            "workspace": {
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}
            },
            "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}}
        });
        merge(&mut caps, capabilities);
        let result = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": roots.first().map(|r| file_uri(r)),
                "workspaceFolders": folders,
                "capabilities": caps,
                "initializationOptions": options,
            }),
        );
        let result = match result {
            Ok(v) => v,
            Err(e) => panic!("initialize failed: {e}"),
        };
        c.notify("initialized", json!({}));
        (self, result)
    }

    /// Wait until the server's log (see [`LspClient::start_logging`]) has a line satisfying `pred`; returns
    /// every line so far.
    pub fn log_until(&mut self, pred: impl Fn(&str) -> bool) -> Vec<String> {
        let Some(log) = self.log.clone() else {
            panic!("the server was not started with start_logging");
        };
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let lines = log.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if lines.iter().any(|l| pred(l)) {
                return lines;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for a log line"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Send a request and wait for its response: `Ok(result)` or `Err(error object)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(r) = self.responses.remove(&id) {
                return match r.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(r.get("result").cloned().unwrap_or(Value::Null)),
                };
            }
            self.pump(deadline, &format!("the response to {method}"));
        }
    }

    /// Send `shutdown` (a request without params, as the specification has it) and wait for its answer.
    pub fn shutdown(&mut self) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(r) = self.responses.remove(&id) {
                return match r.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(r.get("result").cloned().unwrap_or(Value::Null)),
                };
            }
            self.pump(deadline, "the response to shutdown");
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send several notifications in one write, so the server receives them together (a burst of keystrokes).
    pub fn notify_all(&mut self, notifications: &[(&str, Value)]) {
        let mut bytes = Vec::new();
        for (method, params) in notifications {
            let body = json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string();
            bytes.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
        }
        if let Err(e) = self
            .stdin
            .write_all(&bytes)
            .and_then(|_| self.stdin.flush())
        {
            panic!("server stdin closed: {e}");
        }
    }

    /// Write `bytes` to the server's stdin as they are, unframed (for protocol-abuse tests).
    pub fn write_raw(&mut self, bytes: &[u8]) {
        if let Err(e) = self.stdin.write_all(bytes).and_then(|_| self.stdin.flush()) {
            panic!("server stdin closed: {e}");
        }
    }

    /// The server's process id (of the wrapper, when started under one).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Send raw bytes as one framed message (for malformed-input tests).
    pub fn send_raw(&mut self, body: &str) {
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        if let Err(e) = self
            .stdin
            .write_all(framed.as_bytes())
            .and_then(|_| self.stdin.flush())
        {
            panic!("server stdin closed: {e}");
        }
    }

    /// Wait for a notification (or server request) `method` whose params satisfy `pred`, received from now on
    /// or already received and not yet consumed by an earlier wait.
    pub fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self.received.iter().position(|m| {
                m.get("method").and_then(Value::as_str) == Some(method)
                    && pred(m.get("params").unwrap_or(&Value::Null))
            });
            if let Some(i) = found {
                let m = self.received.remove(i);
                return m.get("params").cloned().unwrap_or(Value::Null);
            }
            self.pump(deadline, &format!("a {method} notification"));
        }
    }

    /// Wait until the latest diagnostics published for `uri` satisfy `pred`; returns them.
    pub fn diagnostics_until(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let current = self
                .diagnostics
                .get(uri)
                .and_then(|p| p.get("diagnostics"))
                .and_then(Value::as_array);
            if let Some(d) = current {
                if pred(d) {
                    return d.clone();
                }
            }
            self.pump(deadline, &format!("diagnostics for {uri}"));
        }
    }

    /// Wait up to `within` for the server process to end, without closing its stdin; its exit code, or `None`
    /// when it is still running (or was ended by a signal).
    pub fn exit_code(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status.code(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => return None,
            }
        }
    }

    /// Whether the server still answers a request.
    pub fn is_alive(&mut self) -> bool {
        self.request(
            "workspace/executeCommand",
            json!({"command": "shipready.report", "arguments": []}),
        )
        .is_ok()
    }

    /// Answer the server's requests held so far, and every later one at once.
    pub fn answer_held(&mut self) {
        self.hold_requests = false;
        for id in std::mem::take(&mut self.held) {
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
    }

    /// Wait until the server has sent a request `method` (answered or held).
    pub fn wait_for_request(&mut self, method: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while !self
            .received
            .iter()
            .any(|m| m["method"] == method && m.get("id").is_some())
        {
            self.pump(deadline, method);
        }
    }

    fn send(&mut self, msg: Value) {
        self.send_raw(&msg.to_string());
    }

    /// Receive one message (or fail at the deadline) and file it.
    fn pump(&mut self, deadline: Instant, what: &str) {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = match self.rx.recv_timeout(left) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
            Err(RecvTimeoutError::Disconnected) => panic!("server exited while waiting for {what}"),
        };
        let id = msg.get("id").and_then(Value::as_i64);
        let method = msg.get("method").and_then(Value::as_str).map(str::to_owned);
        match (id, method) {
            (Some(id), None) => {
                self.responses.insert(id, msg);
            }
            (Some(_), Some(_)) => {
                // A request from the server: answer it (or hold it), keep it.
                if self.hold_requests {
                    self.held.push(msg["id"].clone());
                } else {
                    let answer = json!({"jsonrpc": "2.0", "id": msg["id"].clone(), "result": null});
                    self.send(answer);
                }
                self.received.push(msg);
            }
            (None, Some(method)) => {
                if method == "textDocument/publishDiagnostics" {
                    if let Some(uri) = msg["params"]["uri"].as_str() {
                        self.diagnostics
                            .insert(uri.to_owned(), msg["params"].clone());
                    }
                }
                self.received.push(msg);
            }
            (None, None) => {}
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `file://` URI for a local path, percent-encoding what a URI path cannot hold.
pub fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Every code a diagnostic stands for: its own, and those of the findings it was merged with (one missing
/// thing is one diagnostic; `data.codes` lists every check it fails).
pub fn codes_of(d: &Value) -> Vec<String> {
    match d["data"]["codes"].as_array() {
        Some(all) => all
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect(),
        None => d["code"].as_str().map(str::to_owned).into_iter().collect(),
    }
}

/// The codes of a diagnostics list (merged diagnostics count for each check they stand for), sorted.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut c: Vec<String> = diagnostics.iter().flat_map(codes_of).collect();
    c.sort();
    c
}

/// The diagnostic that stands for `code`, panicking with the list when there is none.
pub fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    let stands_for = |d: &Value| codes_of(d).iter().any(|c| c == code);
    match diagnostics.iter().find(|d| stands_for(d)) {
        Some(d) => d,
        None => panic!("no {code} in {diagnostics:#?}"),
    }
}

/// Apply LSP text edits (UTF-16 or UTF-8 columns) to `text`, last first so earlier positions stay valid.
pub fn apply_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let at = |p: &Value| offset(text, p, utf8);
            let start = at(&e["range"]["start"]);
            let end = at(&e["range"]["end"]);
            (start, end, e["newText"].as_str().unwrap_or("").to_owned())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

fn offset(text: &str, pos: &Value, utf8: bool) -> usize {
    let line = pos["line"].as_u64().unwrap_or(0) as usize;
    let col = pos["character"].as_u64().unwrap_or(0) as usize;
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0;
    for (i, ch) in text[start..].char_indices() {
        if units >= col || ch == '\n' {
            return start + i;
        }
        units += if utf8 { ch.len_utf8() } else { ch.len_utf16() };
    }
    text.len()
}

fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, e) => *b = e,
    }
}

/// Read one framed message (`Content-Length` header block, then the JSON body) from the server's stdout.
pub fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A temporary copy of a fixture workspace, for tests that change files on disk.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    copy_dir(&crate::cli::fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    let entries = match std::fs::read_dir(from) {
        Ok(e) => e,
        Err(e) => panic!("read {}: {e}", from.display()),
    };
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            let _ = std::fs::create_dir_all(&target);
            copy_dir(&entry.path(), &target);
        } else if let Err(e) = std::fs::copy(entry.path(), &target) {
            panic!("copy {}: {e}", entry.path().display());
        }
    }
}
