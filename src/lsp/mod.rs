//! `meshctl lsp`: a language server over standard input and output. The workspace folders are
//! read once at `initialize` ([`workspace::Workspace`]); each open document's text replaces
//! its file's, and after a quiet period (`debounceMs`, 150 ms unless the client's
//! `initializationOptions` say otherwise) the changed files are validated again and the
//! diagnostics of every file whose findings changed are published. Hover and quick fixes are
//! in [`features`].
//!
//! Messages are framed and parsed here rather than by `lsp-server`'s stdio transport, so that
//! a malformed message is answered with a JSON-RPC error (-32700 parse error, -32600 invalid
//! request) and the server goes on.

pub mod features;
pub mod text;
pub mod workspace;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, HoverParams,
    HoverProviderCapability, InitializeParams, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};

use crate::model::releases::Release;
use workspace::Workspace;

/// The default quiet period before diagnostics are computed.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(150);

/// Settings a client passes as `initializationOptions`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// The quiet period after a change, in milliseconds.
    pub debounce_ms: Option<u64>,
    /// The Istio release to check against (`.meshctl.yaml`'s `istioVersion` otherwise).
    pub istio_version: Option<String>,
}

type Out = Arc<Mutex<Box<dyn Write + Send>>>;

fn send(out: &Out, msg: &Message) {
    if let Ok(mut w) = out.lock() {
        // A client that went away cannot be told anything; the reader sees the end.
        let _ = msg.clone().write(&mut *w);
        let _ = w.flush();
    }
}

/// A JSON-RPC error written as is: a parse error has no request id to answer with.
fn send_raw_error(out: &Out, id: serde_json::Value, code: i32, message: &str) {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code, "message": message},
    })
    .to_string();
    if let Ok(mut w) = out.lock() {
        let _ = write!(w, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = w.flush();
    }
}

/// Reads one frame's body: `Ok(None)` at the end of the input, an error for a frame without
/// a usable `Content-Length`.
fn read_frame(r: &mut dyn BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    let mut saw_header = false;
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return if saw_header {
                Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "end of input inside a header",
                ))
            } else {
                Ok(None)
            };
        }
        let l = line.trim_end();
        if l.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = l.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length.filter(|n| *n <= 256 << 20) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "missing or invalid Content-Length",
        ));
    };
    let mut body = vec![0; length];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

/// The reader: frames to messages on `tx`; malformed ones are answered here.
fn read_loop(mut input: Box<dyn BufRead + Send>, tx: Sender<Message>, out: Out) {
    loop {
        let body = match read_frame(&mut *input) {
            Ok(Some(b)) => b,
            Ok(None) => break,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                send_raw_error(&out, serde_json::Value::Null, -32700, &e.to_string());
                continue;
            }
            Err(_) => break,
        };
        let value: serde_json::Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                send_raw_error(
                    &out,
                    serde_json::Value::Null,
                    -32700,
                    &format!("parse error: {e}"),
                );
                continue;
            }
        };
        let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
        match serde_json::from_value::<Message>(value) {
            Ok(msg) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if tx.send(msg).is_err() || exit {
                    break;
                }
            }
            Err(e) => send_raw_error(&out, id, -32600, &format!("invalid request: {e}")),
        }
    }
}

/// Runs the server on standard input and output until `exit` (or the end of the input).
/// Returns the process exit code: 0 after `shutdown` then `exit`, 1 otherwise (as the
/// protocol asks).
pub fn run_stdio() -> u8 {
    let out: Out = Arc::new(Mutex::new(Box::new(std::io::stdout())));
    let (tx, rx) = std::sync::mpsc::channel();
    let reader_out = Arc::clone(&out);
    let reader = std::thread::Builder::new()
        .name("meshctl-lsp-reader".to_string())
        .spawn(move || {
            read_loop(
                Box::new(std::io::BufReader::new(std::io::stdin())),
                tx,
                reader_out,
            )
        });
    if reader.is_err() {
        return 1;
    }
    Server::new(out).serve(&rx)
}

/// The protocol state of one session.
pub struct Server {
    out: Out,
    workspace: Option<Workspace>,
    debounce: Duration,
    /// When to publish the diagnostics of the changes received (the end of the quiet period).
    deadline: Option<Instant>,
    shutdown: bool,
}

impl Server {
    fn new(out: Out) -> Server {
        Server {
            out,
            workspace: None,
            debounce: DEFAULT_DEBOUNCE,
            deadline: None,
            shutdown: false,
        }
    }

    fn serve(mut self, rx: &Receiver<Message>) -> u8 {
        loop {
            let msg = match self.deadline {
                Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                    Ok(m) => Some(m),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return 1,
                },
                None => match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return 1,
                },
            };
            // A bug must not end the session: a request that panics is answered with an
            // internal error, and the server goes on.
            let current = match &msg {
                Some(Message::Request(r)) => Some(r.id.clone()),
                _ => None,
            };
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(msg))) {
                Ok(Some(code)) => return code,
                Ok(None) => {}
                Err(_) => {
                    self.deadline = None;
                    if let Some(id) = current {
                        self.error(id, ErrorCode::InternalError, "internal error".to_string());
                    }
                }
            }
        }
    }

    /// Handles one message (`None`: the quiet period is over); `Some(code)` after `exit`.
    fn handle(&mut self, msg: Option<Message>) -> Option<u8> {
        match msg {
            None => self.publish(),
            Some(Message::Request(req)) => self.request(req),
            Some(Message::Notification(n)) => {
                if n.method == "exit" {
                    return Some(if self.shutdown { 0 } else { 1 });
                }
                self.notification(n);
            }
            // Responses to requests the server never sends.
            Some(Message::Response(_)) => {}
        }
        None
    }

    fn reply(&self, resp: Response) {
        send(&self.out, &Message::Response(resp));
    }

    fn error(&self, id: RequestId, code: ErrorCode, message: String) {
        self.reply(Response::new_err(id, code as i32, message));
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        if self.workspace.is_none() && req.method != "initialize" {
            return self.error(
                id,
                ErrorCode::ServerNotInitialized,
                "initialize first".to_string(),
            );
        }
        if self.workspace.is_some() && req.method == "initialize" {
            return self.error(
                id,
                ErrorCode::InvalidRequest,
                "initialize was already received".to_string(),
            );
        }
        if self.shutdown {
            return self.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_string(),
            );
        }
        match req.method.as_str() {
            "initialize" => match serde_json::from_value::<InitializeParams>(req.params) {
                Ok(params) => self.initialize(id, params),
                Err(e) => self.error(id, ErrorCode::InvalidParams, e.to_string()),
            },
            "shutdown" => {
                self.shutdown = true;
                self.reply(Response::new_ok(id, serde_json::Value::Null));
            }
            "textDocument/hover" => match serde_json::from_value::<HoverParams>(req.params) {
                Ok(p) => {
                    self.flush();
                    let doc = &p.text_document_position_params;
                    let hover = match (&self.workspace, text::uri_to_path(&doc.text_document.uri)) {
                        (Some(ws), Some(path)) => features::hover(ws, &path, doc.position),
                        _ => None,
                    };
                    self.reply(Response::new_ok(id, hover));
                }
                Err(e) => self.error(id, ErrorCode::InvalidParams, e.to_string()),
            },
            "textDocument/codeAction" => {
                match serde_json::from_value::<CodeActionParams>(req.params) {
                    Ok(p) => {
                        self.flush();
                        let uri = &p.text_document.uri;
                        let actions = match (&self.workspace, text::uri_to_path(uri)) {
                            (Some(ws), Some(path)) => {
                                features::code_actions(ws, uri, &path, &p.context.diagnostics)
                            }
                            _ => Vec::new(),
                        };
                        self.reply(Response::new_ok(id, actions));
                    }
                    Err(e) => self.error(id, ErrorCode::InvalidParams, e.to_string()),
                }
            }
            m => self.error(id, ErrorCode::MethodNotFound, format!("unknown method {m}")),
        }
    }

    fn initialize(&mut self, id: RequestId, params: InitializeParams) {
        let options: Options = params
            .initialization_options
            .clone()
            .and_then(|o| serde_json::from_value(o).ok())
            .unwrap_or_default();
        if let Some(ms) = options.debounce_ms {
            self.debounce = Duration::from_millis(ms.min(10_000));
        }
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| text::uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(text::uri_to_path)
        {
            roots.push(root);
        }
        let release = options
            .istio_version
            .as_deref()
            .and_then(|v| Release::supported(v).ok());
        let ws = Workspace::load(roots, release);
        let problems = ws.problems.clone();
        self.workspace = Some(ws);
        let capabilities = ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    will_save: None,
                    will_save_wait_until: None,
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(true),
                    })),
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            ..ServerCapabilities::default()
        };
        let result = serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": ServerInfo {
                name: "meshctl".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            },
        });
        self.reply(Response::new_ok(id, result));
        for p in problems {
            self.log(&p);
        }
        // The whole workspace's findings, once.
        self.deadline = Some(Instant::now());
    }

    fn log(&self, message: &str) {
        let n = Notification::new(
            "window/logMessage".to_string(),
            serde_json::json!({"type": 2, "message": format!("meshctl: {message}")}),
        );
        send(&self.out, &Message::Notification(n));
    }

    fn changed(&mut self, path: PathBuf, text: String) {
        if let Some(ws) = self.workspace.as_mut() {
            ws.update(&path, text);
            self.deadline = Some(Instant::now() + self.debounce);
        }
    }

    fn notification(&mut self, n: Notification) {
        if self.workspace.is_none() {
            return;
        }
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params)
                    && let Some(path) = text::uri_to_path(&p.text_document.uri)
                {
                    self.changed(path, p.text_document.text);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params)
                    && let Some(path) = text::uri_to_path(&p.text_document.uri)
                    // Full sync: the last change holds the whole text.
                    && let Some(change) = p.content_changes.into_iter().next_back()
                {
                    self.changed(path, change.text);
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params)
                    && let Some(path) = text::uri_to_path(&p.text_document.uri)
                {
                    let text = p.text.or_else(|| std::fs::read_to_string(&path).ok());
                    if let Some(text) = text {
                        self.changed(path, text);
                    }
                }
            }
            "textDocument/didClose" => {
                // The file goes back to what is on disk (or out of the workspace).
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    && let Some(path) = text::uri_to_path(&p.text_document.uri)
                {
                    match std::fs::read_to_string(&path) {
                        Ok(text) => self.changed(path, text),
                        Err(_) => {
                            if let Some(ws) = self.workspace.as_mut() {
                                ws.remove(&path);
                            }
                            self.deadline = Some(Instant::now() + self.debounce);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Publishes now what a pending change would publish after the quiet period (a request
    /// answers on the current text).
    fn flush(&mut self) {
        if self.deadline.is_some() {
            self.publish();
        }
    }

    fn publish(&mut self) {
        self.deadline = None;
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        for (path, diagnostics) in ws.changed_diagnostics() {
            let Some(uri) = text::path_to_uri(&path) else {
                continue;
            };
            let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
            let n = Notification::new("textDocument/publishDiagnostics".to_string(), params);
            send(&self.out, &Message::Notification(n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_and_bad_ones_reported() {
        let input =
            b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\n\r\nContent-Length: 3\r\n\r\nabc";
        let mut r: &[u8] = input;
        assert_eq!(read_frame(&mut r).ok().flatten(), Some(b"{}".to_vec()));
        let e = read_frame(&mut r).err().map(|e| e.kind());
        assert_eq!(e, Some(std::io::ErrorKind::InvalidData));
        assert_eq!(read_frame(&mut r).ok().flatten(), Some(b"abc".to_vec()));
        assert!(matches!(read_frame(&mut r), Ok(None)));
    }
}
