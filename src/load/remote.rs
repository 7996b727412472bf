//! `-f URL`: a manifest read over HTTP or HTTPS, as `kubectl apply -f URL` reads one. The body
//! becomes a source named by the URL (credentials in it are never shown), so findings point at
//! `URL:line:column` like at a file.
//!
//! What users can rely on:
//! - `http://` and `https://` only; HTTPS verifies the server against the system's trust store
//!   (rustls with the platform's root certificates, as `kubectl` uses).
//! - `user:password@` in the URL is sent as HTTP Basic authentication (as Go's client, and so
//!   kubectl, does), to that host only: not along a redirect to another host.
//! - Up to 10 redirects are followed; an HTTPS URL never redirects to plain HTTP.
//! - A status other than 2xx is an environment error (exit 3) naming the status, as kubectl's
//!   "server reported 404 Not Found". Server errors (5xx) and failed connections are retried
//!   twice, one second apart, as kubectl retries.
//! - Each attempt must complete within [`TIMEOUT`]; bodies over [`MAX_BODY`] are refused.
//! - Proxies (`HTTPS_PROXY`) are not used: download the file first when one is required.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper::{Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::Error;

/// The time one request (connect, headers and body) may take.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// The largest body read: larger than any manifest, small enough to stop a wrong URL (an ISO
/// image) from filling memory.
pub const MAX_BODY: usize = 64 * 1024 * 1024;
const MAX_REDIRECTS: usize = 10;
const ATTEMPTS: usize = 3;
const RETRY_DELAY: Duration = Duration::from_secs(1);

/// Whether a command-line input names a URL rather than a path.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The URL as shown to users: without `user:password@`.
pub fn display_name(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{tail}"),
        None => url.to_string(),
    }
}

/// Downloads `url` and returns its body.
pub fn fetch(url: &str) -> Result<Vec<u8>, Error> {
    let shown = display_name(url);
    let fail = |message: String| Error::Fetch {
        url: shown.clone(),
        message,
    };
    let uri: Uri = url
        .parse()
        .map_err(|e| fail(format!("not a valid URL: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start the HTTP client: {e}")))?;
    runtime.block_on(fetch_following(uri)).map_err(fail)
}

/// The outcome of one request.
enum Step {
    Body(Vec<u8>),
    Redirect(Uri),
}

/// An attempt's failure, and whether trying again may help.
struct Failure {
    message: String,
    retry: bool,
}

/// Splits `user:password@` off the URL: the URL to request, and the `Authorization` value.
fn credentials(uri: Uri) -> Result<(Uri, Option<String>), String> {
    use base64::Engine as _;
    let Some(authority) = uri.authority() else {
        return Ok((uri, None));
    };
    let Some((userinfo, host)) = authority.as_str().rsplit_once('@') else {
        return Ok((uri, None));
    };
    let header = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(userinfo)
    );
    let mut parts = uri.clone().into_parts();
    parts.authority = Some(host.parse().map_err(|e| format!("not a valid URL: {e}"))?);
    let bare = Uri::from_parts(parts).map_err(|e| format!("not a valid URL: {e}"))?;
    Ok((bare, Some(header)))
}

async fn fetch_following(uri: Uri) -> Result<Vec<u8>, String> {
    let (mut uri, auth) = credentials(uri)?;
    let auth_host = uri.authority().cloned();
    // Without a system trust store plain HTTP still works; HTTPS then fails on the certificate
    // and says why.
    let builder = match hyper_rustls::HttpsConnectorBuilder::new().with_native_roots() {
        Ok(b) => b,
        Err(_) => {
            let config = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(config)
        }
    };
    let connector = builder.https_or_http().enable_http1().build();
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
    for _ in 0..=MAX_REDIRECTS {
        let mut attempt = 0;
        let step = loop {
            attempt += 1;
            let auth = auth
                .as_deref()
                .filter(|_| uri.authority() == auth_host.as_ref());
            match tokio::time::timeout(TIMEOUT, request(&client, &uri, auth)).await {
                Ok(Ok(step)) => break step,
                Ok(Err(f)) if !f.retry || attempt == ATTEMPTS => return Err(f.message),
                Err(_) if attempt == ATTEMPTS => {
                    return Err(format!(
                        "no complete answer within {} s ({ATTEMPTS} attempts)",
                        TIMEOUT.as_secs()
                    ));
                }
                _ => tokio::time::sleep(RETRY_DELAY).await,
            }
        };
        match step {
            Step::Body(body) => return Ok(body),
            Step::Redirect(next) => {
                if uri.scheme_str() == Some("https") && next.scheme_str() != Some("https") {
                    return Err(format!(
                        "refusing the redirect from HTTPS to {}",
                        display_name(&next.to_string())
                    ));
                }
                uri = next;
            }
        }
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

async fn request<C>(
    client: &Client<C, Empty<Bytes>>,
    uri: &Uri,
    auth: Option<&str>,
) -> Result<Step, Failure>
where
    C: hyper_util::client::legacy::connect::Connect + Clone + Send + Sync + 'static,
{
    let mut req = Request::get(uri.clone());
    if let Some(value) = auth {
        req = req.header(hyper::header::AUTHORIZATION, value);
    }
    let req = req
        .header(
            hyper::header::USER_AGENT,
            concat!("meshctl/", env!("CARGO_PKG_VERSION")),
        )
        .header(
            hyper::header::ACCEPT,
            "application/yaml, application/json, text/plain, */*",
        )
        .body(Empty::new())
        .map_err(|e| Failure {
            message: format!("cannot build the request: {e}"),
            retry: false,
        })?;
    let resp = client.request(req).await.map_err(|e| {
        let tls = is_tls_failure(&e);
        let mut message = connect_message(&e);
        if tls {
            message.push_str(
                " (TLS: the server's certificate is not valid for this host or not signed by a CA in the system's trust store)",
            );
        }
        Failure {
            message,
            retry: !tls,
        }
    })?;
    let status = resp.status();
    if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
        let location = resp
            .headers()
            .get(hyper::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .ok_or_else(|| Failure {
                message: format!(
                    "the server answered {} without a Location",
                    describe(status)
                ),
                retry: false,
            })?;
        return resolve(uri, location)
            .map(Step::Redirect)
            .map_err(|m| Failure {
                message: m,
                retry: false,
            });
    }
    if !status.is_success() {
        return Err(Failure {
            message: format!("the server answered {}", describe(status)),
            retry: status.is_server_error(),
        });
    }
    if let Some(len) = resp
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > MAX_BODY as u64
    {
        return Err(too_large());
    }
    let body = Limited::new(resp.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                too_large()
            } else {
                Failure {
                    message: format!("the connection broke while reading the body: {e}"),
                    retry: true,
                }
            }
        })?;
    Ok(Step::Body(body.to_bytes().to_vec()))
}

fn too_large() -> Failure {
    Failure {
        message: format!(
            "the body is larger than {} MiB; is this a manifest?",
            MAX_BODY / (1024 * 1024)
        ),
        retry: false,
    }
}

/// `404 Not Found`.
fn describe(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// The innermost cause of a client error (hyper's own message is only "client error
/// (Connect)"), so the user sees "Connection refused" or the certificate problem.
fn connect_message(e: &hyper_util::client::legacy::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut last = e.to_string();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    format!("cannot connect: {last}")
}

/// A TLS failure (an untrusted or mismatched certificate) will not change on a retry.
fn is_tls_failure(e: &hyper_util::client::legacy::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if s.is::<rustls::Error>() {
            return true;
        }
        // rustls reaches hyper inside I/O errors (nested), whose `source()` skips the error
        // they wrap: unwrap those by hand.
        source = match s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &dyn std::error::Error),
            None => s.source(),
        };
    }
    false
}

/// A `Location` header against the URL that answered with it (absolute, host-relative or
/// path-relative).
fn resolve(base: &Uri, location: &str) -> Result<Uri, String> {
    let bad = |e: &dyn std::fmt::Display| format!("the redirect to {location:?} is not a URL: {e}");
    if is_url(location) {
        return location.parse().map_err(|e| bad(&e));
    }
    let scheme = base.scheme_str().unwrap_or("http");
    let authority = base.authority().map(|a| a.as_str()).unwrap_or_default();
    let joined = if location.starts_with('/') {
        location.to_string()
    } else {
        let dir = base
            .path()
            .rsplit_once('/')
            .map(|(d, _)| d)
            .unwrap_or_default();
        format!("{dir}/{location}")
    };
    let path = remove_dot_segments(&joined);
    format!("{scheme}://{authority}{path}")
        .parse()
        .map_err(|e| bad(&e))
}

/// RFC 3986 §5.2.4 on a path (its query and fragment kept as written): `.` and `..`
/// segments resolved.
fn remove_dot_segments(path: &str) -> String {
    let split = path.find(['?', '#']).unwrap_or(path.len());
    let (path, rest) = path.split_at(split);
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." | ".." => {
                if *seg == ".." && out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut joined = out.join("/");
    if !joined.starts_with('/') {
        joined.insert(0, '/');
    }
    joined + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_recognised_by_scheme() {
        assert!(is_url("https://example.com/a.yaml"));
        assert!(is_url("HTTP://example.com/a.yaml"));
        assert!(!is_url("httpx/a.yaml"));
        assert!(!is_url("./https/a.yaml"));
        assert!(!is_url("ftp://example.com/a.yaml"));
        assert!(!is_url("-"));
    }

    #[test]
    fn credentials_are_not_shown() {
        assert_eq!(
            display_name("https://user:secret@example.com/x.yaml?ref=main"),
            "https://example.com/x.yaml?ref=main"
        );
        assert_eq!(
            display_name("https://example.com/a@b.yaml"),
            "https://example.com/a@b.yaml"
        );
    }

    #[test]
    fn userinfo_becomes_basic_authentication() {
        let (bare, auth) =
            credentials("https://u:p@example.com:8443/x.yaml".parse().unwrap()).unwrap();
        assert_eq!(bare.to_string(), "https://example.com:8443/x.yaml");
        assert_eq!(auth.as_deref(), Some("Basic dTpw"));
        let (bare, auth) = credentials("https://example.com/x.yaml".parse().unwrap()).unwrap();
        assert_eq!(bare.to_string(), "https://example.com/x.yaml");
        assert_eq!(auth, None);
    }

    #[test]
    fn redirects_resolve_against_the_answering_url() {
        let base: Uri = "http://h:8080/dir/file.yaml".parse().unwrap();
        assert_eq!(
            resolve(&base, "/other.yaml").unwrap().to_string(),
            "http://h:8080/other.yaml"
        );
        assert_eq!(
            resolve(&base, "next.yaml").unwrap().to_string(),
            "http://h:8080/dir/next.yaml"
        );
        assert_eq!(
            resolve(&base, "https://x/y").unwrap().to_string(),
            "https://x/y"
        );
        assert!(resolve(&base, "https://bad host/").is_err());
        assert_eq!(
            resolve(&base, "../up.yaml?x=1").unwrap().to_string(),
            "http://h:8080/up.yaml?x=1"
        );
        assert_eq!(
            resolve(&base, "./a/../../../b/").unwrap().to_string(),
            "http://h:8080/b/"
        );
    }

    #[test]
    fn malformed_urls_are_located_errors_not_panics() {
        let e = fetch("http://exa mple.com/x").unwrap_err().to_string();
        assert!(e.contains("not a valid URL"), "{e}");
    }
}
