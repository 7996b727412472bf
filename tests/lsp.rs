//! `meshctl lsp` as an editor uses it: the binary is started with `lsp`, the initialize
//! handshake names a workspace folder (a copy of `testdata/lsp/`), documents are opened and
//! edited, and the published diagnostics, a hover and a code action are checked. Every read
//! has a timeout, so a server that hangs fails the test instead of hanging it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    backlog: Vec<Value>,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
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
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(options: Value, root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_meshctl"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("meshctl lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages: rx,
            next_id: 0,
            backlog: Vec::new(),
        };
        let uri = uri(root);
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "shop"}],
                "capabilities": {},
                "initializationOptions": options,
            }),
        );
        assert_eq!(result["result"]["capabilities"]["hoverProvider"], true);
        client.notify("initialized", json!({}));
        client
    }

    fn write_raw(&mut self, body: &[u8]) {
        let head = format!("Content-Length: {}\r\n\r\n", body.len());
        self.stdin.write_all(head.as_bytes()).expect("write");
        self.stdin.write_all(body).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, msg: Value) {
        self.write_raw(msg.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message that satisfies `want`; others are kept for later.
    fn wait_for(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&want) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if want(&m) => return m,
                Ok(m) => self.backlog.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
                Err(RecvTimeoutError::Disconnected) => panic!("server gone waiting for {what}"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(method, |m| m["id"] == id && m.get("method").is_none())
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait_for("diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The diagnostics published for `uri` once they have the codes `codes` (sorted). The
    /// workspace's diagnostics from disk may be published before those of an opened document
    /// (the editor's text); a publication that never comes fails the test on the timeout.
    fn diagnostics_with(&mut self, uri: &str, codes: &[&str]) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            let d = self.diagnostics(uri);
            let mut got: Vec<String> = d.iter().map(|d| code_and_start(d).0).collect();
            got.sort();
            if got == codes {
                return d;
            }
            seen.push(got);
        }
        panic!("never published {codes:?} for {uri}; published {seen:?}");
    }

    fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "exit after shutdown is 0: {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// A copy of `testdata/lsp/` in a fresh directory (the tests edit documents).
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("meshctl-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("workspace dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/lsp");
    for f in ["routes.yaml", "gateway.yaml"] {
        std::fs::copy(src.join(f), dir.join(f)).expect("fixture copied");
    }
    // The canonical path: what the server reports URIs for.
    dir.canonicalize().unwrap_or(dir)
}

fn code_and_start(d: &Value) -> (String, u64, u64) {
    (
        d["code"].as_str().unwrap_or_default().to_string(),
        d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
        d["range"]["start"]["character"]
            .as_u64()
            .unwrap_or(u64::MAX),
    )
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
}

#[test]
fn diagnostics_hover_and_quick_fix() {
    let dir = workspace("open");
    let routes = dir.join("routes.yaml");
    let routes_uri = uri(&routes);
    let text = std::fs::read_to_string(&routes).expect("fixture");
    let mut client = Client::start(json!({"debounceMs": 20}), &dir);
    open(&mut client, &routes_uri, &text);
    let diags = client.diagnostics(&routes_uri);
    let mut found: Vec<(String, u64, u64)> = diags.iter().map(code_and_start).collect();
    found.sort();
    // validate's findings (as `meshctl validate` reports them: 15:5, 12:5, 23:7) and
    // analyze's own (IST0101 at 20:15), 0-based.
    assert_eq!(
        found,
        vec![
            ("IST0101".to_string(), 19, 14),
            ("MSH1002".to_string(), 22, 6),
            ("MSH1006".to_string(), 14, 4),
            ("MSH1204".to_string(), 11, 4),
        ],
        "{diags:#?}"
    );
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "MSH1006")
        .cloned()
        .unwrap_or_default();
    assert_eq!(unknown["range"]["end"], json!({"line": 14, "character": 8}));
    assert!(
        unknown["message"]
            .as_str()
            .unwrap_or("")
            .contains("did you mean `route`?")
    );

    // Hover on a field key: the model's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": routes_uri}, "position": {"line": 6, "character": 3}}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        value.starts_with("VirtualService.hosts: list of string"),
        "{hover}"
    );

    // Hover on a gateway reference: the Gateway and its file.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": routes_uri}, "position": {"line": 9, "character": 6}}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        value.contains("Gateway `shop/shop-gateway`") && value.contains("gateway.yaml:1"),
        "{hover}"
    );

    // Hover on a destination host: the Service it resolves to.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": routes_uri}, "position": {"line": 16, "character": 16}}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        value.contains("reviews.shop.svc.cluster.local")
            && value.contains("Service `shop/reviews`"),
        "{hover}"
    );

    // The quick fix of the unknown field.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": routes_uri},
            "range": unknown["range"],
            "context": {"diagnostics": [unknown]},
        }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix", "{actions}");
    let edits = &action["edit"]["changes"][routes_uri.as_str()];
    assert_eq!(
        edits,
        &json!([{"range": {"start": {"line": 14, "character": 4}, "end": {"line": 14, "character": 8}}, "newText": "route"}]),
        "{actions}"
    );

    // Malformed input gets JSON-RPC errors and the server goes on.
    client.write_raw(b"{not json");
    let e = client.wait_for("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(e["id"], Value::Null);
    client.send(json!({"jsonrpc": "2.0", "id": 99, "method": 5}));
    client.wait_for("invalid request", |m| {
        m["error"]["code"] == -32600 && m["id"] == 99
    });
    let r = client.request("no/such/method", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(r["error"]["code"], -32602, "{r}");

    client.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn edits_update_and_clear_the_diagnostics() {
    let dir = workspace("edit");
    let routes = dir.join("routes.yaml");
    let routes_uri = uri(&routes);
    let text = std::fs::read_to_string(&routes).expect("fixture");
    let mut client = Client::start(json!({"debounceMs": 20}), &dir);
    open(&mut client, &routes_uri, &text);
    client.diagnostics_with(&routes_uri, &["IST0101", "MSH1002", "MSH1006", "MSH1204"]);

    // Fix the field and the kind: analyze's finding stays.
    let fixed = text
        .replace("    rout:", "    route:")
        .replace("kind: DestinationRul\n", "kind: DestinationRule\n");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": routes_uri, "version": 2},
            "contentChanges": [{"text": fixed}],
        }),
    );
    let second = client.diagnostics(&routes_uri);
    let codes: Vec<String> = second.iter().map(|d| code_and_start(d).0).collect();
    assert_eq!(codes, ["IST0101"], "{second:#?}");
    assert_eq!(
        second[0]["range"]["start"],
        json!({"line": 19, "character": 14})
    );

    // Point the route at a Service that exists: nothing left, an empty list is published.
    let clean = fixed.replace("host: ratings", "host: reviews");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": routes_uri, "version": 3},
            "contentChanges": [{"text": clean}],
        }),
    );
    let third = client.diagnostics(&routes_uri);
    assert!(third.is_empty(), "{third:#?}");

    // A change in another file shows in this one: the Service is renamed.
    let gateway = dir.join("gateway.yaml");
    let gateway_uri = uri(&gateway);
    let gw_text = std::fs::read_to_string(&gateway).expect("fixture");
    open(
        &mut client,
        &gateway_uri,
        &gw_text.replace("name: reviews", "name: reviews-v2"),
    );
    let routes_again = client.diagnostics(&routes_uri);
    let codes: Vec<String> = routes_again.iter().map(|d| code_and_start(d).0).collect();
    let missing = routes_again
        .iter()
        .find(|d| d["code"] == "IST0101")
        .unwrap_or_else(|| panic!("no IST0101: {codes:?}"));
    assert!(
        missing["message"]
            .as_str()
            .unwrap_or("")
            .contains("\"reviews\""),
        "{routes_again:#?}"
    );

    client.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn suppressions_and_meshctl_yaml_are_honoured() {
    let dir = workspace("config");
    std::fs::write(dir.join(".meshctl.yaml"), "rules:\n  MSH1204: off\n").expect("config");
    let routes = dir.join("routes.yaml");
    let routes_uri = uri(&routes);
    let text = std::fs::read_to_string(&routes).expect("fixture").replace(
        "  namespace: shop\nspec:\n  hosts:",
        "  namespace: shop\n  annotations:\n    meshctl.dev/suppress: IST0101\nspec:\n  hosts:",
    );
    let mut client = Client::start(json!({}), &dir);
    open(&mut client, &routes_uri, &text);
    client.diagnostics_with(&routes_uri, &["MSH1002", "MSH1006"]);
    client.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
