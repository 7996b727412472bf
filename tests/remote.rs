//! `-f URL` against a real HTTP server on the loopback interface: findings located at
//! `URL:line:column`, redirects, retries on server errors, refusals (404, oversized bodies,
//! unreachable hosts, an HTTPS server the system does not trust) as exit 3 with the reason, and
//! credentials never shown.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use common::{json, meshctl, stderr, stdout};

const VS: &str = "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
    timeout: 5 seconds
";

const SERVICE: &str = "apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
";

/// A small HTTP/1.1 server answering each request by path; counts requests per path.
struct Server {
    port: u16,
    flaky_hits: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let flaky_hits = Arc::new(AtomicUsize::new(0));
        let hits = Arc::clone(&flaky_hits);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let hits = Arc::clone(&hits);
                thread::spawn(move || answer(stream, &hits));
            }
        });
        Server { port, flaky_hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn answer(mut stream: TcpStream, flaky_hits: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Read the headers up to the blank line, keeping Authorization.
    let mut authorization = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("authorization")
                {
                    authorization = value.trim().to_string();
                }
            }
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, headers, body): (&str, Vec<String>, String) = match path {
        "/shop/vs.yaml" => ("200 OK", vec![], VS.to_string()),
        "/shop/svc.yaml" => ("200 OK", vec![], SERVICE.to_string()),
        // deploy:hunter2
        "/private/vs.yaml" if authorization == "Basic ZGVwbG95Omh1bnRlcjI=" => {
            ("200 OK", vec![], VS.to_string())
        }
        "/private/vs.yaml" => ("401 Unauthorized", vec![], String::new()),
        "/moved" => (
            "302 Found",
            vec!["Location: /shop/vs.yaml".to_string()],
            String::new(),
        ),
        "/relative/start" => (
            "301 Moved Permanently",
            vec!["Location: ../shop/vs.yaml".to_string()],
            String::new(),
        ),
        "/loop" => (
            "302 Found",
            vec!["Location: /loop".to_string()],
            String::new(),
        ),
        "/flaky" => {
            if flaky_hits.fetch_add(1, Ordering::SeqCst) == 0 {
                ("503 Service Unavailable", vec![], "try later".to_string())
            } else {
                ("200 OK", vec![], VS.to_string())
            }
        }
        "/huge" => {
            // Announce a body larger than the limit; meshctl must refuse before reading it.
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n"
            );
            return;
        }
        _ => ("404 Not Found", vec![], "no such file".to_string()),
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/yaml\r\nConnection: close\r\n",
        body.len()
    );
    for h in headers {
        head.push_str(&h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

#[test]
fn findings_in_a_downloaded_manifest_point_at_the_url() {
    let server = Server::start();
    let url = server.url("/shop/vs.yaml");
    for args in [
        vec!["validate", url.as_str()],
        vec!["validate", "-f", url.as_str()],
    ] {
        let o = meshctl(&args);
        assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
        let out = stdout(&o);
        // The duration is reported where it is written in the URL's text.
        assert!(out.contains(&format!("{url}:11:")), "{out}");
        assert!(out.contains("timeout"), "{out}");
    }
}

#[test]
fn urls_and_files_mix_and_analyze_sees_both() {
    let server = Server::start();
    let vs = server.url("/shop/vs.yaml");
    let svc = server.url("/shop/svc.yaml");
    let o = meshctl(&["analyze", "-o", "json", &vs, &svc]);
    let report = json(&o);
    assert_eq!(report["summary"]["files"], 2, "{report}");
    let codes = common::pairs(&report);
    // The bad timeout is found in the VirtualService's URL; its host resolves to the Service
    // of the other URL (no IST0101).
    assert!(
        codes.contains(&(
            "IST0106".to_string(),
            "VirtualService shop/reviews".to_string()
        )),
        "{report}"
    );
    assert!(!codes.iter().any(|(c, _)| c == "IST0101"), "{report}");
    assert!(report.to_string().contains(&vs), "{report}");
    let _ = svc;
}

#[test]
fn redirects_are_followed_and_loops_stop() {
    let server = Server::start();
    let o = meshctl(&["validate", "-o", "json", &server.url("/moved")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = meshctl(&["validate", "-o", "json", &server.url("/relative/start")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = meshctl(&["validate", &server.url("/loop")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("more than 10 redirects"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_server_error_is_retried() {
    let server = Server::start();
    let o = meshctl(&["validate", &server.url("/flaky")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(server.flaky_hits.load(Ordering::SeqCst), 2);
}

#[test]
fn refusals_are_environment_errors_with_the_reason() {
    let server = Server::start();
    let missing = server.url("/nope.yaml");
    let o = meshctl(&["validate", &missing]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains(&missing) && err.contains("404 Not Found"),
        "{err}"
    );

    let o = meshctl(&["validate", &server.url("/huge")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("larger than 64 MiB"), "{}", stderr(&o));

    // Nothing listens on the port of a listener that was closed again.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let o = meshctl(&["validate", &format!("http://127.0.0.1:{port}/x.yaml")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("cannot connect"), "{}", stderr(&o));
}

#[test]
fn credentials_in_the_url_are_sent_as_basic_auth_and_never_printed() {
    let server = Server::start();
    let o = meshctl(&["validate", &server.url("/private/vs.yaml")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("401 Unauthorized"), "{}", stderr(&o));

    let url = format!(
        "http://deploy:hunter2@127.0.0.1:{}/private/vs.yaml",
        server.port
    );
    let o = meshctl(&["validate", &url]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("hunter2"), "{all}");
    assert!(all.contains(&server.url("/private/vs.yaml")), "{all}");
}

/// An HTTPS server with a self-signed certificate (testdata/remote, made for this test with
/// `openssl req -x509`): meshctl must refuse it, naming the certificate problem.
#[test]
fn an_untrusted_https_server_is_refused() {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/remote");
    let certs =
        vec![CertificateDer::from_pem_file(dir.join("untrusted-cert.pem")).expect("certificate")];
    let key = PrivateKeyDer::from_pem_file(dir.join("untrusted-key.pem")).expect("key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    let handshakes = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&handshakes);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                continue;
            };
            let mut tls = rustls::StreamOwned::new(conn, stream);
            // The client aborts the handshake; a trusting client would get the manifest.
            let mut buf = [0u8; 1024];
            if std::io::Read::read(&mut tls, &mut buf).is_ok() {
                let body = VS.as_bytes();
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(body);
            }
        }
    });
    let o = meshctl(&["validate", &format!("https://127.0.0.1:{port}/vs.yaml")]);
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("invalid peer certificate") && err.contains("trust store"),
        "{err}"
    );
    // A certificate problem is not retried.
    assert_eq!(handshakes.load(Ordering::SeqCst), 1);
}
